import { describe, expect, it } from "vitest";
import { AlwaysOnPolicy } from "../../agents/prover/scripted.js";
import { validateExperiment } from "../../src/config/load.js";
import { resolveParams } from "../../src/config/resolve.js";
import { ProverNetworkEnv } from "../../src/env/network.js";
import { createActions, PF, PROVER_FEATURES } from "../../src/env/spaces.js";
import { summarize } from "../../src/env/summary.js";

/** Three reliable 16,384-core provers at 1 TPS (21 s per block, one block every 36 s); prover 2 withholds in the epochs `withholds(epoch)` says. */
function episode(withholds: (epoch: number) => boolean, sets: Record<string, unknown> = {}, epochs = 24) {
  const exp = validateExperiment({
    name: "withhold",
    horizonEpochs: epochs,
    demand: { baseTps: 1 },
    provers: {
      archetypes: [
        { name: "p", count: 3, computeCores: 16_384, costUsdPerCoreSecond: 3.5e-5, capitalUsd: 200_000, mtbfHours: 1e9, latencySigma: 0.1 },
      ],
    },
    ...sets,
  });
  const env = new ProverNetworkEnv(exp, resolveParams(exp));
  let obs = env.reset(5).observation;
  const policy = new AlwaysOnPolicy();
  const actions = createActions(3);
  const busy: number[] = [];
  const held: number[] = [];
  for (let e = 0; e < epochs; e++) {
    policy.act(obs, actions);
    actions.withhold[2] = withholds(e) ? 1 : 0;
    obs = env.step(actions).observation;
    busy.push(env.provers.epochBusySeconds[2]!);
    held.push(obs.prover[2 * PROVER_FEATURES.length + PF.queueLength]!);
  }
  return { env, summary: summarize(env), busy, held };
}

describe("the withhold action", () => {
  // Selection among every prover, whatever its reputation: the withholder keeps being drawn.
  const open = { mechanism: { base: { topFraction: 1 } } };

  it("a withholding prover accepts jobs and proves none: each misses its deadline, a failure it is slashed for", () => {
    const { env, summary, busy, held } = episode(() => true, open);
    const P = env.provers;
    expect(P.withheld[2]).toBeGreaterThan(3);
    expect(P.wins[2]).toBe(0);
    expect(P.rewards[2]).toBe(0);
    // It never works on a withheld job: no compute time, so no compute cost.
    expect(busy.every((s) => s === 0)).toBe(true);
    // The misses: reorgs, lost liveness, and failures on its record (section 6.2) and stake (6.4).
    expect(summary.reorgs).toBeGreaterThan(0);
    expect(summary.liveness).toBeLessThan(1);
    expect(P.slashed[2]).toBeGreaterThan(0);
    expect(P.onTimeRate[2]).toBeLessThan(0.9);
    expect(P.reputation[2]).toBeLessThan(0.9);
    // The honest provers' jobs pruned by its misses are not their fault.
    for (const i of [0, 1]) {
      expect(P.slashed[i]).toBe(0);
      expect(P.onTimeRate[i]).toBe(1);
      expect(P.wins[i]).toBeGreaterThan(0);
    }
    // Its observation shows the jobs it sits on (the learners' `holding` signal).
    expect(held.some((q) => q > 0)).toBe(true);
  });

  it("with reputation-gated selection (top 25 %) a withholder is drawn only while the others are busy, and no more once its reputation has fallen", () => {
    const { env, summary } = episode(() => true, {}, 36);
    const withheld = env.provers.withheld[2]!;
    expect(withheld).toBeGreaterThan(0);
    expect(summary.reorgs).toBe(withheld);
    // Its misses put it below the honest provers; from then on it is never drawn.
    const last = env.rows.findLastIndex((r) => r.reorgs > 0);
    expect(last).toBeLessThan(24);
    expect(env.provers.reputation[2]).toBeLessThan(env.provers.reputation[0]!);
  });

  it("without withholding the same provers miss nothing", () => {
    const { env, summary } = episode(() => false, open);
    expect(summary.reorgs).toBe(0);
    expect(summary.liveness).toBe(1);
    expect(env.provers.withheld[2]).toBe(0);
    expect(env.provers.wins[2]).toBeGreaterThan(0);
  });

  it("withholding for one epoch: the misses come at the proof deadline, then the prover proves again", () => {
    const { env, summary } = episode((e) => e === 4, open);
    const rows = env.rows;
    const first = rows.findIndex((r) => r.reorgs > 0);
    // A job of epoch 4 is due at the end of epoch 5 (proofWindowEpochs 1).
    expect(first).toBe(5);
    expect(summary.reorgs).toBeGreaterThanOrEqual(1);
    expect(rows.slice(first + 1).every((r) => r.reorgs === 0)).toBe(true);
    expect(env.provers.wins[2]).toBeGreaterThan(0);
  });

  it("in a race the winner cancels a withheld task: no miss, and the withholder gets no compensation or pool share", () => {
    // Emergency from the first epoch on and never left (forecast 1 >= threshold 1): every job races 3 wide
    // (queues of up to 10 jobs, so a prover busy with another job still joins the race).
    const racing = { mechanism: { base: { maxQueuePerProver: 10 }, emergency: { preemptiveThreshold: 1, raceWidth: 3 } } };
    const { env, summary } = episode(() => true, racing);
    expect(summary.emergencyShare).toBe(1);
    expect(env.provers.withheld[2]).toBeGreaterThan(3);
    expect(summary.reorgs).toBe(0);
    expect(summary.liveness).toBe(1);
    expect(env.provers.rewards[2]).toBe(0);
    expect(env.provers.rewards[0]).toBeGreaterThan(0);
  });

  it("aztec-current: a withholding prover takes no task (it just does not prove) and is paid nothing", () => {
    const { env, summary } = episode(() => true, { mechanism: { variant: "aztec-current" } }, 8);
    expect(env.provers.withheld[2]).toBe(0);
    expect(env.provers.wins[2]).toBe(0);
    expect(env.provers.rewards[2]).toBe(0);
    expect(summary.liveness).toBe(1);
  });
});
