import { maskPassword } from "../distributed/redisUrl.js";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadedBackend } from "../ml/tensorflow.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const PACKAGES = ["seedrandom", "yaml", "yargs", "zod", "@tensorflow/tfjs", "arquero", "vega", "vega-lite", "@resvg/resvg-js"] as const;

export interface Manifest {
  tool: "proverlab";
  version: string;
  command: string;
  experiment: string;
  seed: number;
  /** interrupted: stopped by Ctrl-C; `--resume` continues it. */
  status: "running" | "complete" | "interrupted";
  workers?: number;
  /** Where evaluations ran when not in this process's threads: the Redis URL, its password masked. */
  executor?: string;
  startedAt: string;
  finishedAt: string;
  timingsMs: Record<string, number>;
  node: string;
  platform: string;
  gitCommit: string | null;
  packages: Record<string, string>;
  /** The TensorFlow.js backend that ran the policy networks (wasm, tensorflow: native, cpu), or null when none ran. */
  tfBackend: string | null;
}

function packageRoot(): string {
  // Works from src/ under tsx (two levels up) and from dist/src/ (three levels up).
  for (const up of [join(HERE, "..", ".."), join(HERE, "..", "..", "..")]) {
    try {
      const pkg = JSON.parse(readFileSync(join(up, "package.json"), "utf8")) as { name?: string };
      if (pkg.name === "proverlab") return up;
    } catch {
      // try the next candidate
    }
  }
  return join(HERE, "..", "..");
}

export function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string };
  return pkg.version;
}

function packageVersions(): Record<string, string> {
  const require = createRequire(join(packageRoot(), "package.json"));
  const out: Record<string, string> = {};
  for (const name of PACKAGES) {
    try {
      out[name] = (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      out[name] = "unknown";
    }
  }
  return out;
}

/**
 * The checkout's commit, read from .git (HEAD, then the loose or packed ref it names) without
 * starting git, which costs a command's start-up more than the rest of its manifest; `git rev-parse`
 * only where .git is not a plain folder (a worktree or submodule).
 */
export function gitCommit(root = packageRoot()): string | null {
  const git = join(root, ".git");
  try {
    if (!statSync(git).isDirectory()) {
      return execFileSync("git", ["rev-parse", "HEAD"], { cwd: root, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
    }
    const head = readFileSync(join(git, "HEAD"), "utf8").trim();
    if (!head.startsWith("ref: ")) return COMMIT.test(head) ? head : null;
    const ref = head.slice("ref: ".length);
    if (existsSync(join(git, ref))) return readFileSync(join(git, ref), "utf8").trim();
    const packed = readFileSync(join(git, "packed-refs"), "utf8").split("\n").find((line) => line.endsWith(` ${ref}`));
    return packed && COMMIT.test(packed.slice(0, 40)) ? packed.slice(0, 40) : null;
  } catch {
    return null;
  }
}

const COMMIT = /^[0-9a-f]{40}$/;

/** The command as typed, any URL's password masked (`--executor redis://user:***@host:port`). */
export function commandLine(): string {
  return ["proverlab", ...process.argv.slice(2).map(maskPassword)].join(" ");
}

export function buildManifest(
  fields: Pick<Manifest, "command" | "experiment" | "seed" | "startedAt" | "timingsMs"> & Partial<Pick<Manifest, "status" | "workers" | "executor">>,
): Manifest {
  return {
    tool: "proverlab",
    version: toolVersion(),
    status: "complete",
    ...fields,
    finishedAt: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    gitCommit: gitCommit(),
    packages: packageVersions(),
    tfBackend: loadedBackend(),
  };
}
