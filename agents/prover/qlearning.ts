import { NF, PF, PROVER_FEATURES, type Observation, type ProverActions } from "../../src/env/spaces.js";
import type { Stream } from "../../src/rng/streams.js";
import { applyChoice, HONEST_CHOICES, type ActionChoice } from "./actionTable.js";
import type { ProverPolicy } from "./policy.js";

export interface QLearningOptions {
  /** Learning rate. */
  alpha: number;
  /** Discount per epoch. */
  gamma: number;
  epsilonStart: number;
  epsilonEnd: number;
  /** Epochs over which exploration decays linearly from start to end. */
  decayEpochs: number;
  /**
   * The order in which a learner tries the actions it has never taken in a state: `in-order`
   * (default: table order, so provers that meet a new state in the same epoch all try `leave`
   * first and leave together) or `shuffled` (each prover draws them from its own stream).
   */
  firstTries?: FirstTries;
}

export const FIRST_TRIES = ["in-order", "shuffled"] as const;
export type FirstTries = (typeof FIRST_TRIES)[number];

/**
 * Binary signals a learner may add to its state, each doubling the states: the network is in
 * emergency mode; transactions wait in the mempool (backlog); the prover holds assignments at the
 * epoch's end (its queue, withheld ones included); the L1 verification cost is above what the base
 * reward covers by more than L1_SPIKE (work that verifies on L1 may not pay); the prover holds added
 * agents (proving or ordered), so the worth of keeping them is learnt apart from that of adding them.
 */
export const STATE_SIGNALS = ["emergency", "backlog", "holding", "l1-spike", "agents"] as const;
export type StateSignal = (typeof STATE_SIGNALS)[number];

/** What a learner can do and see; the default is the honest learner of the experiments. */
export interface QLearningSpec {
  /** The discrete choices (default: the honest ones of actionTable.ts). */
  readonly actions?: readonly ActionChoice[];
  /** Signals added to the state (default none: 12 states). */
  readonly signals?: readonly StateSignal[];
}

/** The `l1-spike` signal: the L1 verification cost now over the one the base reward covers. */
export const L1_SPIKE = 1.25;

/** registered x eligible x demand bucket (below 0.8, 0.8-1.25, above 1.25). */
const BASE_STATES = 2 * 2 * 3;
const F = PROVER_FEATURES.length;

/**
 * Tabular Q-learning, one table per prover: state = (registered, eligible, demand bucket, and any
 * added signals), action = one of a table of discrete choices (the honest ones by default; the
 * exploit audit adds adversarial ones; outside the network only staying out or joining, see
 * `outsideChoices`), reward = the epoch's accrual profit (USD). Every open action is tried once in a
 * state (in `firstTries` order) before the greedy choice is trusted there; step sizes
 * are max(alpha, 1/visits), so early estimates are sample averages; on top, epsilon-greedy exploration
 * decays linearly. Tables, visit counts and the last state and action live in typed arrays.
 */
export class QLearningPolicy implements ProverPolicy {
  readonly name = "q-learning";
  readonly choices: readonly ActionChoice[];
  private readonly nActions: number;
  private readonly nStates: number;
  private readonly signals: readonly StateSignal[];
  /** 1 for the choices open to a prover outside the network: stay out, or join at full service. */
  private readonly outside: Uint8Array;
  private readonly outsideCount: number;
  private q = new Float64Array(0);
  private visits = new Float64Array(0);
  private lastState = new Int32Array(0);
  private lastAction = new Int32Array(0);
  private streams: Stream[] = [];
  private epoch = 0;

  constructor(
    private readonly options: QLearningOptions,
    /** Provers this policy controls (all when null). */
    private readonly owned: Uint8Array | null = null,
    spec: QLearningSpec = {},
  ) {
    this.choices = spec.actions ?? HONEST_CHOICES;
    if (this.choices.length === 0) throw new Error("a Q-learner needs at least one action");
    this.nActions = this.choices.length;
    this.signals = spec.signals ?? [];
    this.nStates = BASE_STATES * 2 ** this.signals.length;
    this.outside = outsideChoices(this.choices);
    this.outsideCount = this.outside.reduce((sum, v) => sum + v, 0);
  }

  /** States per prover. */
  get states(): number {
    return this.nStates;
  }

  reset(n: number, stream: Stream): void {
    this.q = new Float64Array(n * this.nStates * this.nActions);
    this.visits = new Float64Array(n * this.nStates * this.nActions);
    this.lastState = new Int32Array(n).fill(-1);
    this.lastAction = new Int32Array(n);
    this.streams = Array.from({ length: n }, (_, i) => stream.child(i));
    this.epoch = 0;
  }

  act(obs: Observation, a: ProverActions): void {
    const o = this.options;
    const progress = Math.min(1, this.epoch / Math.max(1, o.decayEpochs));
    const epsilon = o.epsilonStart + (o.epsilonEnd - o.epsilonStart) * progress;
    for (let i = 0; i < obs.n; i++) {
      if (this.owned && !this.owned[i]) continue;
      const s = this.stateOf(obs, i);
      const rng = this.streams[i]!;
      const untried = this.untried(i, s, rng);
      const action = untried >= 0 ? untried : rng.uniform() < epsilon ? this.explore(s, rng) : this.greedy(i, s);
      this.lastState[i] = s;
      this.lastAction[i] = action;
      applyChoice(obs, i, this.choices[action]!, a);
    }
    this.epoch++;
  }

  observe(reward: Float64Array, obs: Observation, done: boolean): void {
    const { alpha, gamma } = this.options;
    const A = this.nActions;
    for (let i = 0; i < obs.n; i++) {
      if ((this.owned && !this.owned[i]) || this.lastState[i]! < 0) continue;
      const cell = (i * this.nStates + this.lastState[i]!) * A + this.lastAction[i]!;
      const s = this.stateOf(obs, i);
      const next = done ? 0 : this.q[(i * this.nStates + s) * A + this.greedy(i, s)]!;
      const step = Math.max(alpha, 1 / ++this.visits[cell]!);
      this.q[cell]! += step * (reward[i]! + gamma * next - this.q[cell]!);
    }
  }

  /** The open action with the highest value in state s (the lowest index on ties). */
  greedy(prover: number, s: number): number {
    const A = this.nActions;
    const base = (prover * this.nStates + s) * A;
    const out = isOutside(s);
    let best = -1;
    for (let k = 0; k < A; k++) {
      if (out && !this.outside[k]) continue;
      if (best < 0 || this.q[base + k]! > this.q[base + best]!) best = k;
    }
    return best;
  }

  /** A uniform draw among the actions open in state s. */
  private explore(s: number, rng: Stream): number {
    if (!isOutside(s)) return rng.int(this.nActions);
    let pick = rng.int(this.outsideCount);
    for (let k = 0; k < this.nActions; k++) if (this.outside[k] && pick-- === 0) return k;
    return -1;
  }

  /** The index (into `choices`) of the action prover i took at the last `act`, or -1 before any. */
  lastActionOf(prover: number): number {
    return this.lastState[prover]! < 0 ? -1 : this.lastAction[prover]!;
  }

  /** An action the prover never took in state s (the first, or a uniform draw when shuffled), or -1. */
  private untried(prover: number, s: number, rng: Stream): number {
    const A = this.nActions;
    const base = (prover * this.nStates + s) * A;
    const out = isOutside(s);
    let count = 0;
    for (let k = 0; k < A; k++) if (this.visits[base + k] === 0 && (!out || this.outside[k])) count++;
    if (count === 0) return -1;
    let pick = this.options.firstTries === "shuffled" ? rng.int(count) : 0;
    for (let k = 0; k < A; k++) if (this.visits[base + k] === 0 && (!out || this.outside[k]) && pick-- === 0) return k;
    return -1;
  }

  private stateOf(obs: Observation, i: number): number {
    const registered = obs.prover[i * F + PF.registered]! > 0 ? 1 : 0;
    const eligible = obs.prover[i * F + PF.eligible]! > 0 ? 1 : 0;
    const d = obs.network[NF.demandIndex]!;
    const bucket = d < 0.8 ? 0 : d <= 1.25 ? 1 : 2;
    let s = (registered * 2 + eligible) * 3 + bucket;
    for (let k = 0, size = BASE_STATES; k < this.signals.length; k++, size *= 2) if (signalOn(obs, i, this.signals[k]!)) s += size;
    return s;
  }
}

/** States of an unregistered prover (the registered bit of the base state is 0). */
function isOutside(s: number): boolean {
  return s % BASE_STATES < 6;
}

/**
 * Outside the network, the choices that join differ only in how the prover operates once in, which
 * it chooses again an epoch later: an unregistered learner chooses between its choices that stay out
 * and one that joins (`full`, else the first joining choice in its table).
 */
function outsideChoices(choices: readonly ActionChoice[]): Uint8Array {
  const open = Uint8Array.from(choices, (c) => (c.active === 0 ? 1 : 0));
  let join = choices.findIndex((c) => c.name === "full");
  if (join < 0) join = choices.findIndex((c) => c.active === 1);
  if (join >= 0) open[join] = 1;
  return open;
}

function signalOn(obs: Observation, i: number, signal: StateSignal): boolean {
  switch (signal) {
    case "emergency":
      return obs.network[NF.emergency]! > 0;
    case "backlog":
      return obs.network[NF.backlogBlocks]! > 0;
    case "holding":
      return obs.prover[i * F + PF.queueLength]! > 0;
    case "agents":
      return obs.prover[i * F + PF.extraAgents]! + obs.prover[i * F + PF.pendingAgents]! > 0;
    case "l1-spike":
      return obs.network[NF.verifyCostUsd]! > L1_SPIKE * obs.network[NF.l1CostEstimateUsd]!;
  }
}
