import { AdaptiveController, CONTROLLER_SIGNALS } from "./adaptiveController.js";

/** How the controller moves each parameter as one signal varies, the others at their medians. */
export interface ResponseRow {
  signal: string;
  /** Which quantile of the signal's values seen in training (or the hour of day, for time). */
  level: string;
  /** The signal's input value (hour of day for time). */
  value: number;
  /** Expected target offset of each parameter from the starting calibration, as a share of its range (+: up). */
  moves: Record<string, number>;
}

const LEVELS = [0.1, 0.25, 0.5, 0.75, 0.9] as const;
const HOURS = [0, 3, 6, 9, 12, 15, 18, 21] as const;
const TIME = ["hourSin", "hourCos"];

/**
 * The controller's response table: for each signal, its 10/25/50/75/90 % quantiles over the decision
 * inputs seen late in training (the others held at their medians), and for time of day every third
 * hour; each row gives the expected move of every parameter. Read as a piecewise-linear response.
 */
export function responseTable(controller: AdaptiveController, samples: readonly Float32Array[]): ResponseRow[] {
  if (samples.length === 0) return [];
  const width = samples[0]!.length;
  const sorted = Array.from({ length: width }, (_, k) => samples.map((x) => x[k]!).sort((a, b) => a - b));
  const quantile = (k: number, q: number) => sorted[k]![Math.min(sorted[k]!.length - 1, Math.floor(q * sorted[k]!.length))]!;
  const median = Float32Array.from({ length: width }, (_, k) => quantile(k, 0.5));
  const names = controller.space.specs.map((s) => s.name);
  const row = (signal: string, level: string, value: number, x: Float32Array): ResponseRow => {
    const moves = controller.expectedOffsets(x);
    return { signal, level, value, moves: Object.fromEntries(names.map((n, h) => [n, moves[h]!])) };
  };
  const rows: ResponseRow[] = HOURS.map((hour) => {
    const x = Float32Array.from(median);
    x[0] = Math.sin((2 * Math.PI * hour) / 24);
    x[1] = Math.cos((2 * Math.PI * hour) / 24);
    return row("hourOfDay", `${hour}:00`, hour, x);
  });
  CONTROLLER_SIGNALS.forEach((signal, k) => {
    if (TIME.includes(signal)) return;
    for (const q of LEVELS) {
      const x = Float32Array.from(median);
      x[k] = quantile(k, q);
      rows.push(row(signal, `q${Math.round(q * 100)}`, x[k]!, x));
    }
  });
  return rows;
}

/** The response table as Markdown: one row per signal level, one column per parameter (target offset from the start, % of range). */
export function responseMarkdown(rows: readonly ResponseRow[]): string {
  if (rows.length === 0) return "No decisions were recorded.\n";
  const names = Object.keys(rows[0]!.moves);
  const lines = [
    `| signal | level | value | ${names.map((n) => `\`${n}\``).join(" | ")} |`,
    `| --- | --- | --- | ${names.map(() => "---").join(" | ")} |`,
    ...rows.map(
      (r) =>
        `| ${r.signal} | ${r.level} | ${r.value.toPrecision(3)} | ${names.map((n) => `${(100 * r.moves[n]!).toFixed(2)} %`).join(" | ")} |`,
    ),
  ];
  return lines.join("\n") + "\n";
}
