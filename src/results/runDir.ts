import { existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ConfigError } from "../config/errors.js";

/**
 * How a run folder meets an existing one at commit: `new` (given with --out) refuses a non-empty one,
 * `unique` (a default name) takes the next free name (`-2`, `-3`, ...), `replace` (a regenerated
 * report) replaces it. Only `replace` ever deletes anything.
 */
type Claim = "new" | "unique" | "replace";

/** Staging folders made by this process, so two runs of one process never share one. */
let staged = 0;

/**
 * A results folder written atomically: files go to a hidden sibling first and the folder appears
 * under its name only when complete, so an interrupted run leaves nothing half-written.
 */
export class RunDir {
  private target: string;
  private readonly staging: string;

  private constructor(
    path: string,
    private readonly claim: Claim,
  ) {
    this.target = path;
    this.staging = join(dirname(path), `.${path.split(/[\\/]/).pop()}.partial-${process.pid}-${++staged}`);
  }

  /** Where the run is (after commit: where it landed). */
  get path(): string {
    return this.target;
  }

  /** The folder given with `flag`, or without one a default name made unique when the run is committed. */
  static prepare(path: string | undefined, flag: string, defaultPath: () => string): RunDir {
    return path === undefined ? RunDir.unique(defaultPath()) : RunDir.at(path, flag);
  }

  /** A default folder name: if it is taken at commit, the run lands at the next free `-2`, `-3`, ... */
  static unique(path: string): RunDir {
    return new RunDir(resolve(path), "unique");
  }

  /** A folder the user named with `flag`: checked now (it must not exist with contents) and again at commit. */
  static at(path: string, flag: string): RunDir {
    return new RunDir(checkOutFolder(path, flag), "new");
  }

  /** A folder regenerated from its inputs (a run's report): an existing one is replaced on commit. */
  static replacing(path: string): RunDir {
    return new RunDir(resolve(path), "replace");
  }

  write(name: string, content: string | Uint8Array): void {
    unwritable(this.target, () => {
      makeDirs(this.staging);
      writeFileSync(join(this.staging, name), content);
    });
  }

  /** A sub-folder of the staged run, for writers that lay out their own files. */
  folder(name: string): string {
    const path = join(this.staging, name);
    unwritable(this.target, () => makeDirs(path));
    return path;
  }

  commit(): void {
    unwritable(this.target, () => makeDirs(dirname(this.target)));
    sweepPartials(dirname(this.target));
    if (this.claim === "replace") {
      if (existsSync(this.target)) rmSync(this.target, { recursive: true });
    } else if (this.claim === "unique") {
      this.target = claimFolder(this.target);
    } else if (!claimEmpty(this.target)) {
      this.abandon();
      throw new ConfigError("--out", `${this.target} was filled by another process while this run wrote; nothing was written`);
    }
    // rename(2) replaces the empty folder just claimed, atomically.
    renameSync(this.staging, this.target);
  }

  abandon(): void {
    rmSync(this.staging, { recursive: true, force: true });
  }
}

/**
 * A folder the user named for a new run: not empty text, not a file, not a symbolic link (a run
 * writes where it was told, never through a link), and empty if it exists. Returns its absolute path.
 */
export function checkOutFolder(path: string, flag: string): string {
  if (path.trim() === "") throw new ConfigError(flag, "is empty; give the folder to write, e.g. --out results/mine");
  const abs = resolve(path);
  let st;
  try {
    st = lstatSync(abs);
  } catch {
    return abs;
  }
  if (st.isSymbolicLink()) throw new ConfigError(flag, `${path} is a symbolic link; give a real folder`);
  if (!st.isDirectory()) throw new ConfigError(flag, `${path} is a file; give a folder`);
  if (readdirSync(abs).length > 0) throw new ConfigError(flag, `${path} exists and is not empty; choose a new directory`);
  return abs;
}

const PARTIAL = /\.partial-(\d+)(?:-\d+)?$/;

/**
 * Removes what killed runs left in `dir`: staged folders and half-written files (`*.partial-PID`)
 * of processes that no longer run. Those of running processes (this one included) are left alone.
 */
export function sweepPartials(dir: string): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const m = PARTIAL.exec(name);
    if (m && !alive(Number(m[1]))) rmSync(join(dir, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Creates a folder and its missing parents, one level at a time. Node's recursive mkdir can loop
 * forever where a parent exists but refuses children (/proc); one level at a time fails at once.
 */
export function makeDirs(path: string): void {
  const missing: string[] = [];
  let p = resolve(path);
  while (!existsSync(p)) {
    missing.push(p);
    const parent = dirname(p);
    if (parent === p) break;
    p = parent;
  }
  for (let k = missing.length - 1; k >= 0; k--) {
    try {
      mkdirSync(missing[k]!);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
}

/** Runs a write; a file-system refusal (no permission, a path that cannot exist) becomes a one-line --out error ending in `hint`. */
export function unwritable(target: string, write: () => void, hint = "give a folder you can write to"): void {
  try {
    write();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === undefined) throw e;
    throw new ConfigError("--out", `cannot write ${target} (${code}); ${hint}`);
  }
}

/**
 * A file-system refusal met where no flag names the file (a folder where a run file belongs, a
 * read-only file in a run folder): a one-line error naming the path instead of a stack trace; null
 * for any other exception.
 */
export function fileSystemRefusal(err: unknown): ConfigError | null {
  const e = err as NodeJS.ErrnoException & { dest?: string };
  if (!(err instanceof Error) || typeof e.code !== "string" || typeof e.syscall !== "string") return null;
  return new ConfigError(e.dest ?? e.path ?? e.syscall, `cannot ${e.syscall} (${e.code}); move it away or give another folder`);
}

/** Creates `path` empty if it does not exist, or checks that it is empty; false if it holds anything. */
function claimEmpty(path: string): boolean {
  try {
    mkdirSync(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    return readdirSync(path).length === 0;
  }
}

/**
 * Claims `base`, or the first of `base-2`, `base-3`, ... that does not exist, by creating it empty:
 * mkdir is atomic, so two runs started in the same second never get the same folder.
 */
export function claimFolder(base: string): string {
  makeDirs(dirname(base));
  for (let k = 1; ; k++) {
    const path = k === 1 ? base : `${base}-${k}`;
    try {
      mkdirSync(path);
      return path;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
}

/** results/<experiment>/<kind>-seed<N>-<UTC timestamp> */
export function defaultRunPath(experiment: string, kind: string, seed: number, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\..*$/, "").replace("T", "-");
  return join("results", experiment, `${kind}-seed${seed}-${stamp}`);
}

/**
 * Test hook for the kill test (test/cli/tune.test.ts): PROVERLAB_FAULT_AFTER_WRITES=N kills the
 * process with SIGKILL right after its Nth atomic write, so a run can be stopped between any two of
 * its writes. Unset (or not a positive integer) it does nothing.
 */
const FAULT_AFTER_WRITES = Number(process.env.PROVERLAB_FAULT_AFTER_WRITES ?? 0);
let atomicWrites = 0;

/**
 * Writes a file in one step (write a sibling, then rename), so a reader never sees half of it.
 * With `replace` false an existing file is kept and the write fails with EEXIST (the sibling is
 * hard-linked to the name, which never replaces).
 */
export function writeFileAtomic(path: string, content: string | Uint8Array, replace = true): void {
  const tmp = `${path}.partial-${process.pid}`;
  writeFileSync(tmp, content);
  try {
    if (replace) renameSync(tmp, path);
    else linkSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
  if (++atomicWrites === FAULT_AFTER_WRITES) process.kill(process.pid, "SIGKILL");
}

/**
 * A file the user named with --out: a folder is refused, and so is an existing file unless `force`
 * (then it is replaced). Checked before the work, and again by writeOutFile.
 */
export function checkOutFile(path: string, force: boolean): void {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return;
  }
  if (st.isDirectory()) throw new ConfigError("--out", `${path} is a folder; give a file to write`);
  if (!force) throw outFileExists(path);
}

/** Writes an --out file atomically; an existing file is replaced only with `force`, else refused in one line. */
export function writeOutFile(path: string, content: string, force: boolean): void {
  try {
    writeFileAtomic(path, content, force);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") throw outFileExists(path);
    throw err;
  }
}

function outFileExists(path: string): ConfigError {
  return new ConfigError("--out", `${path} exists; give a new file, or add --force to replace it`);
}

/**
 * What reading a run folder threw, as a user would need it: files that parse but hold something no
 * tune run wrote (a field missing or of the wrong type) make a one-line error naming the folder.
 */
export function runFolderError(err: unknown, dir: string, field: string, hint = "give the folder of a finished tune run"): unknown {
  if (err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError) {
    const what = (err.message.split("\n")[0] ?? "").slice(0, 120);
    return new ConfigError(field, `${dir} holds files no ${hint.includes("finished") ? "finished " : ""}tune run wrote (${what}); ${hint}`);
  }
  return err;
}

/** Parses a JSON file of a run folder; a missing or unreadable one is a ConfigError naming `field`, with `hint` as the fix. */
export function readRunJson<T>(dir: string, name: string, field: string, hint = "give the folder of a tune run"): T {
  try {
    // Only a regular file: a read of a device or FIFO put in its place (/dev/zero) would never end.
    if (!statSync(join(dir, name)).isFile()) throw new Error("not a regular file");
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
