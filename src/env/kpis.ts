import { DelayHistogram } from "./delayHistogram.js";
import { SampleBuffer } from "./pool.js";
import { percentileSorted } from "./stats.js";

/** The per-epoch time series columns, in CSV order. */
export const EPOCH_COLUMNS = [
  "epoch",
  "hour",
  "demandTps",
  "txArrived",
  "txIncluded",
  "txProven",
  "backlogTx",
  "peakBacklogTx",
  "waitingBlocks",
  "expiredTx",
  "blocks",
  "blocksDue",
  "blocksProvenOnTime",
  "liveness",
  "reorgs",
  "reorgedTx",
  "oversizedBlocks",
  "splitBlocks",
  "txDelayMeanS",
  "txDelayP95S",
  "txDelayP99S",
  "latencyMeanS",
  "latencyP50S",
  "latencyP95S",
  "latencyP99S",
  "rewardsUsd",
  "rewardsPerTxUsd",
  "costPerServedTxUsd",
  "l1Gas",
  "l1GasPerTx",
  "l1VerifyCostUsd",
  "l1DataCostUsd",
  "l1CostPerTxUsd",
  "usefulCoreS",
  "racingDuplicateCoreS",
  "wastedCoreS",
  "wastedComputeUsd",
  "unservedValueUsd",
  "duplicateWorkShare",
  "activeProvers",
  "eligibleProvers",
  "nakamotoProofs",
  "hhiProofs",
  "rewardComputeGap",
  "nakamotoStake",
  "hhiStake",
  "entryBarrier",
  "minComputeCores",
  "minStakeUsd",
  "demandIndex",
  "emergencyShare",
  "emergencyActivations",
  "falseAlarms",
  "preemptiveLeads",
  "preemptiveLeadS",
  "batches",
  "batchSizeMean",
  "batchSizeMax",
  "batchResponses",
  "batchResponseS",
  "gasGwei",
  "blobGwei",
  "proverProfitUsd",
  "proverCostUsd",
  "profitMargin",
  "shareProfitable",
  "smallProvers",
  "smallProversEligible",
  "smallProfitUsd",
  "smallCostUsd",
  "joins",
  "exits",
  "baseRewardsUsd",
  "performanceBonusUsd",
  "stabilizationBonusUsd",
  "raceCompensationUsd",
  "boosterPoolUsd",
  "registrationFeesUsd",
  "addedAgents",
  "feesUsd",
  "issuanceUsd",
  "slashedUsd",
  "treasuryUsd",
  "jobsProven",
  "meanWaitS",
  "meanSojournS",
] as const;

/** One row of the per-epoch time series (every column numeric). */
export type EpochRow = Record<(typeof EPOCH_COLUMNS)[number], number>;

/** Counters the slot loop adds to during one epoch; zeroed at each epoch start. */
export class EpochCounters {
  txArrived = 0;
  txIncluded = 0;
  txProven = 0;
  peakBacklogTx = 0;
  blocks = 0;
  reorgedBlocks = 0;
  blocksProvenOnTime = 0;
  reorgs = 0;
  reorgedTx = 0;
  expiredTx = 0;
  /** Blocks no eligible prover could prove within their window, even idle, nor in 16 parts. */
  oversizedBlocks = 0;
  /** Blocks split into parts proven by several provers (distributed proving). */
  splitBlocks = 0;
  rewardsUsd = 0;
  baseRewardsUsd = 0;
  performanceBonusUsd = 0;
  stabilizationBonusUsd = 0;
  raceCompensationUsd = 0;
  boosterPoolUsd = 0;
  registrationFeesUsd = 0;
  l1Gas = 0;
  l1VerifyCostUsd = 0;
  /** Block proposal gas and blobs, paid by the sequencer. */
  l1DataCostUsd = 0;
  usefulCoreS = 0;
  duplicateCoreS = 0;
  /** Core-seconds thrown away: work on blocks later pruned, and on tasks lost to an outage. */
  wastedCoreS = 0;
  emergencySlots = 0;
  emergencyActivations = 0;
  falseAlarms = 0;
  /** Pre-emptive activations that turned out real this epoch, and the seconds each led by. */
  preemptiveLeads = 0;
  preemptiveLeadSum = 0;
  batches = 0;
  batchBlocks = 0;
  batchSizeMax = 0;
  /** Congestion onsets answered this epoch by a batch of several blocks, and the seconds each took. */
  batchResponses = 0;
  batchResponseSum = 0;
  joins = 0;
  exits = 0;
  feesUsd = 0;
  issuanceUsd = 0;
  slashedUsd = 0;
  waitSum = 0;
  sojournSum = 0;
  waitCount = 0;
  proofSecondsSum = 0;
  proofCount = 0;
  /** Per-block latencies of this epoch's proofs (seconds). */
  readonly latencies = new SampleBuffer();
  /** Delays of the transactions verified this epoch, from arrival to verification on L1. */
  readonly delays = new DelayHistogram();

  /** Zeroes every counter and empties the latency buffer and delay histogram (kept for reuse). */
  reset(): void {
    for (const key of Object.keys(this) as (keyof this)[]) {
      if (typeof this[key] === "number") (this[key] as number) = 0;
    }
    this.latencies.clear();
    this.delays.clear();
  }
}

/** What an epoch's row needs beyond its counters. */
export interface EpochContext {
  epoch: number;
  epochSeconds: number;
  slotsPerEpoch: number;
  backlogTx: number;
  /** Blocks waiting for a prover at the epoch's end. */
  waitingBlocks: number;
  /** Mean compute price of the provers (USD per core-second), to price wasted work. */
  meanCoreSecondUsd: number;
  /** The fee of a transaction (USD): the least its sender lost when it expired unserved. */
  feeUsdPerTx: number;
  activeProvers: number;
  eligibleProvers: number;
  /** Prover agents added on top of the archetypes' own, proving at the epoch's end. */
  addedAgents: number;
  profitable: number;
  profitSum: number;
  costSum: number;
  /** Small provers (own compute below the population's median): how many, how many are eligible (as set at the epoch's start), and the registered ones' profit and costs. */
  smallProvers: number;
  smallEligible: number;
  smallProfitSum: number;
  smallCostSum: number;
  nakamotoProofs: number;
  hhiProofs: number;
  /** Rewards by archetype against registered compute by archetype: their total variation distance (0: rewards in proportion to compute; NaN without rewards). */
  rewardComputeGap: number;
  nakamotoStake: number;
  hhiStake: number;
  /** Requirements in force, or null for a variant without requirements. */
  minComputeCores: number | null;
  minStakeUsd: number | null;
  medianCompute: number;
  demandIndex: number;
  gasGwei: number;
  blobGwei: number;
  treasuryUsd: number;
}

/**
 * What serving a transaction cost, all in: the rewards paid, the compute wasted on work thrown away,
 * and the demand not served (each expired transaction at its fee), over the transactions served. A
 * network that collapses serves fewer and wastes or loses more, so this cannot fall as service fails.
 */
export function costPerServedTx(rewardsUsd: number, wastedUsd: number, unservedUsd: number, txServed: number): number {
  return txServed > 0 ? (rewardsUsd + wastedUsd + unservedUsd) / txServed : NaN;
}

/** The epoch's time-series row. Sorts the epoch's latencies in place. */
export function epochRow(C: EpochCounters, x: EpochContext): EpochRow {
  const lat = C.latencies.sorted();
  let latSum = 0;
  for (let k = 0; k < lat.length; k++) latSum += lat[k]!;
  const due = C.blocksProvenOnTime + C.reorgedBlocks;
  const work = C.usefulCoreS + C.duplicateCoreS;
  return {
    epoch: x.epoch,
    hour: ((x.epoch + 1) * x.epochSeconds) / 3600,
    demandTps: C.txArrived / x.epochSeconds,
    txArrived: C.txArrived,
    txIncluded: C.txIncluded,
    txProven: C.txProven,
    backlogTx: x.backlogTx,
    peakBacklogTx: C.peakBacklogTx,
    waitingBlocks: x.waitingBlocks,
    expiredTx: C.expiredTx,
    blocks: C.blocks,
    blocksDue: due,
    blocksProvenOnTime: C.blocksProvenOnTime,
    liveness: due > 0 ? C.blocksProvenOnTime / due : 1,
    reorgs: C.reorgs,
    reorgedTx: C.reorgedTx,
    oversizedBlocks: C.oversizedBlocks,
    splitBlocks: C.splitBlocks,
    txDelayMeanS: C.delays.mean,
    txDelayP95S: C.delays.quantile(0.95),
    txDelayP99S: C.delays.quantile(0.99),
    latencyMeanS: lat.length > 0 ? latSum / lat.length : NaN,
    latencyP50S: percentileSorted(lat, lat.length, 0.5),
    latencyP95S: percentileSorted(lat, lat.length, 0.95),
    latencyP99S: percentileSorted(lat, lat.length, 0.99),
    rewardsUsd: C.rewardsUsd,
    rewardsPerTxUsd: C.txProven > 0 ? C.rewardsUsd / C.txProven : NaN,
    costPerServedTxUsd: costPerServedTx(C.rewardsUsd, C.wastedCoreS * x.meanCoreSecondUsd, C.expiredTx * x.feeUsdPerTx, C.txProven),
    l1Gas: C.l1Gas,
    l1GasPerTx: C.txIncluded > 0 ? C.l1Gas / C.txIncluded : NaN,
    l1VerifyCostUsd: C.l1VerifyCostUsd,
    l1DataCostUsd: C.l1DataCostUsd,
    l1CostPerTxUsd: C.txIncluded > 0 ? (C.l1VerifyCostUsd + C.l1DataCostUsd) / C.txIncluded : NaN,
    usefulCoreS: C.usefulCoreS,
    racingDuplicateCoreS: C.duplicateCoreS,
    wastedCoreS: C.wastedCoreS,
    wastedComputeUsd: C.wastedCoreS * x.meanCoreSecondUsd,
    unservedValueUsd: C.expiredTx * x.feeUsdPerTx,
    duplicateWorkShare: work > 0 ? C.duplicateCoreS / work : 0,
    activeProvers: x.activeProvers,
    eligibleProvers: x.eligibleProvers,
    nakamotoProofs: x.nakamotoProofs,
    hhiProofs: x.hhiProofs,
    rewardComputeGap: x.rewardComputeGap,
    nakamotoStake: x.nakamotoStake,
    hhiStake: x.hhiStake,
    entryBarrier: x.minComputeCores === null ? 0 : x.minComputeCores / x.medianCompute,
    minComputeCores: x.minComputeCores ?? 0,
    minStakeUsd: x.minStakeUsd ?? 0,
    demandIndex: x.demandIndex,
    emergencyShare: C.emergencySlots / x.slotsPerEpoch,
    emergencyActivations: C.emergencyActivations,
    falseAlarms: C.falseAlarms,
    preemptiveLeads: C.preemptiveLeads,
    preemptiveLeadS: C.preemptiveLeads > 0 ? C.preemptiveLeadSum / C.preemptiveLeads : NaN,
    batches: C.batches,
    batchSizeMean: C.batches > 0 ? C.batchBlocks / C.batches : 1,
    batchSizeMax: Math.max(1, C.batchSizeMax),
    batchResponses: C.batchResponses,
    batchResponseS: C.batchResponses > 0 ? C.batchResponseSum / C.batchResponses : NaN,
    gasGwei: x.gasGwei,
    blobGwei: x.blobGwei,
    proverProfitUsd: x.profitSum,
    proverCostUsd: x.costSum,
    profitMargin: x.costSum > 0 ? x.profitSum / x.costSum : 0,
    shareProfitable: x.activeProvers > 0 ? x.profitable / x.activeProvers : 0,
    smallProvers: x.smallProvers,
    smallProversEligible: x.smallEligible,
    smallProfitUsd: x.smallProfitSum,
    smallCostUsd: x.smallCostSum,
    joins: C.joins,
    exits: C.exits,
    baseRewardsUsd: C.baseRewardsUsd,
    performanceBonusUsd: C.performanceBonusUsd,
    stabilizationBonusUsd: C.stabilizationBonusUsd,
    raceCompensationUsd: C.raceCompensationUsd,
    boosterPoolUsd: C.boosterPoolUsd,
    registrationFeesUsd: C.registrationFeesUsd,
    addedAgents: x.addedAgents,
    feesUsd: C.feesUsd,
    issuanceUsd: C.issuanceUsd,
    slashedUsd: C.slashedUsd,
    treasuryUsd: x.treasuryUsd,
    jobsProven: C.waitCount,
    meanWaitS: C.waitCount > 0 ? C.waitSum / C.waitCount : NaN,
    meanSojournS: C.waitCount > 0 ? C.sojournSum / C.waitCount : NaN,
  };
}
