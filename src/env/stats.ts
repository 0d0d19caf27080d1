import { sortAscending } from "../mechanism/nthElement.js";

/** Percentile of sorted values by linear interpolation; NaN when empty. */
export function percentileSorted(sorted: Float64Array, n: number, q: number): number {
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * How far one split of a whole is from another, as shares: half the sum of |a_k / A - b_k / B|, the
 * total variation distance (0: the same shares; 1: no overlap). NaN when either total is 0.
 */
export function shareGap(a: Float64Array, b: Float64Array): number {
  let ta = 0;
  let tb = 0;
  for (let k = 0; k < a.length; k++) {
    ta += a[k]!;
    tb += b[k]!;
  }
  if (!(ta > 0) || !(tb > 0)) return NaN;
  let gap = 0;
  for (let k = 0; k < a.length; k++) gap += Math.abs(a[k]! / ta - b[k]! / tb);
  return gap / 2;
}

/** Herfindahl-Hirschman index of shares (0..1); 0 when the total is 0. */
export function hhi(values: Float64Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  if (total <= 0) return 0;
  let h = 0;
  for (let i = 0; i < values.length; i++) {
    const s = values[i]! / total;
    h += s * s;
  }
  return h;
}

/**
 * Smallest number of holders that together hold more than half; 0 when the total is 0. Only the
 * positive holdings are sorted (an epoch's proofs go to a few of many provers): the zeros come last
 * in descending order and add nothing, so the count is the one a sort of every holding gives.
 */
export function nakamoto(values: Float64Array, scratch: Float64Array): number {
  let total = 0;
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    total += v;
    if (v > 0) scratch[m++] = v;
  }
  if (total <= 0) return 0;
  sortAscending(scratch, 0, m);
  let acc = 0;
  for (let k = m - 1, count = 1; k >= 0; k--, count++) {
    acc += scratch[k]!;
    if (acc > total / 2) return count;
  }
  return values.length;
}

/** Gini coefficient of non-negative values; 0 when all are equal or the total is 0. */
export function gini(values: ArrayLike<number>): number {
  const v = Float64Array.from(values).sort();
  const n = v.length;
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    total += v[i]!;
    weighted += (i + 1) * v[i]!;
  }
  if (n === 0 || total <= 0) return 0;
  return (2 * weighted) / (n * total) - (n + 1) / n;
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
