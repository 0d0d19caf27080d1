import { describe, it, expect } from "vitest";
import { paramsWith } from "../support/params.js";
import {
  aggregationLatency,
  aggregationWork,
  batchingOn,
  batchPressure,
  batchSize,
  isCongested,
  needsRescue,
  sealsBatch,
} from "../../src/mechanism/batching.js";
import { blockWork, treeDepth } from "../../src/env/proofTree.js";

const BASE = {
  "batching.minSize": 2,
  "batching.maxSize": 8,
  "batching.slope": 1.5,
  "batching.congestionThreshold": 1,
};

const params = paramsWith(BASE);

const CAPACITY = 100;

describe("batchSize", () => {
  it("is 1 when batching is off, whatever the backlog", () => {
    const p = params();
    for (const backlog of [0, 50, 100, 1000, 1e9]) expect(batchSize(backlog / CAPACITY, false, p)).toBe(1);
  });

  it("equals clamp(round(minSize + slope x backlog / capacity), minSize, maxSize)", () => {
    const p = params();
    const expected = (backlog: number): number => Math.min(8, Math.max(2, Math.round(2 + (1.5 * backlog) / CAPACITY)));
    for (let backlog = 0; backlog <= 1000; backlog += 7) {
      expect(batchSize(backlog / CAPACITY, true, p)).toBe(expected(backlog));
    }
    // Spot values.
    expect(batchSize(0 / CAPACITY, true, p)).toBe(2);
    expect(batchSize(100 / CAPACITY, true, p)).toBe(4); // 2 + 1.5 = 3.5 -> 4
    expect(batchSize(200 / CAPACITY, true, p)).toBe(5);
    expect(batchSize(260 / CAPACITY, true, p)).toBe(6); // 2 + 3.9 = 5.9 -> 6
  });

  it("always returns an integer in [minSize, maxSize]", () => {
    const p = params({ "batching.minSize": 3, "batching.maxSize": 11, "batching.slope": 0.37 });
    for (let backlog = 0; backlog <= 5000; backlog += 13) {
      const b = batchSize(backlog / CAPACITY, true, p);
      expect(Number.isInteger(b)).toBe(true);
      expect(b).toBeGreaterThanOrEqual(3);
      expect(b).toBeLessThanOrEqual(11);
    }
  });

  it("is monotone non-decreasing in backlog and actually grows", () => {
    const p = params();
    let prev = batchSize(0 / CAPACITY, true, p);
    const first = prev;
    for (let backlog = 1; backlog <= 2000; backlog++) {
      const b = batchSize(backlog / CAPACITY, true, p);
      expect(b).toBeGreaterThanOrEqual(prev);
      prev = b;
    }
    expect(prev).toBeGreaterThan(first);
  });

  it("hits maxSize under a large backlog and stays there", () => {
    const p = params();
    expect(batchSize(400 / CAPACITY, true, p)).toBe(8); // 2 + 6 = 8
    expect(batchSize(10_000 / CAPACITY, true, p)).toBe(8);
    expect(batchSize(1e12 / CAPACITY, true, p)).toBe(8);
  });

  it("slope 0 keeps the batch at minSize", () => {
    const p = params({ "batching.slope": 0 });
    for (const backlog of [0, 100, 10_000]) expect(batchSize(backlog / CAPACITY, true, p)).toBe(2);
  });
});

describe("isCongested", () => {
  it("is true exactly when the backlog in blocks >= congestionThreshold", () => {
    const p = params({ "batching.congestionThreshold": 2.5 });
    expect(isCongested(250 / CAPACITY, p)).toBe(true); // exactly at the threshold
    expect(isCongested(249 / CAPACITY, p)).toBe(false);
    expect(isCongested(251 / CAPACITY, p)).toBe(true);
    expect(isCongested(0 / CAPACITY, p)).toBe(false);
    expect(isCongested(1e6 / CAPACITY, p)).toBe(true);
  });

  it("threshold 1: one full block of backlog is congestion", () => {
    const p = params({ "batching.congestionThreshold": 1 });
    expect(isCongested(CAPACITY / CAPACITY, p)).toBe(true);
    expect(isCongested((CAPACITY - 1) / CAPACITY, p)).toBe(false);
  });
});

describe("batchingOn", () => {
  const p = params({ "batching.congestionThreshold": 2 });

  it("is on in emergency whatever the backlog, otherwise exactly under congestion", () => {
    expect(batchingOn(true, 0, p)).toBe(true);
    expect(batchingOn(false, 2, p)).toBe(true);
    expect(batchingOn(false, 1.99, p)).toBe(false);
  });
});

describe("sealsBatch", () => {
  // minSize 2, slope 1.5: with a backlog of 2 blocks the batch's size is round(5) = 5.
  const p = params({ "batching.maxWaitSlots": 4 });
  const SLOT = 36;

  it("seals once the batch holds its adaptive size", () => {
    expect(sealsBatch(4, 2, 0, SLOT, p)).toBe(false);
    expect(sealsBatch(5, 2, 0, SLOT, p)).toBe(true);
    expect(sealsBatch(2, 0, 0, SLOT, p)).toBe(true);
  });

  it("seals a smaller batch once it has been open maxWaitSlots slots", () => {
    expect(sealsBatch(2, 2, 4 * SLOT - 1, SLOT, p)).toBe(false);
    expect(sealsBatch(2, 2, 4 * SLOT, SLOT, p)).toBe(true);
  });

  it("maxWaitSlots 0 seals every batch at its first block", () => {
    expect(sealsBatch(1, 100, 0, SLOT, params({ "batching.maxWaitSlots": 0 }))).toBe(true);
  });
});

describe("needsRescue", () => {
  const SLOT = 36;

  it("holds when the oldest deadline is at most a slot away and the verification is not scheduled by it", () => {
    expect(needsRescue(1000, SLOT, 1036, Infinity)).toBe(true);
    expect(needsRescue(1000, SLOT, 1020, 1050)).toBe(true);
  });

  it("not while the deadline is more than a slot away", () => {
    expect(needsRescue(1000, SLOT, 1036.5, Infinity)).toBe(false);
  });

  it("not when the batch is verified by the deadline", () => {
    expect(needsRescue(1000, SLOT, 1036, 1036)).toBe(false);
    expect(needsRescue(1000, SLOT, 1036, 1010)).toBe(false);
  });
});

describe("aggregation", () => {
  it("aggregating b proofs costs b - 1 two-to-one merges", () => {
    expect(aggregationWork(1, 300)).toBe(0);
    expect(aggregationWork(2, 300)).toBe(300);
    expect(aggregationWork(8, 300)).toBe(2100);
  });

  it("takes ceil(log2 b) levels of merges", () => {
    expect(aggregationLatency(1, 30)).toBe(0);
    expect(aggregationLatency(2, 30)).toBe(30);
    expect(aggregationLatency(5, 30)).toBe(90);
    expect(aggregationLatency(8, 30)).toBe(90);
    expect(aggregationLatency(32, 30)).toBe(150);
  });
});

describe("a block's proof tree", () => {
  it("work is baseWork + workPerTx x tx", () => {
    expect(blockWork(0, 1000, 5)).toBe(1000);
    expect(blockWork(40, 1000, 5)).toBe(1200);
  });

  it("depth is the transaction levels, ceil(log2 tx) merges and the block levels", () => {
    expect(treeDepth(1, 2, 1)).toBe(3);
    expect(treeDepth(4, 2, 1)).toBe(5);
    expect(treeDepth(5, 2, 1)).toBe(6);
    expect(treeDepth(36, 2, 1)).toBe(9);
    expect(treeDepth(360, 2, 1)).toBe(12);
    expect(treeDepth(0, 2, 1)).toBe(3);
  });
});

describe("batchPressure", () => {
  it("is the backlog under the backlog signal, whatever the gas price", () => {
    for (const gas of [0.1, 1, 2, 300]) expect(batchPressure(1.5, gas, "backlog")).toBe(1.5);
  });

  it("adds one block per doubling of the gas price over its base under backlogAndGas, nothing at or below the base", () => {
    expect(batchPressure(1.5, 0.25, "backlogAndGas")).toBe(1.5);
    expect(batchPressure(1.5, 1, "backlogAndGas")).toBe(1.5);
    expect(batchPressure(1.5, 2, "backlogAndGas")).toBe(2.5);
    expect(batchPressure(0, 256, "backlogAndGas")).toBe(8);
  });
});
