import { randomUUID } from "node:crypto";
import { Queue, QueueEvents, type ConnectionOptions } from "bullmq";
import { Redis, type RedisOptions } from "ioredis";
import { ConfigError } from "../config/errors.js";
import type { AuditArmTask, EpisodeOutcome } from "../audit/audit.js";
import type { BundleVariant } from "../tuning/bundle.js";
import { kept, type BundleVariants } from "../tuning/bundleVariants.js";
import type { EvaluationTask, TaskResult } from "../tuning/evaluationTask.js";
import type { Executor } from "../tuning/executor.js";
import { bundlePayload, decodeJson, type BundlePayload, type JobKind } from "./payload.js";
import type { RedisTarget } from "./redisUrl.js";
import { TimeoutError, within } from "./deadline.js";
import { ServiceError } from "./serviceError.js";

/** The queue every coordinator and `proverlab worker` share: workers evaluate jobs from any run on the server. */
export const QUEUE_NAME = "proverlab-evaluations";

/** ioredis options for a target (BullMQ's blocking connections need `maxRetriesPerRequest: null`). */
export function connectionOf(target: RedisTarget): ConnectionOptions & RedisOptions {
  return {
    host: target.host,
    port: target.port,
    db: target.db,
    ...(target.username !== undefined ? { username: target.username } : {}),
    ...(target.password !== undefined ? { password: target.password } : {}),
    ...(target.tls ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
    retryStrategy: (attempt: number) => Math.min(250 * attempt, 2000),
  };
}

/** How long Redis may be out of reach, while jobs are out, before a run stops, unless told. */
const UNREACHABLE_MS = 15_000;

/** PROVERLAB_REDIS_TIMEOUT_S: how long Redis may be out of reach before a run stops (default 15 s). */
export function redisTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.PROVERLAB_REDIS_TIMEOUT_S;
  if (text === undefined || text === "") return UNREACHABLE_MS;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 3600)
    throw new ConfigError("PROVERLAB_REDIS_TIMEOUT_S", `${text} is not a number of seconds from 1 to 3600; give e.g. 15`);
  return Math.round(seconds * 1000);
}

export interface RedisExecutorOptions {
  /** How long Redis may be unreachable, while jobs are out, before the run stops (default 15 s). */
  readonly unreachableMs?: number;
  /** How often the coordinator also reads the jobs' states, in case an event was missed (default 2 s). */
  readonly pollMs?: number;
}

interface Waiting {
  readonly resolve: (result: unknown) => void;
  readonly reject: (err: Error) => void;
}

/**
 * Evaluations and audit arms as BullMQ jobs on a Redis server, run by any `proverlab worker` connected
 * to it. Each job carries the bundle (workers keep it by hash) and one task; results come back in task order. A
 * worker that dies mid-job loses its lock, and BullMQ's stalled-job check gives the job to another
 * worker; a job that fails otherwise (a refused payload, an error in the evaluation) is not retried:
 * the run stops with its reason. Redis out of reach for `unreachableMs` stops the run in one line
 * (tune's folder keeps every finished generation, and tune says how to resume).
 */
export class RedisExecutor implements Executor {
  private readonly queue: Queue;
  private readonly events: QueueEvents;
  /** The executor's own connections (one for the queue, one for the events' blocking reads), so that it can cut them. */
  private readonly clients: Redis[];
  /** Each bundle's payload, by variant (undefined: the experiment as loaded), encoded once. */
  private readonly payloads = new Map<string, BundlePayload>();
  private readonly run = randomUUID();
  private readonly waiting = new Map<string, Waiting>();
  private readonly unreachableMs: number;
  private readonly pollMs: number;
  private batch = 0;
  private lastReached = Date.now();
  private lastProblem = "";
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly target: RedisTarget,
    private readonly bundles: BundleVariants,
    options: RedisExecutorOptions = {},
  ) {
    this.unreachableMs = options.unreachableMs ?? UNREACHABLE_MS;
    this.pollMs = options.pollMs ?? 2_000;
    const connection = connectionOf(target);
    this.clients = [new Redis(connection), new Redis(connection)];
    this.queue = new Queue(QUEUE_NAME, { connection: this.clients[0]! });
    this.events = new QueueEvents(QUEUE_NAME, { connection: this.clients[1]! });
    const problem = (err: Error) => {
      this.lastProblem = (err as NodeJS.ErrnoException).code ?? err.message;
    };
    for (const client of this.clients) client.on("error", problem);
    this.queue.on("error", problem);
    this.events.on("error", problem);
    this.events.on("completed", ({ jobId, returnvalue }) => this.settle(jobId, returnvalue));
    this.events.on("failed", ({ jobId, failedReason }) => this.fail(jobId, failedReason));
  }

  /** Waits until both connections are up: a one-line error when Redis does not answer in time. */
  async connect(): Promise<void> {
    await this.reach(Promise.all([this.queue.waitUntilReady(), this.events.waitUntilReady()]));
  }

  /** A task's variant travels inside its job's bundle: the worker runs the bundle it is given. */
  evaluateAll(tasks: readonly EvaluationTask[]): Promise<TaskResult[]> {
    return this.runJobs<TaskResult>(
      "evaluate",
      tasks.map(({ variant, ...task }) => ({ bundle: this.payloadOf(variant), task })),
    );
  }

  auditArms(tasks: readonly AuditArmTask[]): Promise<EpisodeOutcome[][]> {
    const bundle = this.payloadOf(undefined);
    return this.runJobs<EpisodeOutcome[]>(
      "auditArm",
      tasks.map((task) => ({ bundle, task })),
    );
  }

  private payloadOf(variant: BundleVariant | undefined): BundlePayload {
    return kept(this.payloads, JSON.stringify(variant ?? null), Infinity, () => bundlePayload(this.bundles.get(variant)));
  }

  private async runJobs<T>(kind: JobKind, jobs: readonly { bundle: BundlePayload; task: EvaluationTask | AuditArmTask }[]): Promise<T[]> {
    if (jobs.length === 0) return [];
    const batch = this.batch++;
    const ids = jobs.map((_, i) => `${this.run}:${batch}:${i}`);
    const results = ids.map(
      (id) => new Promise<T>((resolve, reject) => this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject })),
    );
    this.watch();
    try {
      await this.reach(
        this.queue.addBulk(
          jobs.map((data, i) => ({
            name: kind,
            data,
            // Each job holds the bundle (about 40 KB): removed once its result is in, and after 10 minutes
            // whatever happens; a failed one stays a day, to be inspected.
            opts: { jobId: ids[i]!, attempts: 1, removeOnComplete: { age: 600 }, removeOnFail: { age: 24 * 3600 } },
          })),
        ),
      );
      return await Promise.all(results);
    } catch (err) {
      // Whatever went wrong, none of this batch's jobs should keep the workers busy.
      for (const id of ids) this.waiting.delete(id);
      await this.removeQuietly(ids);
      throw err;
    } finally {
      if (this.waiting.size === 0) this.unwatch();
    }
  }

  /**
   * Withdraws the jobs still out (a run that stopped early leaves workers nothing to do for it),
   * closes the queue and the events, then cuts both connections (with Redis out of reach, a polite
   * QUIT would wait for it).
   */
  async close(): Promise<void> {
    this.unwatch();
    const out = [...this.waiting.keys()];
    this.waiting.clear();
    if (out.length > 0) await this.removeQuietly(out);
    await within(Promise.allSettled([this.events.close(), this.queue.close()]), 2000).catch(() => undefined);
    for (const client of this.clients) client.disconnect();
  }

  private settle(jobId: string, returnvalue: unknown): void {
    const w = this.waiting.get(jobId);
    if (!w) return;
    this.waiting.delete(jobId);
    this.queue.remove(jobId).catch(() => undefined);
    try {
      w.resolve(decodeJson(String(returnvalue)));
    } catch {
      w.reject(new ServiceError(`job ${jobId}: a worker returned a result that is not JSON`));
    }
  }

  private fail(jobId: string, reason: string): void {
    const w = this.waiting.get(jobId);
    if (!w) return;
    this.waiting.delete(jobId);
    w.reject(new ServiceError(`a worker failed job ${jobId}: ${reason}`));
  }

  /** Fails the whole batch when Redis stays out of reach, and reads job states in case an event was missed. */
  private watch(): void {
    if (this.timer !== null) return;
    this.lastReached = Date.now();
    this.timer = setInterval(() => void this.poll(), this.pollMs);
  }

  private unwatch(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private async poll(): Promise<void> {
    const ids = [...this.waiting.keys()];
    try {
      await within(
        Promise.all(
          ids.map(async (id) => {
            const job = await this.queue.getJob(id);
            if (!job) return;
            if (job.finishedOn !== undefined && job.failedReason) this.fail(id, job.failedReason);
            else if (job.finishedOn !== undefined) this.settle(id, job.returnvalue);
          }),
        ),
        this.pollMs * 2,
      );
      this.lastReached = Date.now();
    } catch (err) {
      if (err instanceof Error && this.lastProblem === "") this.lastProblem = err.message;
    }
    if (Date.now() - this.lastReached > this.unreachableMs) this.giveUp();
  }

  private giveUp(): void {
    const why = this.lastProblem === "" ? "no answer" : this.lastProblem;
    const err = new ServiceError(
      `Redis at ${this.target.shown} went away (${why}, for over ${Math.round(this.unreachableMs / 1000)} s); start Redis again`,
    );
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
    this.unwatch();
  }

  /** A Redis call that fails the batch with a one-line error when Redis does not answer in time. */
  private reach<T>(call: Promise<T>): Promise<T> {
    return within(call, this.unreachableMs).catch((err: unknown) => {
      if (err instanceof TimeoutError)
        throw new ServiceError(
          `cannot reach Redis at ${this.target.shown} (${this.lastProblem || "no answer"} for ${Math.round(this.unreachableMs / 1000)} s); ` +
            "start it, or check the host, port and password",
        );
      throw err;
    });
  }

  private async removeQuietly(ids: readonly string[]): Promise<void> {
    await within(Promise.allSettled(ids.map((id) => this.queue.remove(id))), 2000).catch(() => undefined);
  }
}
