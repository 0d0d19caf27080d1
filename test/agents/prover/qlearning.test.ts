import { describe, expect, it } from "vitest";
import type { ProverPolicy } from "../../../agents/prover/policy.js";
import { QLearningPolicy } from "../../../agents/prover/qlearning.js";
import { resolveParams } from "../../../src/config/resolve.js";
import { runEpisode } from "../../../src/tuning/episode.js";
import { CHEAP, EXPENSIVE, knownAnswerExperiment } from "../../support/knownAnswer.js";

const OPTIONS = { alpha: 0.1, gamma: 0.5, epsilonStart: 0.5, epsilonEnd: 0.02, decayEpochs: 200 };

describe("Q-learning provers converge to the exactly best action", () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`seed ${seed}: the expensive prover leaves, the cheap one runs at full capacity`, () => {
      const exp = knownAnswerExperiment();
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
    const exp = knownAnswerExperiment(50);
    const a = new QLearningPolicy(OPTIONS);
    const b = new QLearningPolicy(OPTIONS);
    const ra = runEpisode(exp, resolveParams(exp), a, 5);
    const rb = runEpisode(exp, resolveParams(exp), b, 5);
    expect(JSON.stringify(rb.rows)).toBe(JSON.stringify(ra.rows));
    for (let s = 0; s < 12; s++) expect(b.greedy(CHEAP, s)).toBe(a.greedy(CHEAP, s));
  });
});
