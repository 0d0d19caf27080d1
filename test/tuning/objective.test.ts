import { describe, expect, it } from "vitest";
import { ExperimentSchema } from "../../src/config/schema.js";
import { WINDOW_KPIS, type WindowKpis } from "../../src/env/summary.js";
import { INFEASIBLE, scoreKpis } from "../../src/tuning/objective.js";

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
    expect(s.violations).toEqual({});
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
    expect(bad.violations.liveness).toBeCloseTo(0.009, 12);
    expect(bad.violations.duplicateWorkShare).toBeCloseTo(0.2, 12);
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
