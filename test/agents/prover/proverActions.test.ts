import { describe, expect, it } from "vitest";
import { ACTION_CHOICES, actionChoices, applyChoice, type ActionChoice } from "../../../agents/prover/actionTable.js";
import type { ProverPolicy } from "../../../agents/prover/policy.js";
import { QLearningPolicy, type QLearningOptions } from "../../../agents/prover/qlearning.js";
import { validateExperiment } from "../../../src/config/load.js";
import { resolveParams } from "../../../src/config/resolve.js";
import { runEpisode } from "../../../src/tuning/episode.js";

/**
 * Known answers for the actions the mechanism is meant to move: each is a choice whose worth the
 * economics of a small scenario decide, and the learner (or the action itself) must follow them.
 */

const EPOCH_YEARS = 1152 / (365 * 86_400);
const OPTIONS: QLearningOptions = { alpha: 0.1, gamma: 0.5, epsilonStart: 0.2, epsilonEnd: 0.02, decayEpochs: 100 };

/** Every prover makes the same fixed choice each epoch. */
function fixed(choice: ActionChoice): ProverPolicy {
  return { name: choice.name, reset() {}, act: (obs, a) => Array.from({ length: obs.n }, (_, i) => applyChoice(obs, i, choice, a)) };
}

describe("adding prover agents", () => {
  /**
   * One 512-core prover alone at 1 TPS: a block is 299,600 core-seconds, so it proves about 2 of
   * the 32 blocks of an epoch and each added 32-core agent is used in full. An agent then earns
   * 36,864 core-seconds x (4.4e-5 - 1e-6) USD = 1.59 USD per epoch, and costs its price x (1/3 + 0.05)
   * per year: it pays back within its 3-year life when its price is below about 113,000 USD.
   */
  function capacityBound(agentCapitalUsd: number) {
    return validateExperiment({
      name: "capacity-bound",
      horizonEpochs: 150,
      demand: { baseTps: 1 },
      provers: {
        archetypes: [
          {
            name: "solo",
            count: 1,
            computeCores: 512,
            costUsdPerCoreSecond: 1e-6,
            capitalUsd: 1e8,
            agentCapitalUsd,
            agentLeadHours: 0,
            latencySigma: 0.05,
          },
        ],
      },
      mechanism: { base: { minComputeCores: 256, slashFraction: 0 }, emergency: { preemptiveThreshold: 10 } },
    });
  }

  it("the break-even price of the scenario is where the docstring puts it", () => {
    const earns = 32 * 1152 * (4e-5 * 1.1 - 1e-6);
    expect(earns / ((1 / 3 + 0.05) * EPOCH_YEARS)).toBeGreaterThan(100_000);
    expect(earns / ((1 / 3 + 0.05) * EPOCH_YEARS)).toBeLessThan(125_000);
  });

  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: a learner grows when an agent pays back (10,000 USD) and not when it does not (1,000,000 USD)`, () => {
      const choice = (price: number) => {
        const exp = capacityBound(price);
        const policy = new QLearningPolicy(OPTIONS, null, { actions: actionChoices(["shrink", "grow"]) });
        runEpisode(exp, resolveParams(exp), policy, seed);
        // Registered, eligible, normal demand (state 10): hold 4 added agents, or none.
        return policy.choices[policy.greedy(0, 10)]!.name;
      };
      expect(choice(10_000)).toBe("grow");
      expect(choice(1_000_000)).toBe("shrink");
    });
  }

  it("agents arrive after the lead time, cost capital while held, and are capped by the capital not bonded", () => {
    const exp = validateExperiment({
      ...capacityBound(10_000),
      provers: {
        ...capacityBound(10_000).provers,
        archetypes: [{ ...capacityBound(10_000).provers.archetypes[0]!, capitalUsd: 100_000, agentLeadHours: 1 }],
      },
    });
    const grow = fixed(ACTION_CHOICES.grow);
    const { env, rows } = runEpisode(exp, resolveParams(exp), grow, 1);
    // A quarter of its own 16 agents: 4, ordered at once, proving from the first epoch after the hour.
    expect(rows.map((r) => r.addedAgents).slice(0, 5)).toEqual([0, 0, 0, 0, 4]);
    expect(env.provers.compute[0]).toBe(512 + 4 * 32);
    // Held, they cost their capital: 4 x 10,000 x (1/3 + 0.05) a year more than holding none (empty blocks
    // of no work: the same verifications either way, and no compute).
    const idle = validateExperiment({ ...exp, demand: { ...exp.demand, baseTps: 0 }, jobs: { ...exp.jobs, baseWorkCoreSeconds: 0 } });
    const cost = (choice: ActionChoice) => runEpisode(idle, resolveParams(idle), fixed(choice), 1).rows[4]!.proverCostUsd;
    expect(cost(ACTION_CHOICES.grow) - cost(ACTION_CHOICES.full)).toBeCloseTo(40_000 * (1 / 3 + 0.05) * EPOCH_YEARS, 9);
    // With 45,000 USD of capital and 20,000 bonded, 25,000 buys 2 of the 4.
    const poor = validateExperiment({
      ...exp,
      provers: { ...exp.provers, archetypes: [{ ...exp.provers.archetypes[0]!, capitalUsd: 45_000 }] },
    });
    expect(runEpisode(poor, resolveParams(poor), grow, 1).env.provers.extraAgents[0]).toBe(2);
  });
});

describe("declining work that does not pay", () => {
  /**
   * One cheap 16,384-core prover; gas x300 at hour 2 while the reward covers the L1 cost averaged over
   * 24 hours: from then on a block's verification costs far more than its reward covers.
   */
  function gasSpike() {
    return validateExperiment({
      name: "gas-spike",
      horizonEpochs: 20,
      demand: { baseTps: 0.2 },
      l1: { gas: { scheduledSpikes: [{ startHour: 2, multiplier: 300 }] } },
      provers: {
        archetypes: [{ name: "solo", count: 1, computeCores: 16_384, costUsdPerCoreSecond: 1e-6, capitalUsd: 1e6, latencySigma: 0.05 }],
      },
      mechanism: { base: { slashFraction: 0 }, rewards: { l1CostSmoothingHours: 24 }, emergency: { preemptiveThreshold: 10 } },
    });
  }

  it("a selective prover skips the blocks whose L1 cost exceeds their reward; one that proves them loses money", () => {
    const exp = gasSpike();
    const full = runEpisode(exp, resolveParams(exp), fixed(ACTION_CHOICES.full), 3).rows;
    const selective = runEpisode(exp, resolveParams(exp), fixed(ACTION_CHOICES.selective), 3).rows;
    const before = (r: { hour: number }) => r.hour <= 2;
    // The first epochs wholly in the spike (blocks accepted before it still land in the one that holds its start).
    const spike = (r: { hour: number }) => r.hour > 2.3 && r.hour < 3.3;
    // Before the spike every block pays: the same proofs either way.
    expect(selective.filter(before).map((r) => r.jobsProven)).toEqual(full.filter(before).map((r) => r.jobsProven));
    expect(full.filter(before).every((r) => r.proverProfitUsd > 0)).toBe(true);
    // In the spike: proving loses money on every epoch; the selective prover proves nothing and pays no gas.
    expect(full.filter(spike).length).toBe(3);
    expect(full.filter(spike).every((r) => r.jobsProven > 0 && r.proverProfitUsd < 0)).toBe(true);
    expect(selective.filter(spike).every((r) => r.jobsProven === 0 && r.l1VerifyCostUsd === 0)).toBe(true);
    const profit = (rows: typeof full) => rows.filter(spike).reduce((s, r) => s + r.proverProfitUsd, 0);
    expect(profit(selective)).toBeGreaterThan(profit(full));
  });

  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: a learner that sees the L1 spike learns to be selective in it`, () => {
      const exp = validateExperiment({ ...gasSpike(), horizonEpochs: 150 });
      const policy = new QLearningPolicy(OPTIONS, null, { actions: actionChoices(["full", "selective"]), signals: ["l1-spike"] });
      runEpisode(exp, resolveParams(exp), policy, seed);
      // Registered, eligible, normal demand, L1 spike on: state 10 + 12.
      expect(policy.choices[policy.greedy(0, 22)]!.name).toBe("selective");
    });
  }
});

describe("staking above the floor", () => {
  /**
   * Two identical cheap 16,384-core provers share 0.2 TPS; capital costs 100 % a year, so bonding all
   * of a 1,000,000 USD capital instead of 20,000 costs 36 USD per epoch. With stake-weighted
   * selection the larger stake wins most of the 32 blocks of an epoch (about 9 USD of profit each);
   * without it, the stake buys nothing.
   */
  function rivals(stakeWeighted: number) {
    return validateExperiment({
      name: "rivals",
      horizonEpochs: 200,
      demand: { baseTps: 0.2 },
      economy: { stakeCostPerYear: 1 },
      provers: {
        archetypes: [{ name: "rival", count: 2, computeCores: 16_384, costUsdPerCoreSecond: 1e-6, capitalUsd: 1e6, latencySigma: 0.05 }],
      },
      mechanism: {
        base: { topFraction: 1, stakeWeighted, maxQueuePerProver: 100, slashFraction: 0 },
        emergency: { preemptiveThreshold: 10 },
      },
    });
  }

  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: learners stake up only when selection weighs stake`, () => {
      const staked = (weighted: number) => {
        const exp = rivals(weighted);
        const policy = new QLearningPolicy(OPTIONS, null, { actions: actionChoices(["full", "stake-up"]) });
        runEpisode(exp, resolveParams(exp), policy, seed);
        return [0, 1].map((i) => policy.choices[policy.greedy(i, 10)]!.name);
      };
      expect(staked(1)).toEqual(["stake-up", "stake-up"]);
      expect(staked(0)).toEqual(["full", "full"]);
    });
  }
});

describe("pooling into one identity", () => {
  /**
   * Six 512-core home provers beside two always-on 2,048-core professionals at 0.1 TPS (a block is
   * about 200,000 core-s: some 690 s for a home prover, inside its window). Homes 0 and 1 run the
   * pool (they always pool); homes 2-5 learn whether to join it. Under a 1,024-core floor a home alone
   * is never eligible and only pays its fixed cost, while the pool (1,024 cores and up) is. Under a
   * 256-core floor each home is eligible alone, and the pool's fee (30 % here) buys nothing.
   */
  function homes(minComputeCores: number) {
    return validateExperiment({
      name: "homes",
      horizonEpochs: 200,
      demand: { baseTps: 0.1 },
      economy: { poolFeeShare: 0.3 },
      provers: {
        archetypes: [
          {
            name: "home",
            count: 6,
            computeCores: 512,
            costUsdPerCoreSecond: 1e-6,
            fixedCostUsdPerEpoch: 1,
            capitalUsd: 1e6,
            latencySigma: 0.05,
          },
          { name: "pro", count: 2, computeCores: 2048, costUsdPerCoreSecond: 1e-6, capitalUsd: 1e6, latencySigma: 0.05 },
        ],
      },
      mechanism: { base: { minComputeCores, topFraction: 1, slashFraction: 0 }, emergency: { preemptiveThreshold: 10 } },
    });
  }
  const LEARNERS = [2, 3, 4, 5];

  /** Homes 0-1 pool, homes 2-5 follow `learner`, the professionals serve in full. */
  function population(learner: ProverPolicy): ProverPolicy {
    return {
      name: "homes",
      reset: (n, stream) => learner.reset(n, stream),
      act: (obs, a) => {
        for (let i = 0; i < obs.n; i++) applyChoice(obs, i, i < 2 ? ACTION_CHOICES.pool : ACTION_CHOICES.full, a);
        learner.act(obs, a);
      },
      observe: (r, obs, done) => learner.observe?.(r, obs, done),
    };
  }

  it("a pool meets the floor with its members' summed compute, and its members prove", () => {
    const exp = homes(1024);
    const pooled = runEpisode(exp, resolveParams(exp), fixed(ACTION_CHOICES.pool), 1).env.provers;
    const alone = runEpisode(exp, resolveParams(exp), fixed(ACTION_CHOICES.full), 1).env.provers;
    for (let i = 0; i < 6; i++) {
      expect(alone.wins[i]).toBe(0);
      expect(pooled.wins[i]).toBeGreaterThan(0);
      expect(pooled.eligible[i]).toBe(1);
    }
  });

  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: home provers join the pool only when the floor is above their compute`, () => {
      const choices = (floor: number) => {
        const exp = homes(floor);
        const owned = Uint8Array.from({ length: 8 }, (_, i) => (LEARNERS.includes(i) ? 1 : 0));
        const q = new QLearningPolicy(OPTIONS, owned, { actions: actionChoices(["full", "pool"]) });
        runEpisode(exp, resolveParams(exp), population(q), seed);
        // Registered, eligible, normal demand (state 10).
        return LEARNERS.map((i) => q.choices[q.greedy(i, 10)]!.name);
      };
      expect(choices(1024)).toEqual(["pool", "pool", "pool", "pool"]);
      expect(choices(256)).toEqual(["full", "full", "full", "full"]);
    });
  }
});
