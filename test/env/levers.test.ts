import { describe, expect, it } from "vitest";
import { PARAM_SPACE, type ParamSpec } from "../../src/config/paramSpace.js";
import { resolveParams } from "../../src/config/resolve.js";
import type { EpochRow } from "../../src/env/kpis.js";
import { load, run } from "../support/experiments.js";

/**
 * Every lever of the scaling, rewards, emergency and batching groups acts: moved by 20 % of its
 * range (in its own scale, log or linear) in a shipped scenario where it is meant to act, it changes
 * the per-epoch time series. docs/MODEL.md section 0.3 lists the scenario of each and why.
 */
const WHERE: Record<string, { scenario: string; down?: boolean }> = {
  "scaling.smoothing": { scenario: "campaign-surge" },
  "scaling.lowThreshold": { scenario: "low-demand-winter" },
  "scaling.highThreshold": { scenario: "campaign-surge" },
  "scaling.downFactor": { scenario: "low-demand-winter" },
  "scaling.upFactor": { scenario: "campaign-surge", down: true },
  "scaling.maxChangePerEpoch": { scenario: "campaign-surge", down: true },
  "scaling.floorRatio": { scenario: "low-demand-winter" },
  "scaling.ceilingRatio": { scenario: "campaign-surge" },
  "scaling.graceEpochs": { scenario: "campaign-surge" },
  "scaling.forecastLeadEpochs": { scenario: "campaign-surge" },
  "rewards.computePriceUsdPerCoreSecond": { scenario: "aztec-1tps" },
  "rewards.profitMargin": { scenario: "aztec-1tps" },
  "rewards.performanceBonusWeight": { scenario: "aztec-1tps" },
  "rewards.performanceSpeedRatio": { scenario: "aztec-1tps" },
  "rewards.performanceWindowEpochs": { scenario: "aztec-1tps" },
  "rewards.consistencyGate": { scenario: "campaign-surge" },
  "rewards.l1CostSmoothingHours": { scenario: "l1-gas-spike" },
  "rewards.stabilizationPoolShare": { scenario: "correlated-outage" },
  "rewards.raceCompensationShare": { scenario: "correlated-outage" },
  "emergency.loadThreshold": { scenario: "inscription-burst" },
  "emergency.minOnlineShare": { scenario: "correlated-outage" },
  "emergency.preemptiveThreshold": { scenario: "campaign-surge" },
  "emergency.hysteresis": { scenario: "campaign-surge" },
  "emergency.minDurationEpochs": { scenario: "correlated-outage" },
  "emergency.raceWidth": { scenario: "correlated-outage" },
  "batching.minSize": { scenario: "inscription-burst" },
  "batching.maxSize": { scenario: "inscription-burst", down: true },
  "batching.slope": { scenario: "inscription-burst" },
  "batching.congestionThreshold": { scenario: "inscription-burst" },
  "batching.maxWaitSlots": { scenario: "inscription-burst" },
  "base.identityFeeUsdPerEpoch": { scenario: "aztec-1tps" },
};

const GROUPS = new Set(["scaling", "rewards", "emergency", "batching"]);
/** Of the base group, the per-identity fee (the counter to identity splitting). */
const BASE_LEVERS = new Set(["base.identityFeeUsdPerEpoch"]);
const covered = (s: ParamSpec) => GROUPS.has(s.group) || BASE_LEVERS.has(s.name);

/** The value 20 % of the range away from `value`: upwards (downwards if `down`), the other way when that leaves the range. */
function moved(spec: ParamSpec, value: number, down = false): number {
  const log = spec.scale === "log";
  const f = (x: number) => (log ? Math.log(x) : x);
  const g = (y: number) => (log ? Math.exp(y) : y);
  const step = (down ? -0.2 : 0.2) * (f(spec.upper) - f(spec.lower));
  let y = f(value) + step;
  if (y > f(spec.upper) + 1e-12 || y < f(spec.lower) - 1e-12) y = f(value) - step;
  const v = g(y);
  return spec.integer ? Math.round(v) : v;
}

const baselines = new Map<string, readonly EpochRow[]>();
function baseline(scenario: string): readonly EpochRow[] {
  if (!baselines.has(scenario)) baselines.set(scenario, run(load(scenario)).rows);
  return baselines.get(scenario)!;
}

describe("every lever acts in a scenario where it is meant to", () => {
  it("covers every parameter of the four groups", () => {
    const names = PARAM_SPACE.filter(covered).map((s) => s.name);
    expect(Object.keys(WHERE).sort()).toEqual(names.sort());
  });

  for (const spec of PARAM_SPACE.filter(covered)) {
    const where = WHERE[spec.name]!;
    it(`${spec.name} in ${where.scenario}`, () => {
      const exp = load(where.scenario);
      const value = moved(spec, resolveParams(exp)[spec.name]!, where.down);
      const [group, key] = spec.name.split(".");
      const changed = run(load(where.scenario, [`mechanism.${group}.${key}=${value}`])).rows;
      expect(JSON.stringify(changed)).not.toBe(JSON.stringify(baseline(where.scenario)));
    });
  }
});
