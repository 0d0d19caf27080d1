import { AdaptiveController, type FrozenController } from "../../agents/governance/adaptiveController.js";
import { ConfigError } from "../config/errors.js";
import type { ParamValues } from "../config/paramSpace.js";
import type { EpochRow } from "../env/kpis.js";
import { participantRewards } from "../env/summary.js";
import { BACKEND_ENV, initTensorflow } from "../ml/tensorflow.js";
import { prepareBundleBackend, type Bundle, type BundleVariant } from "./bundle.js";
import type { EpisodeResult } from "./episode.js";
import { evaluateCalibration, type Evaluation, type Split } from "./evaluate.js";

/** One calibration scored on a split: what every executor runs, on a thread, a pool or a Redis server's workers. */
export interface EvaluationTask {
  params: ParamValues;
  split: Split;
  seeds: number;
  /** A frozen adaptive controller governing each episode from `params` (compare's controllers, train-controller's checkpoints). */
  controller?: FrozenController | undefined;
  /** Another bundle than the executor's experiment as loaded: a compared policy's mechanism and scenarios. */
  variant?: BundleVariant | undefined;
  /** Return each scenario's first episode with the evaluation (for charts), rather than run it again. */
  keepFirst?: boolean | undefined;
}

/** A scenario's first episode, kept for time series and the spread of rewards. */
export interface FirstEpisode {
  rows: EpochRow[];
  /** Rewards of every prover that ever registered, USD: the provers summary.ts's rewardGini is over. */
  rewards: number[];
  gini: number;
}

export interface TaskResult extends Evaluation {
  /** With `keepFirst`: each scenario's first episode, in the split's order. */
  firstEpisodes?: FirstEpisode[];
}

export function firstEpisodeOf({ rows, summary, env }: EpisodeResult): FirstEpisode {
  return { rows: [...rows], rewards: participantRewards(env.provers), gini: summary.rewardGini };
}

/** The choice of PROVERLAB_TF_BACKEND that loads each backend. */
const BACKEND_CHOICE: Record<string, string> = { tensorflow: "native", wasm: "wasm", cpu: "cpu" };

/**
 * Runs a task on `bundle` (the task's variant, already resolved). A controller runs on the
 * TensorFlow.js backend it was frozen on: another backend could choose other moves, so a thread that
 * loaded another one refuses the task rather than answer differently.
 */
export async function runEvaluationTask(bundle: Bundle, task: EvaluationTask): Promise<TaskResult> {
  await prepareBundleBackend(bundle);
  let governor: AdaptiveController | null = null;
  if (task.controller) {
    const backend = await initTensorflow();
    const wanted = task.controller.backend;
    if (backend !== wanted) {
      throw new ConfigError(
        BACKEND_ENV,
        `the controller ran on TensorFlow.js's ${wanted} backend and this process loaded ${backend}; set ${BACKEND_ENV}=${BACKEND_CHOICE[wanted] ?? wanted} here too`,
      );
    }
    governor = AdaptiveController.thaw(task.controller, bundle.experiment);
  }
  try {
    if (!task.keepFirst) return evaluateCalibration(bundle, task.params, task.split, task.seeds, governor);
    const firstEpisodes: FirstEpisode[] = [];
    const evaluation = evaluateCalibration(bundle, task.params, task.split, task.seeds, governor, (_, k, result) => {
      if (k === 0) firstEpisodes.push(firstEpisodeOf(result));
    });
    return { ...evaluation, firstEpisodes };
  } finally {
    governor?.dispose();
  }
}
