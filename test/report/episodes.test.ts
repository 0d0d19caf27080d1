import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { windowKpis } from "../../src/env/windowKpis.js";
import { gini } from "../../src/env/stats.js";
import { lorenzPoints, showcaseEpisode } from "../../src/report/episodes.js";
import { allScenarios, loadBundle } from "../../src/tuning/bundle.js";
import { evaluateCalibration } from "../../src/tuning/evaluate.js";
import { EXPERIMENTS_DIR } from "../support/experiments.js";

describe("lorenzPoints", () => {
  it("runs from (0, 0) to (1, 1), least rewarded first", () => {
    expect(lorenzPoints([3, 1, 0, 4])).toEqual([
      { proverShare: 0, rewardShare: 0 },
      { proverShare: 0.25, rewardShare: 0 },
      { proverShare: 0.5, rewardShare: 0.125 },
      { proverShare: 0.75, rewardShare: 0.5 },
      { proverShare: 1, rewardShare: 1 },
    ]);
  });

  it("is the diagonal for equal rewards and flat when nobody was paid", () => {
    expect(lorenzPoints([2, 2]).map((p) => p.rewardShare)).toEqual([0, 0.5, 1]);
    expect(lorenzPoints([0, 0]).map((p) => p.rewardShare)).toEqual([0, 0, 0]);
  });
});

describe("showcaseEpisode", () => {
  const bundle = loadBundle(join(EXPERIMENTS_DIR, "aztec-1tps.yaml"), [
    "horizonEpochs=12",
    "tune.seeds.heldOut=2",
    "objective.warmupEpochs=2",
  ]);
  const scenario = allScenarios(bundle)[0]!;

  it("is the first held-out episode that evaluateCalibration scores, so charts and tables agree", () => {
    const show = showcaseEpisode(bundle, scenario, "defaults", bundle.params);
    const evaluation = evaluateCalibration(bundle, bundle.params, "heldOut", 2);
    expect(windowKpis(show.rows.slice(2))).toEqual(evaluation.episodeKpis[0]);
  });

  it("keeps the rewards of every prover that took part, whose Gini is the run summary's", () => {
    const show = showcaseEpisode(bundle, scenario, "defaults", bundle.params);
    expect(show.rewards.length).toBeGreaterThan(0);
    expect(show.rewards.reduce((s, x) => s + x, 0)).toBeGreaterThan(0);
    expect(gini(show.rewards)).toBe(show.gini);
  });
});
