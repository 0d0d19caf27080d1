import { describe, expect, it } from "vitest";
import { AlwaysOnPolicy } from "../../agents/prover/scripted.js";
import { validateExperiment } from "../../src/config/load.js";
import { resolveParams } from "../../src/config/resolve.js";
import { ProverNetworkEnv } from "../../src/env/network.js";
import { createActions } from "../../src/env/spaces.js";

/**
 * Three reliable 4,096-core provers at 1 TPS; prover 2 withholds every job it is given in epoch 4, so
 * those blocks miss at the end of epoch 5. Only the load can escalate (minOnlineShare at its floor,
 * no pre-emption). The load at the miss, measured before the unproven chain is pruned, counts the
 * blocks about to be pruned and the mempool.
 */
function firstEmergency(loadThreshold: number): { epoch: number; reorgEpoch: number } {
  const exp = validateExperiment({
    name: "escalation",
    horizonEpochs: 10,
    demand: { baseTps: 1 },
    provers: {
      archetypes: [{ name: "p", count: 3, computeCores: 4096, costUsdPerCoreSecond: 3.5e-5, capitalUsd: 200_000, latencySigma: 0.1 }],
    },
    mechanism: {
      base: { topFraction: 1 },
      emergency: { loadThreshold, minOnlineShare: 0.05, preemptiveThreshold: 10 },
      batching: { congestionThreshold: 20 },
    },
  });
  const env = new ProverNetworkEnv(exp, resolveParams(exp));
  let obs = env.reset(3).observation;
  const policy = new AlwaysOnPolicy();
  const actions = createActions(3);
  for (let e = 0; e < exp.horizonEpochs; e++) {
    policy.act(obs, actions);
    actions.withhold[2] = e === 4 ? 1 : 0;
    obs = env.step(actions).observation;
  }
  return {
    epoch: env.rows.findIndex((r) => r.emergencyActivations > 0),
    reorgEpoch: env.rows.findIndex((r) => r.reorgs > 0),
  };
}

describe("escalation on a missed proof", () => {
  it("a miss under load escalates through the load threshold, read before the pruning", () => {
    const { epoch, reorgEpoch } = firstEmergency(0.3);
    expect(reorgEpoch).toBe(5);
    expect(epoch).toBe(5);
  });

  it("the same miss below the load threshold does not escalate", () => {
    const { epoch, reorgEpoch } = firstEmergency(4);
    expect(reorgEpoch).toBe(5);
    expect(epoch).toBe(-1);
  });
});
