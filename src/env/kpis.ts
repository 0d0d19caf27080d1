import { SampleBuffer } from "./pool.js";

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
  "blocks",
  "blocksDue",
  "blocksProvenOnTime",
  "liveness",
  "reorgs",
  "reorgedTx",
  "latencyMeanS",
  "latencyP50S",
  "latencyP95S",
  "latencyP99S",
  "rewardsUsd",
  "rewardsPerTxUsd",
  "l1Gas",
  "l1GasPerTx",
  "l1VerifyCostUsd",
  "l1DataCostUsd",
  "l1CostPerTxUsd",
  "usefulCoreS",
  "racingDuplicateCoreS",
  "duplicateWorkShare",
  "activeProvers",
  "eligibleProvers",
  "nakamotoProofs",
  "hhiProofs",
  "nakamotoStake",
  "hhiStake",
  "entryBarrier",
  "minComputeCores",
  "minStakeUsd",
  "demandIndex",
  "emergencyShare",
  "emergencyActivations",
  "falseAlarms",
  "batches",
  "batchSizeMean",
  "batchSizeMax",
  "gasGwei",
  "blobGwei",
  "proverProfitUsd",
  "proverCostUsd",
  "profitMargin",
  "shareProfitable",
  "joins",
  "exits",
  "baseRewardsUsd",
  "performanceBonusUsd",
  "stabilizationBonusUsd",
  "raceCompensationUsd",
  "boosterPoolUsd",
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
  rewardsUsd = 0;
  baseRewardsUsd = 0;
  performanceBonusUsd = 0;
  stabilizationBonusUsd = 0;
  raceCompensationUsd = 0;
  boosterPoolUsd = 0;
  l1Gas = 0;
  l1VerifyCostUsd = 0;
  /** Block proposal gas and blobs, paid by the sequencer. */
  l1DataCostUsd = 0;
  usefulCoreS = 0;
  duplicateCoreS = 0;
  emergencySlots = 0;
  emergencyActivations = 0;
  falseAlarms = 0;
  batches = 0;
  batchBlocks = 0;
  batchSizeMax = 0;
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

  /** Zeroes every counter and empties the latency buffer (kept for reuse). */
  reset(): void {
    for (const key of Object.keys(this) as (keyof this)[]) {
      if (typeof this[key] === "number") (this[key] as number) = 0;
    }
    this.latencies.clear();
  }

  addLatency(seconds: number, weight: number): void {
    for (let k = 0; k < weight; k++) this.latencies.push(seconds);
  }
}
