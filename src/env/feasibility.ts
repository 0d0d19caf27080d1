import { ConfigError } from "../config/errors.js";
import type { ParamValues } from "../config/paramSpace.js";
import type { Experiment } from "../config/schema.js";
import { variantRules } from "../mechanism/variants.js";
import { MAX_PARTS } from "./network.js";
import { acceptFactor, blockWork, treeDepth } from "./proofTree.js";

const whole = (x: number) => x.toLocaleString("en-US", { maximumFractionDigits: 0 });

/**
 * Setups that cannot work, found before a run (`simulate` warns, `--strict` refuses): each is one
 * problem naming the field to change. At steady demand (demand.baseTps; daily cycles, regimes and
 * shocks aside) and the requirements at demand index 1 (base.minComputeCores, base.minStakeUsd
 * against each archetype's cores and capital; none in aztec-current), with every prover at its own
 * cores (no added agents or pools):
 *
 * - no archetype is eligible;
 * - a block of the demand (baseTps x slotSeconds transactions, at most maxTxPerBlock; one in validation
 *   mode) fits no eligible archetype: its core phase and critical path at the acceptance quantile,
 *   `(W / k / cores + D) x acceptFactor` (docs/MODEL.md 4.1-4.3), is longer than the window of a block
 *   made at an epoch's last slot (proofWindowEpochs epochs), even split into 16 parts k where the
 *   variant splits blocks (not aztec-current);
 * - the eligible provers' cores in all are fewer than the demand keeps busy (proving work per second).
 */
export function feasibilityProblems(exp: Experiment, params: ParamValues): ConfigError[] {
  const { demand, jobs, time } = exp;
  // Validation mode without transactions has no job; block mode proves its blocks, empty ones included.
  if (demand.jobPerTransaction && demand.baseTps === 0) return [];
  const rules = variantRules(exp.mechanism.variant);
  const minCores = params["base.minComputeCores"]!;
  const minStake = params["base.minStakeUsd"]!;
  const eligible = exp.provers.archetypes.filter(
    (a) => a.count > 0 && (!rules.requirements || (a.computeCores >= minCores && a.capitalUsd >= minStake)),
  );
  if (eligible.length === 0) {
    const why = rules.requirements
      ? `no archetype meets the requirements at demand index 1 (base.minComputeCores ${whole(minCores)} cores, base.minStakeUsd ${whole(minStake)} USD of capital)`
      : "no archetype has a prover (every count is 0)";
    return [new ConfigError("provers.archetypes", `${why}, so no block can be proven; add provers that do or lower the requirements`)];
  }
  const tx = demand.jobPerTransaction ? 1 : Math.min(demand.maxTxPerBlock, Math.ceil(demand.baseTps * time.slotSeconds));
  const work = blockWork(tx, jobs.baseWorkCoreSeconds, jobs.workPerTxCoreSeconds);
  const criticalPath = treeDepth(tx, jobs.txCircuitLevels, jobs.blockCircuitLevels) * jobs.circuitSeconds;
  const window = time.proofWindowEpochs * time.slotsPerEpoch * time.slotSeconds;
  const parts = rules.epochShares ? 1 : MAX_PARTS;
  const proofSeconds = (a: Experiment["provers"]["archetypes"][number], k: number) =>
    (work / k / a.computeCores + criticalPath) * acceptFactor(jobs.noise, a.latencySigma, jobs.acceptQuantile);
  const best = eligible.reduce((b, a) => (proofSeconds(a, parts) < proofSeconds(b, parts) ? a : b));
  const problems: ConfigError[] = [];
  if (proofSeconds(best, parts) > window) {
    const block = demand.jobPerTransaction ? "a transaction's job" : `a block at ${demand.baseTps} TPS (${whole(tx)} tx)`;
    const split = parts > 1 ? `, ${whole(proofSeconds(best, parts))} s even split into ${parts} parts` : "";
    problems.push(
      new ConfigError(
        "provers.archetypes",
        `${block} is ${whole(work)} core-s with a ${whole(criticalPath)}-s critical path: the best eligible prover (${best.name}, ${whole(best.computeCores)} cores) needs ${whole(proofSeconds(best, 1))} s at the ${jobs.acceptQuantile} quantile${split}, over the ${whole(window)}-s window of ${demand.jobPerTransaction ? "a job made at an epoch's end" : "a block made at an epoch's last slot"}; add larger provers, lower demand.baseTps or lengthen time.proofWindowEpochs`,
      ),
    );
  }
  const busyCores = demand.jobPerTransaction
    ? demand.baseTps * work
    : blockWork(Math.min(demand.maxTxPerBlock, demand.baseTps * time.slotSeconds), jobs.baseWorkCoreSeconds, jobs.workPerTxCoreSeconds) /
      time.slotSeconds;
  const cores = eligible.reduce((sum, a) => sum + a.count * a.computeCores, 0);
  if (cores < busyCores) {
    problems.push(
      new ConfigError(
        "demand.baseTps",
        `${demand.baseTps} TPS keeps ${whole(busyCores)} cores busy, but the eligible provers have ${whole(cores)} cores in all; add provers or lower demand.baseTps`,
      ),
    );
  }
  return problems;
}
