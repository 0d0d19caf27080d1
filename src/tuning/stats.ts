import { normalQuantile, percentileSorted } from "../env/stats.js";
import type { Stream } from "../rng/streams.js";

/** Student t quantile (two-sided 95 %: p = 0.975) by the Cornish-Fisher expansion; exact within 1e-3 for df >= 3. */
export function tQuantile(p: number, df: number): number {
  const z = normalQuantile(p);
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3;
}

export interface MeanInterval {
  mean: number;
  low: number;
  high: number;
  n: number;
}

/** Mean with a 95 % t interval (infinite bounds for a single value). */
export function meanInterval(values: readonly number[]): MeanInterval {
  if (values.length === 0) throw new Error("an interval needs at least one value");
  const n = values.length;
  const mean = values.reduce((s, x) => s + x, 0) / n;
  if (n < 2) return { mean, low: -Infinity, high: Infinity, n };
  const sd = Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  const half = tQuantile(0.975, n - 1) * (sd / Math.sqrt(n));
  return { mean, low: mean - half, high: mean + half, n };
}

/** Mean of paired differences a - b with a 95 % t interval. */
export function pairedDifference(a: readonly number[], b: readonly number[]): MeanInterval {
  return meanInterval(differences(a, b));
}

/**
 * Paired a - b over the pairs where both are defined (finite): a KPI undefined in some episodes (no
 * batch to time, no transaction to price) is compared on the others. No such pair: an undefined interval.
 */
export function pairedDefinedDifference(a: readonly (number | null)[], b: readonly (number | null)[]): MeanInterval {
  const keep = a.flatMap((x, i) => (Number.isFinite(x) && Number.isFinite(b[i]) ? [i] : []));
  return keep.length === 0
    ? UNDEFINED_INTERVAL
    : pairedDifference(
        keep.map((i) => a[i]!),
        keep.map((i) => b[i]!),
      );
}

/** The per-pair differences a - b. */
export function differences(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length || a.length === 0) throw new Error("paired samples must have the same, non-zero length");
  return a.map((x, i) => x - b[i]!);
}

/**
 * Mean with a 95 % percentile bootstrap interval: the 2.5 % and 97.5 % quantiles of the means of
 * `resamples` samples drawn with replacement from `stream` (the same stream gives the same interval).
 * Infinite bounds for a single value, as meanInterval.
 */
export function bootstrapInterval(values: readonly number[], stream: Stream, resamples = 2000): MeanInterval {
  const single = meanInterval(values);
  const { mean, n } = single;
  if (n < 2) return single;
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += values[stream.int(n)]!;
    means[r] = s / n;
  }
  means.sort();
  return { mean, low: percentileSorted(means, resamples, 0.025), high: percentileSorted(means, resamples, 0.975), n };
}

/** The interval of a KPI no episode defined. */
export const UNDEFINED_INTERVAL: MeanInterval = { mean: NaN, low: NaN, high: NaN, n: 0 };

/**
 * A KPI's mean over the episodes that define it, with a 95 % percentile bootstrap interval. Every
 * resampled mean lies between the smallest and the largest value, so the interval keeps the KPI's
 * natural bounds (liveness and shares in [0, 1], counts >= 0), which a t interval on a few
 * episodes does not.
 */
export function kpiInterval(values: readonly number[], stream: Stream): MeanInterval {
  const defined = values.filter(Number.isFinite);
  return defined.length > 0 ? bootstrapInterval(defined, stream) : UNDEFINED_INTERVAL;
}
