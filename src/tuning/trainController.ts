import {
  AdaptiveController,
  controllerEntropy,
  type ControllerSnapshot,
  type FrozenController,
} from "../../agents/governance/adaptiveController.js";
import { responseMarkdown, responseTable, type ResponseRow } from "../../agents/governance/controllerSummary.js";
import { ArchetypePolicies } from "../../agents/prover/byArchetype.js";
import type { ParamValues } from "../config/paramSpace.js";
import { initTensorflow } from "../ml/tensorflow.js";
import { toCsv } from "../results/csv.js";
import { toJson } from "../results/json.js";
import { buildManifest, commandLine } from "../results/manifest.js";
import { defaultRunPath, RunDir } from "../results/runDir.js";
import { Stream } from "../rng/streams.js";
import { loadBundle } from "./bundle.js";
import { runEpisode } from "./episode.js";
import { episodeStream, kpisAfterWarmup, type Evaluation } from "./evaluate.js";
import { createExecutor, executorChoice, executorFields, type ThreadPool } from "./executor.js";
import { verdict, weightedSum, type Verdict } from "./objective.js";
import { readCalibration } from "./paramsInput.js";
import { pairedDifference, type MeanInterval } from "./stats.js";
import { BundleVariants } from "./bundleVariants.js";

export interface ControllerTrainArgs {
  experiment: string;
  set: readonly string[];
  /** A tune run folder or a params file: where every episode starts (default: the experiment's calibration). */
  start?: string | undefined;
  /** Worker threads scoring checkpoints and held-out episodes (default 1: in this thread, between training episodes). */
  workers?: number | undefined;
  /** redis://... : score them on that server's `proverlab worker`s. */
  executor?: string | undefined;
  /** Local threads already running to score them on (a study's) instead of starting `workers`. */
  threads?: ThreadPool | null | undefined;
  out?: string | undefined;
}

/** What each episode of the curriculum logs (training.csv). */
export const CONTROLLER_TRAINING_COLUMNS = [
  "episode",
  "scenario",
  "entropyWeight",
  "controllerReward",
  "gainOverStart",
  "proverProfitUsdPerEpoch",
  "liveness",
  "rewardsPerTxUsd",
  "duplicateWorkShare",
  "nakamotoProofsMean",
  "activeProversMean",
] as const;

type TrainingRow = Record<(typeof CONTROLLER_TRAINING_COLUMNS)[number], number | string>;

/** A checkpoint's greedy gain over the starting calibration on the validation seeds (checkpoints.csv). */
export interface CheckpointRow {
  episode: number;
  gain: number;
  gainLow: number;
  gainHigh: number;
  bestSoFar: number;
}

interface Brief extends Verdict {
  kpis: Evaluation["kpis"];
}

export interface ControllerEvaluation {
  controller: Brief;
  start: Brief;
  defaults: Brief;
  /** The checkpoint kept (training episodes) and its gain over the start on the validation seeds. */
  checkpoint: { episode: number; validation: MeanInterval };
  /** Controller minus start / defaults, per held-out episode (same seeds), of the weighted objective. */
  versusStart: MeanInterval;
  versusDefaults: MeanInterval;
}

/**
 * `proverlab train-controller`: `controller.episodes` training episodes, cycling through the training
 * scenarios, each in two levels: (1) fresh learning provers adapt under the starting calibration
 * for the objective's warm-up; (2) the controller acts every `everyEpochs` epochs and learns (one PPO
 * update per `episodesPerUpdate` episodes) while the provers keep adapting. Its entropy bonus anneals over the episodes,
 * so early on provers see a wide range of settings. Each episode is first run under the starting
 * calibration on the same seed: the controller learns from its gain over that reference. Every
 * `checkpointEvery` episodes the greedy controller is scored on validation seeds, paired with the
 * start; the checkpoint with the highest lower 95 % bound is kept (the untrained controller, which
 * is the start itself, scores exactly 0). This is the protocol evaluation uses, so the kept
 * controller is then scored on the held-out split beside the starting calibration and the
 * proposal's defaults, on the same seeds.
 */
export async function trainController(
  args: ControllerTrainArgs,
  onEpisode: (row: TrainingRow) => void,
  onCheckpoint: (row: CheckpointRow) => void,
): Promise<{ dir: string; evaluation: ControllerEvaluation }> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const choice = executorChoice(args.workers, args.executor);
  const bundle = loadBundle(args.experiment, args.set);
  const exp = bundle.experiment;
  const start: ParamValues = args.start ? readCalibration(args.start, bundle.params, "--start") : bundle.params;
  // The controller needs TensorFlow.js, and so then do any policy-network provers.
  const backend = await initTensorflow();
  const executor = await createExecutor(new BundleVariants(args.experiment, args.set, bundle), choice, args.threads ?? null);
  let dir: RunDir;
  try {
    dir = RunDir.prepare(args.out, "--out", () => defaultRunPath(exp.name, "controller", exp.seed));
  } catch (err) {
    await executor.close();
    throw err;
  }
  const controller = AdaptiveController.create(exp, start);
  // Its first weights come from where the untrained controller first ran: the first validation episode.
  controller.initialize(episodeStream(bundle, "validation", bundle.train[0]!, 0).child("governance"));
  const provers = bundle.train.map((s) => new ArchetypePolicies(s.experiment));
  try {
    const o = exp.controller;
    const seeds = Stream.root(exp.seed).child("controller-training");
    const rows: TrainingRow[] = [];
    const samples: Float32Array[] = [];
    // Validation runs on the executor while training goes on; checkpoints are judged in order as their scores come in.
    const validate = (frozen: FrozenController | null) =>
      handled(
        executor
          .evaluateAll([{ params: start, split: "validation", seeds: o.validationSeeds, ...(frozen ? { controller: frozen } : {}) }])
          .then(([e]) => e!.episodeUtilities),
      );
    const startValidation = validate(null);
    const checkpoints: CheckpointRow[] = [];
    let kept: { episode: number; validation: MeanInterval; snapshot: ControllerSnapshot } | null = null;
    let judged: Promise<void> = startValidation.then(() => undefined);
    const failure: { error?: unknown } = {};
    const checkpoint = (episode: number) => {
      const snapshot = controller.snapshot();
      const utilities = validate(controller.frozenCopy());
      judged = handled(
        judged.then(async () => {
          const validation = pairedDifference(await utilities, await startValidation);
          const better = !kept || validation.low > kept.validation.low;
          if (better) kept = { episode, validation, snapshot };
          const row = { episode, gain: validation.mean, gainLow: validation.low, gainHigh: validation.high, bestSoFar: better ? 1 : 0 };
          checkpoints.push(row);
          onCheckpoint(row);
        }),
      );
      judged.catch((error: unknown) => {
        if (!("error" in failure)) failure.error = error;
      });
    };
    checkpoint(0);
    for (let k = 0; k < o.episodes; k++) {
      // A turn of the event loop: validation results come in (and a failed one stops the training).
      await new Promise((resolve) => setImmediate(resolve));
      if ("error" in failure) throw failure.error;
      const s = k % bundle.train.length;
      const scenario = bundle.train[s]!;
      const entropyWeight = controllerEntropy(o, k, o.episodes);
      const reference = runEpisode(scenario.experiment, start, provers[s]!, seeds.child(k));
      controller.train(entropyWeight, reference.rows);
      const result = runEpisode(scenario.experiment, start, provers[s]!, seeds.child(k), controller);
      if (k >= o.episodes - 10) samples.push(...controller.decisionInputs());
      const kpis = kpisAfterWarmup(result.rows, exp.objective.warmupEpochs);
      const referenceKpis = kpisAfterWarmup(reference.rows, exp.objective.warmupEpochs);
      const row: TrainingRow = {
        episode: k,
        scenario: scenario.name,
        entropyWeight,
        controllerReward: controller.episodeReward,
        gainOverStart: weightedSum(kpis, exp.objective) - weightedSum(referenceKpis, exp.objective),
        proverProfitUsdPerEpoch: result.summary.proverProfitUsd / Math.max(1, result.rows.length * result.env.provers.n),
        liveness: kpis.liveness,
        rewardsPerTxUsd: kpis.rewardsPerTxUsd,
        duplicateWorkShare: kpis.duplicateWorkShare,
        nakamotoProofsMean: kpis.nakamotoProofsMean,
        activeProversMean: kpis.activeProversMean,
      };
      rows.push(row);
      onEpisode(row);
      if ((k + 1) % o.checkpointEvery === 0 || k + 1 === o.episodes) checkpoint(k + 1);
    }
    await judged;
    const best = kept!;
    controller.restore(best.snapshot);
    controller.freeze();
    const t1 = performance.now();

    const heldOut = exp.tune.seeds.heldOut;
    // When the start is the defaults (no --start, or a file of the same values), one evaluation serves both.
    const sameAsDefaults = JSON.stringify(start) === JSON.stringify(bundle.params);
    const [governed, fixed, other] = await executor.evaluateAll([
      { params: start, split: "heldOut", seeds: heldOut, controller: controller.frozenCopy() },
      { params: start, split: "heldOut", seeds: heldOut },
      ...(sameAsDefaults ? [] : [{ params: bundle.params, split: "heldOut" as const, seeds: heldOut }]),
    ]);
    const defaults = other ?? fixed!;
    const brief = (e: Evaluation): Brief => ({ ...verdict(e), kpis: e.kpis });
    const evaluation: ControllerEvaluation = {
      controller: brief(governed!),
      start: brief(fixed!),
      defaults: brief(defaults),
      checkpoint: { episode: best.episode, validation: best.validation },
      versusStart: pairedDifference(governed!.episodeUtilities, fixed!.episodeUtilities),
      versusDefaults: pairedDifference(governed!.episodeUtilities, defaults.episodeUtilities),
    };
    const t2 = performance.now();

    const response: ResponseRow[] = responseTable(controller, samples);
    const policyDir = dir.folder("controller");
    controller.save(policyDir, backend);
    dir.write("controller/summary.json", toJson(response));
    dir.write("controller/summary.md", responseMarkdown(response));
    dir.write("training.csv", toCsv(rows, CONTROLLER_TRAINING_COLUMNS));
    dir.write("checkpoints.csv", toCsv(checkpoints, ["episode", "gain", "gainLow", "gainHigh", "bestSoFar"]));
    dir.write("evaluation.json", toJson(evaluation));
    dir.write(
      "config.json",
      toJson({ experiment: exp, sets: args.set, start, defaults: bundle.params, controlled: controller.space.specs.map((s) => s.name) }),
    );
    dir.write(
      "manifest.json",
      toJson(
        buildManifest({
          command: commandLine(),
          experiment: exp.name,
          seed: exp.seed,
          startedAt,
          timingsMs: { train: Math.round(t1 - t0), heldOut: Math.round(t2 - t1) },
          ...executorFields(choice),
        }),
      ),
    );
    dir.commit();
    return { dir: dir.path, evaluation };
  } catch (err) {
    dir.abandon();
    throw err;
  } finally {
    controller.dispose();
    for (const p of provers) p.dispose();
    await executor.close();
  }
}

/** The promise, marked as handled: it may reject before anyone awaits it (a validation while training goes on). */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
