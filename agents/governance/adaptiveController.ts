import { ConfigError } from "../../src/config/errors.js";
import type { ParamValues } from "../../src/config/paramSpace.js";
import type { ControllerOptions, Experiment } from "../../src/config/schema.js";
import type { EpochRow } from "../../src/env/kpis.js";
import { FIXED_WITHIN_EPISODE, type ProverNetworkEnv } from "../../src/env/network.js";
import { windowKpis } from "../../src/env/windowKpis.js";
import { ActorCritic, advantageEstimates, annealed, chooseActions, type PpoBatch } from "../../src/ml/actorCritic.js";
import { readModelFile } from "../../src/ml/modelFile.js";
import { loadedBackend } from "../../src/ml/tensorflow.js";
import type { Stream } from "../../src/rng/streams.js";
import type { Governor } from "../../src/tuning/episode.js";
import { constraintViolations, weightedSum } from "../../src/tuning/objective.js";
import { TunedSpace } from "../../src/tuning/space.js";
import { signedLog } from "../../src/ml/signedLog.js";

/** The public signals the controller reads at each decision (then one input per controlled parameter: its position in its range). */
export const CONTROLLER_SIGNALS = [
  "hourSin",
  "hourCos",
  "demandIndex",
  "demandTrend",
  "backlogBlocks",
  "activeProverShare",
  "emergency",
  "liveness",
  "rewardsPerTxUsd",
  "duplicateWorkShare",
  "profitMargin",
  "latencyMeanS",
] as const;

const SIGNALS = CONTROLLER_SIGNALS.length;

/** What a saved controller carries besides its weights. */
export interface ControllerState {
  params: string[];
  everyEpochs: number;
  rateLimit: number;
  /** Offsets -levels .. +levels, in steps of levelStep (share of the range), around the start. */
  levels: number;
  levelStep: number;
  /** The calibration every episode starts from (the parameters it does not set stay here). */
  start: ParamValues;
  rewardMean: number;
  rewardVariance: number;
  rewardCount: number;
  trainedEpisodes: number;
}

/**
 * A frozen controller as a task carries it to a worker thread or another machine: its state and
 * weights as plain numbers (JSON carries them bit for bit), and the TensorFlow.js backend it ran on.
 */
export interface FrozenController {
  readonly hidden: readonly number[];
  readonly state: ControllerState;
  readonly weights: readonly { readonly shape: readonly number[]; readonly values: readonly number[] }[];
  readonly backend: string;
}

export interface ControllerSnapshot {
  readonly weights: readonly Float32Array[];
  readonly state: Readonly<ControllerState>;
}

/**
 * An adaptive governance controller: from the end of the objective's warm-up (while fresh provers
 * learn under the starting calibration), every `everyEpochs` epochs it reads public network signals
 * (time of day, demand and its trend, backlog, active provers, emergency state, the last window's
 * KPIs) and its parameters' current positions, and chooses for each controlled parameter a setting
 * among 2 x levels + 1 offsets from the starting calibration (multiples of `levelStep` of the
 * parameter's range, in its unit-cube coordinate); the parameter moves toward it by at most
 * `rateLimit` of its range per decision, within its bounds. The policy is an ActorCritic network with
 * one head per parameter, starting from a prior that favours offset 0: untrained, it keeps the
 * starting calibration, and exploration moves away from it gradually. The reward of a decision is
 * what the window it governed added to the episode's objective (constraint violations penalised by
 * `constraintPenalty`), less what the same window added in the same episode under the starting
 * calibration when training is given that reference; PPO trains on the decisions of every `episodesPerUpdate` episodes.
 * Frozen, it acts greedily.
 */
export class AdaptiveController implements Governor {
  readonly space: TunedSpace;
  private readonly net: ActorCritic;
  private initialized = false;
  private readonly heads: number[];
  private readonly inputs: number;
  private state: ControllerState;
  private learning = false;
  private entropyWeight = 0;
  private rng: Stream | null = null;
  private weightsToLoad: Float32Array[] | null;
  private point: Float64Array = new Float64Array(0);
  private startPoint: Float64Array = new Float64Array(0);
  private current: ParamValues = {};
  private lastDecision = -1;
  private lastDemand = 1;
  private reference: readonly EpochRow[] | null = null;
  private lastCumulative = 0;
  // One episode's decisions.
  private decisions = 0;
  private buffer = { inputs: new Float32Array(0), actions: new Int32Array(0), logProbs: new Float32Array(0) };
  private values = new Float32Array(0);
  private rewards = new Float32Array(0);
  private advantages = new Float32Array(0);
  private returns = new Float32Array(0);
  /** Decisions of the episodes since the last PPO update (`episodesPerUpdate` episodes make one batch). */
  private pending: PpoBatch[] = [];
  /** The last episode's decision rewards, summed (unscaled). */
  episodeReward = 0;

  private constructor(
    readonly options: ControllerOptions,
    private readonly objective: Experiment["objective"],
    state: ControllerState,
    weights: Float32Array[] | null,
  ) {
    this.state = state;
    this.space = new TunedSpace(state.params, "controller.params");
    this.heads = this.space.specs.map(() => 2 * state.levels + 1);
    this.inputs = SIGNALS + this.space.dim;
    // Prior: offset 0 (probability ~0.83 with two levels), so an untrained controller keeps the starting calibration.
    const choices = 2 * state.levels + 1;
    const bias = Float32Array.from({ length: this.space.dim * choices }, (_, k) => (k % choices === state.levels ? 3 : 0));
    this.net = new ActorCritic(this.inputs, options.hidden, this.heads, bias);
    this.weightsToLoad = weights;
  }

  /** A fresh controller of the experiment's `controller` section, starting every episode from `start`. */
  static create(exp: Experiment, start: ParamValues): AdaptiveController {
    const o = exp.controller;
    const listed = new TunedSpace(o.params.length > 0 ? o.params : exp.tune.params, "controller.params").specs.map((s) => s.name);
    const fixed = listed.filter((name) => FIXED_WITHIN_EPISODE.includes(name));
    if (o.params.length > 0 && fixed.length > 0) {
      throw new ConfigError("controller.params", `${fixed.join(", ")} cannot change within an episode; leave it out`);
    }
    // Taken from tune.params (whole groups included), it sets only what may change within an episode.
    const names = listed.filter((name) => !fixed.includes(name));
    const state: ControllerState = {
      params: names,
      everyEpochs: o.everyEpochs,
      rateLimit: o.rateLimit,
      levels: o.levels,
      levelStep: o.levelStep,
      start,
      rewardMean: 0,
      rewardVariance: 1,
      rewardCount: 0,
      trainedEpisodes: 0,
    };
    return new AdaptiveController(o, exp.objective, state, null);
  }

  /** A controller saved by `save`, frozen (greedy) unless `train` is called; `field` names the input in errors. */
  static load(path: string, exp: Experiment, field: string): AdaptiveController {
    const file = readModelFile(path, field);
    const state = file.meta.controller as ControllerState | undefined;
    if (!state) throw new ConfigError(field, `${path} is not a controller; give the model.json of a train-controller run`);
    return AdaptiveController.frozen(exp, file.meta.hidden, state, file.weights, file.meta.inputs, field, path);
  }

  /** The controller as saved (`load`) or as a task carries it (`frozenCopy`), frozen; `field` names the input in errors. */
  private static frozen(
    exp: Experiment,
    hidden: readonly number[],
    state: ControllerState,
    weights: readonly { shape: readonly number[]; values: Float32Array }[],
    /** What a saved model says it reads (null: a task's copy, which reads what its state names). */
    inputs: readonly string[] | null,
    field: string,
    source: string,
  ): AdaptiveController {
    const controller = new AdaptiveController(
      { ...exp.controller, hidden: [...hidden] },
      exp.objective,
      state,
      weights.map((w) => w.values),
    );
    const reads = inputs === null || inputs.join(",") === controller.inputNames().join(",");
    if (!controller.net.fits(weights.map((w) => w.shape)) || !reads) {
      controller.dispose();
      throw new ConfigError(field, `${source} was trained on other signals or weights; train it again with this version`);
    }
    return controller;
  }

  /** The controller a `frozenCopy` describes, frozen (greedy); the caller loads the same TensorFlow.js backend first. */
  static thaw(frozen: FrozenController, exp: Experiment): AdaptiveController {
    const weights = frozen.weights.map((w) => ({ shape: w.shape, values: Float32Array.from(w.values) }));
    return AdaptiveController.frozen(
      exp,
      frozen.hidden,
      structuredClone(frozen.state),
      weights,
      null,
      "controller",
      "the task's controller",
    );
  }

  /** Its weights and state as they are now, for a task that runs it greedily elsewhere. */
  frozenCopy(): FrozenController {
    const shapes = this.net.model.getWeights().map((w) => w.shape);
    // A loaded controller takes its weights at its first episode; until then they are the ones loaded.
    const weights = this.initialized ? this.net.weights() : this.weightsToLoad;
    if (weights === null) throw new Error("a fresh controller has no weights before initialize()");
    return {
      hidden: [...this.options.hidden],
      state: structuredClone(this.state),
      weights: weights.map((values, k) => ({ shape: shapes[k]!, values: Array.from(values) })),
      backend: loadedBackend()!,
    };
  }

  inputNames(): string[] {
    return [...CONTROLLER_SIGNALS, ...this.space.specs.map((s) => `position:${s.name}`)];
  }

  actionNames(): string[] {
    const offsets = Array.from({ length: 2 * this.state.levels + 1 }, (_, k) => k - this.state.levels);
    return this.space.specs.flatMap((s) => offsets.map((k) => `${s.name}:${k > 0 ? "+" : ""}${k}`));
  }

  /**
   * Learn from the next episode (sampled moves, entropy bonus `entropyWeight`); otherwise act greedily.
   * `reference`: the epochs of the same episode (same seed) under the starting calibration; each
   * decision's reward then becomes its gain over that episode in the same epochs.
   */
  train(entropyWeight: number, reference: readonly EpochRow[] | null = null): void {
    this.learning = true;
    this.entropyWeight = entropyWeight;
    this.reference = reference;
  }

  freeze(): void {
    this.learning = false;
    this.reference = null;
  }

  get trainedEpisodes(): number {
    return this.state.trainedEpisodes;
  }

  /** A copy of the weights and training state, for `restore`. */
  snapshot(): ControllerSnapshot {
    return { weights: this.net.weights(), state: { ...this.state } };
  }

  restore(snapshot: ControllerSnapshot): void {
    this.net.setWeights(snapshot.weights);
    this.state = { ...snapshot.state };
  }

  /** Sets the weights once (fresh ones from `stream`, unless loaded): later episodes keep the weights trained so far (and the optimizer's moments). */
  initialize(stream: Stream): void {
    if (this.initialized) return;
    this.net.initialize(this.weightsToLoad, stream.child("init"), this.options.learningRate);
    this.weightsToLoad = null;
    this.initialized = true;
  }

  reset(env: ProverNetworkEnv, stream: Stream): void {
    this.initialize(stream);
    this.rng = stream.child("moves");
    this.startPoint = this.space.encode(this.state.start);
    this.point = Float64Array.from(this.startPoint);
    this.current = this.space.decode(this.point, this.state.start);
    env.setParams(this.current);
    const decisions = Math.ceil(env.experiment.horizonEpochs / this.state.everyEpochs) + 1;
    this.buffer = {
      inputs: new Float32Array(decisions * this.inputs),
      actions: new Int32Array(decisions * this.heads.length),
      logProbs: new Float32Array(decisions),
    };
    this.values = new Float32Array(decisions + 1);
    this.rewards = new Float32Array(decisions);
    this.advantages = new Float32Array(decisions);
    this.returns = new Float32Array(decisions);
    this.decisions = 0;
    this.lastDecision = -1;
    this.lastDemand = 1;
    this.lastCumulative = 0;
    this.episodeReward = 0;
  }

  beforeEpoch(env: ProverNetworkEnv, epoch: number): void {
    const every = this.state.everyEpochs;
    const first = Math.max(every, this.objective.warmupEpochs);
    if (epoch < first || (epoch - first) % every !== 0) return;
    this.closeWindow(env.rows, epoch);
    const d = this.decisions;
    const x = this.buffer.inputs.subarray(d * this.inputs, (d + 1) * this.inputs);
    this.encode(env, epoch, x);
    const { probs, values } = this.net.forward(x, 1);
    this.values[d] = values[0]!;
    const H = this.heads.length;
    this.buffer.logProbs[d] = chooseActions(probs, 0, this.heads, this.learning ? this.rng : null, this.buffer.actions, d * H);
    for (let h = 0; h < H; h++) {
      const move = this.buffer.actions[d * H + h]! - this.state.levels;
      const target = this.startPoint[h]! + move * this.state.levelStep;
      const step = Math.max(-this.state.rateLimit, Math.min(this.state.rateLimit, target - this.point[h]!));
      this.point[h] = Math.min(1, Math.max(0, this.point[h]! + step));
    }
    this.current = this.space.decode(this.point, this.state.start);
    env.setParams(this.current);
    this.lastDecision = epoch;
    this.decisions++;
  }

  end(env: ProverNetworkEnv): void {
    this.closeWindow(env.rows, env.rows.length);
    if (this.learning && this.decisions > 0) this.update();
  }

  /** The calibration each episode starts from. */
  get start(): ParamValues {
    return this.state.start;
  }

  /** The calibration in force now. */
  get params(): ParamValues {
    return this.current;
  }

  /**
   * Rewards the last decision with what the epochs it governed (lastDecision .. epoch - 1) added to
   * the episode's objective: the change in epochs x objective of all epochs since the warm-up
   * (weighted KPI sum - constraintPenalty x violations). Ratio KPIs thus weigh each window by its
   * share of transactions or blocks, and an episode's rewards sum to its epochs x its objective.
   */
  private closeWindow(rows: readonly EpochRow[], epoch: number): void {
    const cumulative = this.cumulative(rows, epoch) - (this.reference ? this.cumulative(this.reference, epoch) : 0);
    if (this.lastDecision >= 0 && epoch > this.lastDecision) {
      const reward = (cumulative - this.lastCumulative) / this.state.everyEpochs;
      this.rewards[this.decisions - 1] = reward;
      this.episodeReward += reward;
    }
    this.lastCumulative = cumulative;
  }

  /** Epochs x the objective (constraint penalty included) over epochs warm-up .. epoch - 1. */
  private cumulative(rows: readonly EpochRow[], epoch: number): number {
    const from = this.objective.warmupEpochs;
    if (epoch <= from) return 0;
    const kpis = windowKpis(rows.slice(from, epoch));
    const violations = Math.min(constraintViolations(kpis, this.objective).total, 1);
    return (epoch - from) * (weightedSum(kpis, this.objective) - this.options.constraintPenalty * violations);
  }

  private encode(env: ProverNetworkEnv, epoch: number, x: Float32Array): void {
    const rows = env.rows;
    const last = rows[rows.length - 1]!;
    const window = windowKpis(rows.slice(Math.max(0, epoch - this.state.everyEpochs), epoch));
    const exp = env.experiment;
    const hour = exp.demand.startHourUtc + (epoch * exp.time.slotSeconds * exp.time.slotsPerEpoch) / 3600;
    const angle = (2 * Math.PI * hour) / 24;
    x[0] = Math.sin(angle);
    x[1] = Math.cos(angle);
    x[2] = last.demandIndex - 1;
    x[3] = last.demandIndex - this.lastDemand;
    x[4] = Math.log1p(last.backlogTx / exp.demand.maxTxPerBlock) / 3;
    x[5] = last.activeProvers / Math.max(1, env.provers.n);
    x[6] = last.emergencyShare;
    x[7] = Number.isFinite(window.liveness) ? window.liveness : 1;
    x[8] = signedLog(window.rewardsPerTxUsd);
    x[9] = window.duplicateWorkShare;
    x[10] = Math.max(-1, Math.min(1, window.profitMargin));
    x[11] = window.latencyMeanS / 600;
    const span = this.state.levels * this.state.levelStep;
    for (let h = 0; h < this.space.dim; h++) x[SIGNALS + h] = (this.point[h]! - this.startPoint[h]!) / span;
    for (let k = 0; k < x.length; k++) if (!Number.isFinite(x[k]!)) x[k] = 0;
    this.lastDemand = last.demandIndex;
  }

  /** Adds the episode's decisions to the next PPO batch (updating every `episodesPerUpdate` episodes); rewards standardised by their running mean and variance. */
  private update(): void {
    const n = this.decisions;
    const s = this.state;
    for (let k = 0; k < n; k++) {
      const r = this.rewards[k]!;
      s.rewardCount++;
      const delta = r - s.rewardMean;
      s.rewardMean += delta / s.rewardCount;
      s.rewardVariance += (delta * (r - s.rewardMean) - s.rewardVariance) / s.rewardCount;
    }
    const sd = Math.sqrt(s.rewardVariance) || 1;
    for (let k = 0; k < n; k++) this.rewards[k] = this.rewards[k]! - s.rewardMean;
    this.values[n] = 0;
    advantageEstimates(this.rewards, this.values, 1, n, this.options.gamma, this.options.lambda, () => sd, this.advantages, this.returns);
    const H = this.heads.length;
    this.pending.push({
      rows: n,
      inputs: this.buffer.inputs.slice(0, n * this.inputs),
      actions: this.buffer.actions.slice(0, n * H),
      logProbs: this.buffer.logProbs.slice(0, n),
      advantages: this.advantages.slice(0, n),
      returns: this.returns.slice(0, n),
    });
    s.trainedEpisodes++;
    if (this.pending.length >= this.options.episodesPerUpdate) {
      this.net.update(concatBatches(this.pending), this.options, this.entropyWeight);
      this.pending = [];
    }
  }

  /** The inputs of the last episode's decisions, one array each. */
  decisionInputs(): Float32Array[] {
    return Array.from({ length: this.decisions }, (_, d) => this.buffer.inputs.slice(d * this.inputs, (d + 1) * this.inputs));
  }

  /** Each controlled parameter's expected target offset from the start (share of its range; + up) at the given inputs. */
  expectedOffsets(inputs: Float32Array): Float64Array {
    const { probs } = this.net.forward(inputs, 1);
    const L = this.state.levels;
    return Float64Array.from(this.space.specs, (_, h) => {
      let offset = 0;
      for (let k = 0; k <= 2 * L; k++) offset += probs[h * (2 * L + 1) + k]! * (k - L) * this.state.levelStep;
      return offset;
    });
  }

  /** Saves weights and state as dir/model.json + dir/weights.bin; returns the model.json path. */
  save(dir: string, backend: string): string {
    return this.net.save(dir, { inputs: this.inputNames(), actions: this.actionNames(), backend, controller: this.state });
  }

  dispose(): void {
    this.net.dispose();
  }
}

/** The entropy weight of controller training episode `k` of `total`. */
export function controllerEntropy(options: ControllerOptions, k: number, total: number): number {
  return annealed(options.entropyStart, options.entropyEnd, k, Math.max(1, total - 1));
}

/** Several episodes' decisions as one PPO batch. */
function concatBatches(batches: readonly PpoBatch[]): PpoBatch {
  if (batches.length === 1) return batches[0]!;
  const join = <T extends Float32Array | Int32Array>(key: keyof Omit<PpoBatch, "rows">, make: (n: number) => T): T => {
    const out = make(batches.reduce((sum, b) => sum + b[key].length, 0));
    let at = 0;
    for (const b of batches) {
      out.set(b[key], at);
      at += b[key].length;
    }
    return out;
  };
  return {
    rows: batches.reduce((sum, b) => sum + b.rows, 0),
    inputs: join("inputs", (n) => new Float32Array(n)),
    actions: join("actions", (n) => new Int32Array(n)),
    logProbs: join("logProbs", (n) => new Float32Array(n)),
    advantages: join("advantages", (n) => new Float32Array(n)),
    returns: join("returns", (n) => new Float32Array(n)),
  };
}
