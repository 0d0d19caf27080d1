import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ConfigError } from "../config/errors.js";

/**
 * A results folder written atomically: files go to a hidden sibling first and the folder appears
 * under its name only when complete, so an interrupted run leaves nothing half-written.
 */
export class RunDir {
  readonly path: string;
  private readonly staging: string;

  private constructor(path: string) {
    this.path = path;
    this.staging = join(dirname(path), `.${path.split(/[\\/]/).pop()}.partial-${process.pid}`);
  }

  /** Checks that `path` can be created; throws ConfigError naming the flag otherwise. */
  static prepare(path: string, flag: string): RunDir {
    const abs = resolve(path);
    if (existsSync(abs) && readdirSync(abs).length > 0) {
      throw new ConfigError(flag, `${path} exists and is not empty; choose a new directory`);
    }
    return new RunDir(abs);
  }

  /** A folder regenerated from its inputs (a run's report): an existing one is replaced on commit. */
  static replacing(path: string): RunDir {
    return new RunDir(resolve(path));
  }

  write(name: string, content: string | Uint8Array): void {
    mkdirSync(this.staging, { recursive: true });
    writeFileSync(join(this.staging, name), content);
  }

  /** A sub-folder of the staged run, for writers that lay out their own files. */
  folder(name: string): string {
    const path = join(this.staging, name);
    mkdirSync(path, { recursive: true });
    return path;
  }

  commit(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    if (existsSync(this.path)) rmSync(this.path, { recursive: true });
    renameSync(this.staging, this.path);
  }

  abandon(): void {
    rmSync(this.staging, { recursive: true, force: true });
  }
}

/** results/<experiment>/<kind>-seed<N>-<UTC timestamp> */
export function defaultRunPath(experiment: string, kind: string, seed: number, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\..*$/, "").replace("T", "-");
  return join("results", experiment, `${kind}-seed${seed}-${stamp}`);
}

/** Replaces a file in one step (write a sibling, then rename), so a reader never sees half of it. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const tmp = `${path}.partial-${process.pid}`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

/** Parses a JSON file of a run folder; a missing or unreadable one is a ConfigError naming `field`, with `hint` as the fix. */
export function readRunJson<T>(dir: string, name: string, field: string, hint = "give the folder of a tune run"): T {
  try {
    return JSON.parse(readFileSync(join(dir, name), "utf8")) as T;
  } catch {
    throw new ConfigError(field, `${join(dir, name)} is missing or unreadable; ${hint}`);
  }
}

/** Refuses a tune run whose manifest still says `running`. */
export function checkRunFinished(dir: string, field: string, hint?: string): void {
  if (readRunJson<{ status?: string }>(dir, "manifest.json", field, hint).status === "running") {
    throw new ConfigError(field, `${dir} is an incomplete tune run; finish it with 'proverlab tune <experiment> --resume ${dir}'`);
  }
}
