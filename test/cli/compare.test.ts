import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, read, ROOT, tmp, TUNE_FINISHED } from "../support/cli.js";

const EXPERIMENT = join(ROOT, "experiments", "aztec-1tps.yaml");
const SMALL = ["--set", "horizonEpochs=10", "--set", "tune.seeds.train=1", "--set", "tune.seeds.heldOut=3", "--set", "tune.batch=6"];

interface Interval {
  mean: number;
  low: number;
  high: number;
  n: number;
}
interface Difference extends Interval {
  significant: boolean;
}
interface Policy {
  name: string;
  kind: string;
  score: number;
  utility: Interval;
  utilityDifference: Difference;
  utilityWinRate: number;
  kpis: Record<string, { mean: Interval; difference: Difference; winRate: number | null }>;
}
interface Comparison {
  baseline: string;
  scenarios: string[];
  seeds: number;
  episodes: number;
  policies: Policy[];
}

describe("proverlab compare", () => {
  let run: string;

  beforeAll(() => {
    run = join(tmp(), "tuned");
    expect(TUNE_FINISHED).toContain(cli(["tune", EXPERIMENT, "--budget", "12", "--out", run, ...SMALL]).code);
  });

  it("compares built-in policies and a tuned run on the run's held-out episodes: intervals, paired differences, win rates, marks", () => {
    const out = join(tmp(), "cmp");
    const r = cli(["compare", "proposal-defaults", "base-2023", "aztec-current", run, "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^aztec-1tps: score per episode on 3 episodes of aztec-1tps, 95 % interval\n/);
    const c = JSON.parse(read(out, "compare.json")) as Comparison;
    expect(c.baseline).toBe("proposal-defaults");
    expect(c).toMatchObject({ scenarios: ["aztec-1tps"], seeds: 3, episodes: 3 });
    expect(c.policies.map((p) => [p.name, p.kind])).toEqual([
      ["proposal-defaults", "built-in"],
      ["base-2023", "built-in"],
      ["aztec-current", "built-in"],
      ["tuned", "tune-run"],
    ]);
    // Same held-out seeds as the tune run's re-scoring: the same scores, to the bit.
    const rec = JSON.parse(read(run, "recommendation.json"));
    expect(c.policies[3]!.score).toBe(rec.heldOut.recommended.score);
    expect(c.policies[0]!.score).toBe(rec.heldOut.defaults.score);
    expect(c.policies[3]!.utilityDifference.mean).toBeCloseTo(rec.heldOut.utilityDifference.mean, 9);
    for (const p of c.policies) {
      expect(p.utility.low).toBeLessThanOrEqual(p.utility.mean);
      expect(p.utility.high).toBeGreaterThanOrEqual(p.utility.mean);
      for (const [kpi, k] of Object.entries(p.kpis)) {
        const d = k.difference;
        if (d.n === 0) continue;
        expect(d.low, `${p.name} ${kpi}`).toBeLessThanOrEqual(d.mean + 1e-12);
        expect(d.high, `${p.name} ${kpi}`).toBeGreaterThanOrEqual(d.mean - 1e-12);
        expect(d.significant).toBe(d.low > 0 || d.high < 0);
        if (k.winRate !== null) expect(k.winRate).toBeGreaterThanOrEqual(0);
      }
    }
    // Aztec's current design sets no requirements: its min compute is 0 in every episode, a sure difference.
    const aztec = c.policies[2]!;
    expect(aztec.kpis.minComputeMax!.mean.mean).toBe(0);
    expect(aztec.kpis.minComputeMax!.difference.significant).toBe(true);
    expect(c.policies[0]!.kpis.liveness!.winRate).toBe(0.5);
    expect(c.policies[2]!.kpis.liveness!.winRate).not.toBeNull();
    expect(c.policies[2]!.kpis.joins!.winRate).toBeNull();

    const md = read(out, "report.md");
    expect(md).toMatch(/^# aztec-1tps: 4 policies compared\n/);
    expect(md).toContain("|KPI|unit|better|base-2023|aztec-current|tuned|");
    expect(md).toMatch(/\|liveness\|share of blocks\|higher\|[-+]?[\d.e-]+ \[[-+]?[\d.e-]+, [-+]?[\d.e-]+\]( \*)? \(win [\d.]+ %\)\|/);
    expect(md).toMatch(/\|minComputeMax\|cores\|-\|[^|]*\|-1024 \[-1024, -1024\] \*\|/);
    for (const image of [...md.matchAll(/!\[[^\]]+\]\(([^)]+)\)/g)].map((m) => m[1]!)) expect(existsSync(join(out, image))).toBe(true);
    expect(
      readdirSync(join(out, "figures"))
        .filter((f) => f.endsWith(".svg"))
        .sort(),
    ).toEqual(
      ["lorenz-1", "objective-differences", "pareto-decentralization-cost", "pareto-liveness-cost", "timeseries-1"].map((f) => `${f}.svg`),
    );
    const episodes = read(out, "episodes.csv").trim().split("\n");
    expect(episodes).toHaveLength(1 + 4 * 3);
    expect(episodes[0]).toMatch(/^policy,scenario,episode,utility,liveness,/);
    expect(JSON.parse(read(out, "manifest.json")).status).toBe("complete");
  });

  it("a policy against itself: zero differences, nothing significant, even win rates; --baseline picks the reference", () => {
    const out = join(tmp(), "self");
    const r = cli(
      ["compare", "base-2023", "aztec-current", "base-2023", "--experiment", EXPERIMENT, "--set", "horizonEpochs=8"].concat([
        "--seeds",
        "4",
        "--baseline",
        "base-2023",
        "--scenarios",
        "aztec-1tps",
        "--out",
        out,
      ]),
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const c = JSON.parse(read(out, "compare.json")) as Comparison;
    expect(c.episodes).toBe(4);
    const self = c.policies.find((p) => p.name === "base-2023 (2)")!;
    expect(self.utilityDifference).toEqual({ mean: 0, low: 0, high: 0, n: 4, significant: false });
    expect(self.utilityWinRate).toBe(0.5);
    for (const k of Object.values(self.kpis)) {
      if (k.difference.n === 0) continue;
      expect(k.difference).toMatchObject({ mean: 0, low: 0, high: 0, significant: false });
      if (k.winRate !== null) expect(k.winRate).toBe(0.5);
    }
    expect(c.policies[0]!.utility).toEqual(self.utility);
  });

  it("with --workers 2, every policy evaluated on its own thread, writes the same files as in one thread", () => {
    const one = join(tmp(), "one");
    const two = join(tmp(), "two");
    const policies = ["proposal-defaults", "base-2023", "aztec-current", run];
    expect(cli(["compare", ...policies, "--out", one]).code).toBe(0);
    expect(cli(["compare", ...policies, "--out", two, "--workers", "2"]).code).toBe(0);
    const files = readdirSync(one, { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile() && f.name !== "manifest.json")
      .map((f) => join(f.parentPath, f.name).slice(one.length + 1));
    expect(files).toContain("compare.json");
    expect(files.filter((f) => f.startsWith("figures")).length).toBeGreaterThan(4);
    for (const f of files) expect(readFileSync(join(two, f)).equals(readFileSync(join(one, f))), f).toBe(true);
  });

  it("bad input is one line naming the field, exit 2, and nothing written", () => {
    const out = join(tmp(), "never");
    const cases: [string[], RegExp][] = [
      [
        ["base-2024"],
        /^proverlab: policy: 'base-2024' is neither a built-in policy \(proposal-defaults, base-2023, aztec-current\), a tune run, a train-controller run nor a params file$/,
      ],
      [["base-2023"], /^proverlab: --experiment: no tune run among the policies to take the experiment from; give --experiment FILE$/],
      [[run, "--baseline", "base-2023"], /^proverlab: --baseline: 'base-2023' is not among the compared policies \(tuned\)$/],
      [[run, "--scenarios", "nowhere"], /^proverlab: --scenarios: unknown scenario 'nowhere'; choose from held-out, train, aztec-1tps$/],
      [[run, "--seeds", "0"], /^proverlab: --seeds: 0 is not an integer from 1 to 1000; give e\.g\. --seeds 10$/],
      [[run, "--seeds", "1e308"], /^proverlab: --seeds: 1e\+308 is not an integer from 1 to 1000; give e\.g\. --seeds 10$/],
      [[run, "--workers", "0"], /^proverlab: --workers: 0 is not a positive integer; give e\.g\. --workers 2$/],
      [[run, "--executor", "http://host:6379"], /^proverlab: --executor: .*redis:\/\//],
      [
        ["base-2023", "--experiment", join(tmp(), "missing.yaml")],
        /^proverlab: experiment: cannot read .*missing\.yaml; give the path of a YAML experiment file$/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = cli(["compare", ...args, "--out", out]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.trim()).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
    }
  });
});
