import { describe, expect, it } from "vitest";
import { ExperimentSchema } from "../../src/config/schema.js";
import { DemandProcess, dailyFactor, shockFactor } from "../../src/env/demand.js";
import { Stream } from "../../src/rng/streams.js";

const HOUR = 3600;
const demand = (d: Record<string, unknown>) => ExperimentSchema.parse({ name: "d", demand: d }).demand;

describe("daily cycle", () => {
  const cfg = demand({ daily: { amplitude: 0.5, peakHourUtc: 15.5, troughHourUtc: 22 } });

  it("peaks at peakHourUtc and bottoms out at troughHourUtc (DOMAIN 5.1: busiest afternoon, quietest 21-23 UTC)", () => {
    expect(dailyFactor(cfg, 15.5 * HOUR)).toBeCloseTo(1.5, 12);
    expect(dailyFactor(cfg, 22 * HOUR)).toBeCloseTo(0.5, 12);
    let best = 0;
    let worst = Infinity;
    let bestHour = 0;
    let worstHour = 0;
    for (let m = 0; m < 24 * 60; m++) {
      const f = dailyFactor(cfg, m * 60);
      if (f > best) [best, bestHour] = [f, m / 60];
      if (f < worst) [worst, worstHour] = [f, m / 60];
    }
    expect(bestHour).toBeCloseTo(15.5, 1);
    expect(worstHour).toBeCloseTo(22, 1);
  });

  it("averages 1 over a weekday and is continuous", () => {
    let total = 0;
    const steps = 24 * 360;
    let prev = dailyFactor(cfg, 0);
    for (let k = 0; k < steps; k++) {
      const f = dailyFactor(cfg, (k * 24 * HOUR) / steps);
      expect(Math.abs(f - prev)).toBeLessThan(0.01);
      prev = f;
      total += f;
    }
    expect(total / steps).toBeCloseTo(1, 6);
  });

  it("scales weekends (days 5 and 6 from a Monday start)", () => {
    const w = demand({ daily: { amplitude: 0, weekendFactor: 0.8 } });
    expect(dailyFactor(w, 4 * 24 * HOUR + HOUR)).toBe(1);
    expect(dailyFactor(w, 5 * 24 * HOUR + HOUR)).toBeCloseTo(0.8, 12);
    expect(dailyFactor(w, 6 * 24 * HOUR + HOUR)).toBeCloseTo(0.8, 12);
    expect(dailyFactor(w, 7 * 24 * HOUR + HOUR)).toBe(1);
  });
});

describe("shocks and regimes", () => {
  it("a shock multiplies demand over its window with linear ramps", () => {
    const shocks = demand({ shocks: [{ name: "s", startHour: 10, durationHours: 10, multiplier: 3, rampHours: 2 }] }).shocks;
    expect(shockFactor(shocks, 9.9 * HOUR)).toBe(1);
    expect(shockFactor(shocks, 11 * HOUR)).toBeCloseTo(2, 12);
    expect(shockFactor(shocks, 15 * HOUR)).toBe(3);
    expect(shockFactor(shocks, 19 * HOUR)).toBeCloseTo(2, 12);
    expect(shockFactor(shocks, 20 * HOUR)).toBe(1);
  });

  it("regime multipliers apply only when regimes are enabled", () => {
    const off = new DemandProcess(
      demand({ baseTps: 2, regimes: { enabled: false, multipliers: { quiet: 0.5, normal: 1.7, busy: 2, surge: 3 } } }),
    );
    off.reset(Stream.root(1));
    expect(off.rateAt(HOUR)).toBe(2);
    const on = new DemandProcess(
      demand({ baseTps: 2, regimes: { enabled: true, multipliers: { quiet: 0.5, normal: 1.7, busy: 2, surge: 3 } } }),
    );
    on.reset(Stream.root(1));
    expect(on.rateAt(0)).toBeCloseTo(3.4, 12);
    const seen = new Set<number>();
    for (let h = 0; h < 24 * 30; h++) seen.add(on.rateAt(h * HOUR));
    expect(seen).toEqual(new Set([1, 3.4, 4, 6]));
  });
});
