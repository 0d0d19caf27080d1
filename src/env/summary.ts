import { costPerServedTx, type EpochRow } from "./kpis.js";
import type { ProverNetworkEnv } from "./network.js";
import { gini, hhi, nakamoto, percentileSorted } from "./stats.js";

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
  "nakamotoStakeMean",
  "hhiStakeMean",
  "entryBarrierMean",
  "proverProfitUsd",
  "profitMargin",
  "joins",
  "exits",
  "emergencyActivations",
  "falseAlarms",
  "emergencyShare",
  "requirementVolatility",
  "minComputeMin",
  "minComputeMax",
  "peakBacklogTx",
  "batches",
  "batchSizeMax",
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
  nakamotoStakeMean: "provers",
  hhiStakeMean: "0-1",
  entryBarrierMean: "x median prover",
  proverProfitUsd: "USD",
  profitMargin: "share of cost",
  joins: "count",
  exits: "count",
  emergencyActivations: "count",
  falseAlarms: "count",
  emergencyShare: "share of epochs",
  requirementVolatility: "sd of log step",
  minComputeMin: "cores",
  minComputeMax: "cores",
  peakBacklogTx: "tx",
  batches: "count",
  batchSizeMax: "blocks",
  bonusShare: "share of rewards",
  meanWaitS: "s",
  meanSojournS: "s",
};

/** The KPIs of one episode: the window KPIs over every epoch, plus what only the whole run knows. */
export interface RunSummary extends WindowKpis {
  epochs: number;
  hours: number;
  txArrived: number;
  txProven: number;
  blocksProven: number;
  blocksReorged: number;
  latencyP50S: number;
  latencyP95S: number;
  latencyP99S: number;
  txExpired: number;
  txDelayP50S: number;
  txDelayP95S: number;
  txDelayP99S: number;
  nakamotoProofs: number;
  hhiProofs: number;
  shareProfitable: number;
  rewardGini: number;
  rewardsUsd: number;
  feesUsd: number;
  issuanceUsd: number;
  slashedUsd: number;
  treasuryChangeUsd: number;
  ledgerImbalanceUsd: number;
}

function sum(rows: readonly EpochRow[], key: keyof EpochRow): number {
  let s = 0;
  for (const r of rows) s += r[key];
  return s;
}

function mean(rows: readonly EpochRow[], key: keyof EpochRow): number {
  return rows.length > 0 ? sum(rows, key) / rows.length : NaN;
}

/** Window KPIs: sums, and ratios of sums, over the given epochs. */
export function windowKpis(rows: readonly EpochRow[]): WindowKpis {
  const logSteps: number[] = [];
  for (let k = 1; k < rows.length; k++) {
    const a = rows[k - 1]!.minComputeCores;
    const b = rows[k]!.minComputeCores;
    if (a > 0 && b > 0) logSteps.push(Math.log(b / a));
  }
  const due = sum(rows, "blocksDue");
  const proven = sum(rows, "blocksProvenOnTime");
  const txProven = sum(rows, "txProven");
  const txIncluded = sum(rows, "txIncluded");
  const profit = sum(rows, "proverProfitUsd");
  const cost = sum(rows, "proverCostUsd");
  const rewards = sum(rows, "rewardsUsd");
  const bonuses = sum(rows, "performanceBonusUsd") + sum(rows, "stabilizationBonusUsd") + sum(rows, "raceCompensationUsd");
  const duplicate = sum(rows, "racingDuplicateCoreS");
  const work = duplicate + sum(rows, "usefulCoreS");
  const weighted = (key: keyof EpochRow, weight: keyof EpochRow) => {
    const total = sum(rows, weight);
    return total > 0 ? rows.reduce((s, r) => s + (r[weight] > 0 ? r[key] * r[weight] : 0), 0) / total : NaN;
  };
  return {
    liveness: due > 0 ? proven / due : 1,
    reorgs: sum(rows, "reorgs"),
    reorgedTx: sum(rows, "reorgedTx"),
    expiredTx: sum(rows, "expiredTx"),
    oversizedBlocks: sum(rows, "oversizedBlocks"),
    txDelayMeanS: weighted("txDelayMeanS", "txProven"),
    latencyMeanS: weighted("latencyMeanS", "blocksProvenOnTime"),
    rewardsPerTxUsd: txProven > 0 ? rewards / txProven : NaN,
    costPerServedTxUsd: costPerServedTx(rewards, sum(rows, "wastedComputeUsd"), sum(rows, "unservedValueUsd"), txProven),
    l1GasPerTx: txIncluded > 0 ? sum(rows, "l1Gas") / txIncluded : NaN,
    l1CostPerTxUsd: txIncluded > 0 ? (sum(rows, "l1VerifyCostUsd") + sum(rows, "l1DataCostUsd")) / txIncluded : NaN,
    duplicateWorkShare: work > 0 ? duplicate / work : 0,
    activeProversMean: mean(rows, "activeProvers"),
    activeProversMin: rows.reduce((m, r) => Math.min(m, r.activeProvers), Infinity),
    nakamotoProofsMean: mean(rows, "nakamotoProofs"),
    hhiProofsMean: mean(rows, "hhiProofs"),
    nakamotoStakeMean: mean(rows, "nakamotoStake"),
    hhiStakeMean: mean(rows, "hhiStake"),
    entryBarrierMean: mean(rows, "entryBarrier"),
    proverProfitUsd: profit,
    profitMargin: cost > 0 ? profit / cost : 0,
    joins: sum(rows, "joins"),
    exits: sum(rows, "exits"),
    emergencyActivations: sum(rows, "emergencyActivations"),
    falseAlarms: sum(rows, "falseAlarms"),
    emergencyShare: mean(rows, "emergencyShare"),
    requirementVolatility: logSteps.length > 0 ? Math.sqrt(logSteps.reduce((s, x) => s + x * x, 0) / logSteps.length) : 0,
    minComputeMin: rows.reduce((m, r) => Math.min(m, r.minComputeCores), Infinity),
    minComputeMax: rows.reduce((m, r) => Math.max(m, r.minComputeCores), 0),
    peakBacklogTx: rows.reduce((m, r) => Math.max(m, r.peakBacklogTx), 0),
    batches: sum(rows, "batches"),
    batchSizeMax: rows.reduce((m, r) => Math.max(m, r.batchSizeMax), 1),
    bonusShare: rewards > 0 ? bonuses / rewards : 0,
    meanWaitS: weighted("meanWaitS", "jobsProven"),
    meanSojournS: weighted("meanSojournS", "jobsProven"),
  };
}

/** The rewards (USD) of every prover that ever registered: the population rewardGini is over. */
export function participantRewards(P: ProverNetworkEnv["provers"]): number[] {
  const out: number[] = [];
  for (let i = 0; i < P.n; i++) if (P.everRegistered[i]) out.push(P.rewards[i]!);
  return out;
}

export function summarize(env: ProverNetworkEnv): RunSummary {
  const rows = env.rows;
  const T = env.totals;
  const P = env.provers;
  const L = env.ledger;
  const lat = T.latencies.values.slice(0, T.latencies.n).sort();
  let profitable = 0;
  let participants = 0;
  for (let i = 0; i < P.n; i++) {
    if (!P.everRegistered[i]) continue;
    participants++;
    if (P.rewards[i]! - P.costs[i]! - P.slashed[i]! > 0) profitable++;
  }
  return {
    ...windowKpis(rows),
    epochs: rows.length,
    hours: rows.length > 0 ? rows[rows.length - 1]!.hour : 0,
    txArrived: T.txArrived,
    txProven: T.txProven,
    blocksProven: T.blocksProven,
    blocksReorged: T.blocksReorged,
    latencyP50S: percentileSorted(lat, lat.length, 0.5),
    latencyP95S: percentileSorted(lat, lat.length, 0.95),
    latencyP99S: percentileSorted(lat, lat.length, 0.99),
    txExpired: T.txExpired,
    txDelayP50S: T.delays.quantile(0.5),
    txDelayP95S: T.delays.quantile(0.95),
    txDelayP99S: T.delays.quantile(0.99),
    nakamotoProofs: nakamoto(P.wins, new Float64Array(P.n)),
    hhiProofs: hhi(P.wins),
    shareProfitable: participants > 0 ? profitable / participants : 0,
    rewardGini: gini(participantRewards(P)),
    rewardsUsd: L.rewards,
    feesUsd: L.fees,
    issuanceUsd: L.issuance,
    slashedUsd: L.slashed,
    treasuryChangeUsd: L.treasury - L.initial,
    ledgerImbalanceUsd: L.imbalance(),
  };
}
