import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { PARAM_SPACE } from "../../src/config/paramSpace.js";
import { loadBundle } from "../../src/tuning/bundle.js";
import { evaluateCalibration } from "../../src/tuning/evaluate.js";
import { EXPERIMENTS_DIR, experimentFiles } from "../support/experiments.js";

describe("experiments/", () => {
  it.each(experimentFiles().map((f) => [basename(f), f]))("%s validates, with its scenario files and tuned parameters", (_, file) => {
    expect(() => loadBundle(file)).not.toThrow();
  });
});

describe("full.yaml", () => {
  const bundle = loadBundle(join(EXPERIMENTS_DIR, "full.yaml"));

  it("tunes every parameter of every group", () => {
    expect(bundle.space.dim).toBe(PARAM_SPACE.length);
    expect(new Set(bundle.space.specs.map((s) => s.group))).toEqual(new Set(PARAM_SPACE.map((s) => s.group)));
  });

  it("runs its own learning provers in every scenario and holds out other scenarios", () => {
    const train = bundle.train.map((s) => s.name);
    expect(bundle.heldOut.filter((s) => train.includes(s.name))).toEqual([]);
    for (const s of [...bundle.train, ...bundle.heldOut]) {
      expect(s.experiment.provers).toBe(bundle.experiment.provers);
      expect(new Set(s.experiment.provers.archetypes.map((a) => a.policy.kind))).toEqual(new Set(["q-learning"]));
    }
    // Without scenarios.provers: experiment, each scenario keeps its own population.
    const own = loadBundle(join(EXPERIMENTS_DIR, "full.yaml"), ["scenarios.provers=scenario"]);
    expect(own.train.find((s) => s.name === "campaign-surge")!.experiment.provers).not.toBe(bundle.experiment.provers);
  });

  it("scores the defaults on the training split: one finite score from every training scenario", () => {
    const e = evaluateCalibration(bundle, bundle.params, "train", 1);
    expect(Number.isFinite(e.score)).toBe(true);
    expect(Object.keys(e.scenarios)).toEqual(bundle.train.map((s) => s.name));
    for (const kpis of Object.values(e.scenarios)) expect(kpis.liveness).toBeGreaterThan(0);
  });
});
