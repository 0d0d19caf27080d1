import { Worker } from "bullmq";
import { connectionOf, QUEUE_NAME } from "./redisExecutor.js";
import type { RedisTarget } from "./redisUrl.js";

export interface WorkerOptions {
  /** Evaluations at once, each in a worker thread of its own. */
  readonly concurrency: number;
  /**
   * How long a job stays with a worker that stopped answering before BullMQ's stalled-job check gives
   * it to another (ms). The worker's main thread renews the lock while a thread evaluates.
   */
  readonly lockMs: number;
}

export interface WorkerEvents {
  ready(): void;
  started(jobId: string): void;
  completed(jobId: string, ms: number): void;
  failed(jobId: string, reason: string): void;
  problem(text: string): void;
}

/** How many times a job may lose its worker (a crash, a kill) and be given to another before it fails. */
const MAX_STALLED = 5;

/**
 * A BullMQ worker on the evaluations queue: jobs from any run on the server, each evaluated in a
 * worker thread (src/distributed/evaluationJob.ts) that keeps the bundles it loaded. Returns the worker;
 * `close()` lets the jobs at hand finish.
 */
export function startWorker(target: RedisTarget, options: WorkerOptions, on: WorkerEvents): Worker {
  const started = new Map<string, number>();
  const worker = new Worker(QUEUE_NAME, new URL("./evaluationJob.js", import.meta.url), {
    connection: connectionOf(target),
    concurrency: options.concurrency,
    useWorkerThreads: true,
    lockDuration: options.lockMs,
    stalledInterval: Math.max(1000, Math.round(options.lockMs / 2)),
    maxStalledCount: MAX_STALLED,
  });
  worker.on("ready", () => on.ready());
  worker.on("active", (job) => {
    started.set(job.id!, performance.now());
    on.started(job.id!);
  });
  worker.on("completed", (job) => {
    on.completed(job.id!, performance.now() - (started.get(job.id!) ?? performance.now()));
    started.delete(job.id!);
  });
  worker.on("failed", (job, err) => {
    if (job) started.delete(job.id!);
    on.failed(job?.id ?? "?", err.message);
  });
  worker.on("error", (err) => on.problem((err as NodeJS.ErrnoException).code ?? err.message));
  return worker;
}
