import { describe, expect, it } from "vitest";
import { Stream } from "../../src/rng/streams.js";
import {
  bootstrapInterval,
  differences,
  kpiInterval,
  meanInterval,
  pairedDefinedDifference,
  pairedDifference,
  UNDEFINED_INTERVAL,
} from "../../src/tuning/stats.js";

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

describe("bootstrapInterval", () => {
  // Irrational values, so different resamples give different means.
  const values = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29].map((p) => Math.sqrt(p));
  const mean = values.reduce((s, x) => s + x, 0) / values.length;

  it("is the mean with a percentile interval that covers it, close to the t interval for well-behaved data", () => {
    const b = bootstrapInterval(values, Stream.root(1).child("b"));
    expect(b.mean).toBe(mean);
    expect(b.n).toBe(10);
    expect(b.low).toBeLessThan(mean);
    expect(b.high).toBeGreaterThan(mean);
    const t = meanInterval(values);
    // The percentile bootstrap is a little narrower than the t interval at n = 10.
    expect(b.high - b.low).toBeGreaterThan(0.6 * (t.high - t.low));
    expect(b.high - b.low).toBeLessThan(t.high - t.low);
  });

  it("is the same for the same stream, and moves with the seed", () => {
    const a = bootstrapInterval(values, Stream.root(1).child("b"));
    expect(bootstrapInterval(values, Stream.root(1).child("b"))).toEqual(a);
    expect(bootstrapInterval(values, Stream.root(2).child("b")).low).not.toBe(a.low);
  });

  it("has no width for constant values, infinite bounds for one value, and refuses none", () => {
    expect(bootstrapInterval([0, 0, 0], Stream.root(1))).toEqual({ mean: 0, low: 0, high: 0, n: 3 });
    expect(bootstrapInterval([7], Stream.root(1))).toEqual({ mean: 7, low: -Infinity, high: Infinity, n: 1 });
    expect(() => bootstrapInterval([], Stream.root(1))).toThrow();
  });
});

describe("differences", () => {
  it("pairs by index and refuses unequal lengths", () => {
    expect(differences([3, 5], [1, 7])).toEqual([2, -2]);
    expect(() => differences([1], [])).toThrow();
  });
});

describe("kpiInterval", () => {
  it("keeps bounded KPIs within their bounds, where a t interval on a few episodes does not (property over seeded samples)", () => {
    const draw = Stream.root(11).child("samples");
    let tOutside = 0;
    for (let c = 0; c < 300; c++) {
      const n = 2 + draw.int(6);
      // Shares near 1 (liveness), shares anywhere, and non-negative counts.
      const share = Array.from({ length: n }, () => (draw.uniform() < 0.7 ? 1 : 1 - 0.2 * draw.uniform()));
      const anywhere = Array.from({ length: n }, () => draw.uniform());
      const count = Array.from({ length: n }, () => (draw.uniform() < 0.6 ? 0 : draw.int(4)));
      for (const [values, lower, upper] of [
        [share, 0, 1],
        [anywhere, 0, 1],
        [count, 0, Infinity],
      ] as const) {
        const m = kpiInterval(values, Stream.root(c));
        expect(m.low).toBeGreaterThanOrEqual(lower);
        expect(m.high).toBeLessThanOrEqual(upper);
        expect(m.low).toBeLessThanOrEqual(m.high);
        const t = meanInterval(values);
        if (t.low < lower || t.high > upper) tOutside++;
      }
    }
    expect(tOutside).toBeGreaterThan(50);
  });

  it("is seeded (the same stream gives the same interval), skips undefined episodes, and has no interval without one", () => {
    const values = [0.99, 1, NaN, 0.97, 1];
    expect(kpiInterval(values, Stream.root(3))).toEqual(kpiInterval(values, Stream.root(3)));
    expect(kpiInterval(values, Stream.root(3)).n).toBe(4);
    expect(kpiInterval(values, Stream.root(3)).mean).toBeCloseTo(0.99, 12);
    expect(kpiInterval([NaN, NaN], Stream.root(3))).toEqual(UNDEFINED_INTERVAL);
  });
});

describe("pairedDefinedDifference", () => {
  it("pairs only the episodes where both sides are finite, and is undefined when none is", () => {
    const d = pairedDefinedDifference([3, NaN, 5, 7], [1, 2, null, 4]);
    expect(d.n).toBe(2);
    expect(d.mean).toBe(2.5);
    expect(pairedDefinedDifference([NaN], [1])).toEqual(UNDEFINED_INTERVAL);
    expect(pairedDefinedDifference([1, 2], [0, 0])).toEqual(pairedDifference([1, 2], [0, 0]));
  });
});
