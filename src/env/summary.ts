import type { ProverNetworkEnv } from "./network.js";
import { gini, hhi, nakamoto, percentileSorted } from "./stats.js";
import type { WindowKpis } from "./windowKpis.js";

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

/** The rewards (USD) of every prover that ever registered: the population rewardGini is over. */
export function participantRewards(P: ProverNetworkEnv["provers"]): number[] {
  const out: number[] = [];
  for (let i = 0; i < P.n; i++) if (P.everRegistered[i]) out.push(P.rewards[i]!);
  return out;
}

/**
 * The episode's KPIs. Latency quantiles are exact over every served block when the run kept them
 * (`recordRows`), else read from its latency histogram (log bins 6.5 % wide, as for transaction delays).
 */
export function summarize(env: ProverNetworkEnv): RunSummary {
  const T = env.totals;
  const P = env.provers;
  const L = env.ledger;
  const lat = T.latencies.values.slice(0, T.latencies.n).sort();
  const latency = (q: number) => (env.recordsRows ? percentileSorted(lat, lat.length, q) : T.latencyHistogram.quantile(q));
  let profitable = 0;
  let participants = 0;
  for (let i = 0; i < P.n; i++) {
    if (!P.everRegistered[i]) continue;
    participants++;
    if (P.rewards[i]! - P.costs[i]! - P.slashed[i]! > 0) profitable++;
  }
  return {
    ...env.kpis.kpis(),
    epochs: env.kpis.epochs,
    hours: env.kpis.hours,
    txArrived: T.txArrived,
    txProven: T.txProven,
    blocksProven: T.blocksProven,
    blocksReorged: T.blocksReorged,
    latencyP50S: latency(0.5),
    latencyP95S: latency(0.95),
    latencyP99S: latency(0.99),
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
