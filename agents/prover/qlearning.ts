import { NF, PF, PROVER_FEATURES, type Observation, type ProverActions } from "../../src/env/spaces.js";
import type { Stream } from "../../src/rng/streams.js";
import { applyCapacityAction, CAPACITY_ACTIONS } from "./capacityActions.js";
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
}

const ACTIONS = CAPACITY_ACTIONS.length;
/** registered x eligible x demand bucket (below 0.8, 0.8-1.25, above 1.25). */
const STATES = 2 * 2 * 3;
const F = PROVER_FEATURES.length;

/**
 * Tabular Q-learning, one table per prover: state = (registered, eligible, demand bucket),
 * action = leave / half capacity / full capacity, reward = the epoch's profit (USD). Every action is
 * tried once in a state before the greedy choice is trusted there; step sizes are max(alpha, 1/visits),
 * so early estimates are sample averages; on top, epsilon-greedy exploration decays linearly.
 * Tables, visit counts and the last state and action live in typed arrays.
 */
export class QLearningPolicy implements ProverPolicy {
  readonly name = "q-learning";
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
  ) {}

  reset(n: number, stream: Stream): void {
    this.q = new Float64Array(n * STATES * ACTIONS);
    this.visits = new Float64Array(n * STATES * ACTIONS);
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
      const s = stateOf(obs, i);
      const rng = this.streams[i]!;
      const untried = this.untried(i, s);
      const action = untried >= 0 ? untried : rng.uniform() < epsilon ? rng.int(ACTIONS) : this.greedy(i, s);
      this.lastState[i] = s;
      this.lastAction[i] = action;
      applyCapacityAction(obs, i, action, a);
    }
    this.epoch++;
  }

  observe(reward: Float64Array, obs: Observation, done: boolean): void {
    const { alpha, gamma } = this.options;
    for (let i = 0; i < obs.n; i++) {
      if ((this.owned && !this.owned[i]) || this.lastState[i]! < 0) continue;
      const cell = (i * STATES + this.lastState[i]!) * ACTIONS + this.lastAction[i]!;
      const s = stateOf(obs, i);
      const next = done ? 0 : this.q[(i * STATES + s) * ACTIONS + this.greedy(i, s)]!;
      const step = Math.max(alpha, 1 / ++this.visits[cell]!);
      this.q[cell]! += step * (reward[i]! + gamma * next - this.q[cell]!);
    }
  }

  /** The action with the highest value in state s (the lowest index on ties). */
  greedy(prover: number, s: number): number {
    const base = (prover * STATES + s) * ACTIONS;
    let best = 0;
    for (let k = 1; k < ACTIONS; k++) if (this.q[base + k]! > this.q[base + best]!) best = k;
    return best;
  }

  /** The first action never taken by the prover in state s, or -1. */
  private untried(prover: number, s: number): number {
    const base = (prover * STATES + s) * ACTIONS;
    for (let k = 0; k < ACTIONS; k++) if (this.visits[base + k] === 0) return k;
    return -1;
  }
}

function stateOf(obs: Observation, i: number): number {
  const registered = obs.prover[i * F + PF.registered]! > 0 ? 1 : 0;
  const eligible = obs.prover[i * F + PF.eligible]! > 0 ? 1 : 0;
  const d = obs.network[NF.demandIndex]!;
  const bucket = d < 0.8 ? 0 : d <= 1.25 ? 1 : 2;
  return (registered * 2 + eligible) * 3 + bucket;
}
