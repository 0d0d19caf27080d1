import type { MechanismParams } from "./params.js";

/** Share of an epoch of `epochSeconds` the prover was up, after `downSeconds` down (at most the whole epoch). */
export function uptimeShare(downSeconds: number, epochSeconds: number): number {
  return 1 - Math.min(1, downSeconds / epochSeconds);
}

/**
 * Share of the epoch's resolved assignments (proofs delivered plus assignments failed or missed) that
 * were delivered on time. With none resolved the epoch says nothing, and the rate so far stands in.
 */
export function onTimeShare(delivered: number, failed: number, rateSoFar: number): number {
  const resolved = delivered + failed;
  return resolved > 0 ? delivered / resolved : rateSoFar;
}

/** On-time rate: EMA of the epoch's on-time share, moved only by an epoch that resolved an assignment. */
export function updateOnTimeRate(rate: number, delivered: number, failed: number, p: MechanismParams): number {
  return delivered + failed > 0 ? rate + p.base.reputationAlpha * (onTimeShare(delivered, failed, rate) - rate) : rate;
}

/** Reputation: EMA of a weighted mix of on-time delivery and uptime in the last epoch. */
export function updateReputation(previous: number, onTime: number, uptime: number, p: MechanismParams): number {
  const w = p.base.reputationUptimeWeight;
  const score = (1 - w) * onTime + w * uptime;
  return previous + p.base.reputationAlpha * (score - previous);
}

/**
 * A prover's proof times as exponential averages (weight reputationAlpha per proof) of the time and of
 * its square, updated in `mean` and `square` at `i`: what the variance-based consistency score reads.
 */
export function updateProofTimeMoments(mean: Float64Array, square: Float64Array, i: number, seconds: number, p: MechanismParams): void {
  const a = p.base.reputationAlpha;
  if (mean[i] === 0 && square[i] === 0) {
    mean[i] = seconds;
    square[i] = seconds * seconds;
    return;
  }
  mean[i]! += a * (seconds - mean[i]!);
  square[i]! += a * (seconds * seconds - square[i]!);
}

/**
 * Consistency as steadiness: 1 minus the coefficient of variation of the prover's proof times (from
 * their averaged moments), at least 0; 1 before its first proof, as the on-time rate starts at 1.
 */
export function steadiness(mean: number, square: number): number {
  if (!(mean > 0)) return 1;
  const variance = Math.max(0, square - mean * mean);
  return Math.max(0, 1 - Math.sqrt(variance) / mean);
}
