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
