import { NF, PF, PROVER_FEATURES, type Observation, type ProverActions } from "../../src/env/spaces.js";

/**
 * One discrete choice of a learning prover, written into its row of the actions. Every choice keeps
 * the stake at twice the minimum (capped by capital), as the scripted policies do.
 */
export interface ActionChoice {
  readonly name: string;
  readonly active: 0 | 1;
  /**
   * Share of the prover's compute kept online; `eligible-minimum`: just the share that meets the
   * compute requirement in force (at least MIN_SNIPE_CAPACITY, at most 1).
   */
  readonly capacity: number | "eligible-minimum";
  readonly race: 0 | 1;
  readonly withhold: 0 | 1;
}

/** The smallest capacity share a sniper keeps online when the requirement would allow less. */
export const MIN_SNIPE_CAPACITY = 0.1;

/**
 * Every choice a learner may be given. The first three are the honest ones; `withhold` (accept
 * assignments, never prove them) and `snipe` (race with the least compute that stays eligible, to
 * collect race compensation and participation points) are the adversarial ones of the exploit audit.
 */
export const ACTION_CHOICES = {
  leave: { name: "leave", active: 0, capacity: 0, race: 1, withhold: 0 },
  half: { name: "half", active: 1, capacity: 0.5, race: 1, withhold: 0 },
  full: { name: "full", active: 1, capacity: 1, race: 1, withhold: 0 },
  withhold: { name: "withhold", active: 1, capacity: 1, race: 1, withhold: 1 },
  snipe: { name: "snipe", active: 1, capacity: "eligible-minimum", race: 1, withhold: 0 },
} as const satisfies Record<string, ActionChoice>;

export type ActionName = keyof typeof ACTION_CHOICES;
export const ACTION_NAMES = Object.keys(ACTION_CHOICES) as ActionName[];

/** The learners' default (honest) actions: leave; stay with half the compute online; stay with all of it. */
export const CAPACITY_ACTION_NAMES = ["leave", "half", "full"] as const;
export const CAPACITY_CHOICES: readonly ActionChoice[] = CAPACITY_ACTION_NAMES.map((n) => ACTION_CHOICES[n]);

/** The choices of these names, in order. */
export function actionChoices(names: readonly ActionName[]): ActionChoice[] {
  return names.map((n) => ACTION_CHOICES[n]);
}

const F = PROVER_FEATURES.length;

/** Writes `choice` for prover i: active, capacity, race and withhold, stake at twice the minimum (capped by capital). */
export function applyChoice(obs: Observation, i: number, choice: ActionChoice, a: ProverActions): void {
  a.active[i] = choice.active;
  a.capacity[i] = choice.capacity === "eligible-minimum" ? eligibleMinimum(obs, i) : choice.capacity;
  a.race[i] = choice.race;
  a.withhold[i] = choice.withhold;
  a.stake[i] = stakeTarget(obs, i);
}

/** The stake every policy keeps bonded: twice the requirement, or all its capital. */
export function stakeTarget(obs: Observation, i: number): number {
  return Math.min(obs.prover[i * F + PF.capitalUsd]!, 2 * obs.network[NF.minStakeUsd]!);
}

/** Writes discrete capacity action `action` (0 leave, 1 half, 2 full) for prover i: racing on, no withholding. */
export function applyCapacityAction(obs: Observation, i: number, action: number, a: ProverActions): void {
  applyChoice(obs, i, CAPACITY_CHOICES[action]!, a);
}

/** The capacity share that just meets the compute requirement in force (a hair above, against rounding). */
function eligibleMinimum(obs: Observation, i: number): number {
  const cores = obs.prover[i * F + PF.computeCores]!;
  const share = cores > 0 ? (obs.network[NF.minComputeCores]! / cores) * (1 + 1e-9) : 1;
  return Math.min(1, Math.max(MIN_SNIPE_CAPACITY, share));
}
