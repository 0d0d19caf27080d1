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

/** Runs one episode of the experiment with the given calibration and prover policy. */
export function runEpisode(exp: Experiment, params: ParamValues, policy: ProverPolicy, seed: number | Stream): EpisodeResult {
  const env = new ProverNetworkEnv(exp, params);
  let obs = env.reset(seed);
  policy.reset(env.provers.n, (typeof seed === "number" ? Stream.root(seed) : seed).child("agents"));
  const actions = createActions(env.provers.n);
  for (;;) {
    policy.act(obs, actions);
    const result = env.step(actions);
    policy.observe?.(result.reward, result.observation, result.done);
    obs = result.observation;
    if (result.done) break;
  }
  return { rows: env.rows, summary: summarize(env), env };
}
