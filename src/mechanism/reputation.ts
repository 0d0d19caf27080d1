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
