import { describe, expect, it } from "vitest";
import type { ProverPolicy } from "../../../agents/prover/policy.js";
import { QLearningPolicy } from "../../../agents/prover/qlearning.js";
import { validateExperiment } from "../../../src/config/load.js";
import { resolveParams } from "../../../src/config/resolve.js";
import { runEpisode } from "../../../src/tuning/episode.js";

/**
 * Two 4096-core provers at 0.2 TPS (a 7-tx block is 121,600 core-s: 30 s at full capacity, 60 s at
 * half, one block every 36 s). The expensive one pays 1e-3 USD per core-second (25x the reward's
 * reference price) plus 50 USD per epoch: any work loses money, so leaving is optimal. The cheap one
 * pays 1e-6 USD per core-second: every proof is profitable, and only full capacity keeps up with the
 * blocks, so staying at full capacity is optimal.
 */
function stationary() {
  return validateExperiment({
    name: "q-known-answer",
    horizonEpochs: 400,
    demand: { baseTps: 0.2 },
    provers: {
      archetypes: [
        {
          name: "expensive",
          count: 1,
          computeCores: 4096,
          costUsdPerCoreSecond: 1e-3,
          fixedCostUsdPerEpoch: 50,
          capitalUsd: 1e6,
          latencySigma: 0.05,
        },
        { name: "cheap", count: 1, computeCores: 4096, costUsdPerCoreSecond: 1e-6, capitalUsd: 1e6, latencySigma: 0.05 },
      ],
    },
    // No slashing: a miss caused by the other prover's exploration must not punish this one.
    mechanism: { base: { minComputeCores: 1024, slashFraction: 0 }, emergency: { preemptiveThreshold: 10 } },
  });
}

const OPTIONS = { alpha: 0.1, gamma: 0.5, epsilonStart: 0.5, epsilonEnd: 0.02, decayEpochs: 200 };
const EXPENSIVE = 0;
const CHEAP = 1;

describe("Q-learning provers converge to the exactly best action", () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`seed ${seed}: the expensive prover leaves, the cheap one runs at full capacity`, () => {
      const exp = stationary();
      const policy = new QLearningPolicy(OPTIONS);
      const taken: [number, number][] = [];
      const recorder: ProverPolicy = {
        name: "recorder",
        reset: (n, stream) => policy.reset(n, stream),
        act: (obs, a) => {
          policy.act(obs, a);
          taken.push([a.capacity[EXPENSIVE]! * a.active[EXPENSIVE]!, a.capacity[CHEAP]! * a.active[CHEAP]!]);
        },
        observe: (r, obs, done) => policy.observe(r, obs, done),
      };
      runEpisode(exp, resolveParams(exp), recorder, seed);
      // Greedy choices in the state of a registered, eligible prover at normal demand (index 10).
      expect(policy.greedy(EXPENSIVE, 10)).toBe(0);
      expect(policy.greedy(CHEAP, 10)).toBe(2);
      // And in behaviour: over the last 100 epochs (2 % exploration), out and at full capacity.
      const late = taken.slice(-100);
      expect(late.filter(([e]) => e === 0).length).toBeGreaterThanOrEqual(95);
      expect(late.filter(([, c]) => c === 1).length).toBeGreaterThanOrEqual(95);
    });
  }

  it("explores with its own seeded streams: the same seed learns the same table", () => {
    const exp = validateExperiment({ ...stationary(), horizonEpochs: 50 });
    const a = new QLearningPolicy(OPTIONS);
    const b = new QLearningPolicy(OPTIONS);
    const ra = runEpisode(exp, resolveParams(exp), a, 5);
    const rb = runEpisode(exp, resolveParams(exp), b, 5);
    expect(JSON.stringify(rb.rows)).toBe(JSON.stringify(ra.rows));
    for (let s = 0; s < 12; s++) expect(b.greedy(CHEAP, s)).toBe(a.greedy(CHEAP, s));
  });
});
