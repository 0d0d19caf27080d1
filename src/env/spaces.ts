/** The agent-facing contract: what provers observe and how they act, as typed arrays. */

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
