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
