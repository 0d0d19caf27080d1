import { createHash } from "node:crypto";
import type { ProverPolicy } from "../../agents/prover/policy.js";
import { Stream } from "../rng/streams.js";
import type { ProverNetworkEnv, StepResult } from "./network.js";
import {
  ACTION_SPACE,
  createActions,
  fieldText,
  inField,
  NETWORK_FEATURES,
  OBSERVATION_SPACE,
  PF,
  PROVER_FEATURES,
  type ActionField,
  type Field,
  type Observation,
  type ProverActions,
} from "./spaces.js";

export interface CheckOptions {
  /** The episodes' seed (default 1). */
  seed?: number;
  /** Chooses the actions of the checked episode (default: uniformly random actions within ACTION_SPACE). */
  policy?: ProverPolicy;
}

const F = PROVER_FEATURES.length;

/** The problems found, the first of each kind only (a bound missed every epoch is one line). */
class Problems {
  private readonly first = new Map<string, string>();

  add(kind: string, line: string): void {
    if (!this.first.has(kind)) this.first.set(kind, line);
  }

  get lines(): string[] {
    return [...this.first.values()];
  }
}

/**
 * Checks an environment against the contract a researcher's code relies on, in the spirit of
 * PettingZoo's `parallel_api_test`, and returns the problems found, one line each (none: it passes):
 *
 * - API shape: `reset(seed)` returns an observation of `n` provers; `step` returns the observation,
 *   one reward per prover, `terminated`, `truncated` (exactly at the horizon), `done` and the epoch's
 *   row; stepping past the end throws.
 * - Every observation lies within OBSERVATION_SPACE, at every epoch.
 * - Actions are validated: a value outside ACTION_SPACE, or an array of the wrong type or length, is
 *   refused with an error naming the field, and the refused step leaves no trace.
 * - Determinism: a second environment from `create`, given the same seed and actions, and the first
 *   reset onto the same seed again, produce the same bytes at every epoch.
 *
 * It runs three episodes (the policy acts in the first, without being told rewards; the others
 * replay its actions), so give it a small experiment.
 */
export function checkEnvironment(create: () => ProverNetworkEnv, options: CheckOptions = {}): string[] {
  const seed = options.seed ?? 1;
  const problems = new Problems();
  const env = create();
  const policy: ProverPolicy = options.policy ?? new RandomPolicy();
  // One actions object, reused from epoch to epoch as runEpisode does; each epoch's is kept for the replays.
  const live = createActions(env.provers.n);
  const actions: ProverActions[] = [];
  const reference = runEpisode(
    env,
    seed,
    problems,
    (obs) => {
      policy.act(obs, live);
      actions.push(copyActions(live));
      return live;
    },
    policy.reset.bind(policy, env.provers.n, Stream.root(seed).child("checker")),
  );
  if (actions.length < env.experiment.horizonEpochs) return problems.lines;

  const other = create();
  const replay = (_: Observation, t: number) => actions[t]!;
  const refusing = () => refusals(other, actions[0]!, problems);
  compare("a second environment on the same seed", runEpisode(other, seed, problems, replay, refusing), reference, problems);
  compare("reset(seed) on the used environment", runEpisode(env, seed, problems, replay), reference, problems);
  return problems.lines;
}

/**
 * Runs one episode, checking its shape and bounds at every epoch; `start` runs after the reset,
 * before the first step. Returns one digest per epoch (reset's first).
 */
function runEpisode(
  env: ProverNetworkEnv,
  seed: number,
  problems: Problems,
  act: (obs: Observation, epoch: number) => ProverActions,
  start: () => void = () => {},
): string[] {
  const n = env.provers.n;
  const horizon = env.experiment.horizonEpochs;
  const { observation: first, info } = env.reset(seed);
  start();
  if (info.provers !== n || info.horizonEpochs !== horizon)
    problems.add("reset info", `reset: info ${JSON.stringify(info)} does not match ${n} provers and ${horizon} epochs`);
  checkObservation(first, n, "reset", problems);
  const digests = [digest(first)];
  let obs = first;
  for (let t = 0; t < horizon; t++) {
    const where = `step ${t}`;
    let result: StepResult;
    try {
      result = env.step(act(obs, t));
    } catch (err) {
      problems.add(
        "threw",
        `${where}: step threw (${err instanceof Error ? err.message : String(err)}) before the horizon, ${horizon} epochs`,
      );
      return digests;
    }
    checkStep(result, n, t + 1 === horizon, where, problems);
    checkObservation(result.observation, n, where, problems);
    digests.push(digest(result.observation, result.reward, result.info));
    obs = result.observation;
  }
  try {
    env.step(createActions(n));
    problems.add("past the end", `step ${horizon}: step() after the last epoch did not throw`);
  } catch {
    // expected: the episode is over
  }
  return digests;
}

function checkStep(r: StepResult, n: number, last: boolean, where: string, problems: Problems): void {
  if (!(r.reward instanceof Float64Array) || r.reward.length !== n) {
    problems.add("reward", `${where}: reward is not a Float64Array of ${n}`);
  } else if (!r.reward.every(Number.isFinite)) {
    problems.add("reward", `${where}: reward has a non-finite value`);
  }
  if (r.terminated !== false) {
    problems.add("terminated", `${where}: terminated is ${String(r.terminated)}, but no state of the network ends an episode`);
  }
  if (r.truncated !== last) problems.add("truncated", `${where}: truncated is ${String(r.truncated)}, expected ${String(last)}`);
  if (r.done !== (r.terminated || r.truncated)) problems.add("done", `${where}: done is not terminated || truncated`);
  if (typeof r.info !== "object" || !Object.values(r.info).every((v) => typeof v === "number")) {
    problems.add("info", `${where}: info is not a row of numbers`);
  }
}

function checkObservation(obs: Observation, n: number, where: string, problems: Problems): void {
  if (obs.n !== n) problems.add("observation.n", `${where}: observation.n is ${obs.n}, expected ${n} provers`);
  if (!(obs.prover instanceof Float64Array) || obs.prover.length !== n * F) {
    problems.add("observation.prover", `${where}: observation.prover is not a Float64Array of ${n} x ${F}`);
    return;
  }
  if (!(obs.network instanceof Float64Array) || obs.network.length !== NETWORK_FEATURES.length) {
    problems.add("observation.network", `${where}: observation.network is not a Float64Array of ${NETWORK_FEATURES.length}`);
    return;
  }
  const outside = (kind: string, name: string, v: number, f: Field) =>
    problems.add(kind, `${where}: ${name} = ${v}, not ${fieldText(f)} (${f.unit})`);
  OBSERVATION_SPACE.network.forEach((f, k) => {
    const v = obs.network[k]!;
    if (!inField(v, f)) outside(`network.${f.name}`, `observation.network.${f.name}`, v, f);
  });
  OBSERVATION_SPACE.prover.forEach((f, k) => {
    for (let i = 0; i < n; i++) {
      const v = obs.prover[i * F + k]!;
      if (!inField(v, f)) outside(`prover.${f.name}`, `observation.prover[${i}].${f.name}`, v, f);
    }
  });
}

/** Steps with one invalid field at a time; each must be refused with an error naming it. */
function refusals(env: ProverNetworkEnv, valid: ProverActions, problems: Problems): void {
  const n = env.provers.n;
  const refused = (field: ActionField, what: string, bad: ProverActions) => {
    try {
      env.step(bad);
      problems.add(`accepted ${field} ${what}`, `step accepted actions.${field} ${what}`);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!message.startsWith(`actions.${field}`)) {
        problems.add(`unnamed ${field} ${what}`, `step refused actions.${field} ${what} without naming it: ${message}`);
      }
    }
  };
  for (const f of ACTION_SPACE) {
    refused(f.name, `of length ${n + 1}`, { ...valid, [f.name]: new (f.kind === "binary" ? Uint8Array : Float64Array)(n + 1) });
    if (n === 0) continue;
    const bad = copyActions(valid);
    bad[f.name][0] = f.kind === "binary" ? 2 : f.kind === "integer" ? 0.5 : NaN;
    refused(f.name, `[0] = ${bad[f.name][0]}`, bad);
  }
}

function compare(what: string, digests: string[], reference: string[], problems: Problems): void {
  const t = reference.findIndex((d, k) => d !== digests[k]);
  if (t >= 0) problems.add(what, `${what} differs from the first at ${t === 0 ? "reset" : `step ${t - 1}`}: not deterministic`);
}

/** A hash of the observation and, after a step, the reward and the epoch's row, byte for byte. */
function digest(obs: Observation, reward?: Float64Array, info?: Record<string, number>): string {
  const h = createHash("sha256");
  for (const a of [obs.prover, obs.network, reward ?? new Float64Array(0)]) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  if (info) {
    h.update(Object.keys(info).join(","));
    h.update(new Uint8Array(Float64Array.from(Object.values(info)).buffer));
  }
  return h.digest("hex");
}

function copyActions(a: ProverActions): ProverActions {
  return Object.fromEntries(ACTION_SPACE.map((f) => [f.name, a[f.name].slice()])) as unknown as ProverActions;
}

/** Uniformly random actions within ACTION_SPACE: fair coins, any capacity, stake up to the prover's capital, 0-2 added agents. */
class RandomPolicy implements ProverPolicy {
  readonly name = "random";
  private stream = Stream.root(0);

  reset(_n: number, stream: Stream): void {
    this.stream = stream;
  }

  act(obs: Observation, a: ProverActions): void {
    const s = this.stream;
    for (let i = 0; i < obs.n; i++) {
      for (const f of ACTION_SPACE) if (f.kind === "binary") a[f.name][i] = s.int(2);
      a.capacity[i] = s.uniform();
      a.stake[i] = s.uniform() * obs.prover[i * F + PF.capitalUsd]!;
      a.agents[i] = s.int(3);
    }
  }
}
