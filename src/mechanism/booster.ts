import type { Experiment } from "../config/schema.js";

export type BoosterConfig = Experiment["mechanism"]["aztecCurrent"]["booster"];

/** Aztec's RewardBooster activity score: decays every epoch, rises with each proof, capped at maxScore. */
export function nextBoosterScore(score: number, proved: boolean, b: BoosterConfig): number {
  const decayed = Math.max(0, score - b.decayPerEpoch);
  return proved ? Math.min(b.maxScore, decayed + b.increment) : decayed;
}

/** Shares = max(k - a x (maxScore - score)^2 / 1e10, minimum). */
export function boosterShares(score: number, b: BoosterConfig): number {
  const gap = b.maxScore - score;
  return Math.max(b.k - (b.a * gap * gap) / 1e10, b.minimum);
}
