import type { ProverPolicy } from "../../agents/prover/policy.js";
import type { ParamValues } from "../config/paramSpace.js";
import type { Experiment } from "../config/schema.js";
import type { EpochRow } from "../env/kpis.js";
import { ProverNetworkEnv } from "../env/network.js";
import { createActions } from "../env/spaces.js";
import { summarize, type RunSummary } from "../env/summary.js";
import { WindowAccumulator, type WindowKpis } from "../env/windowKpis.js";
import { Stream } from "../rng/streams.js";

export interface EpisodeResult {
  /** Every epoch's row; empty unless the episode recorded them. */
  readonly rows: readonly EpochRow[];
  readonly summary: RunSummary;
  /** The window KPIs from epoch `windowFrom` on, accumulated as the episode ran. */
  readonly windowKpis: WindowKpis;
  readonly env: ProverNetworkEnv;
}

export interface EpisodeOptions {
  /** Keep every epoch's row and block latency (default true); off, memory stays flat in the horizon. */
  recordRows?: boolean;
  /** The first epoch of `windowKpis` (default 0: the whole episode). */
  windowFrom?: number;
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
  options: EpisodeOptions = {},
): EpisodeResult {
  const env = new ProverNetworkEnv(exp, params, { recordRows: options.recordRows ?? true });
  const window = new WindowAccumulator();
  const windowFrom = options.windowFrom ?? 0;
  let obs = env.reset(seed).observation;
  const root = typeof seed === "number" ? Stream.root(seed) : seed;
  policy.reset(env.provers.n, root.child("agents"));
  governor?.reset(env, root.child("governance"));
  const actions = createActions(env.provers.n);
  for (let epoch = 0; ; epoch++) {
    governor?.beforeEpoch(env, epoch);
    policy.act(obs, actions);
    const result = env.step(actions);
    if (epoch >= windowFrom) window.add(result.info);
    policy.observe?.(result.reward, result.observation, result.done);
    obs = result.observation;
    if (result.done) break;
  }
  governor?.end(env);
  return { rows: env.rows, summary: summarize(env), windowKpis: window.kpis(), env };
}
