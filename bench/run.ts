import { AlwaysOnPolicy } from "../agents/prover/scripted.js";
import { loadExperiment } from "../src/config/load.js";
import { resolveParams } from "../src/config/resolve.js";
import { runEpisode } from "../src/tuning/episode.js";
import { benchPolicyNetwork } from "./policyNetwork.js";

/** Throughput of the environment: simulated slots and prover-slots per wall-clock second. */
const cases: [string, string, string[], number][] = [
  ["aztec-1tps, 32 provers, 7 days", "experiments/aztec-1tps.yaml", ["horizonEpochs=525"], 1],
  ["aztec-1tps, 320 provers, 1 day", "experiments/aztec-1tps.yaml", ["horizonEpochs=75"], 10],
  ["campaign-surge, 32 provers, 6 days", "experiments/campaign-surge.yaml", [], 1],
  ["queueing-validation, 10 provers, ~1.1M jobs", "experiments/queueing-validation.yaml", ["horizonEpochs=120"], 1],
];

console.log("case | slots | provers | best of 3 (ms) | slots/s | prover-slots/s");
for (const [label, file, sets, scale] of cases) {
  const exp = loadExperiment(file, sets);
  exp.provers.archetypes = exp.provers.archetypes.map((a) => ({ ...a, count: a.count * scale }));
  const params = resolveParams(exp);
  const provers = exp.provers.archetypes.reduce((s, a) => s + a.count, 0);
  const slots = exp.horizonEpochs * exp.time.slotsPerEpoch;
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    runEpisode(exp, params, new AlwaysOnPolicy(), 1);
    best = Math.min(best, performance.now() - t);
  }
  const perSec = slots / (best / 1000);
  console.log(
    `${label} | ${slots} | ${provers} | ${best.toFixed(0)} | ${Math.round(perSec).toLocaleString("en-US")} | ${Math.round(perSec * provers).toLocaleString("en-US")}`,
  );
}

await benchPolicyNetwork();
