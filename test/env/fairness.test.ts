import { describe, expect, it } from "vitest";
import { validateExperiment } from "../../src/config/load.js";
import { windowKpis } from "../../src/env/windowKpis.js";
import { load, run } from "../support/experiments.js";

describe("rewardComputeGap: rewards by archetype against compute by archetype", () => {
  it("is 0 in every epoch that paid rewards when every prover is of one archetype", () => {
    const exp = validateExperiment({
      name: "one-archetype",
      horizonEpochs: 30,
      provers: { archetypes: [{ name: "solo", count: 6, computeCores: 2048, costUsdPerCoreSecond: 3e-5, capitalUsd: 500_000 }] },
    });
    const { rows } = run(exp);
    const paid = rows.filter((r) => r.rewardsUsd > 0);
    expect(paid.length).toBeGreaterThan(20);
    for (const r of paid) expect(r.rewardComputeGap).toBe(0);
    expect(windowKpis(rows).rewardComputeGapMean).toBe(0);
  });

  it("lies in [0, 1] with five archetypes, and its window mean weighs each epoch by the rewards it paid", () => {
    const { rows } = run(load("quickstart"));
    const paid = rows.filter((r) => r.rewardsUsd > 0 && Number.isFinite(r.rewardComputeGap));
    for (const r of paid) {
      expect(r.rewardComputeGap).toBeGreaterThanOrEqual(0);
      expect(r.rewardComputeGap).toBeLessThanOrEqual(1);
    }
    expect(paid.some((r) => r.rewardComputeGap > 0)).toBe(true);
    const weighted = paid.reduce((s, r) => s + r.rewardComputeGap * r.rewardsUsd, 0) / paid.reduce((s, r) => s + r.rewardsUsd, 0);
    expect(windowKpis(rows).rewardComputeGapMean).toBeCloseTo(weighted, 12);
  });
});

describe("small provers: participation and margin of the provers whose own compute is below the population's median", () => {
  it("counts the quickstart's twelve home provers, and their share eligible falls to 0 when the compute floor passes their 512 cores", () => {
    const low = run(load("quickstart", ["mechanism.base.minComputeCores=64"]), 1, "always-on");
    const high = run(load("quickstart", ["mechanism.base.minComputeCores=4096"]), 1, "always-on");
    for (const r of [...low.rows, ...high.rows]) {
      expect(r.smallProvers).toBe(12);
      expect(r.smallProversEligible).toBeLessThanOrEqual(Math.min(12, r.eligibleProvers));
    }
    expect(windowKpis(low.rows).smallProverParticipation).toBeGreaterThan(0.9);
    expect(windowKpis(high.rows).smallProverParticipation).toBe(0);
  });

  it("reads the small provers' margin as their summed profit over their summed costs, apart from the whole population's", () => {
    const { rows } = run(load("quickstart"), 1, "always-on");
    const sum = (k: "smallProfitUsd" | "smallCostUsd" | "proverProfitUsd" | "proverCostUsd") => rows.reduce((s, r) => s + r[k], 0);
    const w = windowKpis(rows);
    expect(sum("smallCostUsd")).toBeGreaterThan(0);
    expect(sum("smallCostUsd")).toBeLessThan(sum("proverCostUsd"));
    expect(w.smallProverMargin).toBeCloseTo(sum("smallProfitUsd") / sum("smallCostUsd"), 12);
    expect(w.smallProverMargin).not.toBeCloseTo(w.profitMargin, 3);
  });

  it("is undefined (NaN) when no prover is below the median: a population of one archetype", () => {
    const exp = validateExperiment({
      name: "one-archetype",
      horizonEpochs: 10,
      provers: { archetypes: [{ name: "solo", count: 6, computeCores: 2048, costUsdPerCoreSecond: 3e-5, capitalUsd: 500_000 }] },
    });
    const w = windowKpis(run(exp).rows);
    expect(w.smallProverParticipation).toBeNaN();
    expect(w.smallProverMargin).toBeNaN();
  });
});
