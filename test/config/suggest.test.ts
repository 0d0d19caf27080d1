import { describe, expect, it } from "vitest";
import { closest, editDistance } from "../../src/config/suggest.js";

describe("editDistance", () => {
  it("counts insertions, deletions, substitutions and adjacent swaps, ignoring case", () => {
    expect(editDistance("simulate", "simulate")).toBe(0);
    expect(editDistance("simlate", "simulate")).toBe(1);
    expect(editDistance("simualte", "simulate")).toBe(1);
    expect(editDistance("baseTPS", "baseTps")).toBe(0);
    expect(editDistance("tps", "baseTps")).toBe(4);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });
});

describe("closest", () => {
  const commands = [
    "simulate",
    "tune",
    "evaluate",
    "export",
    "report",
    "compare",
    "train",
    "train-controller",
    "audit",
    "params",
    "schema",
  ];

  it("names the nearest within a third of the word's length, else nothing", () => {
    expect(closest("simlate", commands)).toBe("simulate");
    expect(closest("tnue", commands)).toBe("tune");
    expect(closest("xyz", commands)).toBeUndefined();
    expect(closest("deploy", commands)).toBeUndefined();
  });

  it("measures a dotted name by itself and by its last part", () => {
    const params = ["scaling.smoothing", "rewards.l1CostSmoothingHours", "batching.slope"];
    expect(closest("scaling.smoothin", params)).toBe("scaling.smoothing");
    expect(closest("smoothing", params)).toBe("scaling.smoothing");
  });

  it("else the only name that contains the word, for words of three letters or more", () => {
    const demand = ["baseTps", "maxTxPerBlock", "startHourUtc", "daily", "regimes", "shocks", "jobPerTransaction", "txTimeToLiveHours"];
    expect(closest("tps", demand)).toBe("baseTps");
    expect(closest("hour", demand)).toBeUndefined(); // two names contain it
    expect(closest("tx", ["maxTx", "txPerBlock"])).toBeUndefined();
  });

  it("does not compare a word far longer than any name", () => {
    expect(closest("a".repeat(10_000), ["a"])).toBeUndefined();
  });
});
