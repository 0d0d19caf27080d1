import { describe, expect, it } from "vitest";
import { WINDOW_KPIS, type WindowKpis } from "../../src/env/windowKpis.js";
import {
  choosePresets,
  paretoFront,
  presetTrials,
  screenPresets,
  type FrontPoint,
  type HeldOutPreset,
  type PresetName,
} from "../../src/tuning/pareto.js";

/** A trial with the given liveness and cost per tx (all of it rewards, no L1 cost). */
const trial = (id: number, liveness: number, cost: number, feasible = true) => ({
  trial: id,
  feasible,
  kpis: { ...(Object.fromEntries(WINDOW_KPIS.map((k) => [k, 0])) as WindowKpis), liveness, rewardsPerTxUsd: cost, l1CostPerTxUsd: 0 },
});
const ids = (points: readonly FrontPoint[]) => points.map((p) => p.trial);

describe("paretoFront", () => {
  it("keeps the non-dominated points by liveness descending, the earliest of duplicates", () => {
    const front = paretoFront([
      { trial: 0, liveness: 1.0, cost: 0.5 },
      { trial: 1, liveness: 0.999, cost: 0.3 },
      { trial: 2, liveness: 0.995, cost: 0.25 },
      { trial: 3, liveness: 0.99, cost: 0.24 },
      { trial: 4, liveness: 0.998, cost: 0.4 }, // dominated by 1
      { trial: 5, liveness: 0.999, cost: 0.3 }, // duplicate of 1
      { trial: 6, liveness: 1.0, cost: 0.6 }, // same liveness as 0, dearer
      { trial: 7, liveness: 0.98, cost: 0.24 }, // same cost as 3, less live
    ]);
    expect(ids(front)).toEqual([0, 1, 2, 3]);
  });
});

describe("choosePresets", () => {
  it("conservative: highest liveness; aggressive: lowest cost; moderate: closest to utopia after scaling both axes", () => {
    // Scaled over the front (liveness 0.99..1, cost 0.24..0.5), the distances to (1, 0.24) are
    // 0: 1, 1: hypot(0.1, 0.06/0.26) = 0.25, 2: hypot(0.5, 0.01/0.26) = 0.50, 3: 1.
    const front = paretoFront([
      { trial: 0, liveness: 1.0, cost: 0.5 },
      { trial: 1, liveness: 0.999, cost: 0.3 },
      { trial: 2, liveness: 0.995, cost: 0.25 },
      { trial: 3, liveness: 0.99, cost: 0.24 },
    ]);
    const p = choosePresets(front);
    expect([p.conservative.trial, p.moderate.trial, p.aggressive.trial]).toEqual([0, 1, 3]);
  });

  it("a single point is every preset; of two, the knee ties and goes to the higher liveness", () => {
    const one = choosePresets([{ trial: 4, liveness: 0.99, cost: 1 }]);
    expect([one.conservative.trial, one.moderate.trial, one.aggressive.trial]).toEqual([4, 4, 4]);
    const two = choosePresets(
      paretoFront([
        { trial: 0, liveness: 0.99, cost: 0.1 },
        { trial: 1, liveness: 1, cost: 0.9 },
      ]),
    );
    expect([two.conservative.trial, two.moderate.trial, two.aggressive.trial]).toEqual([1, 1, 0]);
  });
});

describe("presetTrials", () => {
  it("takes the front of the feasible trials only, when there are any", () => {
    const picked = presetTrials([trial(0, 1, 0.5), trial(1, 0.995, 0.25), trial(2, 1, 0.01, false), trial(3, 0.999, 0.3)]);
    expect(picked && [picked.conservative.trial, picked.moderate.trial, picked.aggressive.trial]).toEqual([0, 3, 1]);
  });

  it("falls back to every trial when none is feasible", () => {
    const picked = presetTrials([trial(0, 0.9, 0.5, false), trial(1, 0.8, 0.2, false)]);
    expect(picked && [picked.conservative.trial, picked.aggressive.trial]).toEqual([0, 1]);
  });

  it("leaves out trials whose liveness or cost is missing (NaN, or null from a checkpoint)", () => {
    const restored = trial(1, 1, 0.01);
    (restored.kpis as Record<string, unknown>).l1CostPerTxUsd = null;
    const picked = presetTrials([trial(0, 0.99, 0.5), restored, trial(2, 1, NaN)]);
    expect(picked && [picked.conservative.trial, picked.aggressive.trial]).toEqual([0, 0]);
    expect(presetTrials([trial(0, 1, NaN)])).toBeUndefined();
  });
});

describe("screenPresets", () => {
  const held = (name: PresetName, trial: number, liveness: number, cost: number, feasible = true): HeldOutPreset => ({
    name,
    trial,
    feasible,
    violations: feasible ? [] : [{ kpi: "liveness", value: liveness, bound: 0.99, side: "min" }],
    liveness,
    cost,
  });

  it("keeps presets that are feasible and ordered on held-out", () => {
    const { kept, dropped } = screenPresets([
      held("conservative", 1, 0.999, 0.5),
      held("moderate", 2, 0.995, 0.4),
      held("aggressive", 3, 0.991, 0.3),
    ]);
    expect(kept.map((p) => p.name)).toEqual(["conservative", "moderate", "aggressive"]);
    expect(dropped).toEqual([]);
  });

  it("drops a preset infeasible on held-out, naming the constraint", () => {
    const { kept, dropped } = screenPresets([
      held("conservative", 1, 0.999, 0.5),
      held("moderate", 2, 0.97, 0.4, false),
      held("aggressive", 3, 0.991, 0.3),
    ]);
    expect(kept.map((p) => p.name)).toEqual(["conservative", "aggressive"]);
    expect(dropped).toEqual([{ name: "moderate", trial: 2, reason: "infeasible on held-out: liveness 0.97 < 0.99" }]);
  });

  it("drops a preset another beats on both held-out liveness and cost (aggressive better than conservative on both)", () => {
    const { kept, dropped } = screenPresets([
      held("conservative", 1, 0.995, 0.5),
      held("moderate", 2, 0.997, 0.45),
      held("aggressive", 3, 0.998, 0.3),
    ]);
    expect(kept.map((p) => p.name)).toEqual(["aggressive"]);
    expect(dropped.map((d) => d.name)).toEqual(["conservative", "moderate"]);
    expect(dropped[0]!.reason).toBe("on held-out, moderate (trial 2) has liveness 0.997 >= 0.995 at cost 0.45 <= 0.5 USD/tx");
  });

  it("drops a conservative preset without the highest held-out liveness and an aggressive one without the lowest cost", () => {
    // None beats another on both, but the order is reversed: conservative is the cheapest, moderate the livest.
    const { kept, dropped } = screenPresets([
      held("conservative", 1, 0.995, 0.35),
      held("moderate", 2, 0.998, 0.4),
      held("aggressive", 3, 0.997, 0.38),
    ]);
    expect(kept.map((p) => p.name)).toEqual(["moderate"]);
    expect(dropped).toEqual([
      { name: "conservative", trial: 1, reason: "held-out liveness 0.995 is below moderate's 0.998" },
      { name: "aggressive", trial: 3, reason: "held-out cost 0.38 USD/tx is above conservative's 0.35" },
    ]);
  });

  it("keeps one trial that is two presets at once", () => {
    const { kept } = screenPresets([
      held("conservative", 1, 0.999, 0.5),
      held("moderate", 1, 0.999, 0.5),
      held("aggressive", 3, 0.991, 0.3),
    ]);
    expect(kept.map((p) => p.name)).toEqual(["conservative", "moderate", "aggressive"]);
  });
});
