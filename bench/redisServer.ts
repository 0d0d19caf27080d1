import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A redis-server of our own (the tests' and the bench's), on 127.0.0.1 and a free port, without persistence. */
export interface RedisServer {
  readonly port: number;
  /** redis://[:password@]127.0.0.1:PORT */
  readonly url: string;
  /** Stops it (SIGTERM, then waits for the exit). */
  stop(): Promise<void>;
  /** Starts it again on the same port, after `stop` (empty: nothing was saved). */
  restart(): Promise<void>;
}

/** Debian's redis-server (scripts/install-redis.sh installs it; CI runs that script first). */
export function redisServerPath(): string {
  const r = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" });
  const path = r.stdout.trim();
  if (r.status !== 0 || path === "") throw new Error("redis-server is not installed: run bash scripts/install-redis.sh");
  return path;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** Resolves once a PING on the port is answered with PONG (or rejects after `ms`). */
function answers(port: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((done, fail) => {
    const attempt = () => {
      const socket = new Socket();
      const retry = () => {
        socket.destroy();
        if (Date.now() > deadline) fail(new Error(`redis-server on port ${port} did not answer within ${ms} ms`));
        else setTimeout(attempt, 50);
      };
      socket.once("error", retry);
      socket.connect(port, "127.0.0.1", () => socket.write("PING\r\n"));
      socket.once("data", (d) => {
        socket.destroy();
        // An answer of any kind (PONG, or NOAUTH with a password) means the server is up.
        if (d.length > 0) done();
        else retry();
      });
    };
    attempt();
  });
}

export async function startRedis(options: { password?: string } = {}): Promise<RedisServer> {
  const bin = redisServerPath();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "proverlab-redis-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir];
  if (options.password !== undefined) args.push("--requirepass", options.password);
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn(bin, args, { stdio: "ignore" });
    await answers(port, 10_000);
  };
  const stop = async () => {
    const c = child;
    child = null;
    if (c === null || c.exitCode !== null) return;
    await new Promise<void>((done) => {
      c.once("exit", () => done());
      c.kill("SIGTERM");
    });
  };
  await start();
  const auth = options.password === undefined ? "" : `:${encodeURIComponent(options.password)}@`;
  return {
    port,
    url: `redis://${auth}127.0.0.1:${port}`,
    restart: start,
    stop,
  };
}
