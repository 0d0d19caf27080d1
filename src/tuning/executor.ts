import { Piscina } from "piscina";
import { ConfigError } from "../config/errors.js";
import type { RedisTarget } from "../distributed/redisUrl.js";
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

/** A pool of worker threads (piscina); each worker loads the experiment once. */
export class PoolExecutor implements Executor {
  private readonly pool: Piscina;

  constructor(experimentPath: string, sets: readonly string[], workers: number) {
    this.pool = new Piscina({
      filename: new URL("./worker.js", import.meta.url).href,
      minThreads: workers,
      maxThreads: workers,
      workerData: { experimentPath, sets: [...sets] },
    });
  }

  evaluateAll(tasks: readonly EvaluationTask[]): Promise<TaskResult[]> {
    return Promise.all(tasks.map((t) => this.pool.run(t) as Promise<TaskResult>));
  }

  auditArms(tasks: readonly AuditArmTask[]): Promise<EpisodeOutcome[][]> {
    return Promise.all(tasks.map((t) => this.pool.run(t, { name: "auditArm" }) as Promise<EpisodeOutcome[]>));
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}

/** --workers: a positive integer, or a one-line refusal. */
export function checkWorkers(workers: number): void {
  if (!Number.isInteger(workers) || workers < 1)
    throw new ConfigError("--workers", `${workers} is not a positive integer; give e.g. --workers 2`);
}

/**
 * The executor a command asked for: a Redis server's workers (`--executor redis://...`), else a pool
 * of `workers` threads (inline for 1), on `bundles`' experiment. The Redis executor is imported only
 * when asked for.
 */
export async function createExecutor(bundles: BundleVariants, workers: number, redis: RedisTarget | null = null): Promise<Executor> {
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
  return workers > 1 ? new PoolExecutor(bundles.path, bundles.sets, workers) : new InlineExecutor(bundles);
}
