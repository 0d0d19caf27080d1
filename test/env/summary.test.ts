import { describe, expect, it } from "vitest";
import { load, run } from "../support/experiments.js";

describe("run summary", () => {
  const { rows, summary, env } = run(load("correlated-outage"));
  const sum = (key: keyof (typeof rows)[number]) => rows.reduce((s, r) => s + r[key], 0);

  it("ratio KPIs are ratios of the per-epoch sums (epochs without racing or transactions included)", () => {
    expect(rows.some((r) => r.racingDuplicateCoreS === 0 && r.usefulCoreS > 0)).toBe(true);
    expect(summary.duplicateWorkShare).toBeCloseTo(sum("racingDuplicateCoreS") / (sum("racingDuplicateCoreS") + sum("usefulCoreS")), 12);
    expect(summary.l1GasPerTx).toBeCloseTo(sum("l1Gas") / sum("txIncluded"), 9);
    expect(summary.rewardsPerTxUsd).toBeCloseTo(sum("rewardsUsd") / summary.txProven, 12);
  });

  it("mean wait and sojourn are per proven job", () => {
    const jobs = sum("jobsProven");
    const waited = rows.reduce((s, r) => s + (r.jobsProven > 0 ? r.meanWaitS * r.jobsProven : 0), 0);
    expect(summary.meanWaitS).toBeCloseTo(waited / jobs, 9);
    expect(summary.meanSojournS).toBeGreaterThan(summary.meanWaitS);
  });

  it("latency percentiles are ordered and cover every proven block", () => {
    expect(env.totals.latencies.n).toBe(summary.blocksProven);
    expect(summary.latencyP50S).toBeLessThanOrEqual(summary.latencyP95S);
    expect(summary.latencyP95S).toBeLessThanOrEqual(summary.latencyP99S);
  });
});

describe("L1 costs", () => {
  it("a blob-fee spike raises the L1 data cost per tx by orders of magnitude, then it decays", () => {
    const { rows, summary } = run(load("l1-gas-spike"));
    const mean = (from: number, to: number) => {
      const r = rows.filter((x) => x.hour > from && x.hour <= to);
      return r.reduce((s, x) => s + x.l1DataCostUsd, 0) / r.reduce((s, x) => s + x.txIncluded, 0);
    };
    // blob fee 1 wei -> 585 gwei at hour 36 (DOMAIN 5.5); gas x300 at hour 12
    expect(mean(36, 38)).toBeGreaterThan(100 * mean(0, 10));
    expect(mean(66, 72)).toBeLessThan(mean(36, 38) / 10);
    const sum = (k: "l1VerifyCostUsd" | "l1DataCostUsd" | "txIncluded") => rows.reduce((s, x) => s + x[k], 0);
    expect(summary.l1CostPerTxUsd).toBeCloseTo((sum("l1VerifyCostUsd") + sum("l1DataCostUsd")) / sum("txIncluded"), 9);
  });
});

describe("cost KPIs that cannot flatter a collapse", () => {
  it("the inscription burst pays less per proven tx (fuller blocks) but costs more per served tx than a steady day", () => {
    const steady = run(load("aztec-1tps")).summary;
    const burst = run(load("inscription-burst")).summary;
    expect(burst.expiredTx).toBeGreaterThan(0);
    expect(burst.rewardsPerTxUsd).toBeLessThan(steady.rewardsPerTxUsd);
    expect(burst.costPerServedTxUsd).toBeGreaterThan(steady.costPerServedTxUsd);
    // With nothing expired or wasted, the two agree.
    expect(steady.expiredTx).toBe(0);
    expect(steady.costPerServedTxUsd).toBeCloseTo(steady.rewardsPerTxUsd, 9);
  });
});
