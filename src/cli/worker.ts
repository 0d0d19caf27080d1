import { ConfigError } from "../config/errors.js";
import { parseRedisUrl } from "../distributed/redisUrl.js";
import { startWorker } from "../distributed/worker.js";

export interface WorkerArgs {
  redis: string | undefined;
  concurrency: number;
  lockSeconds: number;
}

/**
 * `proverlab worker --redis URL`: evaluates jobs from any run on that server until stopped (Ctrl-C or
 * SIGTERM lets the jobs at hand finish). Logs one line per job; the URL's password is never printed.
 */
export async function runWorker(args: WorkerArgs, write: (line: string) => void): Promise<void> {
  if (args.redis === undefined) throw new ConfigError("--redis", "give the server's URL, e.g. --redis redis://127.0.0.1:6379");
  const target = parseRedisUrl(args.redis, "--redis");
  if (!Number.isInteger(args.concurrency) || args.concurrency < 1 || args.concurrency > 256)
    throw new ConfigError("--concurrency", `${args.concurrency} is not an integer from 1 to 256; give e.g. --concurrency 2 (one per core)`);
  if (!Number.isFinite(args.lockSeconds) || args.lockSeconds < 1 || args.lockSeconds > 3600)
    throw new ConfigError("--lock-seconds", `${args.lockSeconds} is not from 1 to 3600; give e.g. --lock-seconds 30`);
  let done = 0;
  const worker = startWorker(
    target,
    { concurrency: args.concurrency, lockMs: Math.round(args.lockSeconds * 1000) },
    {
      ready: () => write(`worker: connected to ${target.shown}, ${args.concurrency} at a time`),
      started: (id) => write(`worker: job ${id} started`),
      completed: (id, ms) => write(`worker: job ${id} done in ${(ms / 1000).toFixed(1)} s (${++done} done)`),
      failed: (id, reason) => write(`worker: job ${id} failed: ${reason}`),
      problem: (text) => write(`worker: Redis at ${target.shown}: ${text}`),
    },
  );
  await new Promise<void>((stopped) => {
    const stop = () => {
      write("worker: stopping after the jobs at hand");
      void worker.close().then(stopped);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
