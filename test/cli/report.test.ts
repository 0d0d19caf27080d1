import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, read, ROOT, tmp, TUNE_FINISHED } from "../support/cli.js";

const SMALL = ["--set", "horizonEpochs=10", "--set", "tune.seeds.train=1", "--set", "tune.seeds.heldOut=3", "--set", "tune.batch=6"];

/** Elements inside vega's data-mark groups (not axes, legends or titles). */
function marks(svg: string): number {
  const groups = svg.match(/<g class="mark-[a-z]+ role-mark[^"]*"[^>]*>(.*?)<\/g>/gs) ?? [];
  return groups.reduce((n, g) => n + (g.match(/<(path|line|rect|circle|text)\b/g)?.length ?? 0), 0);
}

describe("proverlab report", () => {
  let experiment: string;
  let run: string;

  beforeAll(() => {
    // A copy of the experiment, so a test can change it after the run.
    const dir = tmp();
    experiment = join(dir, "aztec-1tps.yaml");
    copyFileSync(join(ROOT, "experiments", "aztec-1tps.yaml"), experiment);
    run = join(dir, "run");
    expect(TUNE_FINISHED).toContain(cli(["tune", experiment, "--budget", "12", "--out", run, ...SMALL]).code);
    // The audit section is tested with an audit.json of known content below.
    rmSync(join(run, "audit.json"), { force: true });
  });

  it("writes report.html, report.md and figures/ (SVG, PNG, CSV) into <run>/report: every chart titled, with marks and units", () => {
    const r = cli(["report", run]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const dir = join(run, "report");
    expect(r.stdout).toContain(join(dir, "report.html"));
    const md = read(dir, "report.md");
    const names = readdirSync(join(dir, "figures"))
      .filter((f) => f.endsWith(".svg"))
      .map((f) => f.slice(0, -4));
    expect(names.sort()).toEqual(
      [
        "lorenz-1",
        "parallel",
        "parameters",
        "pareto-decentralization-cost",
        "pareto-liveness-cost",
        "progress",
        "sensitivity",
        "timeseries-1",
      ].sort(),
    );
    for (const name of names) {
      const svg = read(dir, "figures", `${name}.svg`);
      expect(marks(svg), name).toBeGreaterThan(0);
      expect(svg, name).toMatch(/role-title-text/);
      expect(
        readFileSync(join(dir, "figures", `${name}.png`))
          .subarray(1, 4)
          .toString(),
      ).toBe("PNG");
      expect(read(dir, "figures", `${name}.csv`).split("\n").length, name).toBeGreaterThan(2);
    }
    // Every image the Markdown shows exists beside it, and every figure is shown.
    const images = [...md.matchAll(/!\[[^\]]+\]\(([^)]+)\)/g)].map((m) => m[1]!);
    expect(images.sort()).toEqual(names.map((n) => `figures/${n}.png`).sort());
    for (const image of images) expect(existsSync(join(dir, image))).toBe(true);
    for (const heading of [
      "Question and setup",
      "Recommended parameters",
      "Tuning progress",
      "Parameter sensitivity",
      "Best trials",
      "Trade-offs",
      "Time series: recommended against defaults",
      "How rewards spread over provers",
      "Exploit audit",
      "Held-out results",
    ]) {
      expect(md).toContain(`\n## ${heading}\n`);
    }
    expect(md).toMatch(/paired difference is [-+]?[\d.]+ \[/);
    expect(md).toMatch(/\|validation \(\d+ episodes: the training scenarios on seeds of their own\)\|[^|]+\|[^|]+\|/);
    expect(md).toContain("|parameter|verdict|unit|recommended|default|change (%)|bounds|why|");
    expect(md).toMatch(/Changes that matter \(\d+\)/);
    expect(md).toMatch(/Keep the default \(\d+\)/);
    expect(md).toContain("|scenario|recommended|defaults|difference|");
    expect(md).toContain("Each training scenario on the validation seeds (where a gain over the defaults comes from)");
    expect(md).toMatch(/\|liveness\|share of blocks\|[\d.]+ \[[\d.]+, [\d.]+\]\|/);
    expect(md).toContain("Not run: the run folder has no `audit.json`");
    expect(md).toContain("Peak mempool backlog: recommended");
    // The page is self-contained: every chart inline, no script, nothing fetched.
    const html = read(dir, "report.html");
    expect(html.match(/<figure class="chart"/g)).toHaveLength(names.length);
    expect(html.match(/<svg /g)).toHaveLength(names.length);
    expect(html).not.toMatch(/<script|<link|<img|src="http/);
    expect(JSON.parse(read(dir, "manifest.json")).command).toBe(`proverlab report ${run}`);
  });

  it("gives the same bytes twice; a second report replaces the first; --out writes a new folder", () => {
    const first = join(run, "report");
    const before = read(first, "report.html");
    const out = join(tmp(), "again");
    expect(cli(["report", run, "--out", out]).code).toBe(0);
    for (const f of ["report.md", "report.html", "figures/timeseries-1.svg", "figures/sensitivity.csv", "figures/parameters.png"]) {
      expect(readFileSync(join(out, f)).equals(readFileSync(join(first, f))), f).toBe(true);
    }
    expect(cli(["report", run]).code).toBe(0);
    expect(read(first, "report.html")).toBe(before);
    expect(readdirSync(run).filter((f) => f.startsWith(".report"))).toEqual([]);
    // The sensitivity's calibrations scored on two threads: the same bytes.
    const threads = join(tmp(), "threads");
    expect(cli(["report", run, "--out", threads, "--workers", "2"]).code).toBe(0);
    for (const f of ["report.md", "report.html", "figures/sensitivity.csv", "figures/sensitivity.svg"]) {
      expect(readFileSync(join(threads, f)).equals(readFileSync(join(first, f))), f).toBe(true);
    }
    expect(JSON.parse(read(threads, "manifest.json")).workers).toBe(2);
  });

  it("shows the exploit audit when the run has audit.json", () => {
    const audited = join(tmp(), "audited");
    mkdirSync(audited);
    for (const f of ["manifest.json", "config.json", "checkpoint.json", "recommendation.json"])
      copyFileSync(join(run, f), join(audited, f));
    const strategies = [
      {
        name: "withhold",
        coalitionShare: null,
        gainUsd: -9.6,
        gainPct: -125.7,
        livenessCost: 0.0027,
        costPerTxChange: -0.0009,
        exploit: false,
      },
      { name: "split", coalitionShare: 0.1, gainUsd: 23.68, gainPct: 775.9, livenessCost: 0.0003, costPerTxChange: 0.0002, exploit: true },
    ];
    writeFileSync(join(audited, "audit.json"), JSON.stringify({ experiment: "aztec-1tps", strategies }));
    expect(cli(["report", audited]).code).toBe(0);
    const md = read(audited, "report", "report.md");
    expect(md).toContain("Deviations that pay against the recommendation: split (coalition, 10 % of compute, +23.68 USD per epoch)");
    expect(md).toContain("|strategy|attackers|gain (USD/epoch)|gain (%)|liveness cost (share of blocks)|cost per tx change (USD/tx)|pays|");
    expect(md).toContain("|withhold|alone|-9.6|-125.7|0.0027|-9e-4|no|");
    expect(md).toContain("|split|coalition, 10 % of compute|+23.68|+775.9|3e-4|+2e-4|yes|");
    writeFileSync(join(audited, "audit.json"), JSON.stringify({ strategies: [{ name: "x" }] }));
    const bad = cli(["report", audited]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^proverlab: audit\.json: .* is not \{strategies: \[\{name, coalitionShare, gainUsd, gainPct, livenessCost, costPerTxChange\}\]\}; re-run the audit\n$/,
    );
  });

  it("bad input is one line naming the field, exit 2, and nothing written", () => {
    const empty = tmp();
    const running = tmp();
    writeFileSync(join(running, "manifest.json"), JSON.stringify({ status: "running" }));
    const taken = tmp();
    writeFileSync(join(taken, "x"), "");
    const cases: [string[], RegExp][] = [
      [[join(empty, "nothing")], /^proverlab: run: .*nothing is not a folder; give the folder of a tune run$/],
      [[empty], /^proverlab: run: .*manifest\.json is missing or unreadable; give the folder of a tune run$/],
      [[running], /^proverlab: run: .* is an incomplete tune run; finish it with 'proverlab tune <experiment> --resume /],
      [[run, "--out", taken], /^proverlab: --out: .* exists and is not empty; choose a new directory$/],
      [[run, "--workers", "0"], /^proverlab: --workers: 0 is not a positive integer; give e\.g\. --workers 2$/],
    ];
    for (const [args, message] of cases) {
      const r = cli(["report", ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stdout).toBe("");
    }
    expect(readdirSync(empty)).toEqual([]);
    expect(readdirSync(running)).toEqual(["manifest.json"]);
    // An experiment edited after the run would give figures that do not match the run's.
    writeFileSync(experiment, read(experiment).replace(/^seed: \d+/m, "seed: 12345"));
    const changed = cli(["report", run, "--out", join(tmp(), "never")]);
    expect(changed.code).toBe(2);
    expect(changed.stderr).toMatch(
      /^proverlab: run: .*aztec-1tps\.yaml resolves differently from when .* was tuned \(seed: 12345, was 1\); restore it or tune again\n$/,
    );
  });
});
