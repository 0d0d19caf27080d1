import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ArchetypePolicies } from "../../../agents/prover/byArchetype.js";
import type { ProverPolicy } from "../../../agents/prover/policy.js";
import { PolicyNetwork } from "../../../agents/prover/policyNetwork.js";
import { resolveParams } from "../../../src/config/resolve.js";
import type { Observation } from "../../../src/env/spaces.js";
import { initTensorflow, tensorflow } from "../../../src/ml/tensorflow.js";
import { Stream } from "../../../src/rng/streams.js";
import { runEpisode } from "../../../src/tuning/episode.js";
import { knownAnswerExperiment } from "../../support/knownAnswer.js";

/** The known-answer scenario with both provers on one shared network. */
function stationary(horizonEpochs = 400) {
  return knownAnswerExperiment(horizonEpochs, { kind: "policy-network" });
}

const LEAVE = 0;
const FULL = 2;

/** Runs an episode and records each epoch's capacity choice per prover and the last observation. */
function run(policy: ProverPolicy, exp: ReturnType<typeof stationary>, seed: number) {
  const taken: [number, number][] = [];
  let last: Observation | null = null;
  const recorder: ProverPolicy = {
    name: "recorder",
    reset: (n, stream) => policy.reset(n, stream),
    act: (obs, a) => {
      last = obs;
      policy.act(obs, a);
      taken.push([a.capacity[0]! * a.active[0]!, a.capacity[1]! * a.active[1]!]);
    },
    observe: (r, obs, done) => policy.observe?.(r, obs, done),
  };
  const result = runEpisode(exp, resolveParams(exp), recorder, seed);
  return { taken, last: last!, result };
}

beforeAll(async () => {
  await initTensorflow("wasm");
});

describe("the shared policy network (PPO) converges to the exactly best action", () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`seed ${seed}: the expensive prover leaves, the cheap one runs at full capacity`, () => {
      const exp = stationary();
      const policy = new PolicyNetwork(exp.provers.policyNetwork);
      const { taken, last } = run(policy, exp, seed);
      const p = policy.probabilities(last);
      expect(p[0 * 3 + LEAVE]).toBeGreaterThan(0.9);
      expect(p[1 * 3 + FULL]).toBeGreaterThan(0.9);
      const late = taken.slice(-100);
      expect(late.filter(([e]) => e === 0).length).toBeGreaterThanOrEqual(95);
      expect(late.filter(([, c]) => c === 1).length).toBeGreaterThanOrEqual(95);
      policy.dispose();
    });
  }

  it("starts near uniform: before training no action has most of the probability", () => {
    const exp = stationary(1);
    const policy = new PolicyNetwork({ ...exp.provers.policyNetwork, learn: false });
    const { last } = run(policy, exp, 1);
    for (const p of policy.probabilities(last)) expect(Math.abs(p - 1 / 3)).toBeLessThan(0.05);
    policy.dispose();
  });
});

describe("policy network bookkeeping", () => {
  it("is deterministic: the same seed gives the same episode and the same policy", () => {
    const exp = stationary(60);
    const a = new PolicyNetwork(exp.provers.policyNetwork);
    const b = new PolicyNetwork(exp.provers.policyNetwork);
    const ra = run(a, exp, 9);
    const rb = run(b, exp, 9);
    expect(JSON.stringify(rb.result.rows)).toBe(JSON.stringify(ra.result.rows));
    expect(Array.from(b.probabilities(rb.last))).toEqual(Array.from(a.probabilities(ra.last)));
    const other = run(b, exp, 10);
    expect(JSON.stringify(other.result.rows)).not.toBe(JSON.stringify(ra.result.rows));
    a.dispose();
    b.dispose();
  });

  it("saves to model.json + weights.bin and loads back to the same action probabilities", () => {
    const exp = stationary(120);
    const trained = new PolicyNetwork(exp.provers.policyNetwork);
    const { last } = run(trained, exp, 3);
    const dir = mkdtempSync(join(tmpdir(), "proverlab-policy-"));
    const file = trained.save(dir, "wasm");
    const model = JSON.parse(readFileSync(file, "utf8")) as { format: string; proverlab: { trainedEpochs: number; hidden: number[] } };
    expect(model.format).toBe("layers-model");
    expect(model.proverlab.trainedEpochs).toBe(120);
    expect(model.proverlab.hidden).toEqual([32, 32]);
    const loaded = new PolicyNetwork({ ...exp.provers.policyNetwork, file, learn: false, hidden: [8] });
    loaded.reset(2, Stream.root(1));
    expect(Array.from(loaded.probabilities(last))).toEqual(Array.from(trained.probabilities(last)));
    trained.dispose();
    loaded.dispose();
  });

  it("rejects a saved policy whose weights do not fit the hidden sizes it states, naming the field", () => {
    const exp = stationary(1);
    const policy = new PolicyNetwork(exp.provers.policyNetwork);
    const dir = mkdtempSync(join(tmpdir(), "proverlab-policy-"));
    const file = policy.save(dir, "wasm");
    policy.dispose();
    const model = JSON.parse(readFileSync(file, "utf8")) as { proverlab: { hidden: number[] } };
    model.proverlab.hidden = [16];
    writeFileSync(file, JSON.stringify(model));
    expect(() => new PolicyNetwork({ ...exp.provers.policyNetwork, file })).toThrow(
      /^provers\.policyNetwork\.file: .* the weights do not fit the network its hidden sizes describe; train it again$/,
    );
  });

  it("rejects a file that is not a policy with a one-line error naming the field", () => {
    const dir = mkdtempSync(join(tmpdir(), "proverlab-policy-"));
    const file = join(dir, "model.json");
    writeFileSync(file, JSON.stringify({ format: "layers-model" }));
    const exp = stationary(1);
    expect(() => new PolicyNetwork({ ...exp.provers.policyNetwork, file })).toThrow(
      /^provers\.policyNetwork\.file: .* is not a ProverLab policy/,
    );
  });

  it("shares one network across archetypes and frees its tensors on dispose", () => {
    const tf = tensorflow();
    const before = tf.memory().numTensors;
    const exp = stationary(40);
    const policies = new ArchetypePolicies(exp);
    expect(policies.network).not.toBeNull();
    runEpisode(exp, resolveParams(exp), policies, 2);
    policies.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
