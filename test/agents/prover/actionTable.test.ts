import { describe, expect, it } from "vitest";
import {
  ACTION_CHOICES,
  actionChoices,
  applyHonestAction,
  applyChoice,
  HONEST_CHOICES,
  MIN_SNIPE_CAPACITY,
} from "../../../agents/prover/actionTable.js";
import { QLearningPolicy } from "../../../agents/prover/qlearning.js";
import { resolveParams } from "../../../src/config/resolve.js";
import { createActions, createObservation, NF, PF } from "../../../src/env/spaces.js";
import { runEpisode } from "../../../src/tuning/episode.js";
import { CHEAP, EXPENSIVE, knownAnswerExperiment } from "../../support/knownAnswer.js";

function observation(cores: number, minCompute: number) {
  const obs = createObservation(1);
  obs.prover[PF.computeCores] = cores;
  obs.prover[PF.capitalUsd] = 50_000;
  obs.network[NF.minComputeCores] = minCompute;
  obs.network[NF.minStakeUsd] = 10_000;
  return obs;
}

describe("the learners' action table", () => {
  it("the honest choices: full service with one deviation each; stake at twice the minimum unless staking up", () => {
    expect(HONEST_CHOICES.map((c) => c.name)).toEqual(["leave", "half", "full", "grow", "shrink", "stake-up", "solo", "selective", "pool"]);
    const obs = observation(4096, 1024);
    obs.prover[PF.freeCapitalUsd] = 44_000;
    obs.prover[PF.agentCores] = 32;
    obs.prover[PF.extraAgents] = 2;
    obs.prover[PF.computeCores] = 4096 + 64;
    const a = createActions(1);
    a.withhold[0] = 1;
    const row = () => [a.active[0], a.capacity[0], a.agents[0], a.stake[0], a.race[0], a.batch[0], a.skip[0], a.pool[0], a.withhold[0]];
    const expected = {
      leave: [0, 0, 0, 20_000, 1, 1, 0, 0, 0],
      half: [1, 0.5, 2, 20_000, 1, 1, 0, 0, 0],
      full: [1, 1, 2, 20_000, 1, 1, 0, 0, 0],
      // A quarter of the archetype's own 128 agents on top of them (a level: the 2 held count in it).
      grow: [1, 1, 32, 20_000, 1, 1, 0, 0, 0],
      shrink: [1, 1, 0, 20_000, 1, 1, 0, 0, 0],
      "stake-up": [1, 1, 2, 44_000, 1, 1, 0, 0, 0],
      solo: [1, 1, 2, 20_000, 0, 0, 0, 0, 0],
      selective: [1, 1, 2, 20_000, 1, 1, 1, 0, 0],
      pool: [1, 1, 2, 20_000, 1, 1, 0, 1, 0],
    };
    HONEST_CHOICES.forEach((choice, k) => {
      applyHonestAction(obs, 0, k, a);
      expect(row()).toEqual(expected[choice.name as keyof typeof expected]);
    });
  });

  it("withhold stays registered at full capacity and withholds; snipe races with just the compute the requirement asks", () => {
    const a = createActions(1);
    applyChoice(observation(4096, 1024), 0, ACTION_CHOICES.withhold, a);
    expect([a.active[0], a.capacity[0], a.race[0], a.withhold[0]]).toEqual([1, 1, 1, 1]);
    applyChoice(observation(4096, 1024), 0, ACTION_CHOICES.snipe, a);
    expect(a.capacity[0]).toBeCloseTo(0.25, 8);
    expect(a.capacity[0]! * 4096).toBeGreaterThanOrEqual(1024);
    expect(a.withhold[0]).toBe(0);
    applyChoice(observation(4096, 0), 0, ACTION_CHOICES.snipe, a);
    expect(a.capacity[0]).toBe(MIN_SNIPE_CAPACITY);
    applyChoice(observation(1024, 2048), 0, ACTION_CHOICES.snipe, a);
    expect(a.capacity[0]).toBe(1);
  });

  it("each state signal doubles the learner's states", () => {
    expect(new QLearningPolicy({ alpha: 0.1, gamma: 0.5, epsilonStart: 0.5, epsilonEnd: 0, decayEpochs: 1 }).states).toBe(12);
    const q = new QLearningPolicy({ alpha: 0.1, gamma: 0.5, epsilonStart: 0.5, epsilonEnd: 0, decayEpochs: 1 }, null, {
      signals: ["emergency", "backlog", "holding"],
    });
    expect(q.states).toBe(96);
  });

  for (const seed of [1, 2, 3, 4]) {
    it(`seed ${seed}: given withhold as a fourth choice, the cheap known-answer learner still runs at full capacity`, () => {
      const exp = knownAnswerExperiment();
      const policy = new QLearningPolicy({ alpha: 0.1, gamma: 0.5, epsilonStart: 0.5, epsilonEnd: 0.02, decayEpochs: 200 }, null, {
        actions: actionChoices(["leave", "half", "full", "withhold"]),
      });
      const { env } = runEpisode(exp, resolveParams(exp), policy, seed);
      // Registered, eligible, normal demand (state 10): withholding earns nothing, proving earns.
      expect(policy.greedy(CHEAP, 10)).toBe(2);
      // The expensive prover never works at a loss: it leaves, or idles registered by withholding (no
      // compute, only its fixed cost; leaving, cheaper still, is the known answer the plain table reaches).
      expect(["leave", "withhold"]).toContain(policy.choices[policy.greedy(EXPENSIVE, 10)]!.name);
      expect(policy.choices[policy.lastActionOf(CHEAP)]!.name).not.toBe("withhold");
      expect(env.provers.wins[CHEAP]).toBeGreaterThan(0);
    });
  }
});
