import { describe, it, expect } from "vitest";
import type { MechanismParams } from "../../src/mechanism/params.js";
import { paramsWith } from "../support/params.js";
import {
  clamp,
  demandSignal,
  forecastIndex,
  LOAD_SIGNAL_CAP,
  scaleRequirements,
  smoothIndex,
  type Requirements,
} from "../../src/mechanism/scaling.js";

const BASE = {
  "base.minComputeCores": 512,
  "base.minStakeUsd": 10_000,
  "scaling.lowThreshold": 0.6,
  "scaling.highThreshold": 1.5,
  "scaling.downFactor": 0.9,
  "scaling.upFactor": 1.25,
  "scaling.maxChangePerEpoch": 1,
  "scaling.floorRatio": 0.5,
  "scaling.ceilingRatio": 2,
};

const params = paramsWith(BASE);

function scaled(current: Requirements, index: number, p: MechanismParams): Requirements {
  const out: Requirements = { minCompute: Number.NaN, minStake: Number.NaN };
  scaleRequirements(current, index, p, out);
  return out;
}

const LOW = 0.2;
const MID = 1;
const HIGH = 3;

describe("scaleRequirements", () => {
  it("falls by downFactor under a low demand index", () => {
    const p = params();
    const out = scaled({ minCompute: 512, minStake: 10_000 }, LOW, p);
    expect(out.minCompute).toBeCloseTo(512 * 0.9, 9);
    expect(out.minStake).toBeCloseTo(10_000 * 0.9, 9);
  });

  it("rises by upFactor under a high demand index", () => {
    const p = params();
    const out = scaled({ minCompute: 512, minStake: 10_000 }, HIGH, p);
    expect(out.minCompute).toBeCloseTo(512 * 1.25, 9);
    expect(out.minStake).toBeCloseTo(10_000 * 1.25, 9);
  });

  it("applies the step to the current value, not the base", () => {
    const p = params();
    const out = scaled({ minCompute: 600, minStake: 12_000 }, HIGH, p);
    expect(out.minCompute).toBeCloseTo(600 * 1.25, 9);
    expect(out.minStake).toBeCloseTo(12_000 * 1.25, 9);
    const down = scaled({ minCompute: 600, minStake: 12_000 }, LOW, p);
    expect(down.minCompute).toBeCloseTo(600 * 0.9, 9);
    expect(down.minStake).toBeCloseTo(12_000 * 0.9, 9);
  });

  it("is unchanged at the base floor between the thresholds (thresholds themselves included)", () => {
    const p = params();
    for (const index of [0.6, MID, 1.5]) {
      const out = scaled({ minCompute: 512, minStake: 10_000 }, index, p);
      expect(out).toEqual({ minCompute: 512, minStake: 10_000 });
    }
  });

  it("just outside the thresholds, steps do happen", () => {
    const p = params();
    expect(scaled({ minCompute: 512, minStake: 10_000 }, 0.6 - 1e-9, p).minCompute).toBeCloseTo(512 * 0.9, 9);
    expect(scaled({ minCompute: 512, minStake: 10_000 }, 1.5 + 1e-9, p).minCompute).toBeCloseTo(512 * 1.25, 9);
  });

  it("between the thresholds, steps back toward the base floor and never past it", () => {
    const p = params();
    // Above base: one down step.
    const above = scaled({ minCompute: 512 * 1.5, minStake: 10_000 * 1.5 }, MID, p);
    expect(above.minCompute).toBeCloseTo(512 * 1.5 * 0.9, 9);
    expect(above.minStake).toBeCloseTo(10_000 * 1.5 * 0.9, 9);
    // Just above base: a full step would overshoot, so it lands exactly on base.
    const nearAbove = scaled({ minCompute: 512 * 1.05, minStake: 10_000 * 1.05 }, MID, p);
    expect(nearAbove).toEqual({ minCompute: 512, minStake: 10_000 });
    // Below base: one up step.
    const below = scaled({ minCompute: 512 * 0.6, minStake: 10_000 * 0.6 }, MID, p);
    expect(below.minCompute).toBeCloseTo(512 * 0.6 * 1.25, 9);
    expect(below.minStake).toBeCloseTo(10_000 * 0.6 * 1.25, 9);
    // Just below base: lands exactly on base.
    const nearBelow = scaled({ minCompute: 512 * 0.95, minStake: 10_000 * 0.95 }, MID, p);
    expect(nearBelow).toEqual({ minCompute: 512, minStake: 10_000 });
  });

  it("maxChangePerEpoch caps the up step", () => {
    const cap = 0.1;
    const p = params({ "scaling.upFactor": 1.8, "scaling.maxChangePerEpoch": cap });
    const out = scaled({ minCompute: 512, minStake: 10_000 }, HIGH, p);
    expect(out.minCompute).toBeCloseTo(512 * (1 + cap), 9);
    expect(out.minStake).toBeCloseTo(10_000 * (1 + cap), 9);
    expect(out.minCompute).toBeLessThan(512 * 1.8);
  });

  it("maxChangePerEpoch caps the down step", () => {
    const cap = 0.1;
    const p = params({ "scaling.downFactor": 0.5, "scaling.maxChangePerEpoch": cap });
    const out = scaled({ minCompute: 512, minStake: 10_000 }, LOW, p);
    // It moved down, by no more than the cap, and less than the uncapped factor.
    expect(out.minCompute).toBeLessThan(512);
    expect(1 - out.minCompute / 512).toBeLessThanOrEqual(cap + 1e-12);
    expect(1 - out.minStake / 10_000).toBeLessThanOrEqual(cap + 1e-12);
    expect(out.minCompute).toBeGreaterThan(512 * 0.5);
    // The cap is multiplicative (symmetric in log space): down by 1 / (1 + cap).
    expect(out.minCompute).toBeCloseTo(512 / (1 + cap), 9);
  });

  it("maxChangePerEpoch caps the step back toward base between thresholds too", () => {
    const cap = 0.1;
    const p = params({ "scaling.downFactor": 0.5, "scaling.upFactor": 2, "scaling.maxChangePerEpoch": cap });
    const fromAbove = scaled({ minCompute: 1000, minStake: 19_000 }, MID, p);
    expect(fromAbove.minCompute).toBeCloseTo(1000 / (1 + cap), 9);
    const fromBelow = scaled({ minCompute: 300, minStake: 6000 }, MID, p);
    expect(fromBelow.minCompute).toBeCloseTo(300 * (1 + cap), 9);
  });

  it("a cap looser than the factors does not bind", () => {
    const p = params({ "scaling.maxChangePerEpoch": 0.5 });
    expect(scaled({ minCompute: 512, minStake: 10_000 }, HIGH, p).minCompute).toBeCloseTo(512 * 1.25, 9);
    expect(scaled({ minCompute: 512, minStake: 10_000 }, LOW, p).minCompute).toBeCloseTo(512 * 0.9, 9);
  });

  it("clamps to ceilingRatio x base", () => {
    const p = params();
    const out = scaled({ minCompute: 512 * 1.9, minStake: 10_000 * 1.9 }, HIGH, p);
    expect(out).toEqual({ minCompute: 512 * 2, minStake: 10_000 * 2 });
    const atCeiling = scaled({ minCompute: 1024, minStake: 20_000 }, HIGH, p);
    expect(atCeiling).toEqual({ minCompute: 1024, minStake: 20_000 });
  });

  it("clamps to floorRatio x base", () => {
    const p = params();
    const out = scaled({ minCompute: 512 * 0.52, minStake: 10_000 * 0.52 }, LOW, p);
    expect(out).toEqual({ minCompute: 256, minStake: 5000 });
    const atFloor = scaled({ minCompute: 256, minStake: 5000 }, LOW, p);
    expect(atFloor).toEqual({ minCompute: 256, minStake: 5000 });
  });

  it("pulls a value outside [floor, ceiling] back inside, whatever the index", () => {
    const p = params();
    expect(scaled({ minCompute: 100, minStake: 1000 }, LOW, p)).toEqual({ minCompute: 256, minStake: 5000 });
    expect(scaled({ minCompute: 5000, minStake: 90_000 }, HIGH, p)).toEqual({ minCompute: 1024, minStake: 20_000 });
  });

  it("repeated high-demand steps reach the ceiling exactly, then repeated low-demand steps reach the floor exactly", () => {
    const p = params({ "scaling.ceilingRatio": 3.7, "scaling.floorRatio": 0.3 });
    const req: Requirements = { minCompute: 512, minStake: 10_000 };
    const seen: number[] = [];
    for (let i = 0; i < 40; i++) {
      scaleRequirements(req, HIGH, p, req);
      seen.push(req.minCompute);
    }
    expect(req.minCompute).toBe(512 * 3.7);
    expect(req.minStake).toBe(10_000 * 3.7);
    // Monotone non-decreasing on the way up, and it took several steps.
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
    expect(seen[0]!).toBeLessThan(512 * 3.7);

    for (let i = 0; i < 80; i++) scaleRequirements(req, LOW, p, req);
    expect(req.minCompute).toBe(512 * 0.3);
    expect(req.minStake).toBe(10_000 * 0.3);
  });

  it("after high demand, mid-range demand brings requirements back to exactly base", () => {
    const p = params();
    const req: Requirements = { minCompute: 512, minStake: 10_000 };
    for (let i = 0; i < 10; i++) scaleRequirements(req, HIGH, p, req);
    for (let i = 0; i < 50; i++) scaleRequirements(req, MID, p, req);
    expect(req).toEqual({ minCompute: 512, minStake: 10_000 });
  });

  it("works in place (out === current), as the network calls it", () => {
    const p = params();
    const req: Requirements = { minCompute: 600, minStake: 9000 };
    scaleRequirements(req, HIGH, p, req);
    expect(req.minCompute).toBeCloseTo(750, 9);
    expect(req.minStake).toBeCloseTo(11_250, 9);
  });

  it("does not mutate the current requirements when writing to a separate out", () => {
    const p = params();
    const current: Requirements = { minCompute: 600, minStake: 9000 };
    scaled(current, HIGH, p);
    expect(current).toEqual({ minCompute: 600, minStake: 9000 });
  });
});

describe("smoothIndex", () => {
  it("is previous + smoothing x (signal - previous)", () => {
    expect(smoothIndex(1, 3, 0.25)).toBeCloseTo(1.5, 12);
    expect(smoothIndex(2, 0, 0.3)).toBeCloseTo(1.4, 12);
    expect(smoothIndex(0.7, 5, 1)).toBe(5);
    expect(smoothIndex(0.7, 5, 0)).toBe(0.7);
  });

  it("converges to a constant signal", () => {
    let x = 0;
    for (let i = 0; i < 500; i++) x = smoothIndex(x, 2.5, 0.1);
    expect(x).toBeCloseTo(2.5, 9);
  });
});

describe("forecastIndex", () => {
  it("extrapolates the last change linearly lead epochs ahead", () => {
    expect(forecastIndex(1.5, 1, 3)).toBeCloseTo(3, 12);
    expect(forecastIndex(2, 2.5, 2)).toBeCloseTo(1, 12);
    expect(forecastIndex(1.2, 1, 0)).toBe(1.2);
    expect(forecastIndex(1.25, 1.25, 10)).toBe(1.25);
  });

  it("is never negative", () => {
    expect(forecastIndex(0.5, 1, 3)).toBe(0);
    expect(forecastIndex(0.1, 5, 24)).toBe(0);
    for (let i = 0; i < 1000; i++) {
      const idx = (i % 37) / 10;
      const prev = (i % 53) / 10;
      const lead = i % 25;
      expect(forecastIndex(idx, prev, lead)).toBeGreaterThanOrEqual(0);
    }
  });
});

describe("clamp", () => {
  it("clamps to [lo, hi]", () => {
    expect(clamp(-1, 0, 1)).toBe(0);
    expect(clamp(2, 0, 1)).toBe(1);
    expect(clamp(0.5, 0, 1)).toBe(0.5);
  });
});

describe("demandSignal", () => {
  it("utilization: the epoch's arrivals over the nominal transactions per epoch", () => {
    expect(demandSignal("utilization", 1152, 500, 1152, 0)).toBe(1);
    expect(demandSignal("utilization", 576, 500, 1152, 0)).toBe(0.5);
  });

  it("backlog: arrivals plus the mempool at the close", () => {
    expect(demandSignal("backlog", 576, 576, 1152, 0)).toBe(1);
    expect(demandSignal("backlog", 576, 0, 1152, 0)).toBe(0.5);
  });

  it("is 0 without a reference (baseTps 0), whatever arrived", () => {
    expect(demandSignal("utilization", 100, 100, 0, 0)).toBe(0);
    expect(demandSignal("backlog", 100, 100, 0, 0)).toBe(0);
  });

  it("load: the proving load itself, whatever arrived, capped at LOAD_SIGNAL_CAP (no compute is not infinite demand)", () => {
    expect(demandSignal("load", 0, 0, 1152, 0.4)).toBe(0.4);
    expect(demandSignal("load", 5000, 5000, 0, 2.5)).toBe(2.5);
    expect(demandSignal("load", 0, 0, 1152, Infinity)).toBe(LOAD_SIGNAL_CAP);
  });
});
