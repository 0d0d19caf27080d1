import type { Recommendation } from "../../src/tuning/recommend.js";
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { cli, ROOT, tmp, TUNE_FINISHED } from "../support/cli.js";

const EXPERIMENT = join(ROOT, "experiments", "aztec-1tps.yaml");
const SMALL = ["--set", "horizonEpochs=10", "--set", "tune.seeds.train=1", "--set", "tune.seeds.heldOut=3", "--set", "tune.batch=6"];

/** `evaluate --json` of a params object on the run's training split. */
function evaluateParams(params: unknown): { score: number; params: Record<string, number> } {
  const file = join(tmp(), "params.json");
  writeFileSync(file, JSON.stringify(params));
  const r = cli(["evaluate", EXPERIMENT, "--params", file, "--json", ...SMALL]);
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout);
}

describe("proverlab export", () => {
  let run: string;
  let rec: Recommendation;

  beforeAll(() => {
    run = join(tmp(), "run");
    expect(TUNE_FINISHED).toContain(cli(["tune", EXPERIMENT, "--budget", "12", "--out", run, ...SMALL]).code);
    rec = JSON.parse(readFileSync(join(run, "recommendation.json"), "utf8"));
  });

  it("json: the full calibration, tuned parameters with their change, KPI intervals with held-out differences, three presets", () => {
    const r = cli(["export", run, "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout);
    expect(e.experiment).toBe("aztec-1tps");
    expect(e.trial).toBe(rec.trial);
    expect(e.params).toEqual(rec.params);
    const width = e.tuned.find((p: { name: string }) => p.name === "emergency.raceWidth");
    expect(width).toMatchObject({ unit: "provers", default: 3, lower: 2, upper: 5, value: rec.tuned["emergency.raceWidth"] });
    expect(width.change).toBe(width.value - 3);
    expect(width.changePercent).toBeCloseTo(((width.value - 3) / 3) * 100, 12);
    const rewards = e.kpis.find((k: { kpi: string }) => k.kpi === "rewardsPerTxUsd");
    expect(rewards.unit).toBe("USD/tx");
    expect(rewards.heldOut.recommended.n).toBe(3);
    expect(rewards.heldOut.recommended.low).toBeLessThanOrEqual(rewards.heldOut.recommended.mean);
    expect(rewards.train.recommended.low).toBeNull(); // one training episode: no interval
    // The validation split (the training scenarios on the finalists' seeds), as recommendation.json holds it.
    expect(e.score.validation).toEqual({
      recommended: {
        score: rec.validation.recommended.score,
        feasible: rec.validation.recommended.feasible,
        violations: rec.validation.recommended.violations,
      },
      defaults: {
        score: rec.validation.defaults.score,
        feasible: rec.validation.defaults.feasible,
        violations: rec.validation.defaults.violations,
      },
      episodes: rec.validation.recommended.kpis.liveness.n,
    });
    expect(e.keepsExperimentValues).toBe(rec.parameters.effects.length === 0);
    // Each training scenario alone on the validation seeds, as recommendation.json holds them.
    expect(e.validationScenarios.map((x: { scenario: string }) => x.scenario)).toEqual(rec.validation.scenarios.map((x) => x.scenario));
    expect(e.validationScenarios[0].difference.mean).toBe(rec.validation.scenarios[0]!.utilityDifference.mean);
    const d = rewards.heldOut.difference;
    expect(d.significant).toBe(d.low > 0 || d.high < 0);
    // Each preset is kept (feasible on held-out) or dropped with its reason.
    const kept = e.presets.map((p: { name: string }) => p.name);
    const dropped = e.droppedPresets.map((p: { name: string; reason: string }) => p.name);
    expect([...kept, ...dropped].sort()).toEqual(["aggressive", "conservative", "moderate"]);
    for (const p of e.presets) expect(p.heldOut.feasible).toBe(true);
    for (const p of e.presets) expect(Object.keys(p.heldOut.kpis).slice(0, 3)).toEqual(["liveness", "rewardsPerTxUsd", "l1CostPerTxUsd"]);
  });

  it("the exported calibration (json or yaml) and a preset's tuned values load back into evaluate --params", () => {
    const json = JSON.parse(cli(["export", run, "--format", "json"]).stdout);
    const yaml = parseYaml(cli(["export", run, "--format", "yaml"]).stdout);
    expect(yaml.params).toEqual(json.params);
    expect(yaml.kpis).toEqual(json.kpis);
    const again = evaluateParams(yaml.params);
    expect(again.params).toEqual(rec.params);
    expect(again.score).toBe(rec.train.recommended.score);
    for (const preset of rec.presets) expect(evaluateParams(preset.tuned).score).toBe(preset.train.score);
    // The exported file itself, YAML or JSON, is a params file.
    for (const format of ["yaml", "json"]) {
      const file = join(tmp(), `export.${format}`);
      expect(cli(["export", run, "--format", format, "--out", file]).code).toBe(0);
      const r = cli(["evaluate", EXPERIMENT, "--params", file, "--json", ...SMALL]);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).score).toBe(rec.train.recommended.score);
    }
  });

  it("md: a document with the parameter, KPI and preset tables; --out writes the same text to a file", () => {
    const r = cli(["export", run]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# aztec-1tps: recommended calibration\n/);
    expect(r.stdout).toMatch(
      /\| `emergency\.raceWidth` \| (changed|kept at default|default) \| \d \| 3 \| [-+]?\d \| [-+]?[\d.]+ % \| provers \| 2 \.\. 5 \| [^|]*\|/,
    );
    expect(r.stdout).toMatch(/^\| held-out scenario \| recommended \| defaults \| objective difference \|$/m);
    expect(r.stdout).toMatch(/^\| validation \(\d+ episodes, the training scenarios on seeds of their own\) \| [^|]+ \| [^|]+ \|$/m);
    expect(r.stdout).toMatch(/\| `rewardsPerTxUsd` \| USD\/tx \| [\d.]+ \| [\d.]+ \| [\d.]+ \[[\d.]+, [\d.]+\] \|/);
    const presets = rec.presets.map((p) => p.name).join(" \\| ");
    if (presets !== "") expect(r.stdout).toMatch(new RegExp(`\\| {2}\\| ${presets} \\|`));
    expect(r.stdout).toMatch(/Held-out score difference, recommended - defaults.*: [-+]?[\d.]+ \[/);
    const file = join(tmp(), "calibration.md");
    const written = cli(["export", run, "--out", file]);
    expect(written.stdout).toBe("");
    expect(readFileSync(file, "utf8")).toBe(r.stdout);
  });

  it("bad input is one line naming the field, exit 2", () => {
    const empty = tmp();
    const running = tmp();
    writeFileSync(join(running, "manifest.json"), JSON.stringify({ status: "running" }));
    const cases: [string[], RegExp][] = [
      [[run, "--format", "xml"], /^proverlab: --format: "xml" is not allowed; use one of "json", "yaml", "md"$/],
      [[join(empty, "nothing")], /^proverlab: run: .*nothing is not a folder; give the folder of a tune run$/],
      [[empty], /^proverlab: run: .*manifest\.json is missing or unreadable; give the folder of a tune run$/],
      [[running], /^proverlab: run: .* is an incomplete tune run; finish it with 'proverlab tune <experiment> --resume /],
      [
        [run, "--out", join(empty, "no", "x.md")],
        /^proverlab: --out: cannot write .*x\.md \(ENOENT\); give a path in an existing, writable folder$/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = cli(["export", ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stdout).toBe("");
    }
    mkdirSync(join(empty, "sim"));
    writeFileSync(join(empty, "sim", "manifest.json"), JSON.stringify({ status: "complete" }));
    expect(cli(["export", join(empty, "sim")]).stderr).toMatch(/^proverlab: run: .*config\.json is missing or unreadable/);
  });

  it("a run folder whose files no tune run wrote is one line naming the folder; a failed --out leaves nothing behind", () => {
    const tampered = join(tmp(), "tampered");
    cpSync(run, tampered, { recursive: true });
    writeFileSync(join(tampered, "recommendation.json"), JSON.stringify({ presets: [], heldOut: { kpiDifferences: {} } }));
    for (const command of ["export", "report"]) {
      const r = cli([command, tampered]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /^proverlab: run: .*tampered holds files no finished tune run wrote \(.*\); give the folder of a finished tune run\n$/,
      );
    }
    const dir = tmp();
    mkdirSync(join(dir, "existing"));
    const r = cli(["export", run, "--out", join(dir, "existing")]);
    expect(r.stderr).toMatch(/^proverlab: --out: .*existing is a folder; give a file to write\n$/);
    expect(readdirSync(dir)).toEqual(["existing"]);
  });

  it("--out refuses an existing file unless --force, which replaces it", () => {
    const file = join(tmp(), "calibration.json");
    writeFileSync(file, "mine");
    const refused = cli(["export", run, "--format", "json", "--out", file]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^proverlab: --out: .*calibration\.json exists; give a new file, or add --force to replace it\n$/);
    expect(readFileSync(file, "utf8")).toBe("mine");
    expect(cli(["export", run, "--format", "json", "--out", file, "--force"]).code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(cli(["export", run, "--format", "json"]).stdout);
    expect(readdirSync(join(file, ".."))).toEqual(["calibration.json"]);
  });

  it("a run whose search found nothing better recommends the experiment's values, and export says so; a searched one is the best candidate", () => {
    const run = join(tmp(), "baseline");
    // A budget of 1 scores trial 0 alone: the experiment's own values.
    const t = cli(["tune", EXPERIMENT, "--budget", "1", "--out", run, ...SMALL, "--set", "audit.enabled=false"]);
    expect(TUNE_FINISHED).toContain(t.code);
    expect(t.stdout).toMatch(
      /^recommended: keep the experiment's values \(trial 0\); none of the 0 calibrations searched scored higher on training$/m,
    );
    expect(cli(["export", run]).stdout).toMatch(/trial 0: the experiment's own values: no calibration the search tried scored higher/);
    const other = join(tmp(), "searched");
    expect(TUNE_FINISHED).toContain(
      cli(["tune", EXPERIMENT, "--budget", "12", "--out", other, ...SMALL, "--set", "audit.enabled=false"]).code,
    );
    const rec = JSON.parse(readFileSync(join(other, "recommendation.json"), "utf8"));
    expect(rec.trial).toBeGreaterThan(0);
    expect(cli(["export", other]).stdout).toMatch(new RegExp(`trial ${rec.trial}: the best candidate of the search`));
  });
});
