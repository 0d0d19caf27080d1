import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nthElement, nthValue, sortAscending } from "../../src/mechanism/nthElement.js";

/** Keys from a small set, so runs of equal keys (equal reputations) are common. */
const keys = fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })), {
  minLength: 1,
  maxLength: 200,
});

/** Keys with a range [from, to) of them and a position nth inside it. */
const ranged = fc.tuple(keys, fc.nat(), fc.nat(), fc.nat()).map(([values, a, b, c]) => {
  const n = values.length;
  const from = a % n;
  const to = from + 1 + (b % (n - from));
  return { values, n, from, to, nth: from + (c % (to - from)) };
});

describe("nthElement", () => {
  it("puts the sorted nth key at nth, smaller or equal keys before, greater or equal after, ids alongside", () => {
    fc.assert(
      fc.property(ranged, ({ values, n, from, to, nth }) => {
        const k = Float64Array.from(values);
        const ids = Int32Array.from(values, (_, i) => i);
        nthElement(k, ids, from, to, nth);
        const sorted = values.slice(from, to).sort((x, y) => x - y);
        expect(k[nth]).toBe(sorted[nth - from]);
        for (let i = from; i < nth; i++) expect(k[i]).toBeLessThanOrEqual(k[nth]!);
        for (let i = nth + 1; i < to; i++) expect(k[i]).toBeGreaterThanOrEqual(k[nth]!);
        // A permutation of the range that keeps each key with its id; outside the range nothing moves.
        for (let i = 0; i < n; i++) expect(k[i]).toBe(values[ids[i]!]);
        expect(Array.from(ids.subarray(from, to)).sort((x, y) => x - y)).toEqual(Array.from({ length: to - from }, (_, i) => from + i));
        for (let i = 0; i < from; i++) expect(ids[i]).toBe(i);
        for (let i = to; i < n; i++) expect(ids[i]).toBe(i);
      }),
      { seed: 13, numRuns: 2000 },
    );
  });
});

describe("nthValue", () => {
  it("returns the sorted nth key, the one nthElement puts at nth, and leaves the rest of the array alone", () => {
    fc.assert(
      fc.property(ranged, ({ values, n, from, to, nth }) => {
        const k = Float64Array.from(values);
        const v = nthValue(k, from, to, nth);
        const sorted = values.slice(from, to).sort((x, y) => x - y);
        // Equal as numbers (-0 and 0 may trade places).
        expect(v === sorted[nth - from]).toBe(true);
        expect(k[nth] === v).toBe(true);
        const moved = Array.from(k.subarray(from, to)).sort((x, y) => x - y);
        expect(moved.every((x, i) => x === sorted[i])).toBe(true);
        for (let i = 0; i < from; i++) expect(k[i]).toBe(values[i]);
        for (let i = to; i < n; i++) expect(k[i]).toBe(values[i]);
      }),
      { seed: 17, numRuns: 2000 },
    );
  });

  it("refuses a range past the array's end", () => {
    expect(() => nthValue(new Float64Array(3), 0, 4, 1)).toThrow(/past the arrays' end/);
  });
});

describe("sortAscending", () => {
  it("sorts a range as Float64Array.prototype.sort does, and leaves the rest alone", () => {
    fc.assert(
      fc.property(keys, fc.nat(), fc.nat(), (values, a, b) => {
        const n = values.length;
        const from = a % n;
        const to = from + 1 + (b % (n - from));
        const k = Float64Array.from(values);
        sortAscending(k, from, to);
        const expected = Float64Array.from(values);
        expected.subarray(from, to).sort();
        // Equal as numbers (-0 and 0 may trade places: the sort compares values only).
        for (let i = 0; i < n; i++) expect(k[i] === expected[i]).toBe(true);
      }),
    );
  });
});
