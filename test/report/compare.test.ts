import { describe, expect, it } from "vitest";
import { whyWorse } from "../../src/report/compare.js";
import type { ParameterEffect } from "../../src/tuning/inert.js";

const objective = { weights: { costPerServedTxUsd: -20, txDelayMeanS: -0.01 }, constraints: [], warmupEpochs: 0 };
const interval = (mean: number, half: number) => ({ mean, low: mean - half, high: mean + half, n: 4 });

function effect(name: string, value: number, def: number, cost: ReturnType<typeof interval>): ParameterEffect {
  return {
    name,
    value,
    default: def,
    objective: interval(0, 1),
    kpis: { costPerServedTxUsd: cost },
    feasibleAtDefault: true,
    keepDefault: false,
    reasons: [],
  };
}

describe("why a tune run's recommendation is worse on a KPI", () => {
  const effects = [
    // Back at its default the margin lowers the cost beyond noise: it is why the cost is higher.
    effect("rewards.profitMargin", 0.23, 0.1, interval(-0.07, 0.02)),
    // Within noise: no part of the answer.
    effect("scaling.upFactor", 1.05, 1.25, interval(-0.01, 0.05)),
    // Back at its default the cost would rise: it lowers the cost, not the reason it is higher.
    effect("batching.maxSize", 4, 8, interval(0.03, 0.01)),
  ];

  it("names the changed parameters whose return to the default improves the KPI, largest first", () => {
    const text = whyWorse({ name: "run", effects }, "costPerServedTxUsd", objective);
    expect(text).toMatch(
      /^Its costPerServedTxUsd comes from rewards\.profitMargin at 0\.23 \(default 0\.1; back at the default costPerServedTxUsd moves -0\.07/,
    );
    expect(text).not.toMatch(/upFactor|maxSize/);
  });

  it("says when no single parameter accounts for it, and says nothing for a policy without effects", () => {
    const delay = effects.map((e) => ({ ...e, kpis: { ...e.kpis, txDelayMeanS: interval(5, 10) } }));
    expect(whyWorse({ name: "run", effects: delay }, "txDelayMeanS", objective)).toBe(
      "No single changed parameter of run accounts for its txDelayMeanS on training (they act together, or the difference is the mechanism's own).",
    );
    expect(whyWorse({ name: "run", effects }, "l1GasPerTx", objective)).toBe(
      "The tune run measured no parameter's effect on l1GasPerTx (it does so only for the KPIs its objective reads).",
    );
    expect(whyWorse({ name: "base-2023" }, "costPerServedTxUsd", objective)).toBe("");
  });
});
