/**
 * Partial sort (C++'s nth_element): rearranges keys[from, to), and ids alongside (when given), so
 * that keys[nth] holds the value it would hold if the range were sorted ascending, every key before it
 * is <= and every key after it is >=. Expected linear time: Hoare's quickselect with a median-of-three
 * pivot and a three-way partition, so runs of equal keys (a population of equal reputations) take one
 * pass. Deterministic: the same input gives the same arrangement.
 */
export function nthElement(keys: Float64Array, ids: Int32Array | null, from: number, to: number, nth: number): void {
  let lo = from;
  let hi = to - 1;
  // Both arrays' lengths read once up front, so their kinds are checked before the loop.
  if (keys.length < to || (ids !== null && ids.length < to)) throw new RangeError("nthElement: range past the arrays' end");
  while (hi > lo) {
    const pivot = medianOfThree(keys[lo]!, keys[(lo + hi) >>> 1]!, keys[hi]!);
    // Three-way partition of [lo, hi]: [lo, lt) < pivot, [lt, i) == pivot, (gt, hi] > pivot.
    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i <= gt) {
      const v = keys[i]!;
      if (v < pivot) {
        // swap(lt, i), written out
        keys[i] = keys[lt]!;
        keys[lt] = v;
        if (ids !== null) {
          const id = ids[i]!;
          ids[i] = ids[lt]!;
          ids[lt] = id;
        }
        lt++;
        i++;
      } else if (v > pivot) {
        // swap(i, gt)
        keys[i] = keys[gt]!;
        keys[gt] = v;
        if (ids !== null) {
          const id = ids[i]!;
          ids[i] = ids[gt]!;
          ids[gt] = id;
        }
        gt--;
      } else i++;
    }
    if (nth < lt) hi = lt - 1;
    else if (nth > gt) lo = gt + 1;
    else return;
  }
}

/** The nth smallest of keys[from, to): nthElement on the keys alone (for a cut that needs no ids, half the data moves). */
export function nthValue(keys: Float64Array, from: number, to: number, nth: number): number {
  nthElement(keys, null, from, to, nth);
  return keys[nth]!;
}

function medianOfThree(a: number, b: number, c: number): number {
  if (a < b) return b < c ? b : a < c ? c : a;
  return a < c ? a : b < c ? c : b;
}

/**
 * Sorts a[from, to) ascending in place: Hoare's quicksort (median-of-three pivot, the smaller side
 * recursed, the larger looped) down to runs of 16, then insertion sort; the loop of
 * bench/reference/slot.c's sort_doubles. Values only (no -0/+0 or NaN order): for finite keys the
 * result is the ascending arrangement, as `Float64Array.prototype.sort` gives, and runs of equal keys
 * (a population's equal stakes) cost one pass.
 */
export function sortAscending(a: Float64Array, from: number, to: number): void {
  let lo = from;
  let n = to - from;
  while (n > 16) {
    const pivot = medianOfThree(a[lo]!, a[lo + (n >> 1)]!, a[lo + n - 1]!);
    let i = lo;
    let j = lo + n - 1;
    for (;;) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i >= j) break;
      const x = a[i]!;
      a[i] = a[j]!;
      a[j] = x;
      i++;
      j--;
    }
    // [lo, j] and [j + 1, lo + n): recurse into the smaller side, loop on the larger.
    const left = j + 1 - lo;
    const right = n - left;
    if (left < right) {
      sortAscending(a, lo, j + 1);
      lo = j + 1;
      n = right;
    } else {
      sortAscending(a, j + 1, lo + n);
      n = left;
    }
  }
  for (let k = lo + 1; k < lo + n; k++) {
    const v = a[k]!;
    let j = k - 1;
    for (; j >= lo && a[j]! > v; j--) a[j + 1] = a[j]!;
    a[j + 1] = v;
  }
}
