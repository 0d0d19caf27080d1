import { NF, PF, PROVER_FEATURES, type Observation, type ProverActions } from "../../src/env/spaces.js";

/** The learners' discrete actions: leave; stay with half the compute online; stay with all of it. */
export const CAPACITY_ACTIONS = [0, 0.5, 1] as const;
export const CAPACITY_ACTION_NAMES = ["leave", "half", "full"] as const;

const F = PROVER_FEATURES.length;

/** Writes discrete action `action` for prover i: racing on, stake at twice the minimum (capped by capital). */
export function applyCapacityAction(obs: Observation, i: number, action: number, a: ProverActions): void {
  a.active[i] = action === 0 ? 0 : 1;
  a.capacity[i] = CAPACITY_ACTIONS[action]!;
  a.race[i] = 1;
  a.stake[i] = Math.min(obs.prover[i * F + PF.capitalUsd]!, 2 * obs.network[NF.minStakeUsd]!);
}
