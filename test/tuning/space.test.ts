import { describe, expect, it } from "vitest";
import { defaultParams, PARAM_SPACE } from "../../src/config/paramSpace.js";
import { checkConsistent } from "../../src/config/resolve.js";
import { TunedSpace } from "../../src/tuning/space.js";

describe("TunedSpace", () => {
  it("expands groups and keeps names unique, in table order within a group", () => {
    const s = new TunedSpace(["emergency", "emergency.raceWidth", "batching.maxSize"]);
    const emergency = PARAM_SPACE.filter((p) => p.group === "emergency").map((p) => p.name);
    expect(s.specs.map((p) => p.name)).toEqual([...emergency, "batching.maxSize"]);
    expect(s.dim).toBe(emergency.length + 1);
  });

  it("rejects unknown names with the field and the fix", () => {
    expect(() => new TunedSpace(["emergency.nope"])).toThrow(/tune\.params: unknown parameter or group 'emergency\.nope'/);
    expect(() => new TunedSpace([])).toThrow(/no parameter to tune/);
  });

  it("round-trips the defaults, maps log scales geometrically and linear ones arithmetically", () => {
    const s = new TunedSpace(["base", "scaling", "rewards", "emergency", "batching"]);
    const d = defaultParams();
    const back = s.decode(s.encode(d), d);
    for (const p of s.specs) {
      if (p.integer) expect(back[p.name]).toBe(d[p.name]);
      else expect(back[p.name]).toBeCloseTo(d[p.name]!, 9);
    }
    const log = new TunedSpace(["rewards.computePriceUsdPerCoreSecond"]);
    expect(log.decode([0.5], d)["rewards.computePriceUsdPerCoreSecond"]).toBeCloseTo(Math.sqrt(5e-6 * 2e-4), 12);
    const lin = new TunedSpace(["base.topFraction"]);
    expect(lin.decode([0.5], d)["base.topFraction"]).toBeCloseTo((0.05 + 1) / 2, 12);
  });

  it("decodes any point, even outside the cube, to integers within bounds", () => {
    const s = new TunedSpace(["emergency.raceWidth", "batching.maxSize", "base.minComputeCores"]);
    const d = defaultParams();
    for (const u of [-3, 0, 0.123, 0.5, 0.999, 1, 7]) {
      const v = s.decode([u, u, u], d);
      for (const p of s.specs) {
        expect(Number.isInteger(v[p.name])).toBe(true);
        expect(v[p.name]).toBeGreaterThanOrEqual(p.lower);
        expect(v[p.name]).toBeLessThanOrEqual(p.upper);
      }
    }
    expect(s.decode([0, 1, 0], d)).toMatchObject({ "emergency.raceWidth": 2, "batching.maxSize": 32, "base.minComputeCores": 16 });
  });

  it("leaves untuned parameters at the base values", () => {
    const s = new TunedSpace(["emergency.raceWidth"]);
    const base = { ...defaultParams(), "rewards.profitMargin": 0.42 };
    const v = s.decode([1], base);
    expect(v["rewards.profitMargin"]).toBe(0.42);
    expect(v["emergency.raceWidth"]).toBe(5);
  });
});

describe("TunedSpace.decode repairs relations between parameters", () => {
  it("keeps batching.minSize <= maxSize and scaling.lowThreshold < highThreshold for any point", () => {
    const s = new TunedSpace(["batching.minSize", "batching.maxSize", "scaling.lowThreshold", "scaling.highThreshold"]);
    const d = defaultParams();
    // minSize at its top (8), maxSize at its bottom (1); both thresholds at 1
    const v = s.decode([1, 0, 1, 0], d);
    expect(v["batching.minSize"]).toBe(1);
    expect(v["batching.maxSize"]).toBe(1);
    expect(v["scaling.lowThreshold"]).toBeLessThan(v["scaling.highThreshold"]!);
    expect(() => checkConsistent(v)).not.toThrow();
    for (let k = 0; k < 200; k++) {
      const p = [k % 7, (k * 3) % 11, (k * 5) % 13, (k * 7) % 17].map((x, i) => x / [6, 10, 12, 16][i]!);
      expect(() => checkConsistent(s.decode(p, d))).not.toThrow();
    }
  });
});
