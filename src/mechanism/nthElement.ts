/**
 * Partial sort (C++'s nth_element): rearranges keys[from, to), and ids alongside, so that keys[nth]
 * holds the value it would hold if the range were sorted ascending, every key before it is <= and
 * every key after it is >=. Expected linear time: Hoare's quickselect with a median-of-three pivot
 * and a three-way partition, so runs of equal keys (a population of equal reputations) take one pass.
 * Deterministic: the same input gives the same arrangement.
 */
export function nthElement(keys: Float64Array, ids: Int32Array, from: number, to: number, nth: number): void {
  let lo = from;
  let hi = to - 1;
  while (hi > lo) {
    const pivot = medianOfThree(keys[lo]!, keys[(lo + hi) >>> 1]!, keys[hi]!);
    // Three-way partition of [lo, hi]: [lo, lt) < pivot, [lt, i) == pivot, (gt, hi] > pivot.
    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i <= gt) {
      const v = keys[i]!;
      if (v < pivot) swap(keys, ids, lt++, i++);
      else if (v > pivot) swap(keys, ids, i, gt--);
      else i++;
    }
    if (nth < lt) hi = lt - 1;
    else if (nth > gt) lo = gt + 1;
    else return;
  }
}

function medianOfThree(a: number, b: number, c: number): number {
  if (a < b) return b < c ? b : a < c ? c : a;
  return a < c ? a : b < c ? c : b;
}

function swap(keys: Float64Array, ids: Int32Array, a: number, b: number): void {
  const k = keys[a]!;
  keys[a] = keys[b]!;
  keys[b] = k;
  const id = ids[a]!;
  ids[a] = ids[b]!;
  ids[b] = id;
}
