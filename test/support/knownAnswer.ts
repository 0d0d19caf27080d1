import { validateExperiment } from "../../src/config/load.js";

/**
 * The learners' known-answer scenario: two 4096-core provers at 0.2 TPS (a 7-tx block is 121,600
 * core-s: 30 s at full capacity, 60 s at half, one block every 36 s). The expensive one pays 1e-3
 * USD per core-second (25x the reward's reference price) plus 50 USD per epoch: any work loses
 * money, so leaving is optimal. The cheap one pays 1e-6 USD per core-second: every proof is
 * profitable, and only full capacity keeps up with the blocks, so staying at full capacity is optimal.
 * `policy` is both archetypes' configured policy (for runs through ArchetypePolicies); a policy
 * network chooses among `policyNetwork.actions` (the capacity problem's three by default).
 */
export function knownAnswerExperiment(
  horizonEpochs = 400,
  policy: { kind: string } = { kind: "always-on" },
  policyNetwork: { actions?: string[] } = { actions: ["leave", "half", "full"] },
) {
  return validateExperiment({
    name: "known-answer",
    horizonEpochs,
    demand: { baseTps: 0.2 },
    provers: {
      policyNetwork,
      archetypes: [
        {
          name: "expensive",
          count: 1,
          computeCores: 4096,
          costUsdPerCoreSecond: 1e-3,
          fixedCostUsdPerEpoch: 50,
          capitalUsd: 1e6,
          latencySigma: 0.05,
          policy,
        },
        { name: "cheap", count: 1, computeCores: 4096, costUsdPerCoreSecond: 1e-6, capitalUsd: 1e6, latencySigma: 0.05, policy },
      ],
    },
    // No slashing: a miss caused by the other prover's exploration must not punish this one.
    mechanism: { base: { minComputeCores: 1024, slashFraction: 0 }, emergency: { preemptiveThreshold: 10 } },
  });
}

export const EXPENSIVE = 0;
export const CHEAP = 1;
