import type * as TF from "@tensorflow/tfjs";
import type { PolicyNetworkOptions } from "../../src/config/schema.js";
import type { Observation, ProverActions } from "../../src/env/spaces.js";
import { tensorflow } from "../../src/ml/tensorflow.js";
import type { Stream } from "../../src/rng/streams.js";
import { applyCapacityAction, CAPACITY_ACTION_NAMES } from "./capacityActions.js";
import { encodeInputs, INPUTS, NETWORK_INPUTS } from "./networkInputs.js";
import { readPolicyFile, savePolicyFile, type PolicyMeta, type WeightTensor } from "./policyFile.js";
import type { ProverPolicy } from "./policy.js";

const ACTIONS = CAPACITY_ACTION_NAMES.length;

/** What `reset` starts an episode from: weights (null: fresh seeded ones) and the epochs they were trained on. */
interface Start {
  weights: Float32Array[] | null;
  trainedEpochs: number;
}

/**
 * One policy network shared by every prover it owns: an MLP over each prover's inputs (its state,
 * its type and the public signals) with a softmax head over leave / half / full capacity and a value
 * head. Each epoch runs one batched forward pass over all its provers. With `learn`, it trains in the
 * episode by PPO (clipped ratio, GAE, entropy bonus annealed over the epochs trained), one update
 * every `updateEpochs` epochs of every prover's experience. Each prover's rewards (USD of profit) are
 * divided by their running RMS in the episode, so provers whose profits differ a thousandfold weigh
 * alike in an update and one learning rate serves them all.
 */
export class PolicyNetwork implements ProverPolicy {
  readonly name = "policy-network";
  private readonly tf = tensorflow();
  private readonly model: TF.LayersModel;
  private readonly hidden: number[];
  private start: Start;
  private optimizer: TF.Optimizer | null = null;
  private rng: Stream | null = null;
  private owned = new Int32Array(0);
  private trainedEpochs = 0;
  private rewardMeanSquare = new Float64Array(0);
  private step = 0;
  // The rollout: step t's inputs, actions, log-probabilities, values and rewards, for every owned prover.
  private inputs = new Float32Array(0);
  private actions = new Int32Array(0);
  private logProbs = new Float32Array(0);
  private values = new Float32Array(0);
  private rewards = new Float32Array(0);
  private advantages = new Float32Array(0);
  private returns = new Float32Array(0);

  constructor(
    private readonly options: PolicyNetworkOptions,
    /** Provers this policy controls (all when null). */
    private readonly ownedMask: Uint8Array | null = null,
  ) {
    const loaded = options.file ? readPolicyFile(options.file, "provers.policyNetwork.file") : null;
    this.hidden = loaded ? loaded.meta.hidden : [...options.hidden];
    this.model = this.build();
    this.start = { weights: null, trainedEpochs: 0 };
    if (loaded) {
      const shapes = this.model.getWeights().map((w) => w.shape.join("x"));
      if (loaded.weights.map((w) => w.shape.join("x")).join(",") !== shapes.join(",")) {
        this.model.dispose();
        throw new Error(`${options.file}: the weights do not fit the network its hidden sizes describe`);
      }
      this.start = { weights: loaded.weights.map((w) => w.values), trainedEpochs: loaded.meta.trainedEpochs };
    }
  }

  private build(): TF.LayersModel {
    const tf = this.tf;
    const input = tf.input({ shape: [INPUTS] });
    let h: TF.SymbolicTensor = input;
    for (const units of this.hidden) h = tf.layers.dense({ units, activation: "tanh" }).apply(h) as TF.SymbolicTensor;
    const logits = tf.layers.dense({ units: ACTIONS }).apply(h) as TF.SymbolicTensor;
    const value = tf.layers.dense({ units: 1 }).apply(h) as TF.SymbolicTensor;
    return tf.model({ inputs: input, outputs: [logits, value] });
  }

  reset(n: number, stream: Stream): void {
    const owned: number[] = [];
    for (let i = 0; i < n; i++) if (!this.ownedMask || this.ownedMask[i]) owned.push(i);
    this.owned = Int32Array.from(owned);
    this.rng = stream.child("actions");
    this.setWeights(this.start.weights ?? this.freshWeights(stream.child("init")));
    this.trainedEpochs = this.start.trainedEpochs;
    this.optimizer?.dispose();
    this.optimizer = this.tf.train.adam(this.options.learningRate);
    const m = owned.length;
    const T = this.options.updateEpochs + 1;
    this.inputs = new Float32Array(T * m * INPUTS);
    this.actions = new Int32Array(T * m);
    this.logProbs = new Float32Array(T * m);
    this.values = new Float32Array(T * m);
    this.rewards = new Float32Array(T * m);
    this.rewardMeanSquare = new Float64Array(m);
    this.advantages = new Float32Array(T * m);
    this.returns = new Float32Array(T * m);
    this.step = 0;
  }

  /** Glorot-uniform kernels from the policy's own stream, zero biases; the output layers start near zero (a near-uniform policy). */
  private freshWeights(stream: Stream): Float32Array[] {
    const layers = this.model.getWeights().length / 2;
    return this.model.getWeights().map((w, k) => {
      const values = new Float32Array(w.size);
      if (w.shape.length === 2) {
        const [fanIn, fanOut] = w.shape as [number, number];
        const limit = Math.sqrt(6 / (fanIn + fanOut)) * (Math.floor(k / 2) >= layers - 2 ? 0.01 : 1);
        for (let j = 0; j < values.length; j++) values[j] = (2 * stream.uniform() - 1) * limit;
      }
      return values;
    });
  }

  private setWeights(values: readonly Float32Array[]): void {
    const tensors = this.model.getWeights().map((w, k) => this.tf.tensor(values[k]!, w.shape));
    this.model.setWeights(tensors);
    tensors.forEach((t) => t.dispose());
  }

  act(obs: Observation, a: ProverActions): void {
    const m = this.owned.length;
    if (m === 0) return;
    const slot = this.step * m;
    for (let j = 0; j < m; j++) encodeInputs(obs, this.owned[j]!, this.inputs, (slot + j) * INPUTS);
    let probs = this.forward(slot);
    if (this.options.learn && this.step === this.options.updateEpochs) {
      this.update(slot);
      this.inputs.copyWithin(0, slot * INPUTS, (slot + m) * INPUTS);
      this.step = 0;
      probs = this.forward(0);
    }
    const rng = this.rng!;
    const at = this.step * m;
    for (let j = 0; j < m; j++) {
      const u = rng.uniform();
      let action = 0;
      let cumulative = probs[j * ACTIONS]!;
      while (action < ACTIONS - 1 && u >= cumulative) cumulative += probs[j * ACTIONS + ++action]!;
      this.actions[at + j] = action;
      this.logProbs[at + j] = Math.log(Math.max(probs[j * ACTIONS + action]!, 1e-30));
      applyCapacityAction(obs, this.owned[j]!, action, a);
    }
  }

  /** Action probabilities of the rollout's step starting at row `slot`; fills the value column too. */
  private forward(slot: number): Float32Array {
    const m = this.owned.length;
    const tf = this.tf;
    const [probs, values] = tf.tidy(() => {
      const x = tf.tensor2d(this.inputs.subarray(slot * INPUTS, (slot + m) * INPUTS), [m, INPUTS]);
      const [logits, value] = this.model.predict(x, { batchSize: m }) as TF.Tensor[];
      return [tf.softmax(logits!).dataSync() as Float32Array, value!.dataSync() as Float32Array];
    });
    this.values.set(values, slot);
    return probs;
  }

  observe(reward: Float64Array, _obs: Observation, done: boolean): void {
    const m = this.owned.length;
    if (m === 0) return;
    if (!this.options.learn) return;
    const count = ++this.trainedEpochs - this.start.trainedEpochs;
    const at = this.step * m;
    for (let j = 0; j < m; j++) {
      const r = reward[this.owned[j]!]!;
      this.rewardMeanSquare[j]! += (r * r - this.rewardMeanSquare[j]!) / count;
      this.rewards[at + j] = r;
    }
    this.step++;
    if (done) {
      this.values.fill(0, this.step * m, (this.step + 1) * m);
      this.update(this.step * m);
      this.step = 0;
    }
  }

  /** Action probabilities for every owned prover (rows in prover order) at an observation. */
  probabilities(obs: Observation): Float32Array {
    const m = this.owned.length;
    const saved = this.inputs.slice(0, m * INPUTS);
    const savedValues = this.values.slice(0, m);
    for (let j = 0; j < m; j++) encodeInputs(obs, this.owned[j]!, this.inputs, j * INPUTS);
    const probs = this.forward(0);
    this.inputs.set(saved);
    this.values.set(savedValues);
    return probs;
  }

  /** One PPO update on the steps before row `end`, bootstrapping from the values at row `end`. */
  private update(end: number): void {
    const m = this.owned.length;
    const steps = end / m;
    if (steps === 0) return;
    const o = this.options;
    const advantages = this.advantages.subarray(0, end);
    const returns = this.returns.subarray(0, end);
    for (let j = 0; j < m; j++) {
      const scale = Math.sqrt(this.rewardMeanSquare[j]!) || 1;
      let next = 0;
      for (let t = steps - 1; t >= 0; t--) {
        const k = t * m + j;
        const delta = this.rewards[k]! / scale + o.gamma * this.values[k + m]! - this.values[k]!;
        next = delta + o.gamma * o.lambda * next;
        advantages[k] = next;
        returns[k] = next + this.values[k]!;
      }
    }
    let mean = 0;
    for (let k = 0; k < end; k++) mean += advantages[k]!;
    mean /= end;
    let variance = 0;
    for (let k = 0; k < end; k++) variance += (advantages[k]! - mean) ** 2;
    const sd = Math.sqrt(variance / end) + 1e-8;
    for (let k = 0; k < end; k++) advantages[k] = (advantages[k]! - mean) / sd;
    const progress = Math.min(1, this.trainedEpochs / o.annealEpochs);
    const entropyWeight = o.entropyStart + (o.entropyEnd - o.entropyStart) * progress;
    const tf = this.tf;
    const [x, actions, oldLogProbs, adv, ret] = [
      tf.tensor2d(this.inputs.subarray(0, end * INPUTS), [end, INPUTS]),
      tf.tidy(() => tf.oneHot(tf.tensor1d(this.actions.subarray(0, end), "int32"), ACTIONS)),
      tf.tensor1d(this.logProbs.subarray(0, end)),
      tf.tensor1d(advantages),
      tf.tensor1d(returns),
    ];
    for (let pass = 0; pass < o.passes; pass++) {
      this.optimizer!.minimize(() => {
        const [logits, value] = this.model.apply(x, { training: true }) as TF.Tensor[];
        const logAll = tf.logSoftmax(logits!);
        const ratio = tf.exp(tf.sub(tf.sum(tf.mul(logAll, actions), 1), oldLogProbs));
        const surrogate = tf.minimum(tf.mul(ratio, adv), tf.mul(tf.clipByValue(ratio, 1 - o.clip, 1 + o.clip), adv));
        const valueLoss = tf.mean(tf.square(tf.sub(tf.squeeze(value!, [1]), ret)));
        const entropy = tf.mean(tf.neg(tf.sum(tf.mul(tf.exp(logAll), logAll), 1)));
        return tf.sub(tf.add(tf.neg(tf.mean(surrogate)), tf.mul(o.valueWeight, valueLoss)), tf.mul(entropyWeight, entropy)) as TF.Scalar;
      });
    }
    tf.dispose([x, actions, oldLogProbs, adv, ret]);
  }

  /** Epochs of experience behind the current weights, the loaded file's included. */
  get epochsTrained(): number {
    return this.trainedEpochs;
  }

  /** The weights trained so far become the ones every later `reset` starts from (training across episodes). */
  commit(): void {
    this.start = {
      weights: this.model.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array)),
      trainedEpochs: this.trainedEpochs,
    };
  }

  /** Saves the current weights and training history as dir/model.json + dir/weights.bin; returns the model.json path. */
  save(dir: string, backend: string): string {
    const current = this.model.getWeights();
    const weights: WeightTensor[] = this.model.weights.map((w, k) => ({
      name: w.name,
      shape: w.shape as number[],
      values: Float32Array.from(current[k]!.dataSync() as Float32Array),
    }));
    const meta: PolicyMeta = {
      inputs: NETWORK_INPUTS,
      actions: CAPACITY_ACTION_NAMES,
      hidden: this.hidden,
      trainedEpochs: this.trainedEpochs,
      backend,
    };
    return savePolicyFile(dir, this.model.toJSON(null, false) as object, weights, meta);
  }

  dispose(): void {
    this.optimizer?.dispose();
    this.optimizer = null;
    this.model.dispose();
  }
}
