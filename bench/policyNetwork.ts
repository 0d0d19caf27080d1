import { ArchetypePolicies } from "../agents/prover/byArchetype.js";
import { loadExperiment } from "../src/config/load.js";
import { resolveParams } from "../src/config/resolve.js";
import { initTensorflow, tensorflow } from "../src/ml/tensorflow.js";
import { runEpisode } from "../src/tuning/episode.js";

export interface PolicyNetworkRow {
  learn: boolean;
  backend: string;
  provers: number;
  epochs: number;
  bestMs: number;
  proverDecisionsPerSecond: number;
}

/**
 * The shared prover policy network on the WebAssembly backend against TensorFlow.js's plain-JS cpu
 * backend: whole episodes of experiments/network-provers.yaml (environment + one batched forward pass
 * per epoch + PPO updates when learning), at 32 provers and scaled to 1024.
 */
export async function benchPolicyNetwork(): Promise<PolicyNetworkRow[]> {
  const rows: PolicyNetworkRow[] = [];
  await initTensorflow("wasm");
  const tf = tensorflow();
  console.log("\npolicy network | backend | provers | epochs | best of 3 (ms) | prover-decisions/s");
  for (const [scale, learn] of [
    [1, true],
    [1, false],
    [32, false],
    [32, true],
  ] as const) {
    for (const backend of ["wasm", "cpu"]) {
      await tf.setBackend(backend);
      const exp = loadExperiment("experiments/network-provers.yaml", ["horizonEpochs=75", `provers.policyNetwork.learn=${learn}`]);
      exp.provers.archetypes = exp.provers.archetypes.map((a) => ({ ...a, count: a.count * scale }));
      const provers = exp.provers.archetypes.reduce((s, a) => s + a.count, 0);
      const params = resolveParams(exp);
      const policies = new ArchetypePolicies(exp);
      let best = Infinity;
      for (let k = 0; k < 3; k++) {
        const t = performance.now();
        runEpisode(exp, params, policies, 1);
        best = Math.min(best, performance.now() - t);
      }
      policies.dispose();
      const rate = (exp.horizonEpochs * provers) / (best / 1000);
      rows.push({ learn, backend, provers, epochs: exp.horizonEpochs, bestMs: best, proverDecisionsPerSecond: rate });
      console.log(
        `${learn ? "learning (PPO)" : "frozen"} | ${backend} | ${provers} | ${exp.horizonEpochs} | ${best.toFixed(0)} | ${Math.round(rate).toLocaleString("en-US")}`,
      );
    }
  }
  return rows;
}
