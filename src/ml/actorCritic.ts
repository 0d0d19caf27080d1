import type * as TF from "@tensorflow/tfjs";
import type { Stream } from "../rng/streams.js";
import { saveModelFile, type ModelMeta } from "./modelFile.js";
import { tensorflow } from "./tensorflow.js";

/** PPO settings shared by every network trained here. */
export interface PpoSettings {
  learningRate: number;
  /** Gradient passes over each update's batch. */
  passes: number;
  clip: number;
  valueWeight: number;
}

/** One PPO batch: `rows` decisions, each with its inputs, one action per head, and what the update needs. */
export interface PpoBatch {
  rows: number;
  inputs: Float32Array;
  /** rows x heads */
  actions: Int32Array;
  logProbs: Float32Array;
  advantages: Float32Array;
  returns: Float32Array;
}

/**
 * An MLP (tanh) with categorical heads — one softmax per head, so a decision may be several
 * independent choices — and a value head, trained by PPO (clipped ratio, value loss, entropy bonus)
 * with Adam. Weights come from the caller's seeded stream, never from TensorFlow.js's own generator.
 */
export class ActorCritic {
  private readonly tf = tensorflow();
  readonly model: TF.LayersModel;
  /** Sum of the head sizes: the width of a probability row. */
  readonly width: number;
  private optimizer: TF.Optimizer | null = null;

  constructor(
    readonly inputs: number,
    readonly hidden: readonly number[],
    readonly heads: readonly number[],
    /** Fresh logits' biases (width values; default 0): a prior over the choices before any training. */
    private readonly logitBias: Float32Array | null = null,
  ) {
    const tf = this.tf;
    this.width = heads.reduce((s, k) => s + k, 0);
    const input = tf.input({ shape: [inputs] });
    let h: TF.SymbolicTensor = input;
    for (const units of hidden) h = tf.layers.dense({ units, activation: "tanh" }).apply(h) as TF.SymbolicTensor;
    const logits = tf.layers.dense({ units: this.width }).apply(h) as TF.SymbolicTensor;
    const value = tf.layers.dense({ units: 1 }).apply(h) as TF.SymbolicTensor;
    this.model = tf.model({ inputs: input, outputs: [logits, value] });
  }

  /** Sets the weights (fresh ones from `stream` when null) and starts a new optimizer. */
  initialize(weights: readonly Float32Array[] | null, stream: Stream, learningRate: number): void {
    this.setWeights(weights ?? this.freshWeights(stream));
    this.optimizer?.dispose();
    this.optimizer = this.tf.train.adam(learningRate);
  }

  /** Replaces the weights (in `weights()` order), keeping the optimizer. */
  setWeights(values: readonly Float32Array[]): void {
    const tensors = this.model.getWeights().map((w, k) => this.tf.tensor(values[k]!, w.shape));
    this.model.setWeights(tensors);
    tensors.forEach((t) => t.dispose());
  }

  /** Glorot-uniform kernels, zero biases (the logits' from `logitBias`); the output layers start near zero (values near 0, choices at the prior). */
  private freshWeights(stream: Stream): Float32Array[] {
    const current = this.model.getWeights();
    const layers = current.length / 2;
    return current.map((w, k) => {
      const values = new Float32Array(w.size);
      if (w.shape.length === 2) {
        const [fanIn, fanOut] = w.shape as [number, number];
        const limit = Math.sqrt(6 / (fanIn + fanOut)) * (Math.floor(k / 2) >= layers - 2 ? 0.01 : 1);
        for (let j = 0; j < values.length; j++) values[j] = (2 * stream.uniform() - 1) * limit;
      } else if (k === current.length - 3 && this.logitBias) values.set(this.logitBias);
      return values;
    });
  }

  /** Whether saved weight shapes fit this network. */
  fits(shapes: readonly (readonly number[])[]): boolean {
    const own = this.model.getWeights().map((w) => w.shape.join("x"));
    return shapes.length === own.length && shapes.every((s, k) => s.join("x") === own[k]);
  }

  /** Copies of the current weights. */
  weights(): Float32Array[] {
    return this.model.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array));
  }

  /** Saves the current weights as dir/model.json + dir/weights.bin, with `meta` (and the hidden sizes) under `proverlab`; returns the model.json path. */
  save(dir: string, meta: Pick<ModelMeta, "inputs" | "actions" | "backend"> & Record<string, unknown>): string {
    const shapes = this.model.getWeights().map((w) => w.shape);
    const weights = this.weights().map((values, k) => ({ name: this.model.weights[k]!.name, shape: shapes[k]!, values }));
    return saveModelFile(dir, this.model.toJSON(null, false) as object, weights, { ...meta, hidden: [...this.hidden] });
  }

  /** One batched forward pass over `rows` input rows: per-head probabilities (rows x width) and values. */
  forward(inputs: Float32Array, rows: number): { probs: Float32Array; values: Float32Array } {
    const tf = this.tf;
    return tf.tidy(() => {
      const x = tf.tensor2d(inputs.subarray(0, rows * this.inputs), [rows, this.inputs]);
      const [logits, value] = this.model.predict(x, { batchSize: rows }) as TF.Tensor[];
      const probs = this.perHead(logits!, (t) => tf.softmax(t));
      return { probs: probs.dataSync() as Float32Array, values: value!.dataSync() as Float32Array };
    });
  }

  private perHead(logits: TF.Tensor, f: (t: TF.Tensor) => TF.Tensor): TF.Tensor {
    if (this.heads.length === 1) return f(logits);
    return this.tf.concat(this.tf.split(logits, [...this.heads], 1).map(f), 1);
  }

  /** `passes` Adam steps on the PPO loss over the whole batch. */
  update(batch: PpoBatch, settings: PpoSettings, entropyWeight: number): void {
    const tf = this.tf;
    const { rows } = batch;
    const mask = new Float32Array(rows * this.width);
    const H = this.heads.length;
    for (let r = 0; r < rows; r++) {
      let offset = r * this.width;
      for (let h = 0; h < H; h++) {
        mask[offset + batch.actions[r * H + h]!] = 1;
        offset += this.heads[h]!;
      }
    }
    const x = tf.tensor2d(batch.inputs.subarray(0, rows * this.inputs), [rows, this.inputs]);
    const chosen = tf.tensor2d(mask, [rows, this.width]);
    const oldLogProbs = tf.tensor1d(batch.logProbs.subarray(0, rows));
    const adv = tf.tensor1d(batch.advantages.subarray(0, rows));
    const ret = tf.tensor1d(batch.returns.subarray(0, rows));
    const { clip, valueWeight } = settings;
    for (let pass = 0; pass < settings.passes; pass++) {
      this.optimizer!.minimize(() => {
        const [logits, value] = this.model.apply(x, { training: true }) as TF.Tensor[];
        const logAll = this.perHead(logits!, (t) => tf.logSoftmax(t));
        const ratio = tf.exp(tf.sub(tf.sum(tf.mul(logAll, chosen), 1), oldLogProbs));
        const surrogate = tf.minimum(tf.mul(ratio, adv), tf.mul(tf.clipByValue(ratio, 1 - clip, 1 + clip), adv));
        const valueLoss = tf.mean(tf.square(tf.sub(tf.squeeze(value!, [1]), ret)));
        const entropy = tf.mean(tf.neg(tf.sum(tf.mul(tf.exp(logAll), logAll), 1)));
        return tf.sub(tf.add(tf.neg(tf.mean(surrogate)), tf.mul(valueWeight, valueLoss)), tf.mul(entropyWeight, entropy)) as TF.Scalar;
      });
    }
    tf.dispose([x, chosen, oldLogProbs, adv, ret]);
  }

  dispose(): void {
    this.optimizer?.dispose();
    this.optimizer = null;
    this.model.dispose();
  }
}

/**
 * Samples one action per head from row `row` of `probs` with uniforms from `rng` (greedy: the most
 * probable, lowest index on ties); writes them to actions[at..] and returns their summed log-probability.
 */
export function chooseActions(
  probs: Float32Array,
  row: number,
  heads: readonly number[],
  rng: Stream | null,
  actions: Int32Array,
  at: number,
): number {
  let offset = row * heads.reduce((s, k) => s + k, 0);
  let logProb = 0;
  for (let h = 0; h < heads.length; h++) {
    const k = heads[h]!;
    let action = 0;
    if (rng) {
      const u = rng.uniform();
      let cumulative = probs[offset]!;
      while (action < k - 1 && u >= cumulative) cumulative += probs[offset + ++action]!;
    } else {
      for (let a = 1; a < k; a++) if (probs[offset + a]! > probs[offset + action]!) action = a;
    }
    actions[at + h] = action;
    logProb += Math.log(Math.max(probs[offset + action]!, 1e-30));
    offset += k;
  }
  return logProb;
}

/**
 * GAE over `m` parallel streams of `steps` steps (row t*m + j), bootstrapping from the values at row
 * steps*m; rewards are divided by scale(j). Writes advantages (normalised over the batch) and returns.
 */
export function advantageEstimates(
  rewards: Float32Array,
  values: Float32Array,
  m: number,
  steps: number,
  gamma: number,
  lambda: number,
  scale: (j: number) => number,
  advantages: Float32Array,
  returns: Float32Array,
): void {
  const end = steps * m;
  for (let j = 0; j < m; j++) {
    const s = scale(j);
    let next = 0;
    for (let t = steps - 1; t >= 0; t--) {
      const k = t * m + j;
      const delta = rewards[k]! / s + gamma * values[k + m]! - values[k]!;
      next = delta + gamma * lambda * next;
      advantages[k] = next;
      returns[k] = next + values[k]!;
    }
  }
  let mean = 0;
  for (let k = 0; k < end; k++) mean += advantages[k]!;
  mean /= end;
  let variance = 0;
  for (let k = 0; k < end; k++) variance += (advantages[k]! - mean) ** 2;
  const sd = Math.sqrt(variance / end) + 1e-8;
  for (let k = 0; k < end; k++) advantages[k] = (advantages[k]! - mean) / sd;
}

/** The entropy weight after `trained` of `anneal` steps, linear from start to end. */
export function annealed(start: number, end: number, trained: number, anneal: number): number {
  return start + (end - start) * Math.min(1, trained / Math.max(1, anneal));
}
