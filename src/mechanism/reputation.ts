import type { MechanismParams } from "./params.js";

/** Reputation: EMA of a weighted mix of on-time delivery and uptime in the last epoch. */
export function updateReputation(previous: number, onTime: number, uptime: number, p: MechanismParams): number {
  const w = p.base.reputationUptimeWeight;
  const score = (1 - w) * onTime + w * uptime;
  return previous + p.base.reputationAlpha * (score - previous);
}
