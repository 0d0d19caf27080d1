import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
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
    expect(readdirSync(out).sort()).toEqual(["config.json", "manifest.json", "summary.json", "timeseries.csv"]);
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
    const files = (d: string) => ["timeseries.csv", "summary.json", "config.json"].map((f) => readFileSync(join(d, f), "utf8")).join("\n");
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
  });

  it("schema prints a JSON Schema that knows the experiment's sections", () => {
    const r = cli(["schema"]);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.properties.mechanism.properties.emergency.properties.raceWidth.maximum).toBe(5);
    expect(schema.required).toContain("name");
    expect(schema.additionalProperties).toBe(false);
  });
});

describe("malformed input: one line naming the field, exit 2, nothing written", () => {
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
