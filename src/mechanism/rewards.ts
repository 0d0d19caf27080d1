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

/** Performance bonus: earned by a proof faster than speedRatio x the rolling mean, from a consistent prover. */
export function performanceBonus(
  base: number,
  proofSeconds: number,
  rollingMeanSeconds: number,
  onTimeRate: number,
  p: MechanismParams,
): number {
  if (!(rollingMeanSeconds > 0)) return 0;
  if (proofSeconds > p.rewards.performanceSpeedRatio * rollingMeanSeconds) return 0;
  if (onTimeRate < p.rewards.consistencyGate) return 0;
  return p.rewards.performanceBonusWeight * base;
}

/** Stabilization pool of a stressed epoch; nothing in calm epochs. */
export function stabilizationPool(epochBaseRewards: number, stressed: boolean, p: MechanismParams): number {
  return stressed ? p.rewards.stabilizationPoolShare * epochBaseRewards : 0;
}

/**
 * Compensation for a racer that worked on a job another prover won: the compensation share of the
 * base reward, pro rata to the racer's progress on its proof (0..1), so idle racers earn nothing.
 */
export function raceCompensation(base: number, progress: number, p: MechanismParams): number {
  const done = progress <= 0 ? 0 : progress >= 1 ? 1 : progress;
  return p.rewards.raceCompensationShare * base * done;
}
