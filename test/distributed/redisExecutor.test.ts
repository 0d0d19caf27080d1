import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, ROOT, TUNE_FINISHED, cli, tmp } from "../support/cli.js";
import { MOVING_CONTROLLER_RUN } from "../support/controllerRun.js";
import { startRedis, type RedisServer } from "../../bench/redisServer.js";
import { RedisExecutor } from "../../src/distributed/redisExecutor.js";
import { parseRedisUrl } from "../../src/distributed/redisUrl.js";
import { BundleVariants } from "../../src/tuning/bundleVariants.js";

const EXPERIMENT = join(ROOT, "experiments", "quickstart.yaml");
/** A small tune of the quickstart: each training evaluation about 0.3 s, long enough to be killed mid-job. */
const ARGS = [
  "--budget",
  "8",
  "--set",
  "tune.seeds.train=1",
  "--set",
  "tune.seeds.validation=2",
  "--set",
  "tune.seeds.heldOut=2",
  "--set",
  "audit.seeds=2",
  "--set",
  "audit.candidates=1",
];
/** What a run folder holds besides its manifest (which names the command and the executor). */
const OUTPUTS = ["checkpoint.json", "config.json", "recommendation.json", "audit.json", "trials.jsonl", "trials.csv", "trials.arrow"];

/** A `proverlab worker` process, its stdout lines kept as they come. */
class WorkerProcess {
  readonly lines: string[] = [];
  readonly child: ChildProcess;
  private readonly waiters: { test: (line: string) => boolean; done: (line: string) => void }[] = [];

  constructor(url: string, lockSeconds = 2) {
    this.child = spawn(process.execPath, [BIN, "worker", "--redis", url, "--concurrency", "1", "--lock-seconds", String(lockSeconds)], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let rest = "";
    this.child.stdout!.on("data", (d: Buffer) => {
      const parts = (rest + d.toString()).split("\n");
      rest = parts.pop()!;
      for (const line of parts) {
        this.lines.push(line);
        for (const w of [...this.waiters]) {
          if (w.test(line)) {
            this.waiters.splice(this.waiters.indexOf(w), 1);
            w.done(line);
          }
        }
      }
    });
    this.child.stderr!.on("data", (d: Buffer) => this.lines.push(`stderr: ${d.toString()}`));
  }

  /** The first line (from now, or already seen when `seen`) that passes `test`. */
  next(test: (line: string) => boolean): Promise<string> {
    return new Promise((done) => this.waiters.push({ test, done }));
  }

  stop(): Promise<void> {
    return new Promise((done) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) return done();
      this.child.once("exit", () => done());
      this.child.kill("SIGTERM");
    });
  }
}

/** A tune in a child process; resolves with its exit code and output. */
function tuneAsync(args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [BIN, "tune", EXPERIMENT, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once("exit", (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}

const jobIdOf = (line: string) => /job (\S+) /.exec(line)?.[1] ?? "";

function expectSameOutputs(dir: string, reference: string): void {
  for (const file of OUTPUTS) expect(readFileSync(join(dir, file)), file).toEqual(readFileSync(join(reference, file)));
}

describe("tune on Redis with proverlab worker", () => {
  let server: RedisServer;
  let local: string;

  beforeAll(async () => {
    server = await startRedis();
    local = join(tmp(), "local");
    expect(TUNE_FINISHED).toContain(cli(["tune", EXPERIMENT, ...ARGS, "--out", local]).code);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("with two worker processes, one joining mid-run and the other SIGKILLed mid-job, writes the bytes of a local run; the lost job is done once, by the other", async () => {
    const a = new WorkerProcess(server.url);
    await a.next((l) => l.includes("connected"));
    const dir = join(tmp(), "redis");
    const run = tuneAsync([...ARGS, "--executor", server.url, "--out", dir]);
    // B joins once the run is under way; A's second job is killed as soon as A says it started it.
    let startedByA = 0;
    await a.next((l) => l.includes(" started") && ++startedByA === 1);
    const b = new WorkerProcess(server.url);
    await b.next((l) => l.includes("connected"));
    const killed = jobIdOf(await a.next((l) => l.includes(" started") && ++startedByA === 2));
    a.child.kill("SIGKILL");
    const { code, stderr } = await run.done;
    await b.stop();
    expect(TUNE_FINISHED, stderr).toContain(code);
    expectSameOutputs(dir, local);
    expect(a.lines.some((l) => l.includes(`job ${killed} done`))).toBe(false);
    expect(b.lines.filter((l) => l.includes(`job ${killed} done`))).toHaveLength(1);
    // No job done twice: every id B and A finished appears once.
    const finished = [...a.lines, ...b.lines].filter((l) => l.includes(" done in ")).map(jobIdOf);
    expect(new Set(finished).size).toBe(finished.length);
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { executor: string; status: string };
    expect(manifest.executor).toBe(server.url);
    expect(manifest.status).toBe("complete");
  }, 180_000);

  it("Redis going away stops tune in one line (exit 5, the folder marked interrupted); --resume on a new server ends with the local bytes", async () => {
    const w = new WorkerProcess(server.url);
    await w.next((l) => l.includes("connected"));
    const dir = join(tmp(), "gone");
    const run = tuneAsync([...ARGS, "--executor", server.url, "--out", dir]);
    await new Promise<void>((done) => {
      const poll = setInterval(() => {
        if (existsSync(join(dir, "checkpoint.json"))) {
          clearInterval(poll);
          done();
        }
      }, 20);
    });
    await server.stop();
    const { code, stderr } = await run.done;
    expect(code).toBe(5);
    const lines = stderr
      .trim()
      .split("\n")
      .filter((l) => l.startsWith("proverlab:"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^proverlab: Redis at redis:\/\/127\.0\.0\.1:\d+ went away .*--resume /);
    expect(JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")).status).toBe("interrupted");
    // A new, empty server on the same port: the worker reconnects by itself; the coordinator resumes.
    await server.restart();
    const resumed = tuneAsync(["--resume", dir, "--executor", server.url]);
    const r = await resumed.done;
    await w.stop();
    expect(TUNE_FINISHED, r.stderr).toContain(r.code);
    expectSameOutputs(dir, local);
  }, 180_000);

  it("proverlab audit on Redis re-creates the tune run's audit.json byte for byte, as --workers 2 does", async () => {
    const w = new WorkerProcess(server.url);
    await w.next((l) => l.includes("connected"));
    const dir = tmp();
    const remote = cli(["audit", local, "--executor", server.url, "--out", join(dir, "redis.json")]);
    await w.stop();
    expect(remote.code, remote.stderr).toBe(0);
    expect(readFileSync(join(dir, "redis.json"))).toEqual(readFileSync(join(local, "audit.json")));
    expect(w.lines.filter((l) => l.includes(" done in ")).length).toBeGreaterThan(0);
    const threads = cli(["audit", local, "--workers", "2", "--out", join(dir, "threads.json")]);
    expect(threads.code, threads.stderr).toBe(0);
    expect(readFileSync(join(dir, "threads.json"))).toEqual(readFileSync(join(local, "audit.json")));
  }, 120_000);

  it("compare and train-controller on Redis write the bytes of a run in one thread: policies' variants and frozen controllers travel in the jobs", async () => {
    const w = new WorkerProcess(server.url);
    await w.next((l) => l.includes("connected"));
    const daily = join(ROOT, "experiments", "controller-daily.yaml");
    const train = MOVING_CONTROLLER_RUN;
    const dir = tmp();
    const localRun = cli([...train, "--out", join(dir, "tc-local")]);
    const remoteRun = cli([...train, "--out", join(dir, "tc-redis"), "--executor", server.url]);
    expect(localRun.code, localRun.stderr).toBe(0);
    expect(remoteRun.code, remoteRun.stderr).toBe(0);
    for (const f of ["training.csv", "checkpoints.csv", "evaluation.json", "controller/model.json", "controller/weights.bin"]) {
      expect(readFileSync(join(dir, "tc-redis", f)), f).toEqual(readFileSync(join(dir, "tc-local", f)));
    }
    // A trained controller among built-in policies of other mechanisms.
    const policies = ["proposal-defaults", "base-2023", join(dir, "tc-local")];
    const compare = ["compare", ...policies, "--experiment", daily, "--seeds", "2", "--set", "horizonEpochs=48"];
    const localCmp = cli([...compare, "--out", join(dir, "cmp-local")]);
    const remoteCmp = cli([...compare, "--out", join(dir, "cmp-redis"), "--executor", server.url]);
    await w.stop();
    expect(localCmp.code, localCmp.stderr).toBe(0);
    expect(remoteCmp.code, remoteCmp.stderr).toBe(0);
    for (const f of ["compare.json", "episodes.csv", "report.md", "figures/timeseries-1.csv", "figures/lorenz-1.svg"]) {
      expect(readFileSync(join(dir, "cmp-redis", f)), f).toEqual(readFileSync(join(dir, "cmp-local", f)));
    }
    // Validation of 3 checkpoints and the start, 2 held-out evaluations, 3 policies.
    expect(w.lines.filter((l) => l.includes(" done in ")).length).toBe(4 + 2 + 3);
  }, 180_000);

  it("closing with jobs still out withdraws them: no worker is left running a stopped run's jobs", async () => {
    const bundles = new BundleVariants(EXPERIMENT, ["horizonEpochs=6"]);
    const executor = new RedisExecutor(parseRedisUrl(server.url, "url"), bundles);
    const queue = new Queue("proverlab-evaluations", { connection: { host: "127.0.0.1", port: server.port } });
    try {
      await executor.connect();
      const pending = executor.evaluateAll([1, 2, 3].map((seeds) => ({ params: bundles.base.params, split: "train" as const, seeds })));
      pending.catch(() => undefined);
      // No worker: the three jobs wait on the queue until the run closes.
      for (let tries = 0; (await queue.getWaitingCount()) < 3 && tries < 100; tries++) await new Promise((r) => setTimeout(r, 20));
      expect(await queue.getWaitingCount()).toBe(3);
      await executor.close();
      expect(await queue.getWaitingCount()).toBe(0);
    } finally {
      await queue.close();
    }
  }, 30_000);

  it("a worker refuses a payload that fails validation once, without retrying it", async () => {
    const w = new WorkerProcess(server.url);
    await w.next((l) => l.includes("connected"));
    const queue = new Queue("proverlab-evaluations", { connection: { host: "127.0.0.1", port: server.port } });
    try {
      const job = await queue.add(
        "evaluate",
        { bundle: { hash: "0".repeat(64), data: "{}" }, task: { params: {}, split: "train", seeds: 1 } },
        { attempts: 3 },
      );
      const failed = await w.next((l) => l.includes(`job ${job.id} failed`));
      expect(failed).toMatch(/job payload refused: the bundle's text does not match its hash/);
      const after = await queue.getJob(job.id!);
      expect(after!.attemptsMade).toBe(1);
      expect(await after!.getState()).toBe("failed");
      const shaped = await queue.add("evaluate", {
        bundle: { hash: "0".repeat(64), data: "{}" },
        task: { params: {}, split: "everything", seeds: 1 },
      });
      expect(await w.next((l) => l.includes(`job ${shaped.id} failed`))).toMatch(/job payload refused: task\.split: /);
    } finally {
      await queue.close();
      await w.stop();
    }
  }, 60_000);
});

describe("a Redis server with a password", () => {
  const PASSWORD = "pw-Never-Logged-7f3a";
  let server: RedisServer;

  beforeAll(async () => {
    server = await startRedis({ password: PASSWORD });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("the password appears in no log, manifest or run folder file; a wrong one is refused in one line", async () => {
    const w = new WorkerProcess(server.url);
    await w.next((l) => l.includes("connected"));
    const dir = join(tmp(), "secret");
    const run = await tuneAsync(["--budget", "4", ...ARGS.slice(2), "--executor", server.url, "--out", dir]).done;
    await w.stop();
    expect(TUNE_FINISHED, run.stderr).toContain(run.code);
    const texts = [
      run.stdout,
      run.stderr,
      w.lines.join("\n"),
      ...readdirSync(dir).map((f) => readFileSync(join(dir, f)).toString("latin1")),
    ];
    for (const text of texts) expect(text).not.toContain(PASSWORD);
    expect(readFileSync(join(dir, "manifest.json"), "utf8")).toContain(`redis://:***@127.0.0.1:${server.port}`);
    const wrong = cli(
      ["tune", EXPERIMENT, ...ARGS, "--executor", `redis://:wrong-${PASSWORD}@127.0.0.1:${server.port}`, "--out", join(dirname(dir), "w")],
      undefined,
      {
        PROVERLAB_REDIS_TIMEOUT_S: "3",
      },
    );
    expect(wrong.code).toBe(5);
    const lines = wrong.stderr
      .trim()
      .split("\n")
      .filter((l) => l.startsWith("proverlab:"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ \(WRONGPASS/);
    expect(wrong.stderr).not.toContain(PASSWORD);
    // Refused before the run folder is made.
    expect(existsSync(join(dirname(dir), "w"))).toBe(false);
  }, 180_000);
});
