import { costPerServedTx, type EpochRow } from "./kpis.js";

/** KPIs computed from a window of epoch rows: the whole run, or the epochs after a warm-up. */
export const WINDOW_KPIS = [
  "liveness",
  "reorgs",
  "reorgedTx",
  "expiredTx",
  "oversizedBlocks",
  "txDelayMeanS",
  "latencyMeanS",
  "rewardsPerTxUsd",
  "costPerServedTxUsd",
  "l1GasPerTx",
  "l1CostPerTxUsd",
  "duplicateWorkShare",
  "activeProversMean",
  "activeProversMin",
  "nakamotoProofsMean",
  "hhiProofsMean",
  "rewardComputeGapMean",
  "nakamotoStakeMean",
  "hhiStakeMean",
  "entryBarrierMean",
  "proverProfitUsd",
  "profitMargin",
  "smallProverParticipation",
  "smallProverMargin",
  "joins",
  "exits",
  "emergencyActivations",
  "falseAlarms",
  "preemptiveLeadMeanS",
  "emergencyShare",
  "requirementVolatility",
  "minComputeMin",
  "minComputeMax",
  "peakBacklogTx",
  "batches",
  "batchSizeMax",
  "batchResponseMeanS",
  "bonusShare",
  "meanWaitS",
  "meanSojournS",
] as const;

export type WindowKpi = (typeof WINDOW_KPIS)[number];
export type WindowKpis = Record<WindowKpi, number>;

/** The unit of each window KPI, for tables and chart axes. */
export const WINDOW_KPI_UNITS: Record<WindowKpi, string> = {
  liveness: "share of blocks",
  reorgs: "count",
  reorgedTx: "tx",
  expiredTx: "tx",
  oversizedBlocks: "blocks",
  txDelayMeanS: "s",
  latencyMeanS: "s",
  rewardsPerTxUsd: "USD/tx",
  costPerServedTxUsd: "USD/tx",
  l1GasPerTx: "gas/tx",
  l1CostPerTxUsd: "USD/tx",
  duplicateWorkShare: "share of work",
  activeProversMean: "provers",
  activeProversMin: "provers",
  nakamotoProofsMean: "provers",
  hhiProofsMean: "0-1",
  rewardComputeGapMean: "0-1",
  nakamotoStakeMean: "provers",
  hhiStakeMean: "0-1",
  entryBarrierMean: "x median prover",
  proverProfitUsd: "USD",
  profitMargin: "share of cost",
  smallProverParticipation: "share of small provers",
  smallProverMargin: "share of cost",
  joins: "count",
  exits: "count",
  emergencyActivations: "count",
  falseAlarms: "count",
  preemptiveLeadMeanS: "s",
  emergencyShare: "share of epochs",
  requirementVolatility: "sd of log step",
  minComputeMin: "cores",
  minComputeMax: "cores",
  peakBacklogTx: "tx",
  batches: "count",
  batchSizeMax: "blocks",
  batchResponseMeanS: "s",
  bonusShare: "share of rewards",
  meanWaitS: "s",
  meanSojournS: "s",
};

/** Columns summed over the window's epochs. */
const SUMMED = [
  "blocksDue",
  "blocksProvenOnTime",
  "txProven",
  "txIncluded",
  "proverProfitUsd",
  "proverCostUsd",
  "smallProvers",
  "smallProversEligible",
  "smallProfitUsd",
  "smallCostUsd",
  "rewardsUsd",
  "performanceBonusUsd",
  "stabilizationBonusUsd",
  "raceCompensationUsd",
  "racingDuplicateCoreS",
  "usefulCoreS",
  "reorgs",
  "reorgedTx",
  "expiredTx",
  "oversizedBlocks",
  "wastedComputeUsd",
  "unservedValueUsd",
  "l1Gas",
  "l1VerifyCostUsd",
  "l1DataCostUsd",
  "activeProvers",
  "nakamotoProofs",
  "hhiProofs",
  "nakamotoStake",
  "hhiStake",
  "entryBarrier",
  "joins",
  "exits",
  "emergencyActivations",
  "falseAlarms",
  "emergencyShare",
  "batches",
  "jobsProven",
] as const satisfies readonly (keyof EpochRow)[];

/** Per-epoch means averaged with a weight: each [column, weight] pair's sum of products over the epochs of positive weight where the column is defined, over their weights. */
const WEIGHTED = [
  ["txDelayMeanS", "txProven"],
  ["latencyMeanS", "blocksProvenOnTime"],
  ["meanWaitS", "jobsProven"],
  ["meanSojournS", "jobsProven"],
  ["rewardComputeGap", "rewardsUsd"],
  ["batchResponseS", "batchResponses"],
  ["preemptiveLeadS", "preemptiveLeads"],
] as const satisfies readonly (readonly [keyof EpochRow, keyof EpochRow])[];

/**
 * Window KPIs accumulated one epoch row at a time, so a run need not keep its rows: the same sums,
 * extremes and log steps, added in the same order, as over the rows at once (so the same bits).
 */
export class WindowAccumulator {
  /** Rows added. */
  epochs = 0;
  /** `hour` of the last row added (0 before any). */
  hours = 0;
  private readonly sums = Object.fromEntries(SUMMED.map((key) => [key, 0])) as Record<(typeof SUMMED)[number], number>;
  private readonly products = new Float64Array(WEIGHTED.length);
  private readonly weights = new Float64Array(WEIGHTED.length);
  private activeProversMin = Infinity;
  private minComputeMin = Infinity;
  private minComputeMax = 0;
  private peakBacklogTx = 0;
  private batchSizeMax = 1;
  /** The previous row's compute floor (0 before the first row, or without requirements). */
  private lastMinCompute = 0;
  private logSteps = 0;
  private logStepSquares = 0;

  add(row: EpochRow): void {
    for (const key of SUMMED) this.sums[key] += row[key];
    for (let k = 0; k < WEIGHTED.length; k++) {
      const [key, weight] = WEIGHTED[k]!;
      // A ratio undefined in an epoch with weight (rewards without registered compute) leaves it out.
      if (row[weight] > 0 && Number.isFinite(row[key])) {
        this.products[k]! += row[key] * row[weight];
        this.weights[k]! += row[weight];
      }
    }
    this.activeProversMin = Math.min(this.activeProversMin, row.activeProvers);
    this.minComputeMin = Math.min(this.minComputeMin, row.minComputeCores);
    this.minComputeMax = Math.max(this.minComputeMax, row.minComputeCores);
    this.peakBacklogTx = Math.max(this.peakBacklogTx, row.peakBacklogTx);
    this.batchSizeMax = Math.max(this.batchSizeMax, row.batchSizeMax);
    if (this.lastMinCompute > 0 && row.minComputeCores > 0) {
      const step = Math.log(row.minComputeCores / this.lastMinCompute);
      this.logStepSquares += step * step;
      this.logSteps++;
    }
    this.lastMinCompute = row.minComputeCores;
    this.hours = row.hour;
    this.epochs++;
  }

  /** Sums, and ratios of sums, over the rows added. */
  kpis(): WindowKpis {
    const s = this.sums;
    const n = this.epochs;
    const mean = (total: number) => (n > 0 ? total / n : NaN);
    const weighted = (k: number) => (this.weights[k]! > 0 ? this.products[k]! / this.weights[k]! : NaN);
    const bonuses = s.performanceBonusUsd + s.stabilizationBonusUsd + s.raceCompensationUsd;
    const work = s.racingDuplicateCoreS + s.usefulCoreS;
    return {
      liveness: s.blocksDue > 0 ? s.blocksProvenOnTime / s.blocksDue : 1,
      reorgs: s.reorgs,
      reorgedTx: s.reorgedTx,
      expiredTx: s.expiredTx,
      oversizedBlocks: s.oversizedBlocks,
      txDelayMeanS: weighted(0),
      latencyMeanS: weighted(1),
      rewardsPerTxUsd: s.txProven > 0 ? s.rewardsUsd / s.txProven : NaN,
      costPerServedTxUsd: costPerServedTx(s.rewardsUsd, s.wastedComputeUsd, s.unservedValueUsd, s.txProven),
      l1GasPerTx: s.txIncluded > 0 ? s.l1Gas / s.txIncluded : NaN,
      l1CostPerTxUsd: s.txIncluded > 0 ? (s.l1VerifyCostUsd + s.l1DataCostUsd) / s.txIncluded : NaN,
      duplicateWorkShare: work > 0 ? s.racingDuplicateCoreS / work : 0,
      activeProversMean: mean(s.activeProvers),
      activeProversMin: this.activeProversMin,
      nakamotoProofsMean: mean(s.nakamotoProofs),
      hhiProofsMean: mean(s.hhiProofs),
      rewardComputeGapMean: weighted(4),
      nakamotoStakeMean: mean(s.nakamotoStake),
      hhiStakeMean: mean(s.hhiStake),
      entryBarrierMean: mean(s.entryBarrier),
      proverProfitUsd: s.proverProfitUsd,
      profitMargin: s.proverCostUsd > 0 ? s.proverProfitUsd / s.proverCostUsd : 0,
      smallProverParticipation: s.smallProvers > 0 ? s.smallProversEligible / s.smallProvers : NaN,
      smallProverMargin: s.smallCostUsd > 0 ? s.smallProfitUsd / s.smallCostUsd : NaN,
      joins: s.joins,
      exits: s.exits,
      emergencyActivations: s.emergencyActivations,
      falseAlarms: s.falseAlarms,
      preemptiveLeadMeanS: weighted(6),
      emergencyShare: mean(s.emergencyShare),
      requirementVolatility: this.logSteps > 0 ? Math.sqrt(this.logStepSquares / this.logSteps) : 0,
      minComputeMin: this.minComputeMin,
      minComputeMax: this.minComputeMax,
      peakBacklogTx: this.peakBacklogTx,
      batches: s.batches,
      batchSizeMax: this.batchSizeMax,
      batchResponseMeanS: weighted(5),
      bonusShare: s.rewardsUsd > 0 ? bonuses / s.rewardsUsd : 0,
      meanWaitS: weighted(2),
      meanSojournS: weighted(3),
    };
  }
}

/** Window KPIs: sums, and ratios of sums, over the given epochs. */
export function windowKpis(rows: readonly EpochRow[]): WindowKpis {
  const acc = new WindowAccumulator();
  for (const row of rows) acc.add(row);
  return acc.kpis();
}
