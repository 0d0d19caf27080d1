import { describe, it, expect } from "vitest";
import { paramsWith } from "../support/params.js";
import {
  speedBar,
  baseReward,
  isStressedEpoch,
  performanceBonus,
  performanceWindow,
  proRataShare,
  raceCompensation,
  rollingProofSeconds,
  stabilizationPool,
} from "../../src/mechanism/rewards.js";

const BASE = {
  "rewards.computePriceUsdPerCoreSecond": 4e-5,
  "rewards.profitMargin": 0.1,
  "rewards.performanceBonusWeight": 0.2,
  "rewards.performanceSpeedRatio": 0.5,
  "rewards.consistencyGate": 0.75,
  "rewards.stabilizationPoolShare": 0.25,
  "rewards.raceCompensationShare": 0.3,
};

const params = paramsWith(BASE);

describe("baseReward", () => {
  it("is (work x compute price + L1 verification cost) x (1 + margin)", () => {
    const p = params();
    expect(baseReward(1_000_000, 3, p)).toBeCloseTo((1_000_000 * 4e-5 + 3) * 1.1, 9);
    expect(baseReward(0, 2, p)).toBeCloseTo(2.2, 12);
    expect(baseReward(500, 0, p)).toBeCloseTo(500 * 4e-5 * 1.1, 15);
  });

  it("follows price and margin", () => {
    const p = params({ "rewards.computePriceUsdPerCoreSecond": 1e-4, "rewards.profitMargin": 0.5 });
    expect(baseReward(20_000, 1, p)).toBeCloseTo((2 + 1) * 1.5, 12);
    const noMargin = params({ "rewards.profitMargin": 0 });
    expect(baseReward(20_000, 1, noMargin)).toBeCloseTo(20_000 * 4e-5 + 1, 12);
  });

  it("is linear in work", () => {
    const p = params();
    const a = baseReward(1000, 0.5, p);
    const b = baseReward(2000, 0.5, p);
    const c = baseReward(3000, 0.5, p);
    expect(c - b).toBeCloseTo(b - a, 12);
    expect(b).toBeGreaterThan(a);
  });
});

describe("performanceBonus", () => {
  const p = params();
  const base = 10;
  // Eligible: proof 4 s <= 0.5 x 10 s, on-time 0.9 >= 0.75, rolling mean 10 > 0.
  const ok = { proof: 4, mean: 10, onTime: 0.9 };

  it("pays performanceBonusWeight x base when every gate passes", () => {
    expect(performanceBonus(base, ok.proof, speedBar(ok.mean, NaN, false, p), ok.onTime, p)).toBeCloseTo(0.2 * base, 12);
    expect(performanceBonus(50, ok.proof, speedBar(ok.mean, NaN, false, p), ok.onTime, p)).toBeCloseTo(10, 12);
  });

  it("passes exactly at the speed limit (proof = speedRatio x mean) and at the consistency gate", () => {
    expect(performanceBonus(base, 5, speedBar(10, NaN, false, p), ok.onTime, p)).toBeCloseTo(2, 12);
    expect(performanceBonus(base, ok.proof, speedBar(ok.mean, NaN, false, p), 0.75, p)).toBeCloseTo(2, 12);
  });

  it("is 0 when only the speed gate fails", () => {
    expect(performanceBonus(base, 5.0001, speedBar(ok.mean, NaN, false, p), ok.onTime, p)).toBe(0);
    expect(performanceBonus(base, 9, speedBar(ok.mean, NaN, false, p), ok.onTime, p)).toBe(0);
  });

  it("is 0 when only the consistency gate fails", () => {
    expect(performanceBonus(base, ok.proof, speedBar(ok.mean, NaN, false, p), 0.7499, p)).toBe(0);
    expect(performanceBonus(base, ok.proof, speedBar(ok.mean, NaN, false, p), 0, p)).toBe(0);
  });

  it("is 0 when only the rolling mean is not positive (no history)", () => {
    expect(performanceBonus(base, 0, speedBar(0, NaN, false, p), ok.onTime, p)).toBe(0);
    expect(performanceBonus(base, -1, speedBar(-1, NaN, false, p), ok.onTime, p)).toBe(0);
    expect(performanceBonus(base, 0, speedBar(Number.NaN, NaN, false, p), ok.onTime, p)).toBe(0);
  });

  it("follows the weight, ratio and gate in the params", () => {
    const q = params({
      "rewards.performanceBonusWeight": 0.5,
      "rewards.performanceSpeedRatio": 0.9,
      "rewards.consistencyGate": 0.95,
    });
    expect(performanceBonus(base, 8.9, speedBar(10, NaN, false, q), 0.96, q)).toBeCloseTo(5, 12);
    expect(performanceBonus(base, 8.9, speedBar(10, NaN, false, q), 0.9, q)).toBe(0);
    expect(performanceBonus(base, 9.1, speedBar(10, NaN, false, q), 0.96, q)).toBe(0);
  });

  it("the speed bar: speedRatio x the rolling mean, or with the percentile metric the window's quantile as it is", () => {
    expect(speedBar(10, 7, false, p)).toBeCloseTo(5, 12);
    expect(speedBar(10, 7, true, p)).toBe(7);
    expect(performanceBonus(base, 7, speedBar(10, 7, true, p), ok.onTime, p)).toBeCloseTo(2, 12);
    expect(performanceBonus(base, 7.01, speedBar(10, 7, true, p), ok.onTime, p)).toBe(0);
    expect(performanceBonus(base, 1, speedBar(10, NaN, true, p), ok.onTime, p)).toBe(0);
  });
});

describe("performanceWindow", () => {
  it("is performanceWindowEpochs rounded, at least 1", () => {
    expect(performanceWindow(params({ "rewards.performanceWindowEpochs": 12 }))).toBe(12);
    expect(performanceWindow(params({ "rewards.performanceWindowEpochs": 7.6 }))).toBe(8);
    expect(performanceWindow(params({ "rewards.performanceWindowEpochs": 0.2 }))).toBe(1);
  });
});

describe("rollingProofSeconds", () => {
  it("is the mean over every proof of the window, not the mean of the epochs' means", () => {
    // Epoch means 100 s (1 proof) and 200 s (3 proofs): 700 s over 4 proofs.
    expect(rollingProofSeconds(Float64Array.of(100, 600, 0), Float64Array.of(1, 3, 0))).toBe(175);
  });

  it("is 0 with no proof in the window (so no bonus is paid)", () => {
    expect(rollingProofSeconds(new Float64Array(4), new Float64Array(4))).toBe(0);
  });
});

describe("isStressedEpoch", () => {
  const p = params({ "scaling.highThreshold": 1.5 });
  const calm = [false, 0, 0, 1] as const;

  it("is false in a calm epoch", () => {
    expect(isStressedEpoch(...calm, p)).toBe(false);
  });

  it("holds in emergency at the close, after an emergency slot, after a multi-block batch, or with the index above the high threshold", () => {
    expect(isStressedEpoch(true, 0, 0, 1, p)).toBe(true);
    expect(isStressedEpoch(false, 1, 0, 1, p)).toBe(true);
    expect(isStressedEpoch(false, 0, 1, 1, p)).toBe(true);
    expect(isStressedEpoch(false, 0, 0, 1.5 + 1e-9, p)).toBe(true);
  });

  it("an index at the high threshold is not above it", () => {
    expect(isStressedEpoch(false, 0, 0, 1.5, p)).toBe(false);
  });
});

describe("proRataShare", () => {
  it("is pool x points / total points, and the parts add up to the pool", () => {
    expect(proRataShare(90, 1, 3)).toBe(30);
    expect(proRataShare(90, 0, 3)).toBe(0);
    const points = [1, 2, 3, 4];
    const total = points.reduce((s, x) => s + x, 0);
    expect(points.reduce((s, x) => s + proRataShare(55, x, total), 0)).toBeCloseTo(55, 12);
  });
});

describe("stabilizationPool", () => {
  const p = params();

  it("is zero in calm epochs", () => {
    expect(stabilizationPool(1000, false, p)).toBe(0);
    expect(stabilizationPool(0, false, p)).toBe(0);
  });

  it("is stabilizationPoolShare x the epoch's base rewards in stressed epochs", () => {
    expect(stabilizationPool(1000, true, p)).toBeCloseTo(250, 12);
    expect(stabilizationPool(1000, true, params({ "rewards.stabilizationPoolShare": 0.6 }))).toBeCloseTo(600, 12);
  });
});

describe("raceCompensation", () => {
  it("is raceCompensationShare x base for a racer that had all but finished", () => {
    expect(raceCompensation(10, 1, params())).toBeCloseTo(3, 12);
    expect(raceCompensation(10, 1, params({ "rewards.raceCompensationShare": 0 }))).toBe(0);
    expect(raceCompensation(7, 1, params({ "rewards.raceCompensationShare": 1 }))).toBe(7);
  });

  it("is pro rata to progress, nothing for a racer that had not started, capped at full", () => {
    expect(raceCompensation(10, 0.5, params())).toBeCloseTo(1.5, 12);
    expect(raceCompensation(10, 0.1, params())).toBeCloseTo(0.3, 12);
    expect(raceCompensation(10, 0, params())).toBe(0);
    expect(raceCompensation(10, -0.2, params())).toBe(0);
    expect(raceCompensation(10, 1.7, params())).toBeCloseTo(3, 12);
  });
});
