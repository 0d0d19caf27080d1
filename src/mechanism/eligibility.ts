import type { Requirements } from "./scaling.js";

/**
 * The grace requirements: the lowest of each requirement in force in this epoch (`current`) and the
 * round(graceEpochs) epochs before it, read from `history`, a ring of past epochs' (minCompute,
 * minStake) pairs at (epoch mod its length) that keeps at most its length - 1 of them. Writes into `out`.
 */
export function graceRequirements(
  current: Requirements,
  history: Float64Array,
  epoch: number,
  graceEpochs: number,
  out: Requirements,
): void {
  const ring = history.length / 2;
  const grace = Math.min(ring - 1, Math.round(graceEpochs));
  out.minCompute = current.minCompute;
  out.minStake = current.minStake;
  for (let k = 1; k <= grace && k <= epoch; k++) {
    const r = ((epoch - k) % ring) * 2;
    out.minCompute = Math.min(out.minCompute, history[r]!);
    out.minStake = Math.min(out.minStake, history[r + 1]!);
  }
}

/**
 * A registered prover is eligible when it meets the requirements in force. One that was eligible
 * last epoch keeps eligibility while it meets the lowest requirements in force over the grace
 * period, so a raise gives incumbents time to comply; newcomers get no grace.
 */
export function isEligible(compute: number, stake: number, wasEligible: boolean, current: Requirements, grace: Requirements): boolean {
  if (compute >= current.minCompute && stake >= current.minStake) return true;
  return wasEligible && compute >= grace.minCompute && stake >= grace.minStake;
}
