import { describe, expect, it } from "vitest";
import { mechanismParams } from "../support/params.js";
import { slashAmount } from "../../src/mechanism/slashing.js";

describe("slashAmount", () => {
  it("is slashFraction x the stake", () => {
    expect(slashAmount(20_000, mechanismParams({ "base.slashFraction": 0.05 }))).toBeCloseTo(1_000, 9);
    expect(slashAmount(20_000, mechanismParams({ "base.slashFraction": 0.5 }))).toBe(10_000);
  });

  it("takes nothing from an empty stake, or with a zero fraction", () => {
    expect(slashAmount(0, mechanismParams({ "base.slashFraction": 0.5 }))).toBe(0);
    expect(slashAmount(20_000, mechanismParams({ "base.slashFraction": 0 }))).toBe(0);
  });

  it("leaves the rest of the stake: repeated failures shrink it geometrically, never below 0", () => {
    const p = mechanismParams({ "base.slashFraction": 0.25 });
    let stake = 1_000;
    for (let k = 0; k < 10; k++) stake -= slashAmount(stake, p);
    expect(stake).toBeCloseTo(1_000 * 0.75 ** 10, 9);
    expect(stake).toBeGreaterThan(0);
  });
});
