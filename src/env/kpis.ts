/** One row of the per-epoch time series. Column order is the CSV's. */
export interface EpochRow {
  epoch: number;
  hour: number;
  demandTps: number;
  txArrived: number;
  txIncluded: number;
  txProven: number;
  backlogTx: number;
  peakBacklogTx: number;
  blocks: number;
  blocksDue: number;
  blocksProvenOnTime: number;
  liveness: number;
  reorgs: number;
  reorgedTx: number;
  latencyMeanS: number;
  latencyP50S: number;
  latencyP95S: number;
  latencyP99S: number;
  rewardsUsd: number;
  rewardsPerTxUsd: number;
  l1GasPerTx: number;
  l1VerifyCostUsd: number;
  racingDuplicateCoreS: number;
  duplicateWorkShare: number;
  activeProvers: number;
  eligibleProvers: number;
  nakamotoProofs: number;
  hhiProofs: number;
  nakamotoStake: number;
  hhiStake: number;
  entryBarrier: number;
  minComputeCores: number;
  minStakeUsd: number;
  demandIndex: number;
  emergencyShare: number;
  emergencyActivations: number;
  falseAlarms: number;
  batches: number;
  batchSizeMean: number;
  batchSizeMax: number;
  gasGwei: number;
  blobGwei: number;
  proverProfitUsd: number;
  proverCostUsd: number;
  profitMargin: number;
  shareProfitable: number;
  joins: number;
  exits: number;
  baseRewardsUsd: number;
  performanceBonusUsd: number;
  stabilizationBonusUsd: number;
  raceCompensationUsd: number;
  boosterPoolUsd: number;
  feesUsd: number;
  issuanceUsd: number;
  slashedUsd: number;
  treasuryUsd: number;
  meanWaitS: number;
  meanSojournS: number;
}

export const EPOCH_COLUMNS: readonly (keyof EpochRow)[] = [
  "epoch", "hour", "demandTps", "txArrived", "txIncluded", "txProven", "backlogTx", "peakBacklogTx", "blocks",
  "blocksDue", "blocksProvenOnTime", "liveness", "reorgs", "reorgedTx", "latencyMeanS", "latencyP50S", "latencyP95S",
  "latencyP99S", "rewardsUsd", "rewardsPerTxUsd", "l1GasPerTx", "l1VerifyCostUsd", "racingDuplicateCoreS",
  "duplicateWorkShare", "activeProvers", "eligibleProvers", "nakamotoProofs", "hhiProofs", "nakamotoStake", "hhiStake",
  "entryBarrier", "minComputeCores", "minStakeUsd", "demandIndex", "emergencyShare", "emergencyActivations",
  "falseAlarms", "batches", "batchSizeMean", "batchSizeMax", "gasGwei", "blobGwei", "proverProfitUsd", "proverCostUsd",
  "profitMargin", "shareProfitable", "joins", "exits", "baseRewardsUsd", "performanceBonusUsd", "stabilizationBonusUsd",
  "raceCompensationUsd", "boosterPoolUsd", "feesUsd", "issuanceUsd", "slashedUsd", "treasuryUsd", "meanWaitS",
  "meanSojournS",
];

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
  latencies = new Float64Array(256);
  nLatencies = 0;

  reset(): void {
    const keep = this.latencies;
    Object.assign(this, new EpochCounters());
    this.latencies = keep;
    this.nLatencies = 0;
  }

  addLatency(seconds: number, weight: number): void {
    for (let k = 0; k < weight; k++) {
      if (this.nLatencies === this.latencies.length) {
        const next = new Float64Array(this.latencies.length * 2);
        next.set(this.latencies);
        this.latencies = next;
      }
      this.latencies[this.nLatencies++] = seconds;
    }
  }
}
