import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { arrowAsCsv, arrowTypes } from "../support/arrow.js";
import { ROOT, cli, tmp } from "../support/cli.js";

const EXPERIMENT = join(ROOT, "experiments", "aztec-1tps.yaml");

describe("proverlab simulate (end to end)", () => {
  it("writes a results folder and prints a KPI table", () => {
    const out = join(tmp(), "run");
    const r = cli(["simulate", EXPERIMENT, "--set", "horizonEpochs=6", "--seed", "4", "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Liveness/);
    expect(r.stdout).toMatch(/latency mean \/ p50 \/ p95 \/ p99/);
    expect(r.stdout).toContain(`results: ${out}`);
    expect(readdirSync(out).sort()).toEqual(["config.json", "manifest.json", "summary.json", "timeseries.arrow", "timeseries.csv"]);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(manifest.seed).toBe(4);
    expect(manifest.status).toBe("complete");
    expect(manifest.packages.seedrandom).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.timingsMs.simulate).toBeGreaterThan(0);
    const config = JSON.parse(readFileSync(join(out, "config.json"), "utf8"));
    expect(config.experiment.horizonEpochs).toBe(6);
    expect(config.params["emergency.raceWidth"]).toBe(3);
    const csv = readFileSync(join(out, "timeseries.csv"), "utf8").trim().split("\n");
    expect(csv).toHaveLength(7);
    expect(csv[0]).toMatch(/^epoch,hour,demandTps,/);
    // timeseries.arrow is the same table: its columns, and every value (blank cells are nulls), with the epoch an integer.
    const arrow = readFileSync(join(out, "timeseries.arrow"));
    expect(arrowAsCsv(arrow)).toBe(readFileSync(join(out, "timeseries.csv"), "utf8"));
    const types = arrowTypes(arrow);
    expect(types.epoch).toBe("int32");
    expect(new Set(Object.values(types).slice(1))).toEqual(new Set(["float64"]));
  });

  it("--json prints the summary alone; the same seed gives the same bytes, another seed other ones", () => {
    const dirs = [join(tmp(), "a"), join(tmp(), "b"), join(tmp(), "c")];
    const runs = dirs.map((out, k) =>
      cli(["simulate", EXPERIMENT, "--set", "horizonEpochs=8", "--seed", k === 2 ? "6" : "5", "--out", out, "--json"]),
    );
    for (const r of runs) expect(r.code).toBe(0);
    const summary = JSON.parse(runs[0]!.stdout);
    expect(summary.epochs).toBe(8);
    expect(summary.txProven).toBeGreaterThan(0);
    expect(summary.liveness).toBeGreaterThan(0);
    expect(summary.liveness).toBeLessThanOrEqual(1);
    // latin1: one character per byte, so equal text is equal bytes (timeseries.arrow is binary).
    const files = (d: string) =>
      ["timeseries.csv", "timeseries.arrow", "summary.json", "config.json"].map((f) => readFileSync(join(d, f), "latin1")).join("\n");
    expect(files(dirs[0]!)).toBe(files(dirs[1]!));
    expect(runs[0]!.stdout).toBe(runs[1]!.stdout);
    expect(files(dirs[2]!)).not.toBe(files(dirs[0]!));
  });

  it("params prints the tuned parameter space with the experiment's values; --all prints every parameter", () => {
    const r = cli(["params", EXPERIMENT, "--set", "mechanism.emergency.raceWidth=4", "--set", "tune.params=[emergency, batching.maxSize]"]);
    expect(r.code).toBe(0);
    type Row = {
      name: string;
      value: number;
      default: number;
      lower: number;
      upper: number;
      scale: string;
      integer: boolean;
      unit: string;
    };
    const params = JSON.parse(r.stdout) as Row[];
    const race = params.find((p) => p.name === "emergency.raceWidth")!;
    expect(race).toMatchObject({ value: 4, default: 3, lower: 2, upper: 5, scale: "linear", integer: true, unit: "provers" });
    expect(new Set(params.map((p) => p.name.split(".")[0]))).toEqual(new Set(["emergency", "batching"]));
    expect(params.filter((p) => p.name.startsWith("batching.")).map((p) => p.name)).toEqual(["batching.maxSize"]);
    const all = JSON.parse(cli(["params", EXPERIMENT, "--all"]).stdout) as Row[];
    expect(new Set(all.map((p) => p.name.split(".")[0]))).toEqual(new Set(["base", "scaling", "rewards", "emergency", "batching"]));
    const bad = cli(["params", EXPERIMENT, "--set", "tune.params=[emergency.nope]"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^proverlab: tune\.params: unknown parameter or group 'emergency\.nope'/);
    const near = cli(["params", EXPERIMENT, "--set", "tune.params=[scaling.smoothin]"]);
    expect(near.stderr).toBe("proverlab: tune.params: unknown parameter or group 'scaling.smoothin'; did you mean scaling.smoothing?\n");
  });

  it("params lists the relations each parameter takes part in, which its bounds cannot express", () => {
    const all = JSON.parse(cli(["params", EXPERIMENT, "--all"]).stdout) as { name: string; relations: string[] }[];
    const related = Object.fromEntries(all.filter((p) => p.relations.length > 0).map((p) => [p.name, p.relations]));
    expect(related).toEqual({
      "scaling.lowThreshold": ["scaling.lowThreshold < scaling.highThreshold"],
      "scaling.highThreshold": ["scaling.lowThreshold < scaling.highThreshold"],
      "batching.minSize": ["batching.minSize <= batching.maxSize"],
      "batching.maxSize": ["batching.minSize <= batching.maxSize"],
    });
  });

  it("schema prints a JSON Schema that knows the experiment's sections and describes every field", () => {
    const r = cli(["schema"]);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.properties.mechanism.properties.emergency.properties.raceWidth.maximum).toBe(5);
    expect(schema.required).toContain("name");
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.jobs.properties.workPerTxCoreSeconds.description).toMatch(/core-s/);
    type Node = { description?: string; properties?: Record<string, Node>; items?: Node; oneOf?: Node[] };
    const undescribed: string[] = [];
    const walk = (node: Node, path: string): void => {
      for (const form of node.oneOf ?? []) walk(form, path);
      if (node.items) walk(node.items, `${path}[]`);
      for (const [key, child] of Object.entries(node.properties ?? {})) {
        if (!child.description) undescribed.push(`${path}${key}`);
        walk(child, `${path}${key}.`);
      }
    };
    walk(schema, "");
    expect(undescribed).toEqual([]);
  });
});

describe("setups that cannot work: a warning each, refused with --strict", () => {
  const smallProvers = [
    "--set",
    "demand.baseTps=10",
    "--set",
    "provers.archetypes=[{name: home, count: 12, computeCores: 512, costUsdPerCoreSecond: 3.0e-5, capitalUsd: 25000}]",
  ];
  const tooSlow =
    /^proverlab: (warning: )?provers\.archetypes: a block at 10 TPS \(360 tx\) is 1,304,000 core-s with a 720-s critical path: the best eligible prover \(home, 512 cores\) needs 5,643 s at the 0\.9999 quantile, 1,519 s even split into 16 parts, over the 1,152-s window/;
  const tooFew =
    /^proverlab: (warning: )?demand\.baseTps: 10 TPS keeps 36,222 cores busy, but the eligible provers have 6,144 cores in all/;

  it("10 TPS on 512-core provers: both problems on stderr, the run still written", () => {
    const out = join(tmp(), "run");
    const r = cli([
      "simulate",
      EXPERIMENT,
      ...smallProvers,
      "--set",
      "mechanism.base.minComputeCores=512",
      "--set",
      "horizonEpochs=2",
      "--out",
      out,
    ]);
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(tooSlow);
    expect(lines[0]).toMatch(/^proverlab: warning: /);
    expect(lines[1]).toMatch(tooFew);
    expect(existsSync(join(out, "summary.json"))).toBe(true);
  });

  it("--strict refuses them, exit 2, nothing written; provers no requirement admits are one problem", () => {
    const out = join(tmp(), "run");
    const strict = cli(["simulate", EXPERIMENT, ...smallProvers, "--set", "mechanism.base.minComputeCores=512", "--strict", "--out", out]);
    expect(strict.code).toBe(2);
    expect(strict.stdout).toBe("");
    expect(
      strict.stderr
        .trim()
        .split("\n")
        .map((l) => [tooSlow.test(l), tooFew.test(l)]),
    ).toEqual([
      [true, false],
      [false, true],
    ]);
    expect(existsSync(out)).toBe(false);
    const none = cli(["simulate", EXPERIMENT, ...smallProvers, "--strict", "--out", out]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(
      /^proverlab: provers\.archetypes: no archetype meets the requirements at demand index 1 \(base\.minComputeCores 1,024 cores, base\.minStakeUsd 10,000 USD of capital\), so no block can be proven; .*\n$/,
    );
  });

  it("a block is judged as the variant proves it: split into parts in proposal, whole in aztec-current", () => {
    // At 10 TPS a 360-tx block takes the operators 1,154 s at the acceptance quantile, 2 s over the last slot's window.
    const tenTps = join(ROOT, "experiments", "aztec-10tps.yaml");
    const out = join(tmp(), "run");
    const proposal = cli(["simulate", tenTps, "--set", "horizonEpochs=1", "--strict", "--out", out]);
    expect(proposal.stderr).toBe("");
    expect(proposal.code).toBe(0);
    const current = cli(["simulate", tenTps, "--set", "mechanism.variant=aztec-current", "--strict"]);
    expect(current.code).toBe(2);
    expect(current.stderr).toMatch(/needs 1,154 s at the 0\.9999 quantile, over the 1,152-s window/);
  });
});

describe("--params: a params file laid over the experiment's values", () => {
  it("runs the episode with its values and records them in config.json", () => {
    const dir = tmp();
    const out = join(dir, "run");
    const file = write(dir, "p.json", JSON.stringify({ params: { "emergency.raceWidth": 5 }, tuned: ["emergency.raceWidth"] }));
    const r = cli(["simulate", EXPERIMENT, "--set", "horizonEpochs=2", "--params", file, "--out", out]);
    expect(r.code).toBe(0);
    const config = JSON.parse(readFileSync(join(out, "config.json"), "utf8"));
    expect(config.params["emergency.raceWidth"]).toBe(5);
    expect(config.experiment.mechanism.emergency.raceWidth).toBeUndefined();
  });

  it("refuses unknown names (all of them, with the nearest), bad values and broken relations, writing nothing", () => {
    const dir = tmp();
    const out = join(dir, "run");
    const cases: [unknown, string][] = [
      [
        { "scaling.smoothin": 0.2, zzz: 1 },
        "proverlab: --params: unknown parameter 'scaling.smoothin'; did you mean scaling.smoothing?\n" +
          "proverlab: --params: unknown parameter 'zzz'; see 'proverlab params <experiment> --all'\n",
      ],
      [{ "emergency.raceWidth": 9 }, "proverlab: --params emergency.raceWidth: 9 is outside [2, 5]; use a value within the bounds\n"],
      [
        { "batching.minSize": 6, "batching.maxSize": 4 },
        "proverlab: --params batching.minSize: must not exceed batching.maxSize; lower it or raise maxSize\n",
      ],
    ];
    for (const [params, stderr] of cases) {
      const r = cli(["simulate", EXPERIMENT, "--params", write(dir, "p.json", JSON.stringify(params)), "--out", out]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(stderr);
      expect(existsSync(out)).toBe(false);
    }
  });
});

describe("malformed input: one line naming the field, exit 2, nothing written", () => {
  it("a file with three mistakes reports all three at once, each with the name it likely meant", () => {
    const dir = tmp();
    const out = join(dir, "out");
    const file = write(dir, "three.yaml", "name: x\ndemand:\n  tps: 10\nmechanism:\n  variant: propsal\n  scaling:\n    smoothin: 0.2\n");
    const r = cli(["simulate", file, "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      [
        "proverlab: demand.tps: unknown key tps; did you mean demand.baseTps?",
        'proverlab: mechanism.variant: "propsal" is not allowed; did you mean "proposal"?',
        "proverlab: mechanism.scaling.smoothin: unknown key smoothin; did you mean mechanism.scaling.smoothing?",
        "",
      ].join("\n"),
    );
    expect(existsSync(out)).toBe(false);
  });

  const cases: [string, (dir: string) => string[], RegExp][] = [
    ["bad YAML", (d) => [write(d, "bad.yaml", "name: x\ndemand: [1, 2\n")], /^proverlab: bad\.yaml: invalid YAML at line \d+/],
    [
      "unknown key",
      (d) => [write(d, "unknown.yaml", "name: x\ndemand:\n  baseTPS: 2\n")],
      /^proverlab: demand\.baseTPS: unknown key baseTPS/,
    ],
    [
      "wrong type",
      (d) => [write(d, "type.yaml", "name: x\nhorizonEpochs: ten\n")],
      /^proverlab: horizonEpochs: expected number, got "ten"/,
    ],
    [
      "out of bounds",
      (d) => [write(d, "bounds.yaml", "name: x\nmechanism:\n  emergency:\n    raceWidth: 9\n")],
      /^proverlab: mechanism\.emergency\.raceWidth: 9 is above the maximum 5/,
    ],
    ["bad --set", () => [EXPERIMENT, "--set", "horizonEpochs"], /^proverlab: --set: 'horizonEpochs' is not key=value/],
    [
      "--set out of bounds",
      () => [EXPERIMENT, "--set", "mechanism.base.topFraction=2"],
      /^proverlab: mechanism\.base\.topFraction: 2 is above the maximum 1/,
    ],
    [
      "inconsistent parameters",
      () => [EXPERIMENT, "--set", "mechanism.batching.minSize=6", "--set", "mechanism.batching.maxSize=4"],
      /^proverlab: mechanism\.batching\.minSize: must not exceed batching\.maxSize/,
    ],
    ["missing file", (d) => [join(d, "nope.yaml")], /^proverlab: experiment: cannot read .*nope\.yaml/],
    ["bad seed", () => [EXPERIMENT, "--seed", "-3"], /^proverlab: --seed: -3 is not a non-negative integer/],
  ];
  for (const [label, args, message] of cases) {
    it(label, () => {
      const dir = tmp();
      const out = join(dir, "out");
      const r = cli(["simulate", ...args(dir), "--out", out]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
      expect(r.stdout).toBe("");
      expect(existsSync(out)).toBe(false);
    });
  }

  it("refuses to write into a non-empty --out folder and leaves it untouched", () => {
    const dir = tmp();
    writeFileSync(join(dir, "keep.txt"), "mine");
    const r = cli(["simulate", EXPERIMENT, "--out", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^proverlab: --out: .* exists and is not empty/);
    expect(readdirSync(dir)).toEqual(["keep.txt"]);
  });

  it("a flag's value is a number or true/false as written: an empty or odd one is a one-line error", () => {
    const cases: [string[], RegExp][] = [
      [["--seed", ""], /^proverlab: --seed: '' is not a number; give e\.g\. --seed 3\n$/],
      [["--seed", "abc"], /^proverlab: --seed: 'abc' is not a number/],
      [["--json=maybe"], /^proverlab: --json: 'maybe' is not true or false/],
      [["--out", ""], /^proverlab: --out: is empty; give the folder to write/],
    ];
    for (const [args, message] of cases) {
      const r = cli(["simulate", EXPERIMENT, "--set", "horizonEpochs=1", ...args]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(message);
    }
  });
});

function write(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
