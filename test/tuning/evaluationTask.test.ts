import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { AdaptiveController } from "../../agents/governance/adaptiveController.js";
import { validateExperiment } from "../../src/config/load.js";
import { encodeJson } from "../../src/distributed/payload.js";
import { initTensorflow } from "../../src/ml/tensorflow.js";
import { showcaseEpisode } from "../../src/report/episodes.js";
import { Stream } from "../../src/rng/streams.js";
import { bundleFromData, loadBundle } from "../../src/tuning/bundle.js";
import { BundleVariants } from "../../src/tuning/bundleVariants.js";
import { evaluateCalibration } from "../../src/tuning/evaluate.js";
import { runEvaluationTask } from "../../src/tuning/evaluationTask.js";
import { EXPERIMENTS_DIR } from "../support/experiments.js";

/** Half a day at 1 TPS with Q-learning provers; a controller of two reward parameters decides every 2 epochs after a 4-epoch warm-up. */
const experiment = validateExperiment({
  name: "task-test",
  horizonEpochs: 16,
  demand: { baseTps: 1 },
  provers: {
    archetypes: [{ name: "p", count: 6, computeCores: 4096, costUsdPerCoreSecond: 3e-5, capitalUsd: 1e6, policy: { kind: "q-learning" } }],
  },
  objective: { warmupEpochs: 4, weights: { liveness: 100, rewardsPerTxUsd: -10 } },
  tune: { params: ["rewards.computePriceUsdPerCoreSecond", "rewards.profitMargin"], seeds: { validation: 3 } },
  controller: { everyEpochs: 2, rateLimit: 0.5, levelStep: 0.2, levels: 2 },
});
const bundle = bundleFromData(
  { experiment, train: [{ name: "task-test", experiment }], heldOut: [{ name: "task-test", experiment }] },
  "test",
);

/** A controller whose greedy choice is the lowest setting of every parameter: it moves at each decision. */
function movingController(): AdaptiveController {
  const c = AdaptiveController.create(experiment, bundle.params);
  c.initialize(Stream.root(1));
  const { weights, state } = c.snapshot();
  const bias = Float32Array.from(weights[weights.length - 3]!);
  bias.forEach((_, k) => (bias[k] = k % (2 * state.levels + 1) === 0 ? 10 : 0));
  c.restore({ weights: weights.map((w, k) => (k === weights.length - 3 ? bias : w)), state });
  c.freeze();
  return c;
}

beforeAll(() => initTensorflow("wasm"));

describe("runEvaluationTask", () => {
  it("a frozen copy of a controller scores what the controller itself scores, and not what the start does", async () => {
    const live = movingController();
    const frozen = live.frozenCopy();
    const direct = evaluateCalibration(bundle, bundle.params, "validation", 3, live);
    live.dispose();
    // Through JSON, as a Redis job carries it.
    const carried = JSON.parse(JSON.stringify(frozen)) as typeof frozen;
    const result = await runEvaluationTask(bundle, { params: bundle.params, split: "validation", seeds: 3, controller: carried });
    expect(encodeJson(result)).toBe(encodeJson(direct));
    const fixed = evaluateCalibration(bundle, bundle.params, "validation", 3);
    expect(result.episodeUtilities).not.toEqual(fixed.episodeUtilities);
  });

  it("refuses a controller frozen on another TensorFlow.js backend, in one line naming the variable", async () => {
    const live = movingController();
    const frozen = { ...live.frozenCopy(), backend: "cpu" };
    live.dispose();
    await expect(runEvaluationTask(bundle, { params: bundle.params, split: "validation", seeds: 1, controller: frozen })).rejects.toThrow(
      /^PROVERLAB_TF_BACKEND: the controller ran on TensorFlow\.js's cpu backend and this process loaded wasm; set PROVERLAB_TF_BACKEND=cpu here too$/,
    );
  });

  it("a fresh controller has no weights to copy before it is initialized", () => {
    const c = AdaptiveController.create(experiment, bundle.params);
    expect(() => c.frozenCopy()).toThrow(/no weights before initialize/);
    c.dispose();
  });

  it("keeps each scenario's first episode: the showcase a chart would run again", async () => {
    const b = loadBundle(join(EXPERIMENTS_DIR, "aztec-1tps.yaml"), ["horizonEpochs=8", "objective.warmupEpochs=2"]);
    const result = await runEvaluationTask(b, { params: b.params, split: "heldOut", seeds: 2, keepFirst: true });
    expect(result.firstEpisodes).toHaveLength(b.heldOut.length);
    const show = showcaseEpisode(b, b.heldOut[0]!, "x", b.params);
    expect(result.firstEpisodes![0]).toEqual({ rows: show.rows, rewards: show.rewards, gini: show.gini });
    const plain = await runEvaluationTask(b, { params: b.params, split: "heldOut", seeds: 2 });
    expect(plain.firstEpisodes).toBeUndefined();
    expect(encodeJson(plain)).toBe(encodeJson({ ...result, firstEpisodes: undefined }));
  });
});

describe("BundleVariants", () => {
  const path = join(EXPERIMENTS_DIR, "quickstart.yaml");
  const variants = new BundleVariants(path, ["horizonEpochs=8"]);

  it("loads a variant's mechanism and scenarios once, and keeps it", () => {
    const v = variants.get({ sets: ["mechanism.variant=base-2023"], heldOut: ["daily-cycle", "mint-bursts"] });
    expect(v.experiment.mechanism.variant).toBe("base-2023");
    expect(v.experiment.horizonEpochs).toBe(8);
    expect(v.heldOut.map((s) => s.name)).toEqual(["daily-cycle", "mint-bursts"]);
    // The variant's experiment is loaded once; picking other scenarios of it loads nothing.
    expect(variants.get({ sets: ["mechanism.variant=base-2023"], heldOut: ["low-demand-winter"] }).experiment).toBe(v.experiment);
    expect(variants.get(undefined)).toBe(variants.base);
  });

  it("names an unknown scenario in one line", () => {
    expect(() => variants.get({ sets: [], heldOut: ["nowhere"] })).toThrow(
      /^--scenarios: unknown scenario 'nowhere'; choose from mint-bursts, /,
    );
  });
});
