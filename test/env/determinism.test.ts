import { describe, expect, it } from "vitest";
import { AlwaysOnPolicy } from "../../agents/prover/scripted.js";
import { EPOCH_COLUMNS } from "../../src/env/kpis.js";
import { createActions } from "../../src/env/spaces.js";
import { toCsv } from "../../src/results/csv.js";
import { load, run } from "../support/experiments.js";

describe("determinism", () => {
  const exp = load("correlated-outage", ["horizonEpochs=30", "demand.regimes.enabled=true", "l1.gas.spikesPerDay=4"]);

  it("the same seed gives the same bytes", () => {
    const a = run(exp, 7);
    const b = run(exp, 7);
    expect(toCsv(a.rows, EPOCH_COLUMNS)).toBe(toCsv(b.rows, EPOCH_COLUMNS));
    expect(JSON.stringify(a.summary)).toBe(JSON.stringify(b.summary));
  });

  it("another seed gives other results", () => {
    const a = run(exp, 7);
    const b = run(exp, 8);
    expect(toCsv(a.rows, EPOCH_COLUMNS)).not.toBe(toCsv(b.rows, EPOCH_COLUMNS));
    expect(a.summary.txArrived).not.toBe(b.summary.txArrived);
  });

  it("reset(seed) on a used environment replays the episode exactly", () => {
    const first = run(exp, 3, "always-on");
    const rows = JSON.stringify(first.rows);
    const env = first.env;
    const policy = new AlwaysOnPolicy();
    const actions = createActions(env.provers.n);
    let obs = env.reset(3).observation;
    expect(env.rows.length).toBe(0);
    for (let done = false; !done;) {
      policy.act(obs, actions);
      const step = env.step(actions);
      obs = step.observation;
      done = step.done;
    }
    expect(JSON.stringify(env.rows)).toBe(rows);
    expect(() => env.step(actions)).toThrow(/reset/);
  });
});
