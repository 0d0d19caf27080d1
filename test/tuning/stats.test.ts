import { describe, expect, it } from "vitest";
import { meanInterval, pairedDifference } from "../../src/tuning/stats.js";

describe("meanInterval", () => {
  it("is the mean with a 95 % t interval", () => {
    // sd = sqrt(2.5), t(0.975, 4) = 2.7764: half-width 2.7764 x sqrt(2.5 / 5) = 1.9632
    const m = meanInterval([1, 2, 3, 4, 5]);
    expect(m.mean).toBe(3);
    expect(m.n).toBe(5);
    expect(m.low).toBeCloseTo(3 - 1.9632, 2);
    expect(m.high).toBeCloseTo(3 + 1.9632, 2);
  });

  it("has no width for constant values and infinite bounds for a single value", () => {
    expect(meanInterval([2, 2, 2])).toEqual({ mean: 2, low: 2, high: 2, n: 3 });
    expect(meanInterval([7])).toEqual({ mean: 7, low: -Infinity, high: Infinity, n: 1 });
    expect(() => meanInterval([])).toThrow();
  });
});

describe("pairedDifference", () => {
  it("is the interval of the per-pair differences", () => {
    expect(pairedDifference([3, 5, 9], [1, 2, 4])).toEqual(meanInterval([2, 3, 5]));
    expect(() => pairedDifference([1, 2], [1])).toThrow();
  });
});
