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
    refused(
      `${EXPERIMENTS_DIR}/queueing-validation.yaml`,
      ["demand.baseTps=1e6"],
      /^demand\.baseTps: with jobPerTransaction about 4\.61e\+10/,
    );
  });
});
