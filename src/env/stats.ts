/** Percentile of sorted values by linear interpolation; NaN when empty. */
export function percentileSorted(sorted: Float64Array, n: number, q: number): number {
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
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

/** Smallest number of holders that together hold more than half; 0 when the total is 0. */
export function nakamoto(values: Float64Array, scratch: Float64Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += scratch[i] = values[i]!;
  if (total <= 0) return 0;
  const sorted = scratch.subarray(0, values.length).sort();
  let acc = 0;
  for (let k = sorted.length - 1, count = 1; k >= 0; k--, count++) {
    acc += sorted[k]!;
    if (acc > total / 2) return count;
  }
  return sorted.length;
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
