/**
 * `npm run bench`: environment throughput at 32, 1,000 and 10,000 provers over 1 and 30 days, the same
 * per-slot algorithm in C (bench/reference/slot.c) at the same sizes, peak memory, tune evaluations per
 * second with 1 and 2 workers, start-up of the CLI, the policy network, and the machine it ran on.
 * Prints tables and writes bench/results.json. Every environment case runs in a child process of its
 * own (its peak RSS is its own). Flags: --no-long skips 10,000 provers over 90 days without time series
 * (under a minute on 2 cores), --no-policy the policy-network cases.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gridCase, scaledCounts, scaledTps, type EnvCase } from "./cases.js";
import { benchPolicyNetwork } from "./policyNetwork.js";
import { startRedis, type RedisServer } from "./redisServer.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CHILD = fileURLToPath(new URL("./child.js", import.meta.url));
const RSS_HOOK = fileURLToPath(new URL("./rssHook.js", import.meta.url));
const argv = process.argv.slice(2);
const LONG = !argv.includes("--no-long");
const POLICY = !argv.includes("--no-policy");
const PROVERS = [32, 1000, 10_000];
const DAYS = [1, 30];
const BASE_COUNTS = [12, 12, 4, 2, 2]; // aztec-1tps: the default archetypes (home, professional, cloud, pool, operator)

type Json = Record<string, unknown>;
interface EnvResult {
  provers: number;
  slots: number;
  tps: number;
  runs: number[];
  bestMs: number;
  proverSlotsPerSecond: number;
  nsPerProverSlot: number;
  usPerSlot: number;
  busyShare: number | null;
  eligibleCoreShare: number;
  blocks: number;
  blocksProven: number;
  reorgs: number;
  peakRssMb: number;
  rssBeforeMb: number;
}
interface CResult {
  provers: number;
  slots: number;
  reps: number;
  bestMs: number;
  nsPerProverSlot: number;
  blocks: number;
  blocksProven: number;
  reorgs: number;
  splitBlocks: number;
  busyShare: number;
}

const fmt = (x: number, digits = 0): string => x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pct = (x: number | null): string => (x === null ? "-" : `${(100 * x).toFixed(2)} %`);
const sh = (cmd: string, args: string[]): string | null => {
  try {
    return execFileSync(cmd, args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
};

function child(mode: "env" | "tune", spec: object): Json {
  const r = spawnSync(process.execPath, [CHILD, mode, JSON.stringify(spec)], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`bench child ${mode} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as Json;
}

function machine(): Json {
  const cpus = os.cpus();
  const commit = sh("git", ["rev-parse", "HEAD"]);
  const dirty = sh("git", ["status", "--porcelain", "--untracked-files=no"]);
  return {
    date: new Date().toISOString(),
    cpu: cpus[0]?.model ?? "unknown",
    cores: os.availableParallelism(),
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
    gitCommit: commit,
    gitDirty: dirty === null ? null : dirty.length > 0,
  };
}

// ---------------------------------------------------------------- environment grid

function runGrid(): { label: string; days: number; result: EnvResult }[] {
  console.log(
    "\nenvironment (aztec-1tps, always-on provers, demand min(10, provers/32) TPS, time series kept; each case in its own process)",
  );
  console.log(
    "case | slots | TPS | runs | best (ms) | prover-slots/s | ns/prover-slot | us/slot | compute busy | eligible cores | peak RSS (MB)",
  );
  const out: { label: string; days: number; result: EnvResult }[] = [];
  for (const provers of PROVERS) {
    for (const days of DAYS) {
      const c = gridCase(provers, days);
      const r = child("env", c) as unknown as EnvResult;
      out.push({ label: c.label, days, result: r });
      console.log(
        `${c.label} | ${fmt(r.slots)} | ${r.tps} | ${r.runs.length} | ${fmt(r.bestMs)} | ${fmt(r.proverSlotsPerSecond)} | ${fmt(r.nsPerProverSlot, 1)} | ${fmt(r.usPerSlot, 1)} | ${pct(r.busyShare)} | ${pct(r.eligibleCoreShare)} | ${fmt(r.peakRssMb, 1)}`,
      );
    }
  }
  return out;
}

function runLong(): Json | null {
  if (!LONG) {
    console.log("\n10,000 provers over 90 days without time series: skipped (--no-long)");
    return null;
  }
  const c: EnvCase = {
    ...gridCase(10_000, 90),
    label: "aztec-1tps, 10,000 provers, 90 days, no time series",
    recordRows: false,
    maxRuns: 1,
  };
  const r = child("env", c) as unknown as EnvResult;
  console.log(
    `\n${c.label}: ${fmt(r.bestMs / 1000, 1)} s, ${fmt(r.nsPerProverSlot, 1)} ns/prover-slot, peak RSS ${fmt(r.peakRssMb, 1)} MB (target < 200 MB)`,
  );
  return { label: c.label, ...r, targetMb: 200, pass: r.peakRssMb < 200 };
}

function runOtherCases(): Json[] {
  const cases: EnvCase[] = [
    {
      label: "campaign-surge, 32 provers, 6 days",
      file: "experiments/campaign-surge.yaml",
      sets: [],
      provers: null,
      recordRows: true,
      maxRuns: 3,
      budgetMs: 4000,
      warmupEpochs: 0,
    },
    {
      label: "queueing-validation, 10 provers, ~1.1M jobs",
      file: "experiments/queueing-validation.yaml",
      sets: ["horizonEpochs=120"],
      provers: null,
      recordRows: true,
      maxRuns: 3,
      budgetMs: 4000,
      warmupEpochs: 0,
    },
  ];
  console.log("\nother scenarios (own demand)");
  console.log("case | slots | provers | runs | best (ms) | slots/s | prover-slots/s | peak RSS (MB)");
  return cases.map((c) => {
    const r = child("env", c) as unknown as EnvResult;
    console.log(
      `${c.label} | ${fmt(r.slots)} | ${r.provers} | ${r.runs.length} | ${fmt(r.bestMs)} | ${fmt(r.slots / (r.bestMs / 1000))} | ${fmt(r.proverSlotsPerSecond)} | ${fmt(r.peakRssMb, 1)}`,
    );
    return { label: c.label, ...r };
  });
}

// ---------------------------------------------------------------- the C reference

/**
 * TS / C per grid case, from rounds that alternate the two (a C run, then a TypeScript child) so that a
 * busy neighbour slows both alike; each side's best over the rounds. The grid's own TypeScript figure
 * is not used here: it was measured minutes earlier.
 */
function runReference(grid: { label: string; days: number; result: EnvResult }[]): Json {
  const cc = sh("sh", ["-c", "command -v cc || command -v gcc"]);
  if (!cc) {
    console.log("\nC reference: skipped (no cc or gcc on PATH; on Debian: apt-get install gcc)");
    return { skipped: "no cc or gcc on PATH" };
  }
  const dir = mkdtempSync(join(os.tmpdir(), "proverlab-bench-"));
  const exe = join(dir, "slot");
  try {
    execFileSync(cc, ["-O2", "-o", exe, join(ROOT, "bench/reference/slot.c"), "-lm"], { stdio: ["ignore", "ignore", "inherit"] });
    const compiler = sh(cc, ["--version"])?.split("\n")[0] ?? cc;
    console.log(`\nC reference (bench/reference/slot.c, ${compiler}, -O2): the same per-slot algorithm, same sizes and demand`);
    console.log(
      "TS and C alternate in rounds (each round: the C's best of its reps, then a TypeScript child's best of its runs); best of each side",
    );
    console.log(
      "case | rounds | C best (ms) | TS best (ms) | C ns/prover-slot | TS ns/prover-slot | TS / C | C busy | C blocks proven | TS blocks proven",
    );
    const rows = grid.map(({ label, days, result }) => {
      const provers = result.provers;
      const rounds = days === 1 ? 3 : provers <= 1000 ? 2 : 1;
      // Runs per round on each side: a process's first long TypeScript run is slower than its next (the
      // heap grows, the JIT re-optimizes), so every round but the 13-second ones times two or more.
      const reps = days === 1 ? 3 : provers <= 1000 ? 2 : 1;
      const args = [String(days), String(scaledTps(provers)), String(reps), "1", ...scaledCounts(BASE_COUNTS, provers).map(String)];
      let c: CResult | null = null;
      let ts: EnvResult | null = null;
      for (let r = 0; r < rounds; r++) {
        const cr = JSON.parse(execFileSync(exe, args, { encoding: "utf8" }).trim()) as CResult;
        if (c === null || cr.bestMs < c.bestMs) c = cr;
        const tr = child("env", { ...gridCase(provers, days), maxRuns: reps, budgetMs: 1e9 }) as unknown as EnvResult;
        if (ts === null || tr.bestMs < ts.bestMs) ts = tr;
      }
      const ratio = ts!.bestMs / c!.bestMs;
      console.log(
        `${label} | ${rounds} | ${fmt(c!.bestMs, 1)} | ${fmt(ts!.bestMs, 1)} | ${fmt(c!.nsPerProverSlot, 1)} | ${fmt(ts!.nsPerProverSlot, 1)} | ${ratio.toFixed(2)} | ${pct(c!.busyShare)} | ${fmt(c!.blocksProven)} / ${fmt(c!.blocks)} | ${fmt(ts!.blocksProven)} / ${fmt(ts!.blocks)}`,
      );
      return { label, days, rounds, c, tsBestMs: ts!.bestMs, tsNsPerProverSlot: ts!.nsPerProverSlot, tsOverC: ratio };
    });
    return { compiler, flags: "-O2", cases: rows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- tune

function runTune(): Json {
  const spec = { experiment: "experiments/quickstart.yaml", seeds: 2, evaluations: 16 };
  console.log(
    `\ntune evaluations (${spec.experiment}: its training scenarios x ${spec.seeds} seeds of 150 epochs, learning provers; executor only, after a warm-up)`,
  );
  console.log("workers | evaluations | time (ms) | evaluations/s | CPU ms per evaluation | peak RSS (MB)");
  const rows = [1, 2].map((workers) => {
    const r = child("tune", { ...spec, workers, warmup: 2 * workers }) as {
      ms: number;
      evaluationsPerSecond: number;
      cpuMsPerEvaluation: number;
      peakRssMb: number;
      evaluations: number;
    };
    console.log(
      `${workers} | ${r.evaluations} | ${fmt(r.ms)} | ${r.evaluationsPerSecond.toFixed(2)} | ${fmt(r.cpuMsPerEvaluation)} | ${fmt(r.peakRssMb, 1)}`,
    );
    return r;
  });
  const ratio = rows[1]!.evaluationsPerSecond / rows[0]!.evaluationsPerSecond;
  // CPU of every thread per evaluation: with two free cores, 2 workers reach at most 2 x (alone / in the pool).
  const cpuBound = (2 * rows[0]!.cpuMsPerEvaluation) / rows[1]!.cpuMsPerEvaluation;
  const load = os.loadavg()[0]!;
  console.log(
    `2 workers / 1 worker: ${ratio.toFixed(2)}x (target >= 1.8x on an idle 2-core machine; load average now ${load.toFixed(2)}); CPU per evaluation bounds it at ${cpuBound.toFixed(2)}x with 2 free cores`,
  );
  return { ...spec, oneWorker: rows[0], twoWorkers: rows[1], ratio, ratioBoundFromCpu: cpuBound, loadAverageAfter: load };
}

// ---------------------------------------------------------------- tune through Redis

/** A `proverlab worker` process, resolved once it says it is connected. */
function startWorkerProcess(url: string): Promise<ChildProcess> {
  return new Promise((ready, fail) => {
    const w = spawn(process.execPath, [join(ROOT, "bin/proverlab.js"), "worker", "--redis", url, "--concurrency", "1"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    w.stdout!.on("data", (d: Buffer) => {
      if (d.toString().includes("connected")) ready(w);
    });
    w.once("exit", (code) => fail(new Error(`proverlab worker exited ${code} before connecting`)));
  });
}

/**
 * The tune benchmark's evaluations through a Redis server of the bench's own (127.0.0.1, a free port)
 * and 1 or 2 `proverlab worker` processes (one thread each), beside the local figures; the overhead
 * per job is the time per evaluation through Redis with one worker minus the inline one's.
 */
async function runRedisTune(local: { evaluationsPerSecond: number }[]): Promise<Json> {
  const spec = { experiment: "experiments/quickstart.yaml", seeds: 2, evaluations: 16 };
  console.log(`
tune evaluations through Redis (the same tasks; each worker process evaluates one at a time)`);
  let server: RedisServer;
  try {
    server = await startRedis();
  } catch (err) {
    console.log(`skipped: ${(err as Error).message}`);
    return { skipped: (err as Error).message };
  }
  try {
    console.log("worker processes | evaluations | time (ms) | evaluations/s | local evaluations/s (same workers)");
    const rows: Json[] = [];
    const perSecond: number[] = [];
    for (const workers of [1, 2]) {
      const processes = await Promise.all(Array.from({ length: workers }, () => startWorkerProcess(server.url)));
      try {
        const r = child("tune", { ...spec, workers: 1, redis: server.url, warmup: 2 * workers }) as {
          ms: number;
          evaluationsPerSecond: number;
          evaluations: number;
        };
        const localRate = local[workers - 1]!.evaluationsPerSecond;
        console.log(`${workers} | ${r.evaluations} | ${fmt(r.ms)} | ${r.evaluationsPerSecond.toFixed(2)} | ${localRate.toFixed(2)}`);
        rows.push({ workers, ...r, localEvaluationsPerSecond: localRate });
        perSecond.push(r.evaluationsPerSecond);
      } finally {
        for (const w of processes) w.kill("SIGTERM");
        await Promise.all(processes.map((w) => new Promise((done) => (w.exitCode !== null ? done(null) : w.once("exit", done)))));
      }
    }
    // The overhead per job, on jobs that do almost nothing (one 2-epoch episode of the experiment alone):
    // each one's time through Redis with one worker, minus inline.
    const tiny = {
      experiment: spec.experiment,
      seeds: 1,
      evaluations: 100,
      warmup: 10,
      workers: 1,
      sets: ["scenarios.train=[]", "horizonEpochs=2"],
    };
    const inline = child("tune", tiny) as { ms: number; evaluations: number };
    const processes = [await startWorkerProcess(server.url)];
    let remote: { ms: number; evaluations: number };
    try {
      remote = child("tune", { ...tiny, redis: server.url }) as { ms: number; evaluations: number };
    } finally {
      processes[0]!.kill("SIGTERM");
    }
    const inlineMs = inline.ms / inline.evaluations;
    const remoteMs = remote.ms / remote.evaluations;
    console.log(
      `overhead per job: ${(remoteMs - inlineMs).toFixed(1)} ms (jobs of one 2-epoch episode, 100 in one batch, one worker: ${remoteMs.toFixed(1)} ms each through Redis, ${inlineMs.toFixed(1)} ms inline)`,
    );
    console.log(`2 worker processes / 1 through Redis: ${(perSecond[1]! / perSecond[0]!).toFixed(2)}x`);
    return {
      ...spec,
      rows,
      tinyJobMsInline: inlineMs,
      tinyJobMsRedis: remoteMs,
      overheadMsPerJob: remoteMs - inlineMs,
      twoOverOne: perSecond[1]! / perSecond[0]!,
    };
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------- start-up

function timeCommand(label: string, args: (k: number) => string[], inspect?: (dir: string) => Json, runs = 5): Json {
  const dir = mkdtempSync(join(os.tmpdir(), "proverlab-bench-"));
  try {
    const run = (k: number, env: NodeJS.ProcessEnv = process.env, pre: string[] = []): number => {
      const t = performance.now();
      const r = spawnSync(process.execPath, [...pre, ...args(k).map((a) => a.replace("$TMP", dir))], { cwd: ROOT, env, stdio: "ignore" });
      const ms = performance.now() - t;
      if (r.status !== 0) throw new Error(`${label} exited ${r.status}`);
      return ms;
    };
    run(-1); // warm the file cache
    const times = Array.from({ length: runs }, (_, k) => run(k)).sort((a, b) => a - b);
    const rssFile = join(dir, "rss");
    run(runs, { ...process.env, PROVERLAB_BENCH_RSS_FILE: rssFile }, ["--import", RSS_HOOK]);
    const peakRssMb = Math.round((Number(readFileSync(rssFile, "utf8")) / 1024) * 10) / 10;
    const median = times[Math.floor(times.length / 2)]!;
    const extra = inspect?.(dir) ?? {};
    const note = Object.keys(extra).length > 0 ? ` | ${JSON.stringify(extra)}` : "";
    console.log(`${label} | ${times.map((x) => x.toFixed(0)).join(", ")} | ${median.toFixed(0)} | ${fmt(peakRssMb, 1)}${note}`);
    return { label, runsMs: times, medianMs: median, peakRssMb, targetMs: 300, pass: median < 300, ...extra };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runStartup(): Json[] {
  console.log("\nstart-up (wall time of a child process, node included; median of 5 after one warm-up run)");
  console.log("command | runs (ms) | median (ms) | peak RSS (MB) | the command's own timings");
  return [
    timeCommand("node -e 0", () => ["-e", "0"]),
    timeCommand("proverlab --help", () => ["bin/proverlab.js", "--help"]),
    timeCommand(
      "proverlab simulate aztec-1tps, 1 epoch",
      (k) => ["bin/proverlab.js", "simulate", "experiments/aztec-1tps.yaml", "--set", "horizonEpochs=1", "--out", `$TMP/run${k + 1}`],
      (dir) => {
        // The command's own account of its time after the imports (its manifest): load, simulate, write.
        const manifest = JSON.parse(readFileSync(join(dir, "run1", "manifest.json"), "utf8")) as { timingsMs?: Json };
        return { manifestTimingsMs: manifest.timingsMs ?? null };
      },
    ),
  ];
}

/** The results as the repository's prettier writes JSON (a development dependency; plain JSON without it). */
async function formatJson(text: string): Promise<string> {
  try {
    const prettier = await import("prettier");
    const file = join(ROOT, "bench/results.json");
    return await prettier.format(text, { ...(await prettier.resolveConfig(file)), filepath: file });
  } catch {
    return text;
  }
}

// ---------------------------------------------------------------- main

const started = performance.now();
const host = machine();
console.log(
  `machine: ${host.cpu as string}, ${host.cores as number} cores, ${host.memoryGb as number} GB, Node ${host.node as string}, load average ${(host.loadAverageAtStart as number[]).join(" ")} at start, commit ${(host.gitCommit as string | null)?.slice(0, 7) ?? "?"}${host.gitDirty ? " (with uncommitted changes)" : ""}`,
);
const grid = runGrid();
const at = (provers: number, days: number): EnvResult => grid.find((g) => g.result.provers === provers && g.days === days)!.result;
const ratios = {
  perProverSlot10kVs1k1Day: at(10_000, 1).nsPerProverSlot / at(1000, 1).nsPerProverSlot,
  perProverSlot10kVs1k30Days: at(10_000, 30).nsPerProverSlot / at(1000, 30).nsPerProverSlot,
  perSlot30DaysVs1Day1k: at(1000, 30).usPerSlot / at(1000, 1).usPerSlot,
  perSlot30DaysVs1Day32: at(32, 30).usPerSlot / at(32, 1).usPerSlot,
  perSlot30DaysVs1Day10k: at(10_000, 30).usPerSlot / at(10_000, 1).usPerSlot,
};
console.log(
  `per prover-slot, 10,000 vs 1,000 provers: ${ratios.perProverSlot10kVs1k1Day.toFixed(2)} (1 day), ${ratios.perProverSlot10kVs1k30Days.toFixed(2)} (30 days) (target <= 1.5)`,
);
console.log(
  `per slot, 30 days vs 1 day: ${ratios.perSlot30DaysVs1Day1k.toFixed(2)} at 1,000 provers (target <= 1.2); ${ratios.perSlot30DaysVs1Day32.toFixed(2)} at 32, ${ratios.perSlot30DaysVs1Day10k.toFixed(2)} at 10,000`,
);
const long = runLong();
const reference = runReference(grid);
const others = runOtherCases();
const tune = runTune();
const redis = await runRedisTune([tune.oneWorker as { evaluationsPerSecond: number }, tune.twoWorkers as { evaluationsPerSecond: number }]);
const startup = runStartup();
const policyNetwork = POLICY ? await benchPolicyNetwork() : null;
const results = {
  machine: { ...host, loadAverageAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100) },
  benchSeconds: Math.round((performance.now() - started) / 100) / 10,
  environment: grid.map((g) => ({ label: g.label, days: g.days, ...g.result })),
  ratios,
  long,
  reference,
  otherScenarios: others,
  tune,
  redis,
  startup,
  policyNetwork,
};
writeFileSync(join(ROOT, "bench/results.json"), await formatJson(JSON.stringify(results, null, 2) + "\n"));
console.log(`\nwrote bench/results.json (${results.benchSeconds} s; load average at end ${results.machine.loadAverageAtEnd.join(" ")})`);
