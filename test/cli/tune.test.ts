import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { arrowAsCsv, arrowTypes } from "../support/arrow.js";
import { BIN, ROOT, TUNE_FINISHED, cli, read, tmp } from "../support/cli.js";

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
/** The same run with a budget of two generations: the fault-injection test kills it after each of its writes. */
const FAULT_ARGS = ["--budget", "12", ...KILL_ARGS.slice(2), "--set", "audit.seeds=2"];
const straightRuns = new Map<string, string>();
function uninterrupted(args = KILL_ARGS): string {
  const key = args.join(" ");
  if (!straightRuns.has(key)) {
    const run = join(tmp(), "straight");
    expect(TUNE_FINISHED).toContain(cli(["tune", EXPERIMENT, ...args, "--out", run]).code);
    straightRuns.set(key, run);
  }
  return straightRuns.get(key)!;
}
/** Sends `signal` to a tune run as soon as its first checkpoint is in `dir`. */
function signalAtFirstCheckpoint(child: ChildProcess, dir: string, signal: NodeJS.Signals): Promise<void> {
  return new Promise<void>((done, fail) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (existsSync(join(dir, "checkpoint.json"))) {
        clearInterval(poll);
        child.kill(signal);
        done();
      } else if (Date.now() - started > 60_000) {
        clearInterval(poll);
        fail(new Error("no checkpoint within 60 s"));
      }
    }, 5);
  });
}
const RUN_FILES = ["trials.csv", "trials.arrow", "trials.jsonl", "recommendation.json", "checkpoint.json", "audit.json"];
/** A run file as one character per byte (latin1): equal text is equal bytes, trials.arrow included. */
const bytes = (...parts: string[]) => readFileSync(join(...parts), "latin1");

const SMALL = ["--set", "horizonEpochs=10", "--set", "tune.seeds.train=1", "--set", "tune.seeds.heldOut=3", "--set", "tune.batch=6"];

describe("proverlab tune", () => {
  it("writes a run folder: config, manifest, trials, checkpoint, recommendation with held-out comparison", () => {
    const out = join(tmp(), "run");
    const r = cli(["tune", EXPERIMENT, "--budget", "12", "--out", out, ...SMALL]);
    expect(TUNE_FINISHED).toContain(r.code);
    expect(r.stdout).toMatch(/held-out objective difference \(recommended - defaults\): -?\d/);
    expect(r.stderr).toMatch(/12\/12 trials/);
    const trials = read(out, "trials.csv").trim().split("\n");
    expect(trials).toHaveLength(13);
    expect(trials[0]).toMatch(/^trial,generation,score,feasible,violations,scaling\.smoothing,/);
    const rec = JSON.parse(read(out, "recommendation.json"));
    // Trial 0 is the experiment's own values, scored like any candidate: the baseline the search must beat.
    const config = JSON.parse(read(out, "config.json"));
    const header = trials[0]!.split(",");
    const first = trials[1]!.split(",");
    for (const name of config.tuned) expect(Number(first[header.indexOf(name)])).toBe(config.params[name]);
    // trials.arrow is the same table, with integer trial and generation and a boolean feasible.
    const arrow = readFileSync(join(out, "trials.arrow"));
    expect(arrowAsCsv(arrow)).toBe(read(out, "trials.csv"));
    expect(arrowTypes(arrow)).toMatchObject({
      trial: "int32",
      generation: "int32",
      score: "float64",
      feasible: "bool",
      violations: "utf8",
    });
    // trials.jsonl: one object per trial, its score null when infeasible, its violations and KPIs.
    const jsonl = read(out, "trials.jsonl")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(jsonl).toHaveLength(12);
    jsonl.forEach((t, k) => {
      const row = trials[k + 1]!.split(",");
      expect(Object.keys(t)).toEqual(["trial", "generation", "score", "feasible", "violations", "params", "kpis"]);
      expect(t.trial).toBe(k);
      expect(t.feasible).toBe(row[3] === "1");
      expect(t.score).toBe(t.feasible ? Number(row[2]) : null);
      expect(t.violations.length > 0).toBe(!t.feasible);
      expect(Object.keys(t.params)).toEqual(config.tuned);
      for (const name of config.tuned) expect(t.params[name]).toBe(Number(row[header.indexOf(name)]));
      expect(t.kpis.liveness).toBe(Number(row[header.indexOf("liveness")]));
    });
    if (first[3] === "1") expect(Number(first[2])).toBe(rec.train.defaults.score);
    const scores = trials.slice(1).map((line) => Number(line.split(",")[2]));
    // The first candidate is the best trial; re-scoring a trial on its training seeds gives back its score (the runs are deterministic).
    expect(rec.candidates[0].score).toBe(Math.max(...scores));
    if (rec.parameters.effects.every((e: { keepDefault: boolean }) => !e.keepDefault) && rec.trial === rec.candidates[0].trial) {
      expect(rec.train.recommended.score).toBe(Math.max(...scores));
    }
    expect(rec.train.recommended.kpis.liveness.n).toBe(1);
    expect(rec.heldOut.recommended.kpis.liveness.n).toBe(3);
    expect(rec.heldOut.kpiDifferences.rewardsPerTxUsd.mean).toBeCloseTo(
      rec.heldOut.recommended.kpis.rewardsPerTxUsd.mean - rec.heldOut.defaults.kpis.rewardsPerTxUsd.mean,
      12,
    );
    // Each preset is kept (feasible on held-out) or dropped with its reason.
    const kept = rec.presets.map((p: { name: string }) => p.name);
    const dropped = rec.droppedPresets.map((p: { name: string; reason: string }) => p.name);
    expect([...kept, ...dropped].sort()).toEqual(["aggressive", "conservative", "moderate"]);
    for (const p of rec.presets) expect(p.heldOut.feasible).toBe(true);
    expect(rec.heldOut.utilityDifference.n).toBe(3);
    expect(rec.heldOut.utilityDifference.low).toBeLessThanOrEqual(rec.heldOut.utilityDifference.mean);
    expect(Object.keys(rec.tuned)).toContain("emergency.raceWidth");
    expect(JSON.parse(read(out, "manifest.json")).status).toBe("complete");
  });

  it("gives the same bytes whatever the number of workers", () => {
    const one = join(tmp(), "one");
    const two = join(tmp(), "two");
    expect(TUNE_FINISHED).toContain(cli(["tune", EXPERIMENT, "--budget", "12", "--workers", "1", "--out", one, ...SMALL]).code);
    const r = cli(["tune", EXPERIMENT, "--budget", "12", "--workers", "2", "--out", two, ...SMALL]);
    expect(r.stderr).not.toMatch(/Error/);
    expect(TUNE_FINISHED).toContain(r.code);
    for (const f of [...RUN_FILES, "config.json"]) expect(bytes(two, f), f).toBe(bytes(one, f));
  });

  it("--resume after a kill mid-run ends with the same recommendation as an uninterrupted run", async () => {
    const args = KILL_ARGS;
    const straight = uninterrupted();
    const killed = join(tmp(), "killed");
    const child = spawn(process.execPath, [BIN, "tune", EXPERIMENT, ...args, "--out", killed], { cwd: ROOT, stdio: "ignore" });
    await signalAtFirstCheckpoint(child, killed, "SIGKILL");
    await new Promise((done) => child.on("close", done));
    expect(existsSync(join(killed, "recommendation.json"))).toBe(false);
    expect(JSON.parse(read(killed, "manifest.json")).status).toBe("running");
    const done = JSON.parse(read(killed, "checkpoint.json")).trials.length;
    expect(done).toBeLessThan(36);
    const resumed = cli(["tune", EXPERIMENT, ...args, "--resume", killed]);
    expect(resumed.stderr).not.toMatch(/Error/);
    expect(TUNE_FINISHED).toContain(resumed.code);
    for (const f of RUN_FILES) expect(bytes(killed, f), f).toBe(bytes(straight, f));
  });

  it("--resume after a kill between the last checkpoint and the trials files rewrites them from the checkpoint", () => {
    const straight = join(tmp(), "straight");
    expect(TUNE_FINISHED).toContain(cli(["tune", EXPERIMENT, "--budget", "12", "--out", straight, ...SMALL]).code);
    // The state such a kill leaves: the final checkpoint renamed, the trials files a generation short, no recommendation.
    const killed = join(tmp(), "killed");
    cpSync(straight, killed, { recursive: true });
    const rows = read(straight, "trials.csv").trim().split("\n");
    writeFileSync(join(killed, "trials.csv"), rows.slice(0, 7).join("\n") + "\n");
    writeFileSync(join(killed, "trials.jsonl"), read(straight, "trials.jsonl").split("\n").slice(0, 6).join("\n") + "\n");
    rmSync(join(killed, "trials.arrow"));
    rmSync(join(killed, "recommendation.json"));
    rmSync(join(killed, "audit.json"));
    const manifest = JSON.parse(read(killed, "manifest.json"));
    writeFileSync(join(killed, "manifest.json"), JSON.stringify({ ...manifest, status: "running" }));
    const resumed = cli(["tune", EXPERIMENT, "--budget", "12", ...SMALL, "--resume", killed]);
    expect(TUNE_FINISHED).toContain(resumed.code);
    for (const f of ["trials.csv", "trials.arrow", "trials.jsonl", "recommendation.json"])
      expect(bytes(killed, f), f).toBe(bytes(straight, f));
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
    expect(TUNE_FINISHED).toContain(
      cli(["tune", EXPERIMENT, "--budget", "6", "--out", run, ...SMALL, "--set", "audit.enabled=false"]).code,
    );
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
      if (code !== null && !TUNE_FINISHED.includes(code)) throw new Error(`tune exited ${code}`);
      if (code !== null) break; // finished before the kill
      kills++;
      // A kill before the run folder's config.json exists leaves nothing to resume: start again.
      first = !existsSync(join(run, "config.json"));
    }
    const last = cli(["tune", EXPERIMENT, ...args, ...(existsSync(join(run, "config.json")) ? ["--resume", run] : ["--out", run])]);
    expect(TUNE_FINISHED).toContain(last.code);
    for (const f of RUN_FILES) expect(bytes(run, f), f).toBe(bytes(straight, f));
    console.log(`kill test: ${kills} kills`);
    expect(kills).toBeGreaterThan(0);
  });

  it("a kill after each atomic write of a run (between every two writes of a generation's commit and of the final files), then --resume, ends with the bytes of an uninterrupted run", async () => {
    const straight = uninterrupted(FAULT_ARGS);
    const tune = (runArgs: string[], env: Record<string, string> = {}) =>
      new Promise<{ code: number | null; signal: string | null }>((done) => {
        const child = spawn(process.execPath, [BIN, "tune", EXPERIMENT, ...FAULT_ARGS, ...runArgs], {
          cwd: ROOT,
          stdio: "ignore",
          env: { ...process.env, ...env },
        });
        child.on("close", (code, signal) => done({ code, signal }));
      });
    /** Kills the run after its nth write and resumes it; false when the run made fewer than n writes (it finished). */
    const killAfter = async (n: number): Promise<boolean> => {
      const run = join(tmp(), "run");
      const killed = await tune(["--out", run], { PROVERLAB_FAULT_AFTER_WRITES: String(n) });
      if (killed.signal === null) {
        expect(TUNE_FINISHED).toContain(killed.code);
        return false;
      }
      expect(killed.signal).toBe("SIGKILL");
      const resumed = await tune(["--resume", run]);
      expect(resumed.signal).toBeNull();
      expect(TUNE_FINISHED).toContain(resumed.code);
      for (const f of RUN_FILES) expect(bytes(run, f), `killed after write ${n}: ${f}`).toBe(bytes(straight, f));
      return true;
    };
    let kills = 0;
    // Two runs at a time (the machine has two cores), until a run finishes before its fault.
    for (let n = 1; ; n += 2) {
      const killed = await Promise.all([killAfter(n), killAfter(n + 1)]);
      kills += killed.filter(Boolean).length;
      if (!killed.every(Boolean)) break;
    }
    console.log(`fault injection: ${kills} kills (one after each atomic write), ${kills} resumed runs identical`);
    // config, running manifest, two generations of checkpoint + trials.csv, .arrow and .jsonl, recommendation, audit, complete manifest.
    expect(kills).toBe(13);
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

describe("proverlab tune: a run a user can follow, stop and continue", () => {
  it("prints the run folder at start and each phase after the search", () => {
    const out = join(tmp(), "run");
    const r = cli(["tune", EXPERIMENT, "--budget", "6", "--out", out, ...SMALL]);
    expect(TUNE_FINISHED).toContain(r.code);
    expect(r.stderr.split("\n")[0]).toBe(`run folder: ${out}`);
    expect(r.stderr).toMatch(
      /^finalists: up to 9 trials scored again on 4 validation episodes per training scenario; then inert parameters and the exploit audit of up to 3 of them$/m,
    );
    expect(r.stderr).toMatch(/^held-out: the recommendation, the defaults and the presets on 3 episodes per held-out scenario$/m);
  });

  it("--resume reuses the run's --set values and budget, refuses others by name, and --budget extends the run", () => {
    const out = join(tmp(), "run");
    expect(TUNE_FINISHED).toContain(cli(["tune", EXPERIMENT, "--budget", "6", "--out", out, ...SMALL]).code);
    const rec = read(out, "recommendation.json");
    const again = cli(["tune", EXPERIMENT, "--resume", out]);
    expect(TUNE_FINISHED).toContain(again.code);
    expect(read(out, "trials.csv").trim().split("\n")).toHaveLength(7);
    expect(read(out, "recommendation.json")).toBe(rec);
    const other = cli(["tune", EXPERIMENT, "--resume", out, "--set", "horizonEpochs=12"]);
    expect(other.code).toBe(2);
    expect(other.stderr.trim().split("\n")).toHaveLength(1);
    expect(other.stderr).toMatch(
      /was started with --set horizonEpochs=10 --set tune\.seeds\.train=1 .*, not --set horizonEpochs=12; resume without --set/,
    );
    const file = cli(["tune", join(ROOT, "experiments", "daily-cycle.yaml"), "--resume", out]);
    expect(file.code).toBe(2);
    expect(file.stderr).toMatch(
      /another experiment configuration \(it differs in demand\.[a-zA-Z.]+.*\); resume with the experiment file it was started with/,
    );
    const more = cli(["tune", EXPERIMENT, "--resume", out, "--budget", "12"]);
    expect(TUNE_FINISHED).toContain(more.code);
    expect(read(out, "trials.csv").trim().split("\n")).toHaveLength(13);
    expect(JSON.parse(read(out, "config.json")).experiment.tune.budget).toBe(12);
  });

  it("Ctrl-C marks the run interrupted and says how to resume; --resume alone then ends with the bytes of an uninterrupted run", async () => {
    const straight = uninterrupted();
    const stopped = join(tmp(), "stopped");
    const child = spawn(process.execPath, [BIN, "tune", EXPERIMENT, ...KILL_ARGS, "--out", stopped], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    await signalAtFirstCheckpoint(child, stopped, "SIGINT");
    const code = await new Promise((done) => child.on("close", done));
    expect(code).toBe(130);
    expect(stderr).toContain(`interrupted: continue with proverlab tune ${EXPERIMENT} --resume ${stopped}`);
    expect(JSON.parse(read(stopped, "manifest.json")).status).toBe("interrupted");
    expect(existsSync(join(stopped, "recommendation.json"))).toBe(false);
    const resumed = cli(["tune", EXPERIMENT, "--resume", stopped]);
    expect(TUNE_FINISHED).toContain(resumed.code);
    expect(JSON.parse(read(stopped, "manifest.json")).status).toBe("complete");
    for (const f of RUN_FILES) expect(read(stopped, f)).toBe(read(straight, f));
  });
});

describe("proverlab tune: honest outputs", () => {
  const QUICKSTART = join(ROOT, "experiments", "quickstart.yaml");
  /** The penalty tune ranks infeasible candidates by (-1e9 - violation), in any notation. */
  const PENALTY = /-1000000000|-1e\+?9|-999999999/;

  it("on the quickstart with a small budget, never shows a penalty number: terminal, trials files, checkpoint, recommendation, export", () => {
    const out = join(tmp(), "run");
    const small = [
      ...["--set", "tune.seeds.train=1", "--set", "tune.seeds.validation=1", "--set", "tune.seeds.heldOut=2"],
      ...["--set", "audit.seeds=2", "--set", "audit.candidates=1", "--set", "tune.finalists=2"],
    ];
    const r = cli(["tune", QUICKSTART, "--budget", "12", "--workers", "2", "--out", out, ...small]);
    expect(TUNE_FINISHED).toContain(r.code);
    expect(r.stdout + r.stderr).not.toMatch(PENALTY);
    expect(r.stdout).toMatch(/held-out scenarios/);
    for (const name of ["mint-bursts", "correlated-outage", "l1-gas-spike"]) expect(r.stdout).toContain(name);
    // Each training scenario alone on the validation seeds: where a gain over the defaults comes from.
    expect(r.stdout).toMatch(/^training scenarios on the validation seeds/m);
    for (const name of ["aztec-1tps", "daily-cycle", "campaign-surge", "low-demand-winter"]) {
      expect(r.stdout).toMatch(new RegExp(`^ *${name} +(-?[\\d.]+|infeasible)`, "m"));
    }
    const csv = read(out, "trials.csv");
    expect(csv).not.toMatch(PENALTY);
    // Infeasible rows: a blank score and the violated constraint.
    for (const row of csv.trim().split("\n").slice(1)) {
      const [, , score, feasible, violations] = row.split(",");
      if (feasible === "0") {
        expect(score).toBe("");
        expect(violations).toMatch(/^[a-zA-Z]+ [\d.e-]+ [<>] [\d.e-]+/);
      } else expect(Number.isFinite(Number(score))).toBe(true);
    }
    for (const file of ["recommendation.json", "checkpoint.json", "trials.jsonl"]) expect(read(out, file)).not.toMatch(PENALTY);
    // trials.arrow holds the same blank (null) scores.
    expect(arrowAsCsv(readFileSync(join(out, "trials.arrow")))).toBe(csv);
    const rec = JSON.parse(read(out, "recommendation.json"));
    expect(rec.heldOut.scenarios.map((s: { scenario: string }) => s.scenario)).toEqual([
      "mint-bursts",
      "correlated-outage",
      "l1-gas-spike",
    ]);
    for (const format of ["md", "json"]) expect(cli(["export", out, "--format", format]).stdout).not.toMatch(PENALTY);
  });

  it("an infeasible recommendation is a WARNING naming the constraint and exit code 3; the run folder is still written", () => {
    const out = join(tmp(), "run");
    const impossible = ["--set", "objective.constraints=[{kpi: liveness, min: 1.5}]", "--set", "audit.enabled=false"];
    const r = cli(["tune", EXPERIMENT, "--budget", "6", "--out", out, ...SMALL, ...impossible]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^WARNING: infeasible: the recommendation misses a constraint on training \(liveness [\d.]+ < 1\.5\)/m);
    expect(r.stdout).toMatch(/training +infeasible: liveness [\d.]+ < 1\.5/);
    expect(r.stdout).not.toMatch(PENALTY);
    expect(r.stdout).toMatch(/^results: /m);
    const rec = JSON.parse(read(out, "recommendation.json"));
    expect(rec.warnings.map((w: { kind: string }) => w.kind)).toEqual(["infeasible"]);
    expect(rec.train.recommended).toMatchObject({
      score: null,
      feasible: false,
      violations: [{ kpi: "liveness", bound: 1.5, side: "min" }],
    });
    expect(JSON.parse(read(out, "manifest.json")).status).toBe("complete");
  });

  it("an exploitable recommendation (no audited candidate survives) is a WARNING and exit code 4", () => {
    const out = join(tmp(), "run");
    const fixture = join(ROOT, "test", "fixtures", "audit-exploitable.yaml");
    const r = cli([
      "tune",
      fixture,
      "--budget",
      "2",
      "--out",
      out,
      ...["--set", "tune.params=[batching.maxWaitSlots]", "--set", "tune.seeds.train=1", "--set", "tune.seeds.heldOut=2"],
      ...["--set", "audit.candidates=1", "--set", "objective.constraints=[]"],
    ]);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/^WARNING: exploitable: no audited candidate survived the exploit audit \(trial \d+: withhold/m);
    const rec = JSON.parse(read(out, "recommendation.json"));
    expect(rec.candidates[0].outcome).toBe("recommended, exploitable");
    expect(rec.candidates[0].exploits[0].gainUsd.low).toBeGreaterThan(0);
    expect(JSON.parse(read(out, "audit.json")).calibration.params).toEqual(rec.params);
  });
});
