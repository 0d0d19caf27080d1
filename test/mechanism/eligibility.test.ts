import { describe, expect, it } from "vitest";
import { isEligible } from "../../src/mechanism/eligibility.js";

const current = { minCompute: 2048, minStake: 20_000 };
const grace = { minCompute: 1024, minStake: 10_000 };

describe("isEligible", () => {
  it("admits anyone who meets the requirements in force, at the boundary included", () => {
    expect(isEligible(2048, 20_000, false, current, grace)).toBe(true);
    expect(isEligible(2047, 20_000, false, current, grace)).toBe(false);
    expect(isEligible(2048, 19_999, false, current, grace)).toBe(false);
  });

  it("keeps an incumbent that meets the grace-period requirements", () => {
    expect(isEligible(1024, 10_000, true, current, grace)).toBe(true);
    expect(isEligible(1023, 10_000, true, current, grace)).toBe(false);
    expect(isEligible(1024, 9_999, true, current, grace)).toBe(false);
  });

  it("gives newcomers no grace", () => {
    expect(isEligible(1024, 10_000, false, current, grace)).toBe(false);
    expect(isEligible(1500, 15_000, false, current, grace)).toBe(false);
  });
});
