import { describe, expect, it } from "vitest";
import { AlwaysOnPolicy } from "../../agents/prover/scripted.js";
import { resolveParams } from "../../src/config/resolve.js";
import { windowKpis } from "../../src/env/windowKpis.js";
import { runEpisode } from "../../src/tuning/episode.js";
import { load } from "../support/experiments.js";

/** Scenarios that move the window KPIs: reorgs and expiry, emergencies, batches, requirement steps, the baselines. */
const SCENARIOS: [string, string[]][] = [
  ["aztec-1tps", ["horizonEpochs=20"]],
  ["correlated-outage", ["horizonEpochs=30"]],
  ["campaign-surge", ["horizonEpochs=120"]],
  ["campaign-surge", ["horizonEpochs=60", "provers.correlatedOutages.perDay=8", "provers.correlatedOutages.share=0.8"]],
  ["inscription-burst", ["horizonEpochs=30", "mechanism.variant=base-2023"]],
  ["daily-cycle", ["horizonEpochs=30", "mechanism.variant=aztec-current"]],
  ["queueing-validation", ["horizonEpochs=6"]],
];

describe("streaming window KPIs", () => {
  for (const [name, sets] of SCENARIOS) {
    it(`${name} ${sets.join(" ")}: accumulated as the run goes, they are the batch KPIs of the rows, bit for bit`, () => {
      const exp = load(name, sets);
      const params = resolveParams(exp);
      const warmup = Math.floor(exp.horizonEpochs / 3);
      const recorded = runEpisode(exp, params, new AlwaysOnPolicy(), 5, null, { windowFrom: warmup });
      expect(recorded.rows.length).toBe(exp.horizonEpochs);
      expect(recorded.windowKpis).toEqual(windowKpis(recorded.rows.slice(warmup)));
      expect(recorded.env.kpis.kpis()).toEqual(windowKpis(recorded.rows));

      const streamed = runEpisode(exp, params, new AlwaysOnPolicy(), 5, null, { windowFrom: warmup, recordRows: false });
      expect(streamed.rows.length).toBe(0);
      expect(streamed.env.totals.latencies.n).toBe(0);
      expect(streamed.windowKpis).toEqual(recorded.windowKpis);
      // The summary is the same but for the latency quantiles, read from a histogram of 6.5 % bins.
      const { latencyP50S, latencyP95S, latencyP99S, ...rest } = streamed.summary;
      const { latencyP50S: exact50, latencyP95S: exact95, latencyP99S: exact99, ...exactRest } = recorded.summary;
      expect(rest).toEqual(exactRest);
      for (const [approx, truth] of [
        [latencyP50S, exact50],
        [latencyP95S, exact95],
        [latencyP99S, exact99],
      ] as const) {
        if (Number.isNaN(truth)) expect(approx).toBeNaN();
        else expect(Math.abs(Math.log(approx / truth))).toBeLessThan(0.07);
      }
    });
  }
});
