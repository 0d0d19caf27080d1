import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { AdaptiveController } from "../../../agents/governance/adaptiveController.js";
import { ArchetypePolicies } from "../../../agents/prover/byArchetype.js";
import { validateExperiment } from "../../../src/config/load.js";
import { resolveParams } from "../../../src/config/resolve.js";
import type { ProverNetworkEnv } from "../../../src/env/network.js";
import { initTensorflow } from "../../../src/ml/tensorflow.js";
import { Stream } from "../../../src/rng/streams.js";
import { runEpisode, type Governor } from "../../../src/tuning/episode.js";
import { kpisAfterWarmup } from "../../../src/tuning/evaluate.js";
import { constraintViolations, weightedSum } from "../../../src/tuning/objective.js";

/** One day at 1 TPS with Q-learning provers; the controller sets two reward parameters every 2 epochs after a 6-epoch warm-up. */
function experiment(rateLimit = 0.2) {
  return validateExperiment({
    name: "controller-test",
    horizonEpochs: 40,
    demand: { baseTps: 1, daily: { amplitude: 0.4 } },
    provers: {
      archetypes: [
        { name: "p", count: 8, computeCores: 4096, costUsdPerCoreSecond: 3e-5, capitalUsd: 1e6, policy: { kind: "q-learning" } },
      ],
    },
    objective: { warmupEpochs: 6, weights: { liveness: 100, rewardsPerTxUsd: -10 }, constraints: [{ kpi: "liveness", min: 0.9 }] },
    tune: { params: ["rewards.computePriceUsdPerCoreSecond", "rewards.profitMargin", "emergency.raceWidth"] },
    controller: { everyEpochs: 2, rateLimit, params: ["rewards.computePriceUsdPerCoreSecond", "rewards.profitMargin"] },
  });
}

/** Wraps a governor and records the unit-cube point and the calibration after every epoch's decision. */
function recording(inner: AdaptiveController) {
  const seen: { epoch: number; point: Float64Array; params: Record<string, number> }[] = [];
  const governor: Governor = {
    reset: (env, stream) => inner.reset(env, stream),
    beforeEpoch: (env: ProverNetworkEnv, epoch) => {
      inner.beforeEpoch(env, epoch);
      seen.push({ epoch, point: inner.space.encode(inner.params), params: { ...inner.params } });
    },
    end: (env) => inner.end(env),
  };
  return { governor, seen };
}

beforeAll(() => initTensorflow("wasm"));

describe("the adaptive controller", () => {
  it("moves parameters only at its decision epochs, by at most the rate limit, within bounds", () => {
    const exp = experiment(0.2);
    const start = resolveParams(exp);
    const controller = AdaptiveController.create(exp, start);
    controller.train(0.05);
    const { governor, seen } = recording(controller);
    runEpisode(exp, start, new ArchetypePolicies(exp), 3, governor);
    let moved = 0;
    for (let k = 1; k < seen.length; k++) {
      const step = Math.max(...seen[k]!.point.map((x, h) => Math.abs(x - seen[k - 1]!.point[h]!)));
      expect(step).toBeLessThanOrEqual(0.2 + 1e-9);
      const decides = seen[k]!.epoch >= 6 && seen[k]!.epoch % 2 === 0;
      if (!decides) expect(step).toBe(0);
      if (step > 0) moved++;
      for (const spec of controller.space.specs) {
        expect(seen[k]!.params[spec.name]).toBeGreaterThanOrEqual(spec.lower);
        expect(seen[k]!.params[spec.name]).toBeLessThanOrEqual(spec.upper);
      }
      expect(seen[k]!.params["emergency.raceWidth"]).toBe(start["emergency.raceWidth"]);
    }
    expect(moved).toBeGreaterThan(0);
    controller.dispose();
  });

  it("taking whole groups from tune.params, it leaves out what cannot change within an episode; listing it is refused", () => {
    const base = experiment(0.2);
    const groups = { ...base, tune: { ...base.tune, params: ["rewards"] }, controller: { ...base.controller, params: [] } };
    const start = resolveParams(groups);
    const controller = AdaptiveController.create(groups, start);
    const names = controller.space.specs.map((s) => s.name);
    expect(names).toContain("rewards.profitMargin");
    expect(names).not.toContain("rewards.performanceWindowEpochs");
    controller.train(0.05);
    expect(() => runEpisode(groups, start, new ArchetypePolicies(groups), 3, controller)).not.toThrow();
    controller.dispose();
    const listed = { ...base, controller: { ...base.controller, params: ["rewards.profitMargin", "rewards.performanceWindowEpochs"] } };
    expect(() => AdaptiveController.create(listed, resolveParams(listed))).toThrow(
      /controller\.params.*rewards\.performanceWindowEpochs cannot change within an episode; leave it out/,
    );
  });

  it("untrained and frozen, it keeps the starting calibration: the episode is the static one, byte for byte", () => {
    const exp = experiment();
    const start = resolveParams(exp);
    const controller = AdaptiveController.create(exp, start);
    const governed = runEpisode(exp, start, new ArchetypePolicies(exp), 4, controller);
    const fixed = runEpisode(exp, start, new ArchetypePolicies(exp), 4);
    expect(JSON.stringify(governed.rows)).toBe(JSON.stringify(fixed.rows));
    controller.dispose();
  });

  it("rewards decisions with their share of the episode's objective gain over the reference episode", () => {
    const exp = experiment(0.2);
    const start = resolveParams(exp);
    // Penalised objective after the warm-up, as the controller scores it.
    const objective = (rows: Parameters<typeof kpisAfterWarmup>[0]) => {
      const kpis = kpisAfterWarmup(rows, exp.objective.warmupEpochs);
      return (
        weightedSum(kpis, exp.objective) - exp.controller.constraintPenalty * Math.min(1, constraintViolations(kpis, exp.objective).total)
      );
    };
    const governedEpochs = exp.horizonEpochs - exp.objective.warmupEpochs;
    const provers = new ArchetypePolicies(exp);
    const reference = runEpisode(exp, start, provers, 5);
    const controller = AdaptiveController.create(exp, start);
    controller.train(0.05, reference.rows);
    const governed = runEpisode(exp, start, provers, 5, controller);
    expect(JSON.stringify(governed.rows)).not.toBe(JSON.stringify(reference.rows));
    const gain = objective(governed.rows) - objective(reference.rows);
    expect(Math.abs(gain)).toBeGreaterThan(1e-6);
    expect(controller.episodeReward * exp.controller.everyEpochs).toBeCloseTo(governedEpochs * gain, 6);
    // Without a reference the rewards add up to the objective itself.
    controller.train(0.05);
    const alone = runEpisode(exp, start, provers, 6, controller);
    expect(controller.episodeReward * exp.controller.everyEpochs).toBeCloseTo(governedEpochs * objective(alone.rows), 6);
    controller.dispose();
    provers.dispose();
  });

  it("with episodesPerUpdate 2, the weights move only after every second training episode", () => {
    const base = experiment();
    const exp = { ...base, controller: { ...base.controller, episodesPerUpdate: 2 } };
    const start = resolveParams(exp);
    const controller = AdaptiveController.create(exp, start);
    const provers = new ArchetypePolicies(exp);
    const probe = Float32Array.from({ length: controller.inputNames().length }, (_, k) => ((k % 3) - 1) / 2);
    const responses: number[][] = [];
    for (let k = 0; k < 3; k++) {
      controller.train(0.01);
      runEpisode(exp, start, provers, Stream.root(11).child(k), controller);
      responses.push(Array.from(controller.expectedOffsets(probe)));
    }
    expect(responses[1]).not.toEqual(responses[0]);
    expect(responses[2]).toEqual(responses[1]);
    expect(controller.trainedEpisodes).toBe(3);
    controller.dispose();
    provers.dispose();
  });

  it("trains deterministically, and a saved controller loads back to the same responses", () => {
    const exp = experiment();
    const start = resolveParams(exp);
    const train = () => {
      const c = AdaptiveController.create(exp, start);
      const provers = new ArchetypePolicies(exp);
      for (let k = 0; k < 3; k++) {
        c.train(0.01);
        runEpisode(exp, start, provers, Stream.root(9).child(k), c);
      }
      c.freeze();
      return c;
    };
    const a = train();
    const b = train();
    const probe = Float32Array.from({ length: a.inputNames().length }, (_, k) => ((k % 5) - 2) / 4);
    expect(Array.from(b.expectedOffsets(probe))).toEqual(Array.from(a.expectedOffsets(probe)));
    expect(a.trainedEpisodes).toBe(3);
    const file = a.save(mkdtempSync(join(tmpdir(), "proverlab-controller-")), "wasm");
    const loaded = AdaptiveController.load(file, exp, "--controller");
    // Loaded weights apply at the first reset.
    runEpisode(exp, start, new ArchetypePolicies(exp), 1, loaded);
    expect(Array.from(loaded.expectedOffsets(probe))).toEqual(Array.from(a.expectedOffsets(probe)));
    expect(loaded.start).toEqual(start);
    for (const c of [a, b, loaded]) c.dispose();
  });
});
