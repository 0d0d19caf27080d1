import type { RunSummary } from "../env/summary.js";

type Row = [label: string, value: string];

function num(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return "-";
  return x.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

function pct(x: number, digits = 2): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(digits)} %` : "-";
}

/** The KPI table `simulate` prints: grouped, aligned, with units. */
export function kpiTable(s: RunSummary): string {
  const groups: [string, Row[]][] = [
    [
      "Liveness",
      [
        ["blocks proven in window", `${pct(s.liveness, 3)}  (${num(s.blocksProven, 0)} proven, ${num(s.blocksReorged, 0)} reorged)`],
        ["reorgs / reorged tx", `${num(s.reorgs, 0)} / ${num(s.reorgedTx, 0)}`],
        ["expired tx / blocks too large for any prover", `${num(s.expiredTx, 0)} / ${num(s.oversizedBlocks, 0)}`],
        ["tx delay, arrival to L1: mean / p95 / p99", `${num(s.txDelayMeanS, 0)} / ${num(s.txDelayP95S, 0)} / ${num(s.txDelayP99S, 0)} s`],
        [
          "block proof latency mean / p50 / p95 / p99",
          `${num(s.latencyMeanS, 0)} / ${num(s.latencyP50S, 0)} / ${num(s.latencyP95S, 0)} / ${num(s.latencyP99S, 0)} s`,
        ],
      ],
    ],
    [
      "Cost",
      [
        ["rewards per tx", `${num(s.rewardsPerTxUsd, 4)} USD`],
        ["cost per served tx (wasted work and expired tx included)", `${num(s.costPerServedTxUsd, 4)} USD`],
        ["L1 gas per tx", `${num(s.l1GasPerTx, 0)} gas`],
        ["L1 cost per tx (verification + proposal and blobs)", `${num(s.l1CostPerTxUsd, 4)} USD`],
        ["duplicated racing work", pct(s.duplicateWorkShare)],
        ["bonus share of rewards", pct(s.bonusShare)],
      ],
    ],
    [
      "Decentralization",
      [
        ["active provers mean / min", `${num(s.activeProversMean, 1)} / ${num(s.activeProversMin, 0)}`],
        ["Nakamoto / HHI of proofs", `${num(s.nakamotoProofs, 0)} / ${num(s.hhiProofs, 3)}`],
        ["Nakamoto / HHI of stake (mean)", `${num(s.nakamotoStakeMean, 1)} / ${num(s.hhiStakeMean, 3)}`],
        ["entry barrier (min compute / median prover)", num(s.entryBarrierMean, 2)],
        ["reward Gini", num(s.rewardGini, 3)],
      ],
    ],
    [
      "Prover economics",
      [
        ["prover profit (total)", `${num(s.proverProfitUsd, 0)} USD`],
        ["profit margin", pct(s.profitMargin)],
        ["share of provers profitable", pct(s.shareProfitable, 1)],
        ["joins / exits", `${num(s.joins, 0)} / ${num(s.exits, 0)}`],
      ],
    ],
    [
      "Stability",
      [
        ["emergency activations / false alarms", `${num(s.emergencyActivations, 0)} / ${num(s.falseAlarms, 0)}`],
        ["time in emergency", pct(s.emergencyShare)],
        ["min compute range", `${num(s.minComputeMin, 0)} .. ${num(s.minComputeMax, 0)} cores`],
        ["requirement volatility (sd of log step)", num(s.requirementVolatility, 4)],
        ["batches / largest batch", `${num(s.batches, 0)} / ${num(s.batchSizeMax, 0)} blocks`],
        ["peak mempool backlog", `${num(s.peakBacklogTx, 0)} tx`],
      ],
    ],
    [
      "Tokens",
      [
        ["fees + issuance + slashed", `${num(s.feesUsd, 0)} + ${num(s.issuanceUsd, 0)} + ${num(s.slashedUsd, 0)} USD`],
        ["rewards paid / treasury change", `${num(s.rewardsUsd, 0)} / ${num(s.treasuryChangeUsd, 0)} USD`],
      ],
    ],
  ];
  const width = Math.max(...groups.flatMap(([, rows]) => rows.map(([l]) => l.length)));
  const out: string[] = [];
  for (const [title, rows] of groups) {
    out.push(title);
    for (const [label, value] of rows) out.push(`  ${label.padEnd(width)}  ${value}`);
  }
  return out.join("\n");
}
