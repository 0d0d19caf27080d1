import { ConfigError } from "../../src/config/errors.js";
import type { PolicyNetworkOptions } from "./policyNetworkSchema.js";
import type { Observation, ProverActions } from "../../src/env/spaces.js";
import { ActorCritic, advantageEstimates, annealed, chooseActions } from "../../src/ml/actorCritic.js";
import { readModelFile } from "../../src/ml/modelFile.js";
import type { Stream } from "../../src/rng/streams.js";
import { actionChoices, applyChoice, type ActionChoice } from "./actionTable.js";
import { encodeInputs, INPUTS, NETWORK_INPUTS } from "./networkInputs.js";
import type { ProverPolicy } from "./policy.js";

const FILE_FIELD = "provers.policyNetwork.file";

/** What `reset` starts an episode from: weights (null: fresh seeded ones) and the epochs they were trained on. */
interface Start {
  weights: Float32Array[] | null;
  trainedEpochs: number;
}

/**
 * One policy network shared by every prover it owns: an MLP over each prover's inputs (its state,
 * its type and the public signals) with a softmax over leave / half / full capacity and a value
 * head. Each epoch runs one batched forward pass over all its provers. With `learn`, it trains in the
 * episode by PPO (GAE, entropy bonus annealed over the epochs trained), one update every
 * `updateEpochs` epochs of every prover's experience. Each prover's rewards (USD of profit) are
 * divided by their running RMS in the episode, so provers whose profits differ a thousandfold weigh
 * alike in an update and one learning rate serves them all.
 */
export class PolicyNetwork implements ProverPolicy {
  readonly name = "policy-network";
  private readonly net: ActorCritic;
  private readonly choices: readonly ActionChoice[];
  private readonly heads: number[];
  private start: Start = { weights: null, trainedEpochs: 0 };
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
    const loaded = options.file ? readModelFile(options.file, FILE_FIELD, { inputs: NETWORK_INPUTS, actions: options.actions }) : null;
    this.choices = actionChoices(options.actions);
    this.heads = [this.choices.length];
    this.net = new ActorCritic(INPUTS, loaded ? loaded.meta.hidden : options.hidden, this.heads);
    if (loaded) {
      if (!this.net.fits(loaded.weights.map((w) => w.shape))) {
        this.net.dispose();
        throw new ConfigError(FILE_FIELD, `${options.file}: the weights do not fit the network its hidden sizes describe; train it again`);
      }
      this.start = { weights: loaded.weights.map((w) => w.values), trainedEpochs: Number(loaded.meta.trainedEpochs) };
    }
  }

  reset(n: number, stream: Stream): void {
    const owned: number[] = [];
    for (let i = 0; i < n; i++) if (!this.ownedMask || this.ownedMask[i]) owned.push(i);
    this.owned = Int32Array.from(owned);
    this.rng = stream.child("actions");
    this.net.initialize(this.start.weights, stream.child("init"), this.options.learningRate);
    this.trainedEpochs = this.start.trainedEpochs;
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
    const at = this.step * m;
    for (let j = 0; j < m; j++) {
      this.logProbs[at + j] = chooseActions(probs, j, this.heads, this.rng, this.actions, at + j);
      applyChoice(obs, this.owned[j]!, this.choices[this.actions[at + j]!]!, a);
    }
  }

  /** Action probabilities of the rollout's step starting at row `slot`; fills its values too. */
  private forward(slot: number): Float32Array {
    const m = this.owned.length;
    const { probs, values } = this.net.forward(this.inputs.subarray(slot * INPUTS), m);
    this.values.set(values, slot);
    return probs;
  }

  observe(reward: Float64Array, _obs: Observation, done: boolean): void {
    const m = this.owned.length;
    if (m === 0 || !this.options.learn) return;
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
    const inputs = new Float32Array(m * INPUTS);
    for (let j = 0; j < m; j++) encodeInputs(obs, this.owned[j]!, inputs, j * INPUTS);
    return this.net.forward(inputs, m).probs;
  }

  /** One PPO update on the steps before row `end`, bootstrapping from the values at row `end`. */
  private update(end: number): void {
    const m = this.owned.length;
    const steps = end / m;
    if (steps === 0) return;
    const o = this.options;
    const scale = (j: number) => Math.sqrt(this.rewardMeanSquare[j]!) || 1;
    advantageEstimates(this.rewards, this.values, m, steps, o.gamma, o.lambda, scale, this.advantages, this.returns);
    const batch = {
      rows: end,
      inputs: this.inputs,
      actions: this.actions,
      logProbs: this.logProbs,
      advantages: this.advantages,
      returns: this.returns,
    };
    this.net.update(batch, o, annealed(o.entropyStart, o.entropyEnd, this.trainedEpochs, o.annealEpochs));
  }

  /** Epochs of experience behind the current weights, the loaded file's included. */
  get epochsTrained(): number {
    return this.trainedEpochs;
  }

  /** The weights trained so far become the ones every later `reset` starts from (training across episodes). */
  commit(): void {
    this.start = { weights: this.net.weights(), trainedEpochs: this.trainedEpochs };
  }

  /** Saves the current weights and training history as dir/model.json + dir/weights.bin; returns the model.json path. */
  save(dir: string, backend: string): string {
    return this.net.save(dir, { inputs: NETWORK_INPUTS, actions: this.options.actions, backend, trainedEpochs: this.trainedEpochs });
  }

  dispose(): void {
    this.net.dispose();
  }
}
