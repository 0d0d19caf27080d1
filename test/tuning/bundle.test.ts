import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadBundle } from "../../src/tuning/bundle.js";
import { evaluateCalibration } from "../../src/tuning/evaluate.js";

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), "proverlab-bundle-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

describe("loadBundle", () => {
  it("loads training and held-out scenarios relative to the experiment, under its mechanism", () => {
    const d = dir({
      "main.yaml":
        "name: main\nhorizonEpochs: 4\nmechanism:\n  emergency:\n    raceWidth: 2\nscenarios:\n  train: [calm.yaml, busy.yaml]\n  heldOut: [busy.yaml]\n",
      "calm.yaml": "name: calm\nhorizonEpochs: 4\n",
      "busy.yaml": "name: busy\nhorizonEpochs: 4\ndemand:\n  baseTps: 2\nmechanism:\n  emergency:\n    raceWidth: 5\n",
    });
    const b = loadBundle(join(d, "main.yaml"));
    expect(b.train.map((s) => s.name)).toEqual(["calm", "busy"]);
    expect(b.heldOut.map((s) => s.name)).toEqual(["busy"]);
    expect(b.train[1]!.experiment.demand.baseTps).toBe(2);
    expect(b.train[1]!.experiment.mechanism.emergency.raceWidth).toBe(2);
    const e = evaluateCalibration(b, b.params, "train", 2);
    expect(e.episodes).toBe(4);
    expect(Object.keys(e.scenarios)).toEqual(["calm", "busy"]);
    expect(e.scenarios.busy!.rewardsPerTxUsd).not.toBe(e.scenarios.calm!.rewardsPerTxUsd);
  });

  it("without scenarios, trains and holds out on the experiment itself", () => {
    const d = dir({ "solo.yaml": "name: solo\nhorizonEpochs: 3\n" });
    const b = loadBundle(join(d, "solo.yaml"));
    expect(b.train.map((s) => s.name)).toEqual(["solo"]);
    expect(b.heldOut.map((s) => s.name)).toEqual(["solo"]);
  });

  it("validation runs the training scenarios on seeds of its own, apart from training and held-out", () => {
    const d = dir({
      "main.yaml": "name: main\nhorizonEpochs: 6\nscenarios:\n  train: [calm.yaml]\n  heldOut: [busy.yaml]\n",
      "calm.yaml": "name: calm\nhorizonEpochs: 6\ndemand:\n  baseTps: 1\n",
      "busy.yaml": "name: busy\nhorizonEpochs: 6\ndemand:\n  baseTps: 2\n",
    });
    const b = loadBundle(join(d, "main.yaml"));
    const validation = evaluateCalibration(b, b.params, "validation", 3);
    expect(Object.keys(validation.scenarios)).toEqual(["calm"]);
    const train = evaluateCalibration(b, b.params, "train", 3);
    const arrived = (e: typeof train) => e.episodeKpis.map((k) => k.activeProversMean + k.l1GasPerTx);
    for (const x of arrived(validation)) expect(arrived(train)).not.toContain(x);
    expect(evaluateCalibration(b, b.params, "validation", 3).episodeUtilities).toEqual(validation.episodeUtilities);
  });

  it("names the scenario field when a scenario file is missing or malformed", () => {
    const d = dir({
      "main.yaml": "name: main\nscenarios:\n  train: [ok.yaml, broken.yaml]\n",
      "ok.yaml": "name: ok\n",
      "broken.yaml": "name: broken\nhorizonEpochs: -1\n",
    });
    expect(() => loadBundle(join(d, "main.yaml"))).toThrow(/^scenarios\.train\.1: broken\.yaml: horizonEpochs: -1 is below the minimum 1/);
    const missing = dir({ "main.yaml": "name: main\nscenarios:\n  heldOut: [nowhere.yaml]\n" });
    expect(() => loadBundle(join(missing, "main.yaml"))).toThrow(/^scenarios\.heldOut\.0: nowhere\.yaml: experiment: cannot read/);
  });

  it("requires min or max on every constraint", () => {
    const d = dir({ "c.yaml": "name: c\nobjective:\n  constraints:\n    - kpi: liveness\n" });
    expect(() => loadBundle(join(d, "c.yaml"))).toThrow(/^objective\.constraints\.0: give min or max for liveness/);
  });
});
