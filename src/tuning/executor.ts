import { Piscina } from "piscina";
import type { ParamValues } from "../config/paramSpace.js";
import type { RedisTarget } from "../distributed/redisUrl.js";
import { loadBundle, type Bundle } from "./bundle.js";
import { evaluateCalibration, type Evaluation, type Split } from "./evaluate.js";
import { inlineArms, type AuditArmTask, type EpisodeOutcome } from "../audit/audit.js";

export interface EvaluationTask {
  params: ParamValues;
  split: Split;
  seeds: number;
}

/** Where candidate evaluations and audit arms run. Results come back in task order, whatever runs them. */
export interface Executor {
  evaluateAll(tasks: readonly EvaluationTask[]): Promise<Evaluation[]>;
  /** The exploit audit's arms (src/audit/audit.ts). */
  auditArms(tasks: readonly AuditArmTask[]): Promise<EpisodeOutcome[][]>;
  close(): Promise<void>;
}

/** Evaluations in this thread, one after the other. */
export class InlineExecutor implements Executor {
  constructor(private readonly bundle: Bundle) {}

  evaluateAll(tasks: readonly EvaluationTask[]): Promise<Evaluation[]> {
    return Promise.resolve(tasks.map((t) => evaluateCalibration(this.bundle, t.params, t.split, t.seeds)));
  }

  auditArms(tasks: readonly AuditArmTask[]): Promise<EpisodeOutcome[][]> {
    return inlineArms(this.bundle)(tasks);
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

  evaluateAll(tasks: readonly EvaluationTask[]): Promise<Evaluation[]> {
    return Promise.all(tasks.map((t) => this.pool.run(t) as Promise<Evaluation>));
  }

  auditArms(tasks: readonly AuditArmTask[]): Promise<EpisodeOutcome[][]> {
    return Promise.all(tasks.map((t) => this.pool.run(t, { name: "auditArm" }) as Promise<EpisodeOutcome[]>));
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}

/**
 * The executor a command asked for: a Redis server's workers (`--executor redis://...`), else a pool
 * of `workers` threads (inline for 1). The Redis executor is imported only when asked for.
 */
export async function createExecutor(
  experimentPath: string,
  sets: readonly string[],
  workers: number,
  redis: RedisTarget | null = null,
): Promise<Executor> {
  if (redis !== null) {
    const { RedisExecutor, redisTimeoutMs } = await import("../distributed/redisExecutor.js");
    const executor = new RedisExecutor(redis, loadBundle(experimentPath, sets), { unreachableMs: redisTimeoutMs() });
    try {
      await executor.connect();
    } catch (err) {
      await executor.close();
      throw err;
    }
    return executor;
  }
  return workers > 1 ? new PoolExecutor(experimentPath, sets, workers) : new InlineExecutor(loadBundle(experimentPath, sets));
}
