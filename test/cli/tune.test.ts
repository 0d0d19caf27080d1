import { spawn } from "node:child_process";
import { cpSync, existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, ROOT, cli, read, tmp } from "../support/cli.js";

const EXPERIMENT = join(ROOT, "experiments", "aztec-1tps.yaml");
/** A run long enough to be killed mid-way, and its uninterrupted result (run once, for every kill test). */
const KILL_ARGS = [
  "--budget",
  "36",
  "--set",
  "horizonEpochs=24",
  "--set",
  "tune.seeds.train=1",
  "--set",
  "tune.seeds.heldOut=3",
  "--set",
  "tune.batch=6",
];
let straightRun: string | undefined;
function uninterrupted(): string {
  if (straightRun === undefined) {
    straightRun = join(tmp(), "straight");
    expect(cli(["tune", EXPERIMENT, ...KILL_ARGS, "--out", straightRun]).code).toBe(0);
  }
  return straightRun;
}

const SMALL = ["--set", "horizonEpochs=10", "--set", "tune.seeds.train=1", "--set", "tune.seeds.heldOut=3", "--set", "tune.batch=6"];

describe("proverlab tune", () => {
  it("writes a run folder: config, manifest, trials, checkpoint, recommendation with held-out comparison", () => {
    const out = join(tmp(), "run");
    const r = cli(["tune", EXPERIMENT, "--budget", "12", "--out", out, ...SMALL]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/held-out objective difference \(recommended - defaults\): -?\d/);
    expect(r.stderr).toMatch(/12\/12 trials/);
    const trials = read(out, "trials.csv").trim().split("\n");
    expect(trials).toHaveLength(13);
    expect(trials[0]).toMatch(/^trial,generation,score,feasible,scaling\.smoothing,/);
    const rec = JSON.parse(read(out, "recommendation.json"));
    const scores = trials.slice(1).map((line) => Number(line.split(",")[2]));
    // Re-scoring the best trial on its training seeds gives back its score (the runs are deterministic).
    expect(rec.train.recommended.score).toBe(Math.max(...scores));
    expect(rec.train.recommended.kpis.liveness.n).toBe(1);
    expect(rec.heldOut.recommended.kpis.liveness.n).toBe(3);
    expect(rec.heldOut.kpiDifferences.rewardsPerTxUsd.mean).toBeCloseTo(
      rec.heldOut.recommended.kpis.rewardsPerTxUsd.mean - rec.heldOut.defaults.kpis.rewardsPerTxUsd.mean,
      12,
    );
    expect(rec.presets.map((p: { name: string }) => p.name)).toEqual(["conservative", "moderate", "aggressive"]);
    expect(rec.heldOut.utilityDifference.n).toBe(3);
    expect(rec.heldOut.utilityDifference.low).toBeLessThanOrEqual(rec.heldOut.utilityDifference.mean);
    expect(Object.keys(rec.tuned)).toContain("emergency.raceWidth");
    expect(JSON.parse(read(out, "manifest.json")).status).toBe("complete");
  });

  it("gives the same bytes whatever the number of workers", () => {
    const one = join(tmp(), "one");
    const two = join(tmp(), "two");
    expect(cli(["tune", EXPERIMENT, "--budget", "12", "--workers", "1", "--out", one, ...SMALL]).code).toBe(0);
    const r = cli(["tune", EXPERIMENT, "--budget", "12", "--workers", "2", "--out", two, ...SMALL]);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    for (const f of ["trials.csv", "recommendation.json", "checkpoint.json", "config.json"]) expect(read(two, f)).toBe(read(one, f));
  });

  it("--resume after a kill mid-run ends with the same recommendation as an uninterrupted run", async () => {
    const args = KILL_ARGS;
    const straight = uninterrupted();
    const killed = join(tmp(), "killed");
    const child = spawn(process.execPath, [BIN, "tune", EXPERIMENT, ...args, "--out", killed], { cwd: ROOT, stdio: "ignore" });
    await new Promise<void>((done, fail) => {
      const started = Date.now();
      const poll = setInterval(() => {
        if (existsSync(join(killed, "checkpoint.json"))) {
          clearInterval(poll);
          child.kill("SIGKILL");
          done();
        } else if (Date.now() - started > 60_000) {
          clearInterval(poll);
          fail(new Error("no checkpoint within 60 s"));
        }
      }, 5);
    });
    await new Promise((done) => child.on("close", done));
    expect(existsSync(join(killed, "recommendation.json"))).toBe(false);
    expect(JSON.parse(read(killed, "manifest.json")).status).toBe("running");
    const done = JSON.parse(read(killed, "checkpoint.json")).trials.length;
    expect(done).toBeLessThan(36);
    const resumed = cli(["tune", EXPERIMENT, ...args, "--resume", killed]);
    expect(resumed.stderr).not.toMatch(/Error/);
    expect(resumed.code).toBe(0);
    expect(read(killed, "recommendation.json")).toBe(read(straight, "recommendation.json"));
    expect(read(killed, "trials.csv")).toBe(read(straight, "trials.csv"));
  });

  it("--resume after a kill between the last checkpoint and trials.csv rewrites trials.csv from the checkpoint", () => {
    const straight = join(tmp(), "straight");
    expect(cli(["tune", EXPERIMENT, "--budget", "12", "--out", straight, ...SMALL]).code).toBe(0);
    // The state such a kill leaves: the final checkpoint renamed, trials.csv a generation short, no recommendation.
    const killed = join(tmp(), "killed");
    cpSync(straight, killed, { recursive: true });
    const rows = read(straight, "trials.csv").trim().split("\n");
    writeFileSync(join(killed, "trials.csv"), rows.slice(0, 7).join("\n") + "\n");
    rmSync(join(killed, "recommendation.json"));
    rmSync(join(killed, "audit.json"));
    const manifest = JSON.parse(read(killed, "manifest.json"));
    writeFileSync(join(killed, "manifest.json"), JSON.stringify({ ...manifest, status: "running" }));
    const resumed = cli(["tune", EXPERIMENT, "--budget", "12", ...SMALL, "--resume", killed]);
    expect(resumed.code).toBe(0);
    expect(read(killed, "trials.csv")).toBe(read(straight, "trials.csv"));
    expect(read(killed, "recommendation.json")).toBe(read(straight, "recommendation.json"));
  });

  it("two runs started together without --out get two folders", async () => {
    const cwd = tmp();
    const args = [BIN, "tune", EXPERIMENT, "--budget", "6", ...SMALL, "--set", "audit.enabled=false"];
    const run = () =>
      new Promise<string>((done) => {
        const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "ignore"] });
        let out = "";
        child.stdout.on("data", (d: Buffer) => (out += d.toString()));
        child.on("close", () => done(out));
      });
    const outputs = await Promise.all([run(), run()]);
    const folders = outputs.map((o) => /results: (.*)/.exec(o)?.[1]);
    expect(folders[0]).toBeDefined();
    expect(folders[1]).toBeDefined();
    expect(folders[0]).not.toBe(folders[1]);
    for (const f of folders) expect(JSON.parse(read(f!, "manifest.json")).status).toBe("complete");
  });

  it("--resume of a run whose checkpoint is damaged is one line, and the run is left as it was", () => {
    const run = join(tmp(), "run");
    expect(cli(["tune", EXPERIMENT, "--budget", "6", "--out", run, ...SMALL, "--set", "audit.enabled=false"]).code).toBe(0);
    const checkpoint = JSON.parse(read(run, "checkpoint.json"));
    writeFileSync(join(run, "checkpoint.json"), JSON.stringify({ ...checkpoint, tuner: { kind: "cmaes", state: 5 } }));
    const before = read(run, "trials.csv");
    const r = cli(["tune", EXPERIMENT, "--budget", "6", ...SMALL, "--set", "audit.enabled=false", "--resume", run]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^proverlab: --resume: .*run holds files no tune run wrote \(.*\); start a new run, or resume an undamaged one\n$/,
    );
    expect(read(run, "trials.csv")).toBe(before);
  });

  it("ten seeded kills at random moments, each followed by --resume, end with the bytes of an uninterrupted run", async () => {
    const args = KILL_ARGS;
    const straight = uninterrupted();
    const run = join(tmp(), "run");
    // Kill delays from a fixed linear congruential sequence: the same moments (in ms from start) every time.
    let state = 20261129;
    const nextDelay = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return 150 + (state % 1200);
    };
    let kills = 0;
    let first = true;
    while (kills < 10) {
      const runArgs = first ? ["--out", run] : ["--resume", run];
      const child = spawn(process.execPath, [BIN, "tune", EXPERIMENT, ...args, ...runArgs], { cwd: ROOT, stdio: "ignore" });
      const delay = nextDelay();
      const timer = setTimeout(() => child.kill("SIGKILL"), delay);
      const code = await new Promise<number | null>((done) => child.on("close", done));
      clearTimeout(timer);
      if (code !== null && code !== 0) throw new Error(`tune exited ${code}`);
      if (code === 0) break; // finished before the kill
      kills++;
      // A kill before the run folder's config.json exists leaves nothing to resume: start again.
      first = !existsSync(join(run, "config.json"));
    }
    const last = cli(["tune", EXPERIMENT, ...args, ...(existsSync(join(run, "config.json")) ? ["--resume", run] : ["--out", run])]);
    expect(last.code).toBe(0);
    for (const f of ["trials.csv", "recommendation.json", "checkpoint.json", "audit.json"]) expect(read(run, f)).toBe(read(straight, f));
    console.log(`kill test: ${kills} kills`);
    expect(kills).toBeGreaterThan(0);
  });

  it("bad input is one line naming the field, exit 2, and no run folder", () => {
    const out = join(tmp(), "never");
    const cases: [string[], RegExp][] = [
      [["--budget", "0"], /^proverlab: --budget: 0 is not a positive integer/],
      [["--workers", "0"], /^proverlab: --workers: 0 is not a positive integer/],
      [
        ["--set", "tune.tuner=annealing"],
        /^proverlab: tune\.tuner: "annealing" is not allowed; use one of "cmaes", "random", "lhs", "cross-entropy"/,
      ],
      [["--resume", join(tmp(), "empty")], /^proverlab: --resume: .*config\.json is missing or unreadable/],
    ];
    for (const [extra, message] of cases) {
      const r = cli(["tune", EXPERIMENT, "--out", out, ...extra]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
    }
  });
});
