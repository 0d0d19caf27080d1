import { settingText } from "../audit/format.js";
import type { Exploit } from "../tuning/candidates.js";
import type { MeanInterval } from "../tuning/stats.js";

/** A difference with its interval; significant when the interval excludes 0. */
export type Difference = MeanInterval & { significant: boolean };

/** JSON stores infinite interval bounds as null; null compares false both ways, so n = 1 is never significant. */
export function withSignificance(d: MeanInterval): Difference {
  return { ...d, significant: d.low > 0 || d.high < 0 };
}

/** Four significant digits, small magnitudes in exponent form; "-" for a missing or infinite value (stored as null). */
export function fmt(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return "-";
  const rounded = Number(x.toPrecision(4));
  return rounded !== 0 && Math.abs(rounded) < 1e-3 ? rounded.toExponential() : String(rounded);
}

export function signed(x: number | null): string {
  return x !== null && x > 0 ? `+${fmt(x)}` : fmt(x);
}

/** "mean [low, high]", or the mean alone without a finite interval. */
export function interval(m: MeanInterval): string {
  return Number.isFinite(m.low) ? `${fmt(m.mean)} [${fmt(m.low)}, ${fmt(m.high)}]` : fmt(m.mean);
}

/** "split coalition 10 % gains 22.68 [14.77, 30.58] USD/epoch": a paying strategy against an audited candidate. */
export function exploitText(e: Exploit): string {
  return `${e.strategy} ${settingText(e)} gains ${interval(e.gainUsd)} USD/epoch`;
}

/** A signed difference with its interval, " *" when significant. */
export function difference(d: Difference): string {
  return Number.isFinite(d.low) ? `${signed(d.mean)} [${signed(d.low)}, ${signed(d.high)}]${d.significant ? " *" : ""}` : signed(d.mean);
}

/** A share as a percentage with one decimal. */
export function percent(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1)} %` : "-";
}
