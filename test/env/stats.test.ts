import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hhi, nakamoto, shareGap } from "../../src/env/stats.js";

/** The definition: sort every holding descending, count holders until their sum passes half the total. */
function nakamotoBySortingAll(values: readonly number[]): number {
  const total = values.reduce((s, v) => s + v, 0);
  if (total <= 0) return 0;
  const sorted = [...values].sort((a, b) => b - a);
  let acc = 0;
  for (let k = 0; k < sorted.length; k++) {
    acc += sorted[k]!;
    if (acc > total / 2) return k + 1;
  }
  return sorted.length;
}

describe("nakamoto", () => {
  it("counts the fewest holders with more than half", () => {
    const scratch = new Float64Array(8);
    expect(nakamoto(Float64Array.from([0, 0, 5, 3, 2]), scratch)).toBe(2);
    expect(nakamoto(Float64Array.from([1, 1, 1, 1]), scratch)).toBe(3);
    expect(nakamoto(Float64Array.from([0, 9, 0, 1]), scratch)).toBe(1);
    expect(nakamoto(Float64Array.from([0, 0, 0]), scratch)).toBe(0);
    expect(nakamoto(new Float64Array(0), scratch)).toBe(0);
  });

  it("gives what sorting every holding gives, with most holdings zero or equal", () => {
    const holding = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4 }), fc.double({ min: 0, max: 1e6, noNaN: true }));
    fc.assert(
      fc.property(fc.array(holding, { maxLength: 300 }), (values) => {
        expect(nakamoto(Float64Array.from(values), new Float64Array(values.length))).toBe(nakamotoBySortingAll(values));
      }),
      { seed: 5, numRuns: 1000 },
    );
  });
});

describe("hhi", () => {
  it("is the sum of squared shares: 1 for one holder, 1/n for n equal ones, 0 for none", () => {
    expect(hhi(Float64Array.from([0, 7, 0]))).toBe(1);
    expect(hhi(Float64Array.from([2, 2, 2, 2]))).toBeCloseTo(0.25, 15);
    expect(hhi(Float64Array.from([3, 1]))).toBeCloseTo(0.625, 15);
    expect(hhi(new Float64Array(3))).toBe(0);
  });
});

describe("shareGap", () => {
  it("is the total variation distance of the two splits: 0 for the same shares, 1 for none in common", () => {
    expect(shareGap(Float64Array.from([1, 3]), Float64Array.from([10, 30]))).toBe(0);
    expect(shareGap(Float64Array.from([1, 0]), Float64Array.from([0, 5]))).toBe(1);
    // rewards 50/50 against compute 25/75: a quarter of the rewards would have to move
    expect(shareGap(Float64Array.from([2, 2]), Float64Array.from([1, 3]))).toBeCloseTo(0.25, 15);
  });

  it("is undefined (NaN) when either split has nothing to share", () => {
    expect(shareGap(new Float64Array(2), Float64Array.from([1, 1]))).toBeNaN();
    expect(shareGap(Float64Array.from([1, 1]), new Float64Array(2))).toBeNaN();
  });
});
