import type { EpochRow } from "./kpis.js";
import type { ProverNetworkEnv } from "./network.js";
import { gini, hhi, nakamoto, percentileSorted } from "./stats.js";

/** The KPIs of one episode. */
export interface RunSummary {
  epochs: number;
  hours: number;
  txArrived: number;
  txProven: number;
  blocksProven: number;
  blocksReorged: number;
  liveness: number;
  reorgs: number;
  reorgedTx: number;
  latencyMeanS: number;
  latencyP50S: number;
  latencyP95S: number;
  latencyP99S: number;
  rewardsPerTxUsd: number;
  l1GasPerTx: number;
  l1CostPerTxUsd: number;
  duplicateWorkShare: number;
  activeProversMean: number;
  activeProversMin: number;
  nakamotoProofs: number;
  hhiProofs: number;
  nakamotoStakeMean: number;
  hhiStakeMean: number;
  entryBarrierMean: number;
  proverProfitUsd: number;
  profitMargin: number;
  shareProfitable: number;
  joins: number;
  exits: number;
  emergencyActivations: number;
  falseAlarms: number;
  emergencyShare: number;
  requirementVolatility: number;
  minComputeMin: number;
  minComputeMax: number;
  peakBacklogTx: number;
  batches: number;
  batchSizeMax: number;
  bonusShare: number;
  rewardGini: number;
  rewardsUsd: number;
  feesUsd: number;
  issuanceUsd: number;
  slashedUsd: number;
  treasuryChangeUsd: number;
  ledgerImbalanceUsd: number;
  meanWaitS: number;
  meanSojournS: number;
}

function sum(rows: readonly EpochRow[], key: keyof EpochRow): number {
  let s = 0;
  for (const r of rows) s += r[key];
  return s;
}

function mean(rows: readonly EpochRow[], key: keyof EpochRow): number {
  return rows.length > 0 ? sum(rows, key) / rows.length : NaN;
}

export function summarize(env: ProverNetworkEnv): RunSummary {
  const rows = env.rows;
  const T = env.totals;
  const P = env.provers;
  const L = env.ledger;
  const lat = T.latencies.values.slice(0, T.latencies.n).sort();
  let latSum = 0;
  for (let k = 0; k < lat.length; k++) latSum += lat[k]!;
  const logSteps: number[] = [];
  for (let k = 1; k < rows.length; k++) {
    const a = rows[k - 1]!.minComputeCores;
    const b = rows[k]!.minComputeCores;
    if (a > 0 && b > 0) logSteps.push(Math.log(b / a));
  }
  const volatility = logSteps.length > 0 ? Math.sqrt(logSteps.reduce((s, x) => s + x * x, 0) / logSteps.length) : 0;
  const rewardsOfParticipants: number[] = [];
  let profitable = 0;
  let participants = 0;
  for (let i = 0; i < P.n; i++) {
    if (!P.everRegistered[i]) continue;
    participants++;
    rewardsOfParticipants.push(P.rewards[i]!);
    if (P.rewards[i]! - P.costs[i]! - P.slashed[i]! > 0) profitable++;
  }
  const profit = sum(rows, "proverProfitUsd");
  const cost = sum(rows, "proverCostUsd");
  const rewards = sum(rows, "rewardsUsd");
  const bonuses = sum(rows, "performanceBonusUsd") + sum(rows, "stabilizationBonusUsd") + sum(rows, "raceCompensationUsd");
  const jobs = sum(rows, "jobsProven");
  const jobWeighted = (key: "meanWaitS" | "meanSojournS") =>
    jobs > 0 ? rows.reduce((s, r) => s + (r.jobsProven > 0 ? r[key] * r.jobsProven : 0), 0) / jobs : NaN;
  const txIncluded = sum(rows, "txIncluded");
  const duplicate = sum(rows, "racingDuplicateCoreS");
  const work = duplicate + sum(rows, "usefulCoreS");
  const scratch = new Float64Array(P.n);
  return {
    epochs: rows.length,
    hours: rows.length > 0 ? rows[rows.length - 1]!.hour : 0,
    txArrived: T.txArrived,
    txProven: T.txProven,
    blocksProven: T.blocksProven,
    blocksReorged: T.blocksReorged,
    liveness: T.blocksProven + T.blocksReorged > 0 ? T.blocksProven / (T.blocksProven + T.blocksReorged) : 1,
    reorgs: sum(rows, "reorgs"),
    reorgedTx: T.txReorged,
    latencyMeanS: lat.length > 0 ? latSum / lat.length : NaN,
    latencyP50S: percentileSorted(lat, lat.length, 0.5),
    latencyP95S: percentileSorted(lat, lat.length, 0.95),
    latencyP99S: percentileSorted(lat, lat.length, 0.99),
    rewardsPerTxUsd: T.txProven > 0 ? rewards / T.txProven : NaN,
    l1GasPerTx: txIncluded > 0 ? sum(rows, "l1Gas") / txIncluded : NaN,
    l1CostPerTxUsd: txIncluded > 0 ? (sum(rows, "l1VerifyCostUsd") + sum(rows, "l1DataCostUsd")) / txIncluded : NaN,
    duplicateWorkShare: work > 0 ? duplicate / work : 0,
    activeProversMean: mean(rows, "activeProvers"),
    activeProversMin: rows.reduce((m, r) => Math.min(m, r.activeProvers), Infinity),
    nakamotoProofs: nakamoto(P.wins, scratch),
    hhiProofs: hhi(P.wins),
    nakamotoStakeMean: mean(rows, "nakamotoStake"),
    hhiStakeMean: mean(rows, "hhiStake"),
    entryBarrierMean: mean(rows, "entryBarrier"),
    proverProfitUsd: profit,
    profitMargin: cost > 0 ? profit / cost : 0,
    shareProfitable: participants > 0 ? profitable / participants : 0,
    joins: sum(rows, "joins"),
    exits: sum(rows, "exits"),
    emergencyActivations: sum(rows, "emergencyActivations"),
    falseAlarms: sum(rows, "falseAlarms"),
    emergencyShare: mean(rows, "emergencyShare"),
    requirementVolatility: volatility,
    minComputeMin: rows.reduce((m, r) => Math.min(m, r.minComputeCores), Infinity),
    minComputeMax: rows.reduce((m, r) => Math.max(m, r.minComputeCores), 0),
    peakBacklogTx: rows.reduce((m, r) => Math.max(m, r.peakBacklogTx), 0),
    batches: sum(rows, "batches"),
    batchSizeMax: rows.reduce((m, r) => Math.max(m, r.batchSizeMax), 1),
    bonusShare: rewards > 0 ? bonuses / rewards : 0,
    rewardGini: gini(rewardsOfParticipants),
    rewardsUsd: L.rewards,
    feesUsd: L.fees,
    issuanceUsd: L.issuance,
    slashedUsd: L.slashed,
    treasuryChangeUsd: L.treasury - L.initial,
    ledgerImbalanceUsd: L.imbalance(),
    meanWaitS: jobWeighted("meanWaitS"),
    meanSojournS: jobWeighted("meanSojournS"),
  };
}
