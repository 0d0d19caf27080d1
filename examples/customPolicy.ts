/**
 * A custom prover policy, end to end: write it against the observation and action spaces, check the
 * environment with it, then run it beside the built-in always-on provers on the same seed.
 *
 *     npx tsx examples/customPolicy.ts [experiment.yaml]     (default: experiments/daily-cycle.yaml)
 *
 * In a project of your own, import from "proverlab" instead of "../src/index.js".
 */
import { join } from "node:path";
import {
  AlwaysOnPolicy,
  checkEnvironment,
  loadExperiment,
  NF,
  PF,
  PROVER_FEATURES,
  ProverNetworkEnv,
  resolveParams,
  runEpisode,
  type Observation,
  type ProverActions,
  type ProverPolicy,
} from "../src/index.js";

/** Features per prover: prover i's feature f is observation.prover[i * F + PF[f]]. */
const F = PROVER_FEATURES.length;

/**
 * Provers that follow demand: every prover stays registered, bonds twice the stake requirement in
 * force (or all its capital, if less) and keeps the agents it holds, but runs only half its compute
 * while demand is below 80 % of the reference. The actions object is reused from epoch to epoch, so
 * every field is written every time.
 */
class DemandFollower implements ProverPolicy {
  readonly name = "demand-follower";

  reset(): void {}

  act(obs: Observation, a: ProverActions): void {
    const quiet = obs.network[NF.demandIndex]! < 0.8;
    const minStake = obs.network[NF.minStakeUsd]!;
    for (let i = 0; i < obs.n; i++) {
      const row = i * F;
      a.active[i] = 1;
      a.capacity[i] = quiet ? 0.5 : 1;
      a.stake[i] = Math.min(obs.prover[row + PF.capitalUsd]!, 2 * minStake);
      a.agents[i] = obs.prover[row + PF.extraAgents]! + obs.prover[row + PF.pendingAgents]!;
      a.race[i] = 1;
      a.batch[i] = 1;
      a.skip[i] = 0;
      a.pool[i] = 0;
      a.raceOnly[i] = 0;
      a.withhold[i] = 0;
    }
  }
}

const path = process.argv[2] ?? join(import.meta.dirname, "..", "experiments", "daily-cycle.yaml");
const experiment = loadExperiment(path);
const params = resolveParams(experiment);

const problems = checkEnvironment(() => new ProverNetworkEnv(experiment, params), { policy: new DemandFollower() });
if (problems.length > 0) throw new Error(`checkEnvironment found problems:\n${problems.join("\n")}`);
console.log(`checkEnvironment(${experiment.name}, demand-follower): no problems`);

console.log(["policy".padEnd(16), "liveness", "tx delay s", "profit USD", "margin"].join("  "));
for (const policy of [new AlwaysOnPolicy(), new DemandFollower()]) {
  const { windowKpis: k } = runEpisode(experiment, params, policy, experiment.seed);
  const cells = [k.liveness.toFixed(4), k.txDelayMeanS.toFixed(1), k.proverProfitUsd.toFixed(0), k.profitMargin.toFixed(3)];
  console.log([policy.name.padEnd(16), ...cells.map((c, j) => c.padStart([8, 10, 10, 6][j]!))].join("  "));
}
