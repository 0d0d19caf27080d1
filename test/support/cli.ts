import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The CLI tests run the built binary (test/support/buildOnce.ts builds it once per run). */
export const ROOT = join(import.meta.dirname, "..", "..");
export const BIN = join(ROOT, "bin", "proverlab.js");

export function cli(args: string[], input?: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8", input, env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export const tmp = () => mkdtempSync(join(tmpdir(), "proverlab-"));
export const read = (...parts: string[]) => readFileSync(join(...parts), "utf8");

/** Exit codes of a tune run that finished and wrote its folder: 0, or with a warning 3 (infeasible) or 4 (exploitable). */
export const TUNE_FINISHED = [0, 3, 4];
