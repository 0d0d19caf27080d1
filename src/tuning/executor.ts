import { Piscina } from "piscina";
import { ConfigError } from "../config/errors.js";
import { executorTarget, type RedisTarget } from "../distributed/redisUrl.js";
import { BundleVariants } from "./bundleVariants.js";
import { runEvaluationTask, type EvaluationTask, type TaskResult } from "./evaluationTask.js";
import { inlineArms, type AuditArmTask, type EpisodeOutcome } from "../audit/audit.js";

/** Where evaluations and audit arms run. Results come back in task order, whatever runs them. */
export interface Executor {
  evaluateAll(tasks: readonly EvaluationTask[]): Promise<TaskResult[]>;
  /** The exploit audit's arms (src/audit/audit.ts). */
  auditArms(tasks: readonly AuditArmTask[]): Promise<EpisodeOutcome[][]>;
  close(): Promise<void>;
}

/** Evaluations in this thread, one after the other. */
export class InlineExecutor implements Executor {
  constructor(private readonly bundles: BundleVariants) {}

  async evaluateAll(tasks: readonly EvaluationTask[]): Promise<TaskResult[]> {
    const results: TaskResult[] = [];
    for (const t of tasks) results.push(await runEvaluationTask(this.bundles.get(t.variant), t));
    return results;
  }

  auditArms(tasks: readonly AuditArmTask[]): Promise<EpisodeOutcome[][]> {
    return inlineArms(this.bundles.base)(tasks);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** What a pool's task names: the experiment (file and overrides) its thread loads, once, and keeps. */
export interface PoolExperiment {
  readonly path: string;
  readonly sets: readonly string[];
}

/**
 * Local worker threads (piscina), started once. Executors of any experiment may share them (a
 * study's steps do), so threads start, and load their modules, once per command rather than per step.
 */
export class ThreadPool {
  readonly pool: Piscina;

  constructor(readonly workers: number) {
    this.pool = new Piscina({ filename: new URL("./worker.js", import.meta.url).href, minThreads: workers, maxThreads: workers });
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}

/** Evaluations on a thread pool; each thread loads an experiment once. Closing it closes the pool only if it started it. */
export class PoolExecutor implements Executor {
  constructor(
    private readonly threads: ThreadPool,
    private readonly experiment: PoolExperiment,
    private readonly ownsThreads: boolean,
  ) {}

  evaluateAll(tasks: readonly EvaluationTask[]): Promise<TaskResult[]> {
    return Promise.all(tasks.map((task) => this.threads.pool.run({ experiment: this.experiment, task }) as Promise<TaskResult>));
  }

  auditArms(tasks: readonly AuditArmTask[]): Promise<EpisodeOutcome[][]> {
    return Promise.all(
      tasks.map((task) => this.threads.pool.run({ experiment: this.experiment, task }, { name: "auditArm" }) as Promise<EpisodeOutcome[]>),
    );
  }

  close(): Promise<void> {
    return this.ownsThreads ? this.threads.close() : Promise.resolve();
  }
}

/** Where a command evaluates: `workers` local threads (1: this thread), or, with `redis`, that server's workers. */
export interface ExecutorChoice {
  readonly workers: number;
  readonly redis: RedisTarget | null;
}

/** --workers (default 1) and --executor, each refused in one line when wrong. */
export function executorChoice(workers: number | undefined, executor: string | undefined): ExecutorChoice {
  const w = workers ?? 1;
  if (!Number.isInteger(w) || w < 1) throw new ConfigError("--workers", `${w} is not a positive integer; give e.g. --workers 2`);
  return { workers: w, redis: executorTarget(executor) };
}

/** What a run's manifest records of where it evaluated: its workers, and the Redis URL (password masked) when on Redis. */
export function executorFields({ workers, redis }: ExecutorChoice): { workers: number; executor?: string } {
  return { workers, ...(redis ? { executor: redis.shown } : {}) };
}

/**
 * The executor a command asked for: a Redis server's workers (`--executor redis://...`), else
 * `workers` local threads (inline for 1), on `bundles`' experiment. `threads`: a pool already running
 * (a study's) to run on instead of starting one. The Redis executor is imported only when asked for.
 */
export async function createExecutor(
  bundles: BundleVariants,
  { workers, redis }: ExecutorChoice,
  threads: ThreadPool | null = null,
): Promise<Executor> {
  if (redis !== null) {
    const { RedisExecutor, redisTimeoutMs } = await import("../distributed/redisExecutor.js");
    const executor = new RedisExecutor(redis, bundles, { unreachableMs: redisTimeoutMs() });
    try {
      await executor.connect();
    } catch (err) {
      await executor.close();
      throw err;
    }
    return executor;
  }
  const experiment = { path: bundles.path, sets: [...bundles.sets] };
  if (threads !== null) return new PoolExecutor(threads, experiment, false);
  return workers > 1 ? new PoolExecutor(new ThreadPool(workers), experiment, true) : new InlineExecutor(bundles);
}
