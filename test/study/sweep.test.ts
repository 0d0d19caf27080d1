import { describe, expect, it } from "vitest";
import { paramSpec } from "../../src/config/paramSpace.js";
import { loadBundle } from "../../src/tuning/bundle.js";
import { screenLever, sweepLevers, type LeverSweep, type SweepScore } from "../../src/study/sweep.js";
import { FakeExecutor } from "../support/fakeExecutor.js";
import { ROOT } from "../support/cli.js";
import { join } from "node:path";

const bundle = loadBundle(join(ROOT, "experiments", "study", "q4-batching.yaml"));

/** Episode k's liveness and cost depend on batching.maxSize only; every other lever is read by nothing. */
const executor = new FakeExecutor(bundle, 4, (p, k) => ({
  liveness: 1,
  txDelayMeanS: 10 * p["batching.maxSize"]! + k,
  costPerServedTxUsd: 0.01,
}));

describe("sweepLevers", () => {
  it("moves each lever alone over its range, leaves out the base's own value, and pairs every point with the base", async () => {
    const { sweeps: s } = await sweepLevers(executor, {
      levers: ["batching.maxSize", "batching.slope"],
      base: bundle.params,
      points: 5,
      split: "train",
      seeds: 1,
      kpis: ["txDelayMeanS"],
    });
    const size = s.levers[0]!;
    const spec = paramSpec("batching.maxSize")!;
    expect(size.at).toBe(bundle.params["batching.maxSize"]);
    expect(size.points.map((p) => p.value)).not.toContain(size.at);
    expect(size.points[0]!.value).toBe(spec.lower);
    expect(size.points.at(-1)!.value).toBe(spec.upper);
    // Positions rise with the values, within [0, 1].
    const positions = size.points.map((p) => p.position);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    for (const p of size.points) {
      // The objective weighs delay at -0.01 per second: 10 s per block of maxSize, the same in every episode.
      expect(p.difference.mean).toBeCloseTo(-0.01 * 10 * (p.value - size.at), 9);
      expect(p.identical).toBe(false);
      expect(p.kpis.txDelayMeanS).toBeCloseTo(10 * p.value + 1.5, 9);
    }
    // slope is read by nothing here: every episode identical at every value.
    expect(s.levers[1]!.points.every((p) => p.identical && p.difference.mean === 0)).toBe(true);
    expect(s.base.kpis.txDelayMeanS).toBeCloseTo(10 * size.at + 1.5, 9);
  });
});

function sweep(points: { difference: [number, number, number]; identical?: boolean; feasible?: boolean }[]): LeverSweep {
  return {
    lever: "batching.maxSize",
    unit: "blocks",
    scale: "linear",
    lower: 1,
    upper: 64,
    at: 8,
    points: points.map((p, i) => ({
      value: i + 1,
      position: i / 10,
      utility: { mean: 0, low: 0, high: 0, n: 4 },
      feasible: p.feasible ?? true,
      kpis: {},
      difference: { mean: p.difference[0], low: p.difference[1], high: p.difference[2], n: 4 },
      identical: p.identical ?? false,
    })),
  };
}
const BASE: SweepScore = { utility: { mean: 0, low: 0, high: 0, n: 4 }, feasible: true, kpis: {} };

describe("screenLever", () => {
  it("acts when one value's interval excludes 0; importance is the largest move, significant or not", () => {
    const s = screenLever(sweep([{ difference: [0.5, -0.1, 1.1] }, { difference: [-0.3, -0.5, -0.1] }]), BASE);
    expect(s.effect).toBe("acts");
    expect(s.importance).toBe(0.5);
    expect(s.significant).toBe(0.3);
  });

  it("is within noise when every interval holds 0, and never acts when every episode is identical", () => {
    expect(screenLever(sweep([{ difference: [0.5, -0.1, 1.1] }, { difference: [-0.2, -0.5, 0.1] }]), BASE).effect).toBe("within noise");
    expect(
      screenLever(
        sweep([
          { difference: [0, 0, 0], identical: true },
          { difference: [0, 0, 0], identical: true },
        ]),
        BASE,
      ).effect,
    ).toBe("never acts");
  });

  it("acts when a value changes feasibility, even with the objective within noise", () => {
    const s = screenLever(sweep([{ difference: [0.1, -1, 1.2], feasible: false }]), BASE);
    expect(s.effect).toBe("acts");
    expect(s.significant).toBe(0);
  });
});
