import { MAX_SEEDS } from "../config/schemaFields.js";
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { runAudit, type AuditReport } from "../audit/audit.js";
import { auditTable } from "../audit/format.js";
import { ConfigError } from "../config/errors.js";
import { toJson } from "../results/json.js";
import {
  checkOutFile,
  checkRunFinished,
  claimFolder,
  defaultRunPath,
  makeDirs,
  readRunJson,
  unwritable,
  writeOutFile,
} from "../results/runDir.js";
import { loadBundle, prepareBundleBackend } from "../tuning/bundle.js";
import { applyParams, readParamsFile } from "../tuning/paramsInput.js";
import type { RunConfig } from "../tuning/tune.js";
import { createExecutor, executorChoice } from "../tuning/executor.js";
import { BundleVariants } from "../tuning/bundleVariants.js";

export interface AuditArgs {
  /** A tune run folder (its recommendation) or a params file (JSON or YAML). */
  target: string;
  experiment?: string | undefined;
  seeds?: number | undefined;
  out?: string | undefined;
  /** Replace an existing --out file. */
  force: boolean;
  set: readonly string[];
  /** Worker threads running the audit's arms (default 1: in this thread). */
  workers?: number | undefined;
  /** `redis://...`: the arms on that server's `proverlab worker`s. */
  executor?: string | undefined;
}

const TARGET = "run-or-params";

/** What to audit: the experiment (path and --set values), the calibration and where audit.json goes by default. */
interface Target {
  experimentPath: string;
  sets: string[];
  params: unknown;
  source: string;
  defaultOut: string | null;
}

function readRun(dir: string, args: AuditArgs): Target {
  const hint = "give the folder of a finished tune run or a params file";
  const read = <T>(name: string): T => readRunJson<T>(dir, name, TARGET, hint);
  checkRunFinished(dir, TARGET, hint);
  const config = read<RunConfig>("config.json");
  const recommendation = read<{ params?: unknown }>("recommendation.json");
  if (typeof config.experimentPath !== "string" || !Array.isArray(config.sets) || recommendation.params === undefined) {
    throw new ConfigError(TARGET, `${dir} is not a tune run folder (config.json, recommendation.json); give a finished tune run`);
  }
  return {
    experimentPath: args.experiment ?? config.experimentPath,
    sets: [...config.sets, ...args.set],
    params: recommendation.params,
    source: "recommendation.json",
    defaultOut: join(dir, "audit.json"),
  };
}

/**
 * Where audit.json goes: `--out` ending in .json is the file, any other `--out` a folder to hold it.
 * An existing file there is replaced only with `force`.
 */
function outPath(out: string, force: boolean): string {
  if (out.trim() === "") throw new ConfigError("--out", "is empty; give a .json file or a folder, e.g. --out audit.json");
  const abs = resolve(out);
  if (abs.endsWith(".json")) {
    if (existsSync(abs) && statSync(abs).isDirectory()) throw new ConfigError("--out", `${out} is a folder; give a .json file or a folder`);
    checkOutFile(abs, force);
    return abs;
  }
  if (existsSync(abs) && !statSync(abs).isDirectory()) {
    throw new ConfigError("--out", `${out} is a file that is not .json; give a .json file or a folder`);
  }
  checkOutFile(join(abs, "audit.json"), force);
  return join(abs, "audit.json");
}

/**
 * `proverlab audit`: the exploit audit of a tune run's recommendation (audit.json written into the
 * run folder) or of a params file (with --experiment). Prints the table of strategies.
 */
export async function audit(args: AuditArgs, write: (text: string) => void): Promise<void> {
  if (args.seeds !== undefined && (!Number.isInteger(args.seeds) || args.seeds < 2 || args.seeds > MAX_SEEDS)) {
    throw new ConfigError(
      "--seeds",
      `${args.seeds} is not an integer from 2 to ${MAX_SEEDS}; a paired interval needs at least 2 episodes, e.g. --seeds 8`,
    );
  }
  const choice = executorChoice(args.workers, args.executor);
  if (!existsSync(args.target)) throw new ConfigError(TARGET, `${args.target} does not exist; give a tune run folder or a params file`);
  const isRun = statSync(args.target).isDirectory();
  let target: Target;
  if (isRun) target = readRun(resolve(args.target), args);
  else {
    if (args.experiment === undefined) {
      throw new ConfigError("--experiment", "a params file needs the experiment it calibrates; give --experiment FILE");
    }
    target = {
      experimentPath: args.experiment,
      sets: [...args.set],
      params: readParamsFile(args.target, TARGET),
      source: args.target,
      defaultOut: null,
    };
  }
  const bundle = loadBundle(target.experimentPath, target.sets);
  const field = isRun ? "recommendation.json" : TARGET;
  const params = applyParams(target.params, bundle.params, field);
  const e = bundle.experiment;
  const chosen = args.out === undefined ? target.defaultOut : outPath(args.out, args.force);
  await prepareBundleBackend(bundle);
  const executor = await createExecutor(new BundleVariants(target.experimentPath, target.sets, bundle), choice);
  let report: AuditReport;
  try {
    report = await runAudit(bundle, params, target.source, args.seeds, (arms) => executor.auditArms(arms));
  } finally {
    await executor.close();
  }
  // A params file's audit gets a folder of its own, claimed when it is written (never another run's).
  const out = chosen ?? join(claimFolder(resolve(defaultRunPath(e.name, "audit", e.seed))), "audit.json");
  unwritable(
    out,
    () => {
      makeDirs(dirname(out));
      // The run folder's own audit.json is re-created in place; a file named with --out needs --force.
      writeOutFile(out, toJson(report), args.out === undefined || args.force);
    },
    "give a file or folder you can write to",
  );
  write(auditTable(report));
  write(`audit: ${out}\n`);
}
