import { describe, expect, it } from "vitest";
import { resolveParams } from "../../src/config/resolve.js";
import { windowKpis } from "../../src/env/windowKpis.js";
import { load, run } from "../support/experiments.js";

describe("the mechanism's rules inside the network", () => {
  it("requirements rise under the surge within the rate limit and fall back afterwards", () => {
    const exp = load("campaign-surge");
    const p = resolveParams(exp);
    const { rows } = run(exp);
    const base = p["base.minComputeCores"]!;
    const peak = Math.max(...rows.map((r) => r.minComputeCores));
    expect(peak).toBeCloseTo(base * p["scaling.ceilingRatio"]!, 6);
    for (let k = 1; k < rows.length; k++) {
      const ratio = rows[k]!.minComputeCores / rows[k - 1]!.minComputeCores;
      expect(ratio).toBeLessThanOrEqual(1 + p["scaling.maxChangePerEpoch"]! + 1e-12);
      expect(ratio).toBeGreaterThanOrEqual(1 / (1 + p["scaling.maxChangePerEpoch"]!) - 1e-12);
    }
    const peakEpoch = rows.findIndex((r) => r.minComputeCores === peak);
    expect(rows[peakEpoch]!.demandIndex).toBeGreaterThan(p["scaling.highThreshold"]! * 0.9);
    expect(rows[rows.length - 1]!.minComputeCores).toBeCloseTo(base, 6);
  });

  it("requirements fall under low demand, to the floor and no lower", () => {
    const exp = load("low-demand-winter");
    const p = resolveParams(exp);
    const { rows } = run(exp);
    const floor = p["base.minComputeCores"]! * p["scaling.floorRatio"]!;
    expect(Math.min(...rows.map((r) => r.minComputeCores))).toBeCloseTo(floor, 6);
    expect(rows.every((r) => r.minComputeCores >= floor - 1e-9)).toBe(true);
  });

  it("scalingSignal load: the index follows the proving load, not demand; light load at nominal demand takes requirements to the floor", () => {
    const steady = run(load("aztec-1tps")).rows;
    expect(steady.every((r) => r.minComputeCores === steady[0]!.minComputeCores)).toBe(true);
    const exp = load("aztec-1tps", ["mechanism.scalingSignal=load"]);
    const p = resolveParams(exp);
    const { rows } = run(exp);
    // Provers busy about a tenth of the time leave well under one epoch of work outstanding.
    expect(rows.at(-1)!.demandIndex).toBeLessThan(0.2);
    expect(rows.at(-1)!.minComputeCores).toBeCloseTo(p["base.minComputeCores"]! * p["scaling.floorRatio"]!, 6);
    // With the thresholds moved to the load's own scale, the same network keeps its requirements.
    const onScale = run(load("aztec-1tps", ["mechanism.scalingSignal=load", "mechanism.scaling.lowThreshold=0.02"])).rows;
    expect(onScale.at(-1)!.minComputeCores).toBe(p["base.minComputeCores"]);
  });

  it("stabilizationMetric work: the same pools, shared by the core-seconds of each act of help instead of one point per act", () => {
    const byShare = run(load("correlated-outage"), 1, "always-on");
    const byWork = run(load("correlated-outage", ["mechanism.stabilizationMetric=work"]), 1, "always-on");
    const pools = (rows: typeof byShare.rows) => rows.reduce((s, r) => s + r.stabilizationBonusUsd, 0);
    expect(pools(byShare.rows)).toBeGreaterThan(0);
    expect(pools(byWork.rows)).toBeCloseTo(pools(byShare.rows), 6);
    const rewards = (r: typeof byShare) => Array.from(r.env.provers.rewards);
    const total = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
    expect(total(rewards(byWork))).toBeCloseTo(total(rewards(byShare)), 4);
    // Who gets the pools changes.
    expect(rewards(byWork).some((x, i) => Math.abs(x - rewards(byShare)[i]!) > 1e-6)).toBe(true);
  });

  it("speedMetric percentile: the share of base rewards that earn the performance bonus follows the quantile asked for", () => {
    const earning = (ratio: number) => {
      const sets = [
        "mechanism.speedMetric=percentile",
        `mechanism.rewards.performanceSpeedRatio=${ratio}`,
        "mechanism.rewards.consistencyGate=0.5",
        "horizonEpochs=150",
      ];
      const rows = run(load("aztec-1tps", sets), 1, "always-on").rows;
      const bonus = rows.reduce((s, r) => s + r.performanceBonusUsd, 0);
      const base = rows.reduce((s, r) => s + r.baseRewardsUsd, 0);
      return bonus / (0.1 * base);
    };
    const shares = [0.3, 0.6, 0.9].map(earning);
    // Each within 0.05 of the quantile (0.298, 0.594, 0.896 when written): the window lags the epoch by one.
    expect(shares[0]).toBeLessThan(shares[1]!);
    expect(shares[1]).toBeLessThan(shares[2]!);
    [0.3, 0.6, 0.9].forEach((q, k) => expect(Math.abs(shares[k]! - q), `quantile ${q}: ${shares[k]}`).toBeLessThan(0.05));
  });

  it("consistencyMetric steadiness: with the gate at 1, proof times that vary at all earn no performance bonus; the on-time rate still does", () => {
    const gate = ["mechanism.rewards.consistencyGate=1"];
    const bonus = (sets: string[]) =>
      run(load("aztec-1tps", [...gate, ...sets]), 1, "always-on").rows.reduce((s, r) => s + r.performanceBonusUsd, 0);
    expect(bonus([])).toBeGreaterThan(0);
    expect(bonus(["mechanism.consistencyMetric=steadiness"])).toBe(0);
    // A gate of 0.5 lets the steady provers (proof times within 50 % of their mean) earn it again.
    expect(bonus(["mechanism.consistencyMetric=steadiness", "mechanism.rewards.consistencyGate=0.5"])).toBeGreaterThan(0);
  });

  it("base-2023 keeps requirements static under the same surge", () => {
    const { rows } = run(load("campaign-surge", ["mechanism.variant=base-2023", "horizonEpochs=200"]));
    expect(new Set(rows.map((r) => r.minComputeCores)).size).toBe(1);
    expect(rows.every((r) => r.batchSizeMax === 1 && r.batches === 0)).toBe(true);
  });

  it("a correlated outage of 30 % of provers activates emergency mode, which races and batches", () => {
    const { rows, summary } = run(load("correlated-outage"));
    const onset = rows.findIndex((r) => r.emergencyActivations > 0);
    expect(onset).toBeGreaterThanOrEqual(0);
    // the outage starts at hour 6: epoch 18 of 19.2 minutes
    expect(rows[onset]!.hour).toBeGreaterThan(6);
    expect(rows[onset]!.hour).toBeLessThan(6.4);
    expect(summary.duplicateWorkShare).toBeGreaterThan(0);
    expect(summary.batchSizeMax).toBeGreaterThan(1);
  });

  it("the same outage with a lower online-share threshold does not escalate: emergency needs its condition", () => {
    const { summary } = run(load("correlated-outage", ["mechanism.emergency.minOnlineShare=0.5"]));
    expect(summary.emergencyActivations).toBe(0);
    expect(summary.duplicateWorkShare).toBe(0);
  });

  it("pre-emptive activation fires on forecast peaks of a daily cycle, and counts false alarms when nothing strains", () => {
    const calm = ["demand.daily.amplitude=0.6", "horizonEpochs=150", "mechanism.batching.maxSize=1", "mechanism.batching.minSize=1"];
    const never = run(load("aztec-1tps", calm)).summary;
    expect(never.emergencyActivations).toBe(0);
    const { summary } = run(
      load("aztec-1tps", [...calm, "mechanism.emergency.preemptiveThreshold=1.2", "mechanism.emergency.minDurationEpochs=1"]),
    );
    expect(summary.emergencyActivations).toBeGreaterThan(0);
    expect(summary.falseAlarms).toBeGreaterThan(0);
    expect(summary.falseAlarms).toBeLessThanOrEqual(summary.emergencyActivations);
  });

  it("pre-emption's lead time: a forecast activation that turns out real counts the time to its first overload; false alarms count none", () => {
    const burst = windowKpis(run(load("inscription-burst", ["mechanism.emergency.preemptiveThreshold=1.2"]), 1, "always-on").rows);
    expect(burst.emergencyActivations).toBe(1);
    expect(burst.falseAlarms).toBe(0);
    // Activated at an epoch's start, overloaded at its close: one epoch of 1,152 s ahead.
    expect(burst.preemptiveLeadMeanS).toBe(1152);
    const mints = windowKpis(run(load("mint-bursts"), 1, "always-on").rows);
    expect(mints.emergencyActivations).toBeGreaterThan(0);
    expect(mints.falseAlarms).toBe(mints.emergencyActivations);
    expect(mints.preemptiveLeadMeanS).toBeNaN();
  });

  it("no emergency, no racing and no batching in calm operation", () => {
    const { rows } = run(load("aztec-1tps"));
    for (const r of rows) {
      expect(r.emergencyActivations).toBe(0);
      expect(r.racingDuplicateCoreS).toBe(0);
      expect(r.batches).toBe(0);
      expect(r.stabilizationBonusUsd).toBe(0);
      expect(r.raceCompensationUsd).toBe(0);
    }
  });

  it("batch size follows the mempool backlog under congestion", () => {
    const exp = load("inscription-burst", ["mechanism.batching.maxWaitSlots=32"]);
    const p = resolveParams(exp);
    const { rows } = run(exp);
    const batched = rows.filter((r) => r.batches > 0);
    expect(batched.length).toBeGreaterThan(0);
    expect(Math.max(...rows.map((r) => r.batchSizeMax))).toBe(p["batching.maxSize"]);
    for (const r of batched) expect(r.batchSizeMax).toBeLessThanOrEqual(p["batching.maxSize"]!);
    const calm = rows.filter((r) => r.peakBacklogTx === 0 && r.emergencyShare === 0);
    expect(calm.length).toBeGreaterThan(0);
    for (const r of calm) expect(r.batches).toBe(0);
    // with no slope the backlog cannot move the batch size off its minimum
    const flat = run(load("inscription-burst", ["mechanism.batching.maxWaitSlots=32", "mechanism.batching.slope=0"])).rows;
    expect(Math.max(...flat.map((r) => r.batchSizeMax))).toBe(p["batching.minSize"]);
  });

  it("bonuses are paid only when earned: zero weights and zero pools pay nothing", () => {
    const none = run(
      load("correlated-outage", [
        "mechanism.rewards.performanceBonusWeight=0",
        "mechanism.rewards.stabilizationPoolShare=0",
        "mechanism.rewards.raceCompensationShare=0",
      ]),
    ).summary;
    expect(none.bonusShare).toBe(0);
    const some = run(load("correlated-outage")).summary;
    expect(some.bonusShare).toBeGreaterThan(0);
  });

  it("aztec-current shares each epoch's pool among provers that proved all its blocks", () => {
    const { rows, summary } = run(load("aztec-1tps", ["mechanism.variant=aztec-current", "horizonEpochs=20"]));
    const paid = rows.filter((r) => r.boosterPoolUsd > 0);
    expect(paid.length).toBeGreaterThan(0);
    // pools are paid out whole, and only pools are paid in this variant
    const pools = rows.reduce((s, r) => s + r.boosterPoolUsd, 0);
    expect(summary.rewardsUsd).toBeCloseTo(pools, 6);
    expect(summary.bonusShare).toBe(0);
    // every submitter proves every block: most compute is duplicated
    expect(summary.duplicateWorkShare).toBeGreaterThan(0.5);
    expect(rows[0]!.boosterPoolUsd).toBe(0);
  });
});

describe("reputation and consistency inside the network", () => {
  it("stay in [0, 1], and provers never at fault (never slashed) keep a perfect on-time rate even after lost races", () => {
    const { env, summary } = run(load("correlated-outage"));
    expect(summary.duplicateWorkShare).toBeGreaterThan(0);
    const P = env.provers;
    let clean = 0;
    for (let i = 0; i < P.n; i++) {
      expect(P.reputation[i]).toBeGreaterThanOrEqual(0);
      expect(P.reputation[i]).toBeLessThanOrEqual(1);
      expect(P.onTimeRate[i]).toBeLessThanOrEqual(1);
      if (P.slashed[i] === 0 && P.wins[i]! > 0) {
        clean++;
        expect(P.onTimeRate[i]).toBe(1);
      }
    }
    expect(clean).toBeGreaterThan(0);
  });
});
