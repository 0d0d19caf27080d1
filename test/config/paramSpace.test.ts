import { describe, it, expect } from "vitest";
import { PARAM_SPACE, defaultParams, paramSpec } from "../../src/config/paramSpace.js";
import { toMechanismParams, type MechanismParams } from "../../src/mechanism/params.js";

/**
 * Every key of every group of MechanismParams. The type makes this list exhaustive at compile
 * time: adding a key to the interface without listing it here is a type error.
 */
const EXPECTED_KEYS: { [G in keyof MechanismParams]: Record<keyof MechanismParams[G], true> } = {
  base: {
    minComputeCores: true,
    minStakeUsd: true,
    topFraction: true,
    stakeWeighted: true,
    reputationAlpha: true,
    reputationUptimeWeight: true,
    slashFraction: true,
    unbondingHours: true,
    maxQueuePerProver: true,
    identityFeeUsdPerEpoch: true,
  },
  scaling: {
    smoothing: true,
    lowThreshold: true,
    highThreshold: true,
    downFactor: true,
    upFactor: true,
    maxChangePerEpoch: true,
    floorRatio: true,
    ceilingRatio: true,
    graceEpochs: true,
    forecastLeadEpochs: true,
  },
  rewards: {
    computePriceUsdPerCoreSecond: true,
    profitMargin: true,
    l1CostSmoothingHours: true,
    performanceBonusWeight: true,
    performanceSpeedRatio: true,
    performanceWindowEpochs: true,
    consistencyGate: true,
    stabilizationPoolShare: true,
    raceCompensationShare: true,
  },
  emergency: {
    loadThreshold: true,
    minOnlineShare: true,
    preemptiveThreshold: true,
    hysteresis: true,
    minDurationEpochs: true,
    raceWidth: true,
  },
  batching: {
    minSize: true,
    maxSize: true,
    slope: true,
    congestionThreshold: true,
    maxWaitSlots: true,
  },
};

const GROUPS = Object.keys(EXPECTED_KEYS) as (keyof MechanismParams)[];

describe("PARAM_SPACE", () => {
  it("is not empty", () => {
    expect(PARAM_SPACE.length).toBeGreaterThan(0);
  });

  it.each(PARAM_SPACE.map((s) => [s.name, s] as const))("%s: lower <= default <= upper, all finite", (_, s) => {
    expect(Number.isFinite(s.lower)).toBe(true);
    expect(Number.isFinite(s.default)).toBe(true);
    expect(Number.isFinite(s.upper)).toBe(true);
    expect(s.lower).toBeLessThanOrEqual(s.default);
    expect(s.default).toBeLessThanOrEqual(s.upper);
    expect(s.lower).toBeLessThan(s.upper);
  });

  it("integer parameters have integer defaults and bounds", () => {
    const ints = PARAM_SPACE.filter((s) => s.integer);
    expect(ints.length).toBeGreaterThan(0);
    for (const s of ints) {
      expect(Number.isInteger(s.default), `${s.name} default ${s.default}`).toBe(true);
      expect(Number.isInteger(s.lower), `${s.name} lower ${s.lower}`).toBe(true);
      expect(Number.isInteger(s.upper), `${s.name} upper ${s.upper}`).toBe(true);
    }
  });

  it("log-scale parameters have lower > 0", () => {
    const logs = PARAM_SPACE.filter((s) => s.scale === "log");
    expect(logs.length).toBeGreaterThan(0);
    for (const s of logs) expect(s.lower, s.name).toBeGreaterThan(0);
  });

  it("every scale is linear or log", () => {
    for (const s of PARAM_SPACE) expect(["linear", "log"]).toContain(s.scale);
  });

  it("names are unique", () => {
    const names = PARAM_SPACE.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("every name is group.key with the group matching the spec's group", () => {
    for (const s of PARAM_SPACE) {
      const parts = s.name.split(".");
      expect(parts, s.name).toHaveLength(2);
      expect(parts[0]).toBe(s.group);
      expect(GROUPS).toContain(s.group);
      expect(parts[1]!.length).toBeGreaterThan(0);
    }
  });

  it("every spec is a key of MechanismParams and every MechanismParams key has a spec", () => {
    const specNames = new Set(PARAM_SPACE.map((s) => s.name));
    const expectedNames = new Set(GROUPS.flatMap((g) => Object.keys(EXPECTED_KEYS[g]).map((k) => `${g}.${k}`)));
    expect([...specNames].sort()).toEqual([...expectedNames].sort());
  });

  it("paramSpec looks a spec up by name", () => {
    const s = paramSpec("scaling.upFactor");
    expect(s?.name).toBe("scaling.upFactor");
    expect(s?.group).toBe("scaling");
    expect(paramSpec("scaling.noSuchThing")).toBeUndefined();
  });

  it("threshold pairs in the defaults are ordered consistently", () => {
    const d = defaultParams();
    expect(d["scaling.lowThreshold"]!).toBeLessThan(d["scaling.highThreshold"]!);
    expect(d["scaling.floorRatio"]!).toBeLessThanOrEqual(1);
    expect(d["scaling.ceilingRatio"]!).toBeGreaterThanOrEqual(1);
    expect(d["batching.minSize"]!).toBeLessThanOrEqual(d["batching.maxSize"]!);
  });
});

describe("defaultParams", () => {
  it("has one value per spec, equal to its default", () => {
    const d = defaultParams();
    expect(Object.keys(d).sort()).toEqual(PARAM_SPACE.map((s) => s.name).sort());
    for (const s of PARAM_SPACE) expect(d[s.name]).toBe(s.default);
  });

  it("returns a fresh object each call", () => {
    const a = defaultParams();
    a["scaling.upFactor"] = 123;
    expect(defaultParams()["scaling.upFactor"]).not.toBe(123);
  });
});

describe("toMechanismParams(defaultParams())", () => {
  const m = toMechanismParams(defaultParams());

  it("defines every group key with a finite number", () => {
    for (const g of GROUPS) {
      const group = m[g] as unknown as Record<string, unknown>;
      expect(group, g).toBeDefined();
      for (const k of Object.keys(EXPECTED_KEYS[g])) {
        const v = group[k];
        expect(typeof v, `${g}.${k}`).toBe("number");
        expect(Number.isFinite(v), `${g}.${k}`).toBe(true);
      }
    }
  });

  it("carries each default to its group key", () => {
    for (const s of PARAM_SPACE) {
      const [g, k] = s.name.split(".") as [keyof MechanismParams, string];
      expect((m[g] as unknown as Record<string, number>)[k], s.name).toBe(s.default);
    }
  });

  it("applies overrides", () => {
    const p = toMechanismParams({ ...defaultParams(), "scaling.upFactor": 1.5, "emergency.raceWidth": 4 });
    expect(p.scaling.upFactor).toBe(1.5);
    expect(p.emergency.raceWidth).toBe(4);
    expect(p.scaling.downFactor).toBe(paramSpec("scaling.downFactor")!.default);
  });
});
