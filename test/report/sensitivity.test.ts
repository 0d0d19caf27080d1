import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { sensitivity, type Sensitivity } from "../../src/report/sensitivity.js";
import { loadBundle } from "../../src/tuning/bundle.js";
import { BundleVariants } from "../../src/tuning/bundleVariants.js";
import { evaluateCalibration } from "../../src/tuning/evaluate.js";
import { InlineExecutor } from "../../src/tuning/executor.js";
import { EXPERIMENTS_DIR } from "../support/experiments.js";

describe("sensitivity", () => {
  const path = join(EXPERIMENTS_DIR, "aztec-1tps.yaml");
  const sets = ["horizonEpochs=10", "tune.seeds.train=1", "tune.params=[emergency.raceWidth, rewards.profitMargin, scaling.smoothing]"];
  const bundle = loadBundle(path, sets);
  const inline = new InlineExecutor(new BundleVariants(path, sets, bundle));
  // raceWidth (integer, 2..5) at its upper bound; profitMargin mid-range; smoothing at its lower bound.
  const point = [1, 0.5, 0];
  let s: Sensitivity;
  beforeAll(async () => {
    s = await sensitivity(bundle, point, inline);
  });

  it("steps each parameter down and up by 10 % of its range, integers at least to a neighbour, none past a bound", () => {
    const steps = s.steps.map((x) => [x.parameter, x.direction, x.value]);
    expect(steps).toEqual([
      ["emergency.raceWidth", -1, 4],
      ["rewards.profitMargin", -1, expect.closeTo(0.4, 12)],
      ["rewards.profitMargin", 1, expect.closeTo(0.6, 12)],
      ["scaling.smoothing", 1, expect.closeTo(0.02 * Math.pow(50, 0.1), 12)],
    ]);
  });

  it("reports each step's training utility minus the recommendation's, on the search's seeds", () => {
    const utility = (params: Record<string, number>) => {
      const e = evaluateCalibration(bundle, params, "train", 1);
      return e.episodeUtilities[0]!;
    };
    const base = bundle.space.decode(point, bundle.params);
    expect(s.utility).toBe(utility(base));
    const up = s.steps.find((x) => x.parameter === "rewards.profitMargin" && x.direction === 1)!;
    expect(up.change).toBe(utility({ ...base, "rewards.profitMargin": up.value }) - s.utility);
  });

  it("is deterministic", async () => {
    expect(await sensitivity(bundle, point, inline)).toEqual(s);
  });
});
