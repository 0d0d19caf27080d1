import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/errors.js";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { MAX_INPUT_BYTES } from "../../src/config/inputFile.js";
import { applySet, loadExperiment } from "../../src/config/load.js";
import { tmp } from "../support/cli.js";
import { EXPERIMENTS_DIR } from "../support/experiments.js";

type Doc = Parameters<typeof applySet>[0];

function doc(): Doc {
  return { provers: { archetypes: [{ name: "a", count: 1 }] }, demand: { baseTps: 1 } };
}

describe("--set", () => {
  it("sets nested fields, list elements by index, and appends at the list's length", () => {
    const d = doc();
    applySet(d, "demand.baseTps=3");
    applySet(d, "provers.archetypes.0.count=5");
    applySet(d, "provers.archetypes.1={name: b, count: 2}");
    applySet(d, "demand.daily.amplitude=0.4");
    expect(d).toEqual({
      provers: {
        archetypes: [
          { name: "a", count: 5 },
          { name: "b", count: 2 },
        ],
      },
      demand: { baseTps: 3, daily: { amplitude: 0.4 } },
    });
  });

  it("refuses keys that reach a prototype, and leaves Object.prototype alone", () => {
    for (const set of ["__proto__.x=1", "__proto__=1", "constructor.prototype.x=1", "demand.__proto__.polluted=1"]) {
      expect(() => applySet(doc(), set)).toThrow(ConfigError);
    }
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses a list indexed by a name or past its end, naming the list and the indexes it has", () => {
    for (const set of ["provers.archetypes.foo=1", "provers.archetypes.length=0", "provers.archetypes.5.count=1"]) {
      expect(() => applySet(doc(), set)).toThrow(/provers\.archetypes is a list; use an index from 0 to 1/);
    }
  });

  it("a partial sub-object keeps the defaults of the fields it does not name", () => {
    const exp = loadExperiment(`${EXPERIMENTS_DIR}/daily-cycle.yaml`, ["demand.regimes.multipliers.surge=3"]);
    expect(exp.demand.regimes.multipliers).toEqual({ quiet: 0.5, normal: 1, busy: 1.6, surge: 3 });
  });
});

describe("inputs too large to run are refused at the edge, naming the field", () => {
  const daily = `${EXPERIMENTS_DIR}/quickstart.yaml`;
  const refused = (path: string, sets: string[], message: RegExp) => expect(() => loadExperiment(path, sets)).toThrow(message);

  it("a file nested deeper than the YAML reader follows says so, not the stack overflow it causes", () => {
    const pairs: [string, string][] = [
      ["[", "]"],
      ["{a: ", "}"],
    ];
    for (const [open, close] of pairs) {
      const deep = join(tmp(), "deep.yaml");
      writeFileSync(deep, `name: deep\nfoo: ${open.repeat(20_000)}1${close.repeat(20_000)}\n`);
      expect(() => loadExperiment(deep)).toThrow(
        /deep\.yaml: invalid YAML at line 2 \(lists or maps nested deeper than the reader can follow/,
      );
      expect(() => loadExperiment(deep)).not.toThrow(/call stack/);
    }
  });

  it("a file that is not a regular file, or larger than the input limit", () => {
    refused("/dev/zero", [], /^experiment: \/dev\/zero is not a regular file/);
    const big = join(tmp(), "big.yaml");
    writeFileSync(big, "name: big\n" + "#".repeat(MAX_INPUT_BYTES));
    refused(big, [], /big\.yaml is 4,194,314 bytes, over the 4,194,304 read/);
  });

  it("a name too long for a folder, too many provers, an episode of too many prover-slots or transaction jobs", () => {
    refused(daily, [`name=${"a".repeat(101)}`], /^name: is 101 characters long; use at most 100/);
    refused(
      daily,
      ["provers.archetypes.0.count=60000", "provers.archetypes.1.count=60000"],
      /^provers\.archetypes: 120,\d{3} provers in all; the model runs at most 100,000/,
    );
    refused(daily, ["horizonEpochs=100000", "provers.archetypes.0.count=2000"], /^horizonEpochs: 2,\d{3} provers x 3,200,000 slots/);
    refused(daily, ["horizonEpochs=1000000"], /^horizonEpochs: 1000000 is above the maximum 100000; use a value <= 100000/);
    // A slot near 1e308 s put the horizon's end at Infinity: a slot that never ends (the input fuzz found it).
    refused(daily, ["time.slotSeconds=1e308"], /^time\.slotSeconds: 1e\+308 is above the maximum 86400; use a value <= 86400/);
    refused(
      `${EXPERIMENTS_DIR}/queueing-validation.yaml`,
      ["demand.baseTps=1e6"],
      /^demand\.baseTps: with jobPerTransaction about 4\.61e\+10/,
    );
  });
});

describe("every mistake of a file at once, with the nearest name", () => {
  const load = (text: string, sets: string[] = []) => {
    const path = join(tmp(), "exp.yaml");
    writeFileSync(path, text);
    try {
      loadExperiment(path, sets);
    } catch (err) {
      if (err instanceof ConfigError) return err.lines;
      throw err;
    }
    throw new Error("the experiment was accepted");
  };

  it("reports each mistake on a line of its own, naming the field and the near name", () => {
    const lines = load("name: x\ndemand:\n  tps: 10\nmechanism:\n  variant: propsal\n  scaling:\n    smoothin: 0.2\n");
    expect(lines).toEqual([
      "demand.tps: unknown key tps; did you mean demand.baseTps?",
      'mechanism.variant: "propsal" is not allowed; did you mean "proposal"?',
      "mechanism.scaling.smoothin: unknown key smoothin; did you mean mechanism.scaling.smoothing?",
    ]);
  });

  it("one line per unknown key of an object; a key or value with no near name points to the schema or the allowed values", () => {
    const lines = load("name: x\ndemand:\n  zzzzzz: 1\n  baseTPs: 2\njobs:\n  noise: uniform\n");
    expect(lines).toEqual([
      "demand.zzzzzz: unknown key zzzzzz; check the spelling against 'proverlab schema'",
      "demand.baseTPs: unknown key baseTPs; did you mean demand.baseTps?",
      'jobs.noise: "uniform" is not allowed; use one of "lognormal", "exponential"',
    ]);
  });

  it("suggests within the form a policy's kind names, KPI names of weights and constraints, and a kind itself", () => {
    const archetype = "{ name: a, count: 1, computeCores: 2048, costUsdPerCoreSecond: 3.0e-5, capitalUsd: 1.0e6";
    const lines = load(
      `name: x\nprovers:\n  archetypes:\n    - ${archetype}, policy: { kind: myopic, patience: 3 } }\n    - ${archetype}, policy: { kind: q-learnin } }\n` +
        "objective:\n  weights: { livenes: 1 }\n  constraints: [{ kpi: livenes, min: 0.9 }]\n",
    );
    expect(lines).toEqual([
      "provers.archetypes.0.policy.patience: unknown key patience; did you mean provers.archetypes.0.policy.patienceEpochs?",
      'provers.archetypes.1.policy.kind: "q-learnin" is not allowed; did you mean "q-learning"?',
      "objective.weights.livenes: unknown key livenes; did you mean objective.weights.liveness?",
      'objective.constraints.0.kpi: "livenes" is not allowed; did you mean "liveness"?',
    ]);
  });

  it("checks the names in tune.params and controller.params with the schema's problems, from a file or --set", () => {
    const lines = load("name: x\nhorizonEpochs: ten\ntune:\n  params: [scaling.smoothin, emergncy, batching]\n", [
      "controller.params=[smoothing]",
    ]);
    expect(lines).toEqual([
      'horizonEpochs: expected number, got "ten"; give a number',
      "tune.params: unknown parameter or group 'scaling.smoothin'; did you mean scaling.smoothing?",
      "tune.params: unknown parameter or group 'emergncy'; did you mean emergency?",
      "controller.params: unknown parameter or group 'smoothing'; did you mean scaling.smoothing?",
    ]);
  });

  it("lists at most 20 lines: past 19 problems the rest are counted", () => {
    const keys = Array.from({ length: 30 }, (_, i) => `  unknown${i}: 1`).join("\n");
    const lines = load(`name: x\ndemand:\n${keys}\n`);
    expect(lines).toHaveLength(20);
    expect(lines[18]).toMatch(/^demand\.unknown18: unknown key/);
    expect(lines[19]).toBe("and 11 more problems; fix these first");
  });

  it("the error's message is the first problem alone, so callers that show one line still can", () => {
    const path = join(tmp(), "exp.yaml");
    writeFileSync(path, "name: x\ndemand: { tps: 1, tsp: 2 }\n");
    expect(() => loadExperiment(path)).toThrow(/^demand\.tps: unknown key tps; did you mean demand\.baseTps\?$/);
  });
});
