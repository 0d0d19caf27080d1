import { beforeAll, describe, expect, it } from "vitest";
import { ActorCritic, advantageEstimates, chooseActions } from "../../src/ml/actorCritic.js";
import { initTensorflow, tensorflow } from "../../src/ml/tensorflow.js";
import { Stream } from "../../src/rng/streams.js";

const SETTINGS = { learningRate: 0.01, passes: 4, clip: 0.2, valueWeight: 0.5 };

beforeAll(() => initTensorflow("wasm"));

describe("ActorCritic (PPO with several categorical heads)", () => {
  it("learns a contextual bandit whose best choice per head is known: head 0 follows the sign of the input, head 1 opposes it", () => {
    const net = new ActorCritic(1, [16], [3, 3]);
    net.initialize(null, Stream.root(1).child("init"), SETTINGS.learningRate);
    const rng = Stream.root(1).child("play");
    const rows = 64;
    const inputs = new Float32Array(rows);
    const actions = new Int32Array(rows * 2);
    const logProbs = new Float32Array(rows);
    const rewards = new Float32Array(rows);
    const values = new Float32Array(rows + rows);
    const advantages = new Float32Array(rows);
    const returns = new Float32Array(rows);
    for (let update = 0; update < 60; update++) {
      for (let r = 0; r < rows; r++) inputs[r] = rng.uniform() < 0.5 ? -1 : 1;
      const { probs, values: v } = net.forward(inputs, rows);
      for (let r = 0; r < rows; r++) {
        logProbs[r] = chooseActions(probs, r, [3, 3], rng, actions, r * 2);
        const want0 = inputs[r]! > 0 ? 2 : 0;
        const want1 = inputs[r]! > 0 ? 0 : 2;
        rewards[r] = (actions[r * 2] === want0 ? 1 : 0) + (actions[r * 2 + 1] === want1 ? 1 : 0);
        values[r] = v[r]!;
      }
      // One-step episodes: each row its own stream (m = rows, one step, bootstrap 0).
      values.fill(0, rows);
      advantageEstimates(rewards, values, rows, 1, 0.9, 0.9, () => 1, advantages, returns);
      net.update({ rows, inputs, actions, logProbs, advantages, returns }, SETTINGS, 0.001);
    }
    const { probs } = net.forward(Float32Array.from([1, -1]), 2);
    expect(probs[2]).toBeGreaterThan(0.9); // input +1: head 0 up
    expect(probs[3]).toBeGreaterThan(0.9); // input +1: head 1 down
    expect(probs[6]).toBeGreaterThan(0.9); // input -1: head 0 down
    expect(probs[11]).toBeGreaterThan(0.9); // input -1: head 1 up
    const greedy = new Int32Array(2);
    chooseActions(probs, 0, [3, 3], null, greedy, 0);
    expect(Array.from(greedy)).toEqual([2, 0]);
    net.dispose();
  });

  it("starts at its prior: logit biases set the untrained choice probabilities", () => {
    const bias = Float32Array.from([0, 2, 0]);
    const net = new ActorCritic(4, [8], [3], bias);
    net.initialize(null, Stream.root(2), 0.001);
    const { probs } = net.forward(new Float32Array(4), 1);
    const stay = Math.exp(2) / (2 + Math.exp(2));
    expect(probs[1]).toBeCloseTo(stay, 2);
    net.dispose();
  });

  it("GAE on a known sequence: rewards 1, 0, 1 with zero values and gamma = lambda = 1 give returns 2, 1, 1", () => {
    const adv = new Float32Array(3);
    const ret = new Float32Array(3);
    advantageEstimates(Float32Array.from([1, 0, 1]), new Float32Array(4), 1, 3, 1, 1, () => 1, adv, ret);
    expect(Array.from(ret)).toEqual([2, 1, 1]);
    // advantages are normalised: mean 0, unit variance
    expect(adv.reduce((s, x) => s + x, 0)).toBeCloseTo(0, 6);
  });

  it("frees every tensor it made", () => {
    const before = tensorflow().memory().numTensors;
    const net = new ActorCritic(3, [4], [2]);
    net.initialize(null, Stream.root(3), 0.01);
    net.forward(new Float32Array(3), 1);
    net.dispose();
    expect(tensorflow().memory().numTensors).toBe(before);
  });
});
