import { describe, expect, it } from "vitest";
import { graceRequirements, isEligible } from "../../src/mechanism/eligibility.js";
import type { Requirements } from "../../src/mechanism/scaling.js";

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

describe("graceRequirements", () => {
  /** A ring of 4 epochs: epoch e's (minCompute, minStake) at (e mod 4) x 2. */
  function history(byEpoch: Record<number, [number, number]>): Float64Array {
    const ring = new Float64Array(8);
    for (const [e, [c, s]] of Object.entries(byEpoch)) {
      ring[(Number(e) % 4) * 2] = c;
      ring[(Number(e) % 4) * 2 + 1] = s;
    }
    return ring;
  }
  const grace = (h: Float64Array, epoch: number, graceEpochs: number): Requirements => {
    const out = { minCompute: NaN, minStake: NaN };
    graceRequirements(current, h, epoch, graceEpochs, out);
    return out;
  };

  it("is the lowest of each requirement over this epoch and the graceEpochs before it", () => {
    const h = history({ 3: [1500, 30_000], 4: [1024, 25_000], 5: [4096, 12_000] });
    expect(grace(h, 6, 2)).toEqual({ minCompute: 1024, minStake: 12_000 });
    // Epoch 3 is beyond a grace of 2 epochs from epoch 6.
    expect(grace(history({ 3: [100, 100], 4: [3000, 30_000], 5: [3000, 30_000] }), 6, 2)).toEqual(current);
  });

  it("is the requirement in force with no grace, and at the first epoch", () => {
    const h = history({ 0: [1, 1], 1: [1, 1], 2: [1, 1] });
    expect(grace(h, 3, 0)).toEqual(current);
    expect(grace(h, 0, 3)).toEqual(current);
  });

  it("rounds graceEpochs, and reads no further back than the ring holds", () => {
    const h = history({ 4: [10, 10], 5: [20, 20], 6: [30, 30] });
    expect(grace(h, 7, 0.6)).toEqual({ minCompute: 30, minStake: 30 });
    // A ring of 4 keeps 3 past epochs: a grace of 10 reads epochs 4 to 6 only.
    expect(grace(h, 7, 10)).toEqual({ minCompute: 10, minStake: 10 });
  });
});
