import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { StudyResult } from "../../src/study/run.js";
import { TUNE_FINISHED, cli, read, tmp } from "../support/cli.js";

const STUDY = "experiments/study";

describe("proverlab study --quick", () => {
  let dir: string;
  let straight: string;
  let straightRun: ReturnType<typeof cli>;

  beforeAll(() => {
    dir = tmp();
    straight = join(dir, "straight");
    straightRun = cli(["study", STUDY, "--quick", "--workers", "2", "--out", straight]);
  });

  it("runs every question end to end: screening, tune, curves, options, report", () => {
    expect(TUNE_FINISHED, straightRun.stderr).toContain(straightRun.code);
    const r = JSON.parse(read(straight, "study.json")) as StudyResult;
    expect(r.quick).toBe(true);
    expect(r.questions.map((q) => q.spec.id)).toEqual(["q1-scaling", "q2-bonuses", "q3-emergency", "q4-batching"]);
    for (const q of r.questions) {
      // Every lever screened is classified, and exactly those that act were tuned.
      expect(q.screening.screens.map((s) => s.lever).sort()).toEqual(Object.keys(q.defaults).sort());
      expect(q.tuned).toEqual(q.screening.screens.filter((s) => s.effect === "acts").map((s) => s.lever));
      // Every option ran, and is compared on each held-out scenario alone.
      expect(q.options.map((o) => o.name)).toEqual(q.spec.options.map((o) => o.name));
      for (const o of q.options) expect(o.scenarios.map((x) => x.scenario)).toEqual(q.scenarios.heldOut);
      if (q.tuned.length === 0) {
        expect(q.recommendation).toBeNull();
        expect(straightRun.stdout).toContain(`${q.spec.id}: the proposal's defaults (no lever acts)`);
        // No lever acts, yet a mechanism option may: it runs at the defaults, audited, against the defaults.
        expect(q.defaultsHeldOut).not.toBeNull();
        for (const o of q.options) {
          expect([o.run, o.tunedOverDefaults, o.adopts]).toEqual([null, null, "defaults"]);
          expect(o.difference).toEqual(o.versusDefaults);
          expect(o.audit).not.toBeNull();
        }
      } else {
        expect(q.recommendation!.heldOut.utilityDifference.n).toBeGreaterThan(1);
        expect(existsSync(join(straight, q.run!, "recommendation.json"))).toBe(true);
        expect(q.defaultsHeldOut).toBeNull();
        // Each option is tuned, and taken tuned only where its tuning beats it at the defaults.
        for (const o of q.options) {
          expect(o.tunedOverDefaults).not.toBeNull();
          expect(o.adopts).toBe(o.tunedOverDefaults!.low > 0 ? "tuned" : "defaults");
          if (o.adopts === "defaults") expect([o.tuned, o.audit === null]).toEqual([{}, false]);
        }
        // The controller trains only where the question asks for it (Q1), from the recommendation.
        expect(q.controller === null).toBe(q.spec.controller === undefined);
        if (q.controller) expect(existsSync(join(straight, q.controller.run, "controller", "model.json"))).toBe(true);
      }
    }
    // Q4's gas-aware batching pays off where the gas spikes, even untuned.
    const gas = r.questions[3]!.options.find((o) => o.name === "backlog-and-gas")!.scenarios.find((x) => x.scenario === "l1-gas-spike")!;
    expect(gas.versusDefaults.low).toBeGreaterThan(0);
    const md = read(straight, "report", "report.md");
    expect(md).toMatch(/^# Calibrating Aztec's prover coordination proposal/);
    expect(md).toContain("QUICK RUN");
    for (const q of r.questions) expect(md).toContain(`## ${q.spec.title}`);
    // Every figure the Markdown shows is on disk as PNG, SVG and CSV, and the HTML draws each one inline.
    const shown = [...md.matchAll(/!\[[^\]]*\]\(figures\/([^)]+)\.png\)/g)].map((m) => m[1]!);
    expect(shown.length).toBeGreaterThan(4);
    for (const f of shown)
      for (const ext of ["png", "svg", "csv"]) expect(existsSync(join(straight, "report", "figures", `${f}.${ext}`))).toBe(true);
    const html = read(straight, "report", "report.html");
    expect(html.match(/<figure class="chart"/g)?.length).toBe(shown.length);
    expect(readdirSync(join(straight, "report", "figures")).filter((f) => f.endsWith(".svg")).length).toBe(shown.length);
    expect(JSON.parse(read(straight, "manifest.json")).status).toBe("complete");
  });

  it("refuses to write over a finished study without --resume, in one line", () => {
    const r = cli(["study", STUDY, "--quick", "--out", straight]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/^proverlab: --out: .* holds a study already; add --resume to continue it/),
    ]);
  });

  it("killed mid-way and resumed with one worker, writes the same study.json and report as a straight run with two", () => {
    const run = join(dir, "killed");
    // The 12th atomic write falls inside the first question's tune: after its first checkpoint and trials, before its recommendation.
    const killed = cli(["study", STUDY, "--quick", "--workers", "1", "--out", run], undefined, { PROVERLAB_FAULT_AFTER_WRITES: "12" });
    expect(killed.code).toBeNull();
    expect(existsSync(join(run, "study.json"))).toBe(false);
    const resumed = cli(["study", STUDY, "--quick", "--workers", "1", "--out", run, "--resume"]);
    expect(TUNE_FINISHED, resumed.stderr).toContain(resumed.code);
    expect(resumed.stdout).toContain("(continued)");
    expect(read(run, "study.json")).toBe(read(straight, "study.json"));
    expect(read(run, "report", "report.md")).toBe(read(straight, "report", "report.md"));
    expect(readFileSync(join(run, "report", "report.html"))).toEqual(readFileSync(join(straight, "report", "report.html")));
  });

  it("--resume refuses a folder started with other flags", () => {
    const r = cli(["study", STUDY, "--out", straight, "--resume"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^proverlab: --resume: .* was started with other study files or flags \(quick true/);
  });

  it("--resume refuses a folder whose step files another version wrote, in one line, and writes nothing", () => {
    const old = join(dir, "old");
    cpSync(straight, old, { recursive: true });
    const plan = JSON.parse(read(old, "plan.json")) as Record<string, unknown>;
    delete plan.format;
    writeFileSync(join(old, "plan.json"), JSON.stringify(plan));
    const before = read(old, "study.json");
    const r = cli(["study", STUDY, "--quick", "--workers", "2", "--out", old, "--resume"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([
      `proverlab: --resume: ${old} holds a study written by another version of proverlab (its step files differ); start a new --out`,
    ]);
    expect(read(old, "study.json")).toBe(before);
  });
});
