import { describe, expect, it } from "vitest";
import type { ProverPolicy } from "../../../agents/prover/policy.js";
import { actionChoices, HONEST_ACTION_NAMES } from "../../../agents/prover/actionTable.js";
import { FIRST_TRIES, QLearningPolicy } from "../../../agents/prover/qlearning.js";
import { createActions, createObservation, PF, PROVER_FEATURES } from "../../../src/env/spaces.js";
import { Stream } from "../../../src/rng/streams.js";
import { resolveParams } from "../../../src/config/resolve.js";
import { runEpisode } from "../../../src/tuning/episode.js";
import { CHEAP, EXPENSIVE, knownAnswerExperiment } from "../../support/knownAnswer.js";

/** The known-answer problem is one of capacity: leave, half or full (the other honest choices are tested on their own). */
const CAPACITY = actionChoices(["leave", "half", "full"]);

const OPTIONS = { alpha: 0.1, gamma: 0.5, epsilonStart: 0.5, epsilonEnd: 0.02, decayEpochs: 200 };

describe("Q-learning provers converge to the exactly best action", () => {
  for (const [seed, firstTries] of [1, 2, 3, 4, 5].flatMap((k) => FIRST_TRIES.map((f) => [k, f] as const))) {
    it(`seed ${seed}, first tries ${firstTries}: the expensive prover leaves, the cheap one runs at full capacity`, () => {
      const exp = knownAnswerExperiment();
      const policy = new QLearningPolicy({ ...OPTIONS, firstTries }, null, { actions: CAPACITY });
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
    const a = new QLearningPolicy(OPTIONS, null, { actions: CAPACITY });
    const b = new QLearningPolicy(OPTIONS, null, { actions: CAPACITY });
    const ra = runEpisode(exp, resolveParams(exp), a, 5);
    const rb = runEpisode(exp, resolveParams(exp), b, 5);
    expect(JSON.stringify(rb.rows)).toBe(JSON.stringify(ra.rows));
    for (let s = 0; s < 12; s++) expect(b.greedy(CHEAP, s)).toBe(a.greedy(CHEAP, s));
  });

  it("first tries: in order, provers meeting a new state together all try leave; shuffled, each draws its own order", () => {
    const n = 32;
    const obs = createObservation(n);
    for (let i = 0; i < n; i++) obs.prover[i * PROVER_FEATURES.length + PF.registered] = 1;
    const firstChoices = (firstTries: (typeof FIRST_TRIES)[number], seed: number) => {
      const policy = new QLearningPolicy({ ...OPTIONS, firstTries }, null, { actions: CAPACITY });
      policy.reset(n, Stream.root(seed));
      const a = createActions(n);
      const rounds: number[][] = [];
      // Three acts in the same state: every action is tried once before any is repeated.
      for (let k = 0; k < 3; k++) {
        policy.act(obs, a);
        rounds.push(Array.from({ length: n }, (_, i) => policy.lastActionOf(i)));
        policy.observe(new Float64Array(n), obs, false);
      }
      return rounds;
    };
    const ordered = firstChoices("in-order", 1);
    expect(ordered.map((r) => new Set(r).size)).toEqual([1, 1, 1]);
    expect(ordered[0]![0]).toBe(0);
    const shuffled = firstChoices("shuffled", 1);
    expect(new Set(shuffled[0]).size).toBe(3);
    for (let i = 0; i < n; i++) expect(new Set(shuffled.map((r) => r[i])).size).toBe(3);
    expect(firstChoices("shuffled", 1)).toEqual(shuffled);
    expect(firstChoices("shuffled", 2)).not.toEqual(shuffled);
  });

  it("outside the network it chooses between staying out and joining at full service; inside, among all its choices", () => {
    const n = 16;
    const obs = createObservation(n);
    const choicesSeen = (registered: 0 | 1) => {
      for (let i = 0; i < n; i++) obs.prover[i * PROVER_FEATURES.length + PF.registered] = registered;
      // Always exploring: first tries, then uniform draws.
      const policy = new QLearningPolicy({ ...OPTIONS, epsilonStart: 1, epsilonEnd: 1, firstTries: "shuffled" });
      policy.reset(n, Stream.root(4));
      const a = createActions(n);
      const seen = new Set<string>();
      for (let k = 0; k < 30; k++) {
        policy.act(obs, a);
        for (let i = 0; i < n; i++) seen.add(policy.choices[policy.lastActionOf(i)]!.name);
        policy.observe(new Float64Array(n), obs, false);
      }
      return [...seen].sort();
    };
    expect(choicesSeen(0)).toEqual(["full", "leave"]);
    expect(choicesSeen(1)).toEqual([...HONEST_ACTION_NAMES].sort());
  });
});
