/** The agent-facing contract: what provers observe and how they act, as typed arrays, with the spaces they lie in. */

import { ConfigError } from "../config/errors.js";
import { paramSpec } from "../config/paramSpace.js";

export const PROVER_FEATURES = [
  "registered",
  "eligible",
  "computeCores",
  "capacity",
  "stakeUsd",
  "capitalUsd",
  "reputation",
  "onTimeRate",
  "epochProfitUsd",
  "epochRewardsUsd",
  "queueLength",
  "costUsdPerCoreSecond",
  "fixedCostUsdPerEpoch",
  "extraAgents",
  "pendingAgents",
  "agentCores",
  "agentCostUsdPerEpoch",
  "freeCapitalUsd",
  "pooled",
] as const;

export const NETWORK_FEATURES = [
  "epoch",
  "demandIndex",
  "backlogBlocks",
  "minComputeCores",
  "minStakeUsd",
  "emergency",
  "gasGwei",
  "activeProvers",
  "profitUsdPerCoreEpoch",
  "treasuryUsd",
  "computePriceUsdPerCoreSecond",
  "profitMargin",
  "performanceBonusWeight",
  "stabilizationPoolShare",
  "raceCompensationShare",
  "stakeWeighted",
  "verifyCostUsd",
  "l1CostEstimateUsd",
] as const;

export type ProverFeature = (typeof PROVER_FEATURES)[number];
export type NetworkFeature = (typeof NETWORK_FEATURES)[number];

export const PF = Object.fromEntries(PROVER_FEATURES.map((f, i) => [f, i])) as Record<ProverFeature, number>;
export const NF = Object.fromEntries(NETWORK_FEATURES.map((f, i) => [f, i])) as Record<NetworkFeature, number>;

/** Row-major: prover i's feature f is prover[i * PROVER_FEATURES.length + f]. */
export interface Observation {
  readonly n: number;
  readonly prover: Float64Array;
  readonly network: Float64Array;
}

/** Each prover's decision for the coming epoch. */
export interface ProverActions {
  /** 1: be registered (join or stay); 0: leave (stake starts unbonding). */
  readonly active: Uint8Array;
  /** Share of the prover's compute kept online, in [0, 1]. */
  readonly capacity: Float64Array;
  /** Stake to keep bonded (USD), capped by the prover's capital. */
  readonly stake: Float64Array;
  /** 1: opt in to emergency races (and, in aztec-current, to proving each epoch). */
  readonly race: Uint8Array;
  /** 1: opt in to proving blocks that belong to a batch (stabilization participation). */
  readonly batch: Uint8Array;
  /**
   * Prover agents wanted on top of the archetype's own (each `agentCores` cores): more arrive after
   * the archetype's lead time and cost capital while held; fewer are released at once. Capped by the
   * capital not bonded as stake.
   */
  readonly agents: Float64Array;
  /** 1: decline assignments whose base reward would not cover the prover's own compute and L1 cost now. */
  readonly skip: Uint8Array;
  /**
   * 1: prove through the archetype's liquid proving pool, one identity that meets the requirements
   * with its members' summed compute and stake, for a share of the members' rewards.
   */
  readonly pool: Uint8Array;
  /** Adversarial: 1 = decline every assignment that is not a race (work only where losing still pays). */
  readonly raceOnly: Uint8Array;
  /**
   * Adversarial: 1 = keep accepting assignments this epoch but never submit their proofs (no work is
   * done; each such job misses at its deadline, a failure of the prover). Honest policies leave it 0.
   */
  readonly withhold: Uint8Array;
}

export function createActions(n: number): ProverActions {
  return {
    active: new Uint8Array(n),
    capacity: new Float64Array(n),
    stake: new Float64Array(n),
    race: new Uint8Array(n),
    batch: new Uint8Array(n),
    agents: new Float64Array(n),
    skip: new Uint8Array(n),
    raceOnly: new Uint8Array(n),
    pool: new Uint8Array(n),
    withhold: new Uint8Array(n),
  };
}

export function createObservation(n: number): Observation {
  return { n, prover: new Float64Array(n * PROVER_FEATURES.length), network: new Float64Array(NETWORK_FEATURES.length) };
}

/** The values a field takes within its bounds: 0 or 1, whole numbers, or any real number. */
export type FieldKind = "binary" | "integer" | "real";

/** One named dimension of a space: what it takes, its closed bounds (±Infinity: unbounded; values are finite) and its unit. */
export interface Field<Name extends string = string> {
  readonly name: Name;
  readonly kind: FieldKind;
  readonly low: number;
  readonly high: number;
  readonly unit: string;
}

type Bounds = Omit<Field, "name">;

const FLAG: Bounds = { kind: "binary", low: 0, high: 1, unit: "flag" };
const SHARE: Bounds = { kind: "real", low: 0, high: 1, unit: "share" };
const atLeastZero = (unit: string, kind: FieldKind = "real"): Bounds => ({ kind, low: 0, high: Infinity, unit });
const anyReal = (unit: string): Bounds => ({ kind: "real", low: -Infinity, high: Infinity, unit });

/** A mechanism parameter observed as it is set: the bounds every calibration keeps it within. */
function parameter(name: string): Bounds {
  const spec = paramSpec(name)!;
  return { kind: spec.integer ? "integer" : "real", low: spec.lower, high: spec.upper, unit: spec.unit };
}

const PROVER_BOUNDS: Record<ProverFeature, Bounds> = {
  registered: FLAG,
  eligible: FLAG,
  computeCores: atLeastZero("cores"),
  capacity: SHARE,
  stakeUsd: atLeastZero("USD"),
  capitalUsd: atLeastZero("USD"),
  reputation: SHARE,
  onTimeRate: SHARE,
  epochProfitUsd: anyReal("USD"),
  epochRewardsUsd: atLeastZero("USD"),
  queueLength: atLeastZero("jobs", "integer"),
  costUsdPerCoreSecond: atLeastZero("USD/core-s"),
  fixedCostUsdPerEpoch: atLeastZero("USD/epoch"),
  extraAgents: atLeastZero("agents", "integer"),
  pendingAgents: atLeastZero("agents", "integer"),
  agentCores: atLeastZero("cores"),
  agentCostUsdPerEpoch: atLeastZero("USD/epoch"),
  freeCapitalUsd: atLeastZero("USD"),
  pooled: FLAG,
};

// The bonus features read 0 under variants without bonuses; every bonus parameter's lower bound is 0.
const NETWORK_BOUNDS: Record<NetworkFeature, Bounds> = {
  epoch: atLeastZero("epochs", "integer"),
  demandIndex: atLeastZero("x reference demand"),
  backlogBlocks: atLeastZero("blocks"),
  minComputeCores: atLeastZero("cores"),
  minStakeUsd: atLeastZero("USD"),
  emergency: FLAG,
  gasGwei: atLeastZero("gwei"),
  activeProvers: atLeastZero("provers", "integer"),
  profitUsdPerCoreEpoch: anyReal("USD/core-epoch"),
  treasuryUsd: anyReal("USD"),
  computePriceUsdPerCoreSecond: parameter("rewards.computePriceUsdPerCoreSecond"),
  profitMargin: parameter("rewards.profitMargin"),
  performanceBonusWeight: parameter("rewards.performanceBonusWeight"),
  stabilizationPoolShare: parameter("rewards.stabilizationPoolShare"),
  raceCompensationShare: parameter("rewards.raceCompensationShare"),
  stakeWeighted: parameter("base.stakeWeighted"),
  verifyCostUsd: atLeastZero("USD"),
  l1CostEstimateUsd: atLeastZero("USD"),
};

export type ActionField = keyof ProverActions;

const ACTION_BOUNDS: Record<ActionField, Bounds> = {
  active: FLAG,
  capacity: SHARE,
  stake: atLeastZero("USD"),
  race: FLAG,
  batch: FLAG,
  agents: atLeastZero("agents", "integer"),
  skip: FLAG,
  pool: FLAG,
  raceOnly: FLAG,
  withhold: FLAG,
};

/**
 * What every prover observes, in the order of the observation's arrays: its own row (`prover`, one
 * per prover, the same fields for all) and the public signals (`network`). Bounds hold for every
 * experiment and every calibration within PARAM_SPACE's bounds; `checkEnvironment` verifies them
 * on an episode.
 */
export const OBSERVATION_SPACE: { readonly prover: readonly Field<ProverFeature>[]; readonly network: readonly Field<NetworkFeature>[] } = {
  prover: PROVER_FEATURES.map((name) => ({ name, ...PROVER_BOUNDS[name] })),
  network: NETWORK_FEATURES.map((name) => ({ name, ...NETWORK_BOUNDS[name] })),
};

/**
 * Each prover's decision, one field of `ProverActions` per entry. Binary fields are Uint8Arrays, the
 * others Float64Arrays; `step` refuses values outside these bounds (`checkActions`).
 */
export const ACTION_SPACE: readonly Field<ActionField>[] = (Object.keys(ACTION_BOUNDS) as ActionField[]).map((name) => ({
  name,
  ...ACTION_BOUNDS[name],
}));

/** Whether `v` lies in the field: finite, within its bounds and of its kind. */
export function inField(v: number, f: Field): boolean {
  return Number.isFinite(v) && v >= f.low && v <= f.high && (f.kind === "real" || Number.isInteger(v));
}

/** What a field takes, for messages: "0 or 1", "a whole number >= 0", "a number in [0, 1]". */
export function fieldText(f: Field): string {
  if (f.kind === "binary") return "0 or 1";
  const what = f.kind === "integer" ? "a whole number" : "a number";
  if (f.low === -Infinity && f.high === Infinity) return `${what}, finite`;
  if (f.high === Infinity) return `${what} >= ${f.low}`;
  if (f.low === -Infinity) return `${what} <= ${f.high}`;
  return `${what} in [${f.low}, ${f.high}]`;
}

/**
 * Refuses actions the environment cannot take, before any of them is applied: a field missing, of
 * the wrong array type or length, or with a value outside its field in ACTION_SPACE.
 */
export function checkActions(actions: ProverActions, n: number): void {
  for (const f of ACTION_SPACE) {
    const values: unknown = actions[f.name];
    const type = f.kind === "binary" ? Uint8Array : Float64Array;
    if (!(values instanceof type) || values.length !== n) {
      throw new ConfigError(
        `actions.${f.name}`,
        `needs a ${type.name} of ${n} values, one per prover; allocate the actions with createActions(n)`,
      );
    }
    // One scan per array kind, so each loop reads one element type (every prover's row, every epoch).
    const bad = values instanceof Uint8Array ? firstAboveOne(values) : firstOutside(values as Float64Array, f);
    if (bad >= 0) throw new ConfigError(`actions.${f.name}[${bad}]`, `got ${values[bad]}; write ${fieldText(f)} (${f.unit})`);
  }
}

/** The first flag that is neither 0 nor 1 (a Uint8Array holds whole numbers >= 0), or -1. */
function firstAboveOne(values: Uint8Array): number {
  for (let i = 0; i < values.length; i++) if (values[i]! > 1) return i;
  return -1;
}

/** The first value outside the field, or -1. */
function firstOutside(values: Float64Array, f: Field): number {
  for (let i = 0; i < values.length; i++) if (!inField(values[i]!, f)) return i;
  return -1;
}
