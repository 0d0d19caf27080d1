import type { MechanismParams } from "./params.js";

/** Base reward: reference compute cost plus the L1 verification cost, with the profit margin. */
export function baseReward(work: number, verifyCostUsd: number, p: MechanismParams): number {
  return (work * p.rewards.computePriceUsdPerCoreSecond + verifyCostUsd) * (1 + p.rewards.profitMargin);
}

/**
 * The L1 verification cost the base reward covers: an exponential average of the cost with time
 * constant l1CostSmoothingHours (an oracle's lag), updated every `dtSeconds`; 0 follows the cost exactly.
 */
export function smoothedL1Cost(estimate: number, costNow: number, dtSeconds: number, p: MechanismParams): number {
  const tau = p.rewards.l1CostSmoothingHours * 3600;
  if (!(tau > 0)) return costNow;
  return estimate + (1 - Math.exp(-dtSeconds / tau)) * (costNow - estimate);
}

/**
 * The proof time at or under which the performance bonus is earned (mechanism.speedMetric): speedRatio
 * x the rolling mean (`mean`), or the rolling window's speedRatio-quantile of proof times (`percentile`).
 */
export function speedBar(rollingMeanSeconds: number, rollingQuantileSeconds: number, percentile: boolean, p: MechanismParams): number {
  return percentile ? rollingQuantileSeconds : p.rewards.performanceSpeedRatio * rollingMeanSeconds;
}

/** Performance bonus: earned by a proof at or under the speed bar, from a prover whose consistency score passes the gate. */
export function performanceBonus(base: number, proofSeconds: number, barSeconds: number, consistency: number, p: MechanismParams): number {
  if (!(barSeconds > 0)) return 0;
  if (proofSeconds > barSeconds) return 0;
  if (consistency < p.rewards.consistencyGate) return 0;
  return p.rewards.performanceBonusWeight * base;
}

/** Epochs of the performance bonus's rolling proof time: round(performanceWindowEpochs), at least 1. */
export function performanceWindow(p: MechanismParams): number {
  return Math.max(1, Math.round(p.rewards.performanceWindowEpochs));
}

/**
 * The performance bonus's rolling proof time: the mean proof time over every winning proof of the
 * window's epochs, from each epoch's sum and count of proof times; 0 with no proof in the window.
 */
export function rollingProofSeconds(sums: Float64Array, counts: Float64Array): number {
  let sum = 0;
  let count = 0;
  for (let k = 0; k < sums.length; k++) {
    sum += sums[k]!;
    count += counts[k]!;
  }
  return count > 0 ? sum / count : 0;
}

/**
 * A stressed epoch earns the stabilization pool: at its close the network is in emergency, or it had
 * an emergency slot, or it sealed a batch of more than one block, or the demand index (before this
 * close's update) is above the scaling's high threshold.
 */
export function isStressedEpoch(
  inEmergency: boolean,
  emergencySlots: number,
  multiBlockBatches: number,
  demandIndex: number,
  p: MechanismParams,
): boolean {
  return inEmergency || emergencySlots > 0 || multiBlockBatches > 0 || demandIndex > p.scaling.highThreshold;
}

/** Stabilization pool of a stressed epoch; nothing in calm epochs. */
export function stabilizationPool(epochBaseRewards: number, stressed: boolean, p: MechanismParams): number {
  return stressed ? p.rewards.stabilizationPoolShare * epochBaseRewards : 0;
}

/** One holder's part of a pool shared pro rata: pool x points / totalPoints (participation points, booster shares). */
export function proRataShare(pool: number, points: number, totalPoints: number): number {
  return (pool * points) / totalPoints;
}

/**
 * Compensation for a racer that worked on a job another prover won: the compensation share of the
 * base reward, pro rata to the racer's progress on its proof (0..1), so idle racers earn nothing.
 */
export function raceCompensation(base: number, progress: number, p: MechanismParams): number {
  const done = progress <= 0 ? 0 : progress >= 1 ? 1 : progress;
  return p.rewards.raceCompensationShare * base * done;
}
