import type { ActionName } from "../../agents/prover/actionTable.js";
import { ConfigError } from "../config/errors.js";
import type { Archetype, Experiment } from "../config/schema.js";
import type { AuditOptions } from "./schema.js";
import type { StateSignal } from "../../agents/prover/qlearning.js";

/**
 * What the attackers see beyond the honest learner's state: emergency mode, a mempool backlog, and
 * whether they hold assignments at the epoch's end, so a withheld job (held), its miss (backlog) and
 * the emergency or batches that follow are states whose values Q-learning can chain.
 */
export const ATTACKER_SIGNALS: readonly StateSignal[] = ["emergency", "backlog", "holding"];

/** The name of the archetype the audit appends for its attacking seats. */
export const ATTACKER = "audit-attacker";

/**
 * The attackers' choices: the honest ones that bear on an attack's gain (leave, half, full, and
 * stake-up, so an attacker as one identity can bond all its capital as the split identities do),
 * and a fifth that is the adversarial action in an adversarial arm and a second `full` (a placebo)
 * in an honest arm. Both arms' learners thus explore and estimate the same number of choices, and
 * the gain measures the adversarial action itself, not the size of the action table.
 */
export function attackerActions(adversarial: ActionName | null): ActionName[] {
  return ["leave", "half", "full", "stake-up", adversarial ?? "full"];
}

/** Index of the fifth choice: the adversarial action in an adversarial arm. */
export const ADVERSARIAL_INDEX = 4;

/**
 * Who attacks in one arm of the audit: `identities` provers appended to the scenario's population,
 * each with `computeCores`, and the fixed cost and capital of the attackers divided among them.
 */
export interface AttackerSeats {
  identities: number;
  computeCores: number;
  fixedCostUsdPerEpoch: number;
  capitalUsd: number;
  /** The learner's choices. */
  actions: readonly ActionName[];
}

/** Total compute of a population (every prover, registered at the start or not). */
export function totalCompute(archetypes: readonly Archetype[]): number {
  return archetypes.reduce((s, a) => s + a.count * a.computeCores, 0);
}

/**
 * The archetype the attackers copy: `audit.attacker` by name (in the scenario, else in the main
 * experiment), or the archetype of the scenario's median prover by compute (the lower median).
 */
export function attackerTemplate(scenario: Experiment, main: Experiment, name: string): Archetype {
  if (name) {
    const found = scenario.provers.archetypes.find((a) => a.name === name) ?? main.provers.archetypes.find((a) => a.name === name);
    if (!found) {
      const names = scenario.provers.archetypes.map((a) => a.name).join(", ");
      throw new ConfigError("audit.attacker", `no archetype named '${name}'; use one of ${names}, or leave it empty`);
    }
    return found;
  }
  const provers = scenario.provers.archetypes.filter((a) => a.count > 0).flatMap((a) => Array<Archetype>(a.count).fill(a));
  const sorted = [...provers].sort((a, b) => a.computeCores - b.computeCores);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!median) throw new ConfigError("provers.archetypes", "the audit needs at least one prover in every scenario");
  return median;
}

/** Copies of the template holding `share` of the total compute once added (at least one copy). */
export function coalitionCopies(template: Archetype, population: readonly Archetype[], share: number): number {
  const target = (share / (1 - share)) * totalCompute(population);
  return Math.max(1, Math.round(target / template.computeCores));
}

/** `copies` provers of the template, as they are. */
export function copiesOf(template: Archetype, copies: number, actions: readonly ActionName[]): AttackerSeats {
  return {
    identities: copies,
    computeCores: template.computeCores,
    fixedCostUsdPerEpoch: template.fixedCostUsdPerEpoch,
    capitalUsd: template.capitalUsd,
    actions,
  };
}

/** The compute, fixed cost and capital of `copies` provers of the template, divided among `identities` provers. */
export function splitInto(template: Archetype, copies: number, identities: number, actions: readonly ActionName[]): AttackerSeats {
  return {
    identities,
    computeCores: (template.computeCores * copies) / identities,
    fixedCostUsdPerEpoch: (template.fixedCostUsdPerEpoch * copies) / identities,
    capitalUsd: (template.capitalUsd * copies) / identities,
    actions,
  };
}

/**
 * The scenario with the attackers appended as one archetype (last, so every other prover keeps its
 * index and its random draws): fresh Q-learners that also observe the ATTACKER_SIGNALS flags.
 */
export function withAttackers(scenario: Experiment, template: Archetype, seats: AttackerSeats, options: AuditOptions): Experiment {
  const attacker: Archetype = {
    ...template,
    name: ATTACKER,
    count: seats.identities,
    computeCores: seats.computeCores,
    fixedCostUsdPerEpoch: seats.fixedCostUsdPerEpoch,
    capitalUsd: seats.capitalUsd,
    startActive: true,
    policy: { kind: "q-learning", ...options.learner, actions: [...seats.actions], stateSignals: [...ATTACKER_SIGNALS] },
  };
  const others = scenario.provers.archetypes.filter((a) => a.name !== ATTACKER);
  return { ...scenario, provers: { ...scenario.provers, archetypes: [...others, attacker] } };
}
