import type { MechanismParams } from "./params.js";

/** What one failed task (an outage, or a missed deadline of its job) takes from its prover's stake. */
export function slashAmount(stake: number, p: MechanismParams): number {
  return p.base.slashFraction * stake;
}
