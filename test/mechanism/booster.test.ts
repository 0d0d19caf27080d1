import { describe, it, expect } from "vitest";
import { boosterShares, nextBoosterScore, type BoosterConfig } from "../../src/mechanism/booster.js";

/** Aztec RewardBooster constants from AZIP-5. */
const AZIP5: BoosterConfig = {
  increment: 101_400,
  maxScore: 367_500,
  a: 250_000,
  minimum: 10_000,
  k: 1_000_000,
  decayPerEpoch: 100_000,
};

describe("boosterShares", () => {
  it("gives k shares at the maximum score", () => {
    expect(boosterShares(AZIP5.maxScore, AZIP5)).toBe(AZIP5.k);
  });

  it("is k - a x (maxScore - score)^2 / 1e10 above the minimum", () => {
    const score = 300_000;
    const gap = AZIP5.maxScore - score;
    expect(boosterShares(score, AZIP5)).toBeCloseTo(AZIP5.k - (AZIP5.a * gap * gap) / 1e10, 6);
  });

  it("never falls below the minimum", () => {
    for (const score of [0, 50_000, 100_000, 167_500]) expect(boosterShares(score, AZIP5)).toBe(AZIP5.minimum);
  });

  it("is non-decreasing in score up to maxScore", () => {
    let prev = -Infinity;
    for (let s = 0; s <= AZIP5.maxScore; s += 2500) {
      const v = boosterShares(s, AZIP5);
      expect(v).toBeGreaterThanOrEqual(prev);
      prev = v;
    }
  });
});

describe("nextBoosterScore", () => {
  it("decays by decayPerEpoch when the prover did not prove, floored at 0", () => {
    expect(nextBoosterScore(367_500, false, AZIP5)).toBe(267_500);
    expect(nextBoosterScore(50_000, false, AZIP5)).toBe(0);
    expect(nextBoosterScore(0, false, AZIP5)).toBe(0);
  });

  it("decays then adds the increment on a proof, capped at maxScore", () => {
    expect(nextBoosterScore(0, true, AZIP5)).toBe(101_400);
    expect(nextBoosterScore(200_000, true, AZIP5)).toBe(200_000 - 100_000 + 101_400);
    expect(nextBoosterScore(367_500, true, AZIP5)).toBe(367_500);
  });

  it("proving every epoch keeps the score at max (increment > decay)", () => {
    let score = AZIP5.maxScore;
    for (let e = 0; e < 100; e++) {
      score = nextBoosterScore(score, true, AZIP5);
      expect(score).toBe(AZIP5.maxScore);
      expect(boosterShares(score, AZIP5)).toBe(AZIP5.k);
    }
  });

  it("proving every epoch from zero climbs to max and stays there", () => {
    let score = 0;
    for (let e = 0; e < 400; e++) score = nextBoosterScore(score, true, AZIP5);
    expect(score).toBe(AZIP5.maxScore);
  });

  it("one missed epoch from max cuts shares to 75% of k", () => {
    const score = nextBoosterScore(AZIP5.maxScore, false, AZIP5);
    expect(boosterShares(score, AZIP5)).toBeCloseTo(0.75 * AZIP5.k, 6);
  });

  it("two missed epochs in a row from max cut shares to the minimum (1% of k)", () => {
    let score = nextBoosterScore(AZIP5.maxScore, false, AZIP5);
    score = nextBoosterScore(score, false, AZIP5);
    expect(boosterShares(score, AZIP5)).toBe(AZIP5.minimum);
    expect(AZIP5.minimum / AZIP5.k).toBe(0.01);
  });

  it("a miss followed by a proof recovers only partly", () => {
    let score = nextBoosterScore(AZIP5.maxScore, false, AZIP5);
    score = nextBoosterScore(score, true, AZIP5);
    expect(score).toBe(267_500 - 100_000 + 101_400);
    // Score 268,900: gap 98,600 -> k - 250,000 x 98,600^2 / 1e10 = 756,951 shares.
    const shares = boosterShares(score, AZIP5);
    expect(shares).toBeCloseTo(756_951, 6);
    expect(shares).toBeLessThan(AZIP5.k);
  });
});
