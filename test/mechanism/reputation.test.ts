import { describe, it, expect } from "vitest";
import type { MechanismParams } from "../../src/mechanism/params.js";
import { mechanismParams } from "../support/params.js";
import {
  onTimeShare,
  steadiness,
  updateOnTimeRate,
  updateProofTimeMoments,
  updateReputation,
  uptimeShare,
} from "../../src/mechanism/reputation.js";

function params(alpha: number, uptimeWeight: number): MechanismParams {
  return mechanismParams({ "base.reputationAlpha": alpha, "base.reputationUptimeWeight": uptimeWeight });
}

describe("updateReputation", () => {
  it("is previous + alpha x (score - previous) with score = (1 - w) x onTime + w x uptime", () => {
    const p = params(0.1, 0.3);
    // score = 0.7 x 1 + 0.3 x 0.5 = 0.85
    expect(updateReputation(0.5, 1, 0.5, p)).toBeCloseTo(0.5 + 0.1 * (0.85 - 0.5), 12);
    // score = 0.7 x 0.2 + 0.3 x 1 = 0.44
    expect(updateReputation(0.9, 0.2, 1, p)).toBeCloseTo(0.9 + 0.1 * (0.44 - 0.9), 12);
  });

  it("weights uptime by reputationUptimeWeight and on-time delivery by the rest", () => {
    expect(updateReputation(0, 1, 0, params(1, 0))).toBe(1);
    expect(updateReputation(0, 1, 0, params(1, 1))).toBe(0);
    expect(updateReputation(0, 0, 1, params(1, 1))).toBe(1);
    expect(updateReputation(0, 1, 0, params(1, 0.25))).toBeCloseTo(0.75, 12);
  });

  it("alpha sets the step: alpha 1 jumps to the score, small alpha moves a little", () => {
    expect(updateReputation(0.2, 0.6, 0.6, params(1, 0.3))).toBeCloseTo(0.6, 12);
    expect(updateReputation(0.2, 0.6, 0.6, params(0.01, 0.3))).toBeCloseTo(0.204, 12);
  });

  it("is unchanged when the epoch's score equals the current reputation", () => {
    expect(updateReputation(0.8, 0.8, 0.8, params(0.3, 0.4))).toBeCloseTo(0.8, 12);
  });

  it("converges geometrically to a constant score", () => {
    const p = params(0.1, 0.3);
    const score = 0.7 * 0.9 + 0.3 * 0.6;
    let r = 0;
    for (let i = 1; i <= 300; i++) {
      const next = updateReputation(r, 0.9, 0.6, p);
      // The gap shrinks by exactly (1 - alpha) each epoch.
      expect(Math.abs(next - score)).toBeCloseTo(0.9 * Math.abs(r - score), 12);
      r = next;
    }
    expect(r).toBeCloseTo(score, 10);
    // And from above.
    r = 1;
    for (let i = 0; i < 300; i++) r = updateReputation(r, 0.9, 0.6, p);
    expect(r).toBeCloseTo(score, 10);
  });

  it("stays within [0, 1] for inputs in [0, 1]", () => {
    const p = params(0.5, 0.3);
    let r = 0.5;
    for (let i = 0; i < 1000; i++) {
      r = updateReputation(r, (i * 7) % 2, ((i * 13) % 10) / 9, p);
      expect(r).toBeGreaterThanOrEqual(0);
      expect(r).toBeLessThanOrEqual(1);
    }
  });
});

describe("uptimeShare", () => {
  it("is 1 - down / epoch, from 1 with no down time to 0 down all epoch", () => {
    expect(uptimeShare(0, 1152)).toBe(1);
    expect(uptimeShare(288, 1152)).toBe(0.75);
    expect(uptimeShare(1152, 1152)).toBe(0);
  });

  it("is 0, not negative, when the down time runs past the epoch", () => {
    expect(uptimeShare(5000, 1152)).toBe(0);
  });
});

describe("onTimeShare", () => {
  it("is delivered over delivered plus failed", () => {
    expect(onTimeShare(3, 1, 0.2)).toBe(0.75);
    expect(onTimeShare(5, 0, 0.2)).toBe(1);
    expect(onTimeShare(0, 4, 0.9)).toBe(0);
  });

  it("is the rate so far when nothing was resolved", () => {
    expect(onTimeShare(0, 0, 0.37)).toBe(0.37);
  });
});

describe("updateOnTimeRate", () => {
  const p = params(0.1, 0.3);

  it("moves the rate alpha of the way to the epoch's on-time share", () => {
    expect(updateOnTimeRate(1, 3, 1, p)).toBeCloseTo(1 + 0.1 * (0.75 - 1), 12);
    expect(updateOnTimeRate(0.5, 2, 0, p)).toBeCloseTo(0.55, 12);
    expect(updateOnTimeRate(0.5, 2, 0, params(1, 0.3))).toBe(1);
  });

  it("stays where it is in an epoch that resolved nothing", () => {
    expect(updateOnTimeRate(0.42, 0, 0, p)).toBe(0.42);
    expect(updateOnTimeRate(0.42, 0, 0, params(1, 0.3))).toBe(0.42);
  });

  it("stays within [0, 1] from a rate in [0, 1]", () => {
    let rate = 1;
    for (let e = 0; e < 500; e++) {
      rate = updateOnTimeRate(rate, e % 3, (e * 7) % 4, params(0.6, 0.3));
      expect(rate).toBeGreaterThanOrEqual(0);
      expect(rate).toBeLessThanOrEqual(1);
    }
  });
});

describe("steadiness (consistencyMetric: steadiness)", () => {
  it("is 1 minus the coefficient of variation of the averaged moments, at least 0, and 1 before any proof", () => {
    // mean 10 s, mean square 104 s^2: sd 2 s, CV 0.2
    expect(steadiness(10, 104)).toBeCloseTo(0.8, 12);
    expect(steadiness(10, 100)).toBe(1);
    expect(steadiness(1, 10)).toBe(0);
    expect(steadiness(0, 0)).toBe(1);
  });

  it("averages proof times and their squares with weight reputationAlpha, starting from the first proof", () => {
    const mean = new Float64Array(2);
    const square = new Float64Array(2);
    const p = params(0.5, 0.3);
    updateProofTimeMoments(mean, square, 1, 10, p);
    expect([mean[1], square[1]]).toEqual([10, 100]);
    updateProofTimeMoments(mean, square, 1, 20, p);
    expect([mean[1], square[1]]).toEqual([15, 250]);
    expect(steadiness(mean[1]!, square[1]!)).toBeCloseTo(1 - 5 / 15, 12);
    expect(mean[0]).toBe(0);
  });
});
