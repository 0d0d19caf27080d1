import { percentileSorted } from "../env/stats.js";
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

/** Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
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
