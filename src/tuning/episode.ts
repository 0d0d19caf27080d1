import type { ProverPolicy } from "../../agents/prover/policy.js";
import type { ParamValues } from "../config/paramSpace.js";
import type { Experiment } from "../config/schema.js";
import type { EpochRow } from "../env/kpis.js";
import { ProverNetworkEnv } from "../env/network.js";
import { createActions } from "../env/spaces.js";
import { summarize, type RunSummary } from "../env/summary.js";
import { Stream } from "../rng/streams.js";

export interface EpisodeResult {
  readonly rows: readonly EpochRow[];
  readonly summary: RunSummary;
  readonly env: ProverNetworkEnv;
}

/**
 * Governance that acts within an episode: it may change the mechanism's parameters
 * (`env.setParams`) before any epoch. Static calibrations need none.
 */
export interface Governor {
  reset(env: ProverNetworkEnv, stream: Stream): void;
  /** Before the provers act in `epoch`. */
  beforeEpoch(env: ProverNetworkEnv, epoch: number): void;
  /** After the episode's last epoch. */
  end(env: ProverNetworkEnv): void;
  /** Frees what it holds (a controller's TensorFlow.js tensors) once no episode needs it. */
  dispose?(): void;
}

/** Runs one episode of the experiment with the given calibration, prover policy and, optionally, an adaptive governor. */
export function runEpisode(
  exp: Experiment,
  params: ParamValues,
  policy: ProverPolicy,
  seed: number | Stream,
  governor: Governor | null = null,
): EpisodeResult {
  const env = new ProverNetworkEnv(exp, params);
  let obs = env.reset(seed);
  const root = typeof seed === "number" ? Stream.root(seed) : seed;
  policy.reset(env.provers.n, root.child("agents"));
  governor?.reset(env, root.child("governance"));
  const actions = createActions(env.provers.n);
  for (let epoch = 0; ; epoch++) {
    governor?.beforeEpoch(env, epoch);
    policy.act(obs, actions);
    const result = env.step(actions);
    policy.observe?.(result.reward, result.observation, result.done);
    obs = result.observation;
    if (result.done) break;
  }
  governor?.end(env);
  return { rows: env.rows, summary: summarize(env), env };
}
