import type { Requirements } from "./scaling.js";

/**
 * A registered prover is eligible when it meets the requirements in force. One that was eligible
 * last epoch keeps eligibility while it meets the lowest requirements in force over the grace
 * period, so a raise gives incumbents time to comply; newcomers get no grace.
 */
export function isEligible(compute: number, stake: number, wasEligible: boolean, current: Requirements, grace: Requirements): boolean {
  if (compute >= current.minCompute && stake >= current.minStake) return true;
  return wasEligible && compute >= grace.minCompute && stake >= grace.minStake;
}
