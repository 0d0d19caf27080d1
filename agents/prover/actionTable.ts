import { NF, PF, PROVER_FEATURES, type Observation, type ProverActions } from "../../src/env/spaces.js";

/**
 * One discrete choice of a learning prover, written into its row of the actions. A choice is "full
 * service" with at most one deviation, so a table of a few choices spans the levers the mechanism is
 * meant to move: capacity, prover agents, stake, stabilization (races and batches) and declining work.
 */
export interface ActionChoice {
  readonly name: string;
  readonly active: 0 | 1;
  /**
   * Share of the prover's compute kept online; `eligible-minimum`: just the share that meets the
   * compute requirement in force (at least MIN_SNIPE_CAPACITY, at most 1).
   */
  readonly capacity: number | "eligible-minimum";
  /**
   * Prover agents on top of the archetype's: keep those held, hold GROW_SHARE of the archetype's own
   * (a level, not a step: choosing it again orders nothing more), or release all.
   */
  readonly agents: "keep" | "grow" | "none";
  /** Stake bonded: twice the requirement (capped by capital), or all capital not tied in agents. */
  readonly stake: "twice-minimum" | "all-capital";
  /** 1: opt in to races and batches. */
  readonly stabilize: 0 | 1;
  /** 1: decline work that would not pay at the L1 cost now. */
  readonly skip: 0 | 1;
  readonly withhold: 0 | 1;
  /** 1: decline every assignment that is not a race. */
  readonly raceOnly: 0 | 1;
  /** 1: prove through the archetype's pool (one identity, summed compute and stake). */
  readonly pool: 0 | 1;
}

/** The smallest capacity share a sniper keeps online when the requirement would allow less. */
export const MIN_SNIPE_CAPACITY = 0.1;

/** A `grow` choice holds this share of the archetype's own agents (one at least) on top of them. */
export const GROW_SHARE = 0.25;

const FULL = {
  active: 1,
  capacity: 1,
  agents: "keep",
  stake: "twice-minimum",
  stabilize: 1,
  skip: 0,
  withhold: 0,
  raceOnly: 0,
  pool: 0,
} as const satisfies Omit<ActionChoice, "name">;

/**
 * Every choice a learner may be given. The honest ones: leave; half or full capacity; grow or shrink
 * the prover agents; stake all free capital (pays only where selection weighs stake); go solo (no
 * races, no batches); be selective (decline work that does not pay); prove through the archetype's
 * liquid proving pool (one identity that meets the floor with its members' summed compute). `withhold` (accept
 * assignments, never prove them) and `snipe` (take races only, with the least compute that stays
 * eligible, to collect race compensation and participation points without ordinary work) are the
 * adversarial ones of the exploit audit.
 */
export const ACTION_CHOICES = {
  leave: { ...FULL, name: "leave", active: 0, capacity: 0, agents: "none" },
  half: { ...FULL, name: "half", capacity: 0.5 },
  full: { ...FULL, name: "full" },
  grow: { ...FULL, name: "grow", agents: "grow" },
  shrink: { ...FULL, name: "shrink", agents: "none" },
  "stake-up": { ...FULL, name: "stake-up", stake: "all-capital" },
  solo: { ...FULL, name: "solo", stabilize: 0 },
  selective: { ...FULL, name: "selective", skip: 1 },
  pool: { ...FULL, name: "pool", pool: 1 },
  withhold: { ...FULL, name: "withhold", withhold: 1 },
  snipe: { ...FULL, name: "snipe", capacity: "eligible-minimum", raceOnly: 1 },
} as const satisfies Record<string, ActionChoice>;

export type ActionName = keyof typeof ACTION_CHOICES;
export const ACTION_NAMES = Object.keys(ACTION_CHOICES) as ActionName[];

/** The learners' default (honest) choices. */
export const HONEST_ACTION_NAMES = ["leave", "half", "full", "grow", "shrink", "stake-up", "solo", "selective", "pool"] as const;
export const HONEST_CHOICES: readonly ActionChoice[] = HONEST_ACTION_NAMES.map((n) => ACTION_CHOICES[n]);

/** The choices of these names, in order. */
export function actionChoices(names: readonly ActionName[]): ActionChoice[] {
  return names.map((n) => ACTION_CHOICES[n]);
}

const F = PROVER_FEATURES.length;

/** Writes `choice` for prover i into the actions. */
export function applyChoice(obs: Observation, i: number, choice: ActionChoice, a: ProverActions): void {
  a.active[i] = choice.active;
  a.capacity[i] = choice.capacity === "eligible-minimum" ? eligibleMinimum(obs, i) : choice.capacity;
  a.race[i] = choice.stabilize;
  a.batch[i] = choice.stabilize;
  a.skip[i] = choice.skip;
  a.withhold[i] = choice.withhold;
  a.raceOnly[i] = choice.raceOnly;
  a.pool[i] = choice.pool;
  a.agents[i] = agentsFor(obs, i, choice);
  a.stake[i] = stakeFor(obs, i, choice);
}

/** applyChoice(obs, i, choice, a) for every prover: the fields the choice fixes are filled at once. */
export function applyChoiceToAll(obs: Observation, choice: ActionChoice, a: ProverActions): void {
  a.active.fill(choice.active);
  a.race.fill(choice.stabilize);
  a.batch.fill(choice.stabilize);
  a.skip.fill(choice.skip);
  a.withhold.fill(choice.withhold);
  a.raceOnly.fill(choice.raceOnly);
  a.pool.fill(choice.pool);
  const capacity = choice.capacity;
  if (capacity === "eligible-minimum") for (let i = 0; i < obs.n; i++) a.capacity[i] = eligibleMinimum(obs, i);
  else a.capacity.fill(capacity);
  for (let i = 0; i < obs.n; i++) {
    a.agents[i] = agentsFor(obs, i, choice);
    a.stake[i] = stakeFor(obs, i, choice);
  }
}

/** The agents prover i holds under `choice`: none, those it holds (proving and ordered), or the grow level. */
function agentsFor(obs: Observation, i: number, choice: ActionChoice): number {
  if (choice.agents === "none") return 0;
  const b = i * F;
  return choice.agents === "keep" ? obs.prover[b + PF.extraAgents]! + obs.prover[b + PF.pendingAgents]! : growLevel(obs, i);
}

/** The stake prover i bonds under `choice`. */
function stakeFor(obs: Observation, i: number, choice: ActionChoice): number {
  return choice.stake === "all-capital" ? obs.prover[i * F + PF.freeCapitalUsd]! : stakeTarget(obs, i);
}

/** The stake every other choice keeps bonded: twice the requirement, or all its capital. */
export function stakeTarget(obs: Observation, i: number): number {
  return Math.min(obs.prover[i * F + PF.capitalUsd]!, 2 * obs.network[NF.minStakeUsd]!);
}

/** Writes honest choice `action` (an index into HONEST_CHOICES) for prover i. */
export function applyHonestAction(obs: Observation, i: number, action: number, a: ProverActions): void {
  applyChoice(obs, i, HONEST_CHOICES[action]!, a);
}

/** Agents a `grow` choice holds: GROW_SHARE of the archetype's own, one at least. */
function growLevel(obs: Observation, i: number): number {
  const b = i * F;
  return Math.max(1, Math.ceil((GROW_SHARE * ownCores(obs, i)) / obs.prover[b + PF.agentCores]!));
}

/** The cores of the archetype's own agents: the prover's compute without the agents it added. */
export function ownCores(obs: Observation, i: number): number {
  const b = i * F;
  return obs.prover[b + PF.computeCores]! - obs.prover[b + PF.extraAgents]! * obs.prover[b + PF.agentCores]!;
}

/** The capacity share that just meets the compute requirement in force (a hair above, against rounding). */
function eligibleMinimum(obs: Observation, i: number): number {
  const cores = obs.prover[i * F + PF.computeCores]!;
  const share = cores > 0 ? (obs.network[NF.minComputeCores]! / cores) * (1 + 1e-9) : 1;
  return Math.min(1, Math.max(MIN_SNIPE_CAPACITY, share));
}
