import { describe, expect, it } from "vitest";
import { preferredOption, type OptionResult } from "../../src/study/run.js";

const interval = (mean: number, half: number) => ({ mean, low: mean - half, high: mean + half, n: 20 });

function option(name: string, versusBaseline: number, versusDefaults: number, warned = false): OptionResult {
  return {
    name,
    description: name,
    set: [],
    run: null,
    tunedOverDefaults: null,
    adopts: "defaults",
    tuned: {},
    warnings: warned ? [{ kind: "exploitable", message: "split alone" }] : [],
    audit: null,
    difference: interval(versusBaseline, 0.1),
    versusDefaults: interval(versusDefaults, 0.1),
    kpiDifferences: {},
    scenarios: [],
    feasible: true,
    kpis: {},
  };
}

describe("preferredOption: the option a study recommends over the experiment as written", () => {
  it("needs a gain over both the baseline and the defaults that excludes 0", () => {
    expect(preferredOption([option("a", 0.05, 0.5), option("b", 0.5, 0.05)])).toBeNull();
    expect(preferredOption([option("a", 0.2, 0.5)])?.name).toBe("a");
  });

  it("passes over a warned option, and of several picks the largest gain over the defaults", () => {
    const picked = preferredOption([option("warned", 1, 2, true), option("small", 0.3, 0.4), option("large", 0.2, 0.9)]);
    expect(picked?.name).toBe("large");
    expect(preferredOption([option("warned", 1, 2, true)])).toBeNull();
  });
});
