import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ParamValues } from "../../src/config/paramSpace.js";
import { loadBundle } from "../../src/tuning/bundle.js";
import { analyseInert, withinNoise } from "../../src/tuning/inert.js";
import { EXPERIMENTS_DIR } from "../support/experiments.js";
import { FakeExecutor } from "../support/fakeExecutor.js";

const TUNED = ["rewards.profitMargin", "emergency.raceWidth", "batching.maxWaitSlots", "scaling.smoothing"];
const bundle = loadBundle(join(EXPERIMENTS_DIR, "aztec-1tps.yaml"), [
  `tune.params=[${TUNED.join(", ")}]`,
  "objective.weights={liveness: 100, rewardsPerTxUsd: -10}",
  "objective.constraints=[{kpi: liveness, min: 0.999}]",
]);
const EPISODES = 4;

/** Every tuned parameter moved off its default (integers by one step). */
function movedCandidate(): ParamValues {
  const p = { ...bundle.params };
  p["rewards.profitMargin"] = p["rewards.profitMargin"]! * 2;
  p["emergency.raceWidth"] = p["emergency.raceWidth"]! + 1;
  p["batching.maxWaitSlots"] = p["batching.maxWaitSlots"]! + 1;
  p["scaling.smoothing"] = p["scaling.smoothing"]! / 2;
  return p;
}

describe("withinNoise", () => {
  it("is an interval containing 0, or with one episode an exact 0", () => {
    expect(withinNoise({ mean: 0.1, low: -0.2, high: 0.4, n: 3 })).toBe(true);
    expect(withinNoise({ mean: 0.1, low: 0.05, high: 0.15, n: 3 })).toBe(false);
    expect(withinNoise({ mean: 0, low: -Infinity, high: Infinity, n: 1 })).toBe(true);
    expect(withinNoise({ mean: 0.01, low: -Infinity, high: Infinity, n: 1 })).toBe(false);
  });
});

describe("analyseInert", () => {
  it("leaves a parameter with provably no effect at its default and keeps the ones that matter", async () => {
    // Only the profit margin moves any KPI: rewards per tx follow it, liveness does not depend on anything.
    const executor = new FakeExecutor(bundle, EPISODES, (p, k) => ({
      liveness: 1,
      rewardsPerTxUsd: p["rewards.profitMargin"]! * (1 + 0.01 * k),
    }));
    const candidate = movedCandidate();
    const a = await analyseInert(bundle, candidate, executor, EPISODES);
    const verdicts = Object.fromEntries(a.effects.map((e) => [e.name, e.keepDefault]));
    expect(verdicts).toEqual({
      "rewards.profitMargin": false,
      "emergency.raceWidth": true,
      "batching.maxWaitSlots": true,
      "scaling.smoothing": true,
    });
    expect(a.params["rewards.profitMargin"]).toBe(candidate["rewards.profitMargin"]);
    for (const name of TUNED.slice(1)) expect(a.params[name]).toBe(bundle.params[name]);
    expect(a.effects[0]!.reasons).toEqual([expect.stringMatching(/^objective \d/), expect.stringMatching(/^rewardsPerTxUsd -\d/)]);
    expect(a.jointly).toBeNull();
  });

  it("keeps as tuned those whose effects, each within noise alone, add up to harm together", async () => {
    // Each parameter back at its default costs 0.0003 of liveness, hidden alone in episode noise of +-0.0005;
    // two at their defaults break the 0.999 constraint.
    const atDefault = (p: ParamValues) => TUNED.slice(1).filter((n) => p[n] === bundle.params[n]).length;
    const executor = new FakeExecutor(bundle, EPISODES, (p, k) => {
      const r = atDefault(p);
      return { liveness: 0.9995 - 0.0003 * r + (r > 0 ? 0.0005 * (k % 2 === 0 ? 1 : -1) : 0), rewardsPerTxUsd: p["rewards.profitMargin"]! };
    });
    const a = await analyseInert(bundle, movedCandidate(), executor, EPISODES);
    expect(a.effects.filter((e) => e.keepDefault).map((e) => e.name)).toEqual(["emergency.raceWidth"]);
    expect(atDefault(a.params)).toBe(1);
    expect(a.jointly).toMatch(
      /^batching\.maxWaitSlots, scaling\.smoothing: within noise alone, but reverting it too with the 1 kept at default does harm \(the defaults make the calibration infeasible; objective -0\.06 \[-[\d.]+, [\d.]+\]\)$/,
    );
  });

  it("keeps as tuned those whose effects, each within noise alone, lower the mean objective together", async () => {
    // Each parameter back at its default costs 0.002 USD of rewards per tx (0.02 of the objective), hidden
    // alone in episode noise of +-0.05: two together cost 0.04 on average, still inside their interval.
    const atDefault = (p: ParamValues) => TUNED.slice(1).filter((n) => p[n] === bundle.params[n]).length;
    const executor = new FakeExecutor(bundle, EPISODES, (p, k) => {
      const r = atDefault(p);
      return { liveness: 1, rewardsPerTxUsd: p["rewards.profitMargin"]! + 0.002 * r + (r > 0 ? 0.05 * (k % 2 === 0 ? 1 : -1) : 0) };
    });
    const a = await analyseInert(bundle, movedCandidate(), executor, EPISODES);
    const inertAlone = a.effects.filter((e) => TUNED.slice(1).includes(e.name));
    for (const e of inertAlone) expect(withinNoise(e.objective), e.name).toBe(true);
    expect(atDefault(a.params)).toBe(1);
    expect(a.jointly).toMatch(
      /: within noise alone, but reverting it too with the 1 kept at default does harm \(objective -0\.04 \[-[\d.]+, [\d.]+\]\)$/,
    );
  });
});
