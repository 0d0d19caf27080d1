import { describe, expect, it } from "vitest";
import { ExperimentSchema } from "../../src/config/schema.js";
import { WINDOW_KPIS, type WindowKpis } from "../../src/env/windowKpis.js";
import { INFEASIBLE, feasibilityText, scoreKpis, scoreScenarios, violationText } from "../../src/tuning/objective.js";

const kpis = (over: Partial<WindowKpis>): WindowKpis => ({
  ...(Object.fromEntries(WINDOW_KPIS.map((k) => [k, 0])) as WindowKpis),
  ...over,
});
const objective = (o: unknown) => ExperimentSchema.parse({ name: "o", objective: o }).objective;

describe("scoreKpis", () => {
  it("is the weighted sum of KPIs when every constraint holds", () => {
    const o = objective({ weights: { liveness: 100, rewardsPerTxUsd: -10 }, constraints: [{ kpi: "liveness", min: 0.99 }] });
    const s = scoreKpis(kpis({ liveness: 0.995, rewardsPerTxUsd: 0.7 }), o);
    expect(s.feasible).toBe(true);
    expect(s.score).toBeCloseTo(99.5 - 7, 12);
    expect(s.violations).toEqual([]);
  });

  it("ranks every infeasible candidate below every feasible one, and smaller violations higher", () => {
    const o = objective({
      weights: { liveness: 1 },
      constraints: [
        { kpi: "liveness", min: 0.999 },
        { kpi: "duplicateWorkShare", max: 0.1 },
      ],
    });
    const bad = scoreKpis(kpis({ liveness: 0.99, duplicateWorkShare: 0.3 }), o);
    const lessBad = scoreKpis(kpis({ liveness: 0.998, duplicateWorkShare: 0.1 }), o);
    const worstFeasible = scoreKpis(
      kpis({ liveness: 0.999, duplicateWorkShare: 0.1 }),
      objective({ weights: { liveness: -1e6 }, constraints: [] }),
    );
    expect(bad.feasible).toBe(false);
    expect(bad.violations).toEqual([
      { kpi: "liveness", value: 0.99, bound: 0.999, side: "min" },
      { kpi: "duplicateWorkShare", value: 0.3, bound: 0.1, side: "max" },
    ]);
    expect(lessBad.score).toBeGreaterThan(bad.score);
    expect(bad.score).toBeLessThan(INFEASIBLE);
    expect(worstFeasible.score).toBeGreaterThan(lessBad.score);
  });

  it("treats a missing KPI value (NaN) as violating any constraint on it", () => {
    const o = objective({ weights: {}, constraints: [{ kpi: "latencyMeanS", max: 600 }] });
    expect(scoreKpis(kpis({ latencyMeanS: NaN }), o).feasible).toBe(false);
  });

  it("rejects weights on unknown KPIs at load time", () => {
    expect(() => objective({ weights: { livenes: 1 } })).toThrow();
  });
});

describe("violationText", () => {
  it("names the KPI, its value, the side and the bound, with enough digits to tell them apart", () => {
    const o = objective({ weights: {}, constraints: [{ kpi: "liveness", min: 0.99 }] });
    expect(feasibilityText(scoreKpis(kpis({ liveness: 0.92104 }), o))).toBe("infeasible: liveness 0.921 < 0.99");
    expect(violationText(scoreKpis(kpis({ liveness: 0.98996 }), o).violations[0]!)).toBe("liveness 0.98996 < 0.99");
    expect(violationText({ kpi: "latencyMeanS", value: null, bound: 600, side: "max", scenario: "l1-gas-spike" })).toBe(
      "latencyMeanS undefined (max 600) in l1-gas-spike",
    );
    expect(feasibilityText(scoreKpis(kpis({ liveness: 1 }), o))).toBe("feasible");
  });
});

describe("scoreScenarios", () => {
  const o = objective({ weights: { liveness: 100 }, constraints: [{ kpi: "liveness", min: 0.9 }] });
  const perScenario = { a: kpis({ liveness: 1 }), b: kpis({ liveness: 0.96 }), c: kpis({ liveness: 0.92 }), d: kpis({ liveness: 0.98 }) };
  const pooled = kpis({ liveness: 0.965 });

  it("mean: the pooled KPIs; worst: the lowest scenario score; cvar: the mean of the lowest alpha share", () => {
    expect(scoreScenarios(pooled, perScenario, o, "mean", 0.5).score).toBeCloseTo(96.5, 9);
    expect(scoreScenarios(pooled, perScenario, o, "worst", 0.5).score).toBeCloseTo(92, 9);
    expect(scoreScenarios(pooled, perScenario, o, "cvar", 0.5).score).toBeCloseTo(94, 9);
    expect(scoreScenarios(pooled, perScenario, o, "cvar", 0.3).score).toBeCloseTo(94, 9); // ceil(0.3 x 4) = 2 scenarios
    expect(scoreScenarios(pooled, perScenario, o, "cvar", 0.25).score).toBeCloseTo(92, 9);
    expect(scoreScenarios(pooled, perScenario, o, "cvar", 1).score).toBeCloseTo(96.5, 9);
  });

  it("worst and cvar need every scenario feasible on its own and name the one that is not", () => {
    const split = { ...perScenario, c: kpis({ liveness: 0.85 }) };
    expect(scoreScenarios(kpis({ liveness: 0.9475 }), split, o, "mean", 0.5).feasible).toBe(true);
    const worst = scoreScenarios(kpis({ liveness: 0.9475 }), split, o, "worst", 0.5);
    expect(worst.feasible).toBe(false);
    expect(worst.score).toBeLessThan(INFEASIBLE);
    expect(feasibilityText(worst)).toBe("infeasible: liveness 0.85 < 0.9 in c");
  });
});
