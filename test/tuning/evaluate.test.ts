import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encodeJson } from "../../src/distributed/payload.js";
import { loadBundle, withHeldOut } from "../../src/tuning/bundle.js";
import { combineScenarios, evaluateCalibration } from "../../src/tuning/evaluate.js";
import { EXPERIMENTS_DIR } from "../support/experiments.js";

describe("combineScenarios", () => {
  const bundle = loadBundle(join(EXPERIMENTS_DIR, "quickstart.yaml"), [
    "horizonEpochs=8",
    "objective.warmupEpochs=2",
    "tune.aggregate=worst",
  ]);
  const names = bundle.heldOut.map((s) => s.name);

  it("evaluations of one scenario each, combined, are the evaluation of them all, to the bit", () => {
    expect(names.length).toBeGreaterThan(2);
    const whole = evaluateCalibration(bundle, bundle.params, "heldOut", 2);
    const parts = names.map((n) => evaluateCalibration(withHeldOut(bundle, [n]), bundle.params, "heldOut", 2));
    expect(encodeJson(combineScenarios(bundle, parts))).toBe(encodeJson(whole));
    // In another order, another evaluation: the order of the parts is the order of the split.
    const reversed = combineScenarios(bundle, [...parts].reverse());
    expect(reversed.episodeUtilities).toEqual([
      ...whole.episodeUtilities.slice(4),
      ...whole.episodeUtilities.slice(2, 4),
      ...whole.episodeUtilities.slice(0, 2),
    ]);
  });

  it("takes one scenario per part", () => {
    const two = evaluateCalibration(withHeldOut(bundle, names.slice(0, 2)), bundle.params, "heldOut", 1);
    expect(() => combineScenarios(bundle, [two])).toThrow(/one scenario each, not of 2/);
  });
});
