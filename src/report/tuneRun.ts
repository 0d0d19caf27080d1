import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../config/errors.js";
import { toJson } from "../results/json.js";
import { loadBundle, type Bundle } from "../tuning/bundle.js";
import type { Recommendation } from "../tuning/recommend.js";
import { restored, type SavedTrial, type Trial } from "../tuning/trial.js";
import type { RunConfig } from "../tuning/tune.js";
import { readRunJson, checkRunFinished } from "../results/runDir.js";

/**
 * One strategy of the exploit audit (src/audit writes `audit.json` in the run folder): attackers
 * trained against the frozen recommendation, against honest play on the same seeds. The report reads
 * only these fields.
 */
export interface AuditStrategy {
  name: string;
  /** The attackers' share of total compute; null for one prover alone. */
  coalitionShare: number | null;
  /** The attackers' profit over honest play, USD per epoch after the warm-up. */
  gainUsd: number;
  /** The same in % of their honest profit; null when that is 0. */
  gainPct: number | null;
  /** Liveness lost to the strategy: honest minus attacked, share of blocks. */
  livenessCost: number;
  /** Change in what users pay per transaction (rewards + L1): attacked minus honest, USD/tx. */
  costPerTxChange: number;
  /** Whether the gain's interval lies above 0; when absent, a positive gain counts. */
  exploit?: boolean;
}

export interface Audit {
  strategies: AuditStrategy[];
}

function reader(dir: string, field: string) {
  return <T>(name: string): T => readRunJson<T>(dir, name, field);
}

/** The config and recommendation of a completed tune run; `field` names the argument in errors. */
export function readTuneRun(dir: string, field = "run"): { config: RunConfig; recommendation: Recommendation } {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new ConfigError(field, `${dir} is not a folder; give the folder of a tune run`);
  const read = reader(dir, field);
  checkRunFinished(dir, field);
  const config = read<RunConfig>("config.json");
  const recommendation = read<Recommendation>("recommendation.json");
  if (!Array.isArray(recommendation.presets) || recommendation.heldOut?.kpiDifferences === undefined) {
    throw new ConfigError(field, `${dir}/recommendation.json was written by an older proverlab; run the tune again`);
  }
  return { config, recommendation };
}

/** Every trial of a tune run, from its checkpoint. */
export function readTrials(dir: string, field = "run"): Trial[] {
  return reader(dir, field)<{ trials: SavedTrial[] }>("checkpoint.json").trials.map(restored);
}

/** The run's exploit audit, or null when none was run. */
export function readAudit(dir: string): Audit | null {
  const path = join(dir, "audit.json");
  if (!existsSync(path)) return null;
  const audit = reader(dir, "audit.json")<Audit>("audit.json");
  const fields = ["coalitionShare", "gainUsd", "gainPct", "livenessCost", "costPerTxChange"] as const;
  const ok =
    Array.isArray(audit?.strategies) &&
    audit.strategies.every(
      (s) =>
        typeof s.name === "string" &&
        fields.every((f) => typeof s[f] === "number" || s[f] === null) &&
        (s.exploit === undefined || typeof s.exploit === "boolean"),
    );
  if (!ok) {
    throw new ConfigError("audit.json", `${path} is not {strategies: [{name, ${fields.join(", ")}}]}; re-run the audit`);
  }
  return audit;
}

/**
 * The experiment a run was tuned on, as it was: refused when it now resolves differently (the file,
 * or a default, changed), since the report's episodes would not be the run's. Fields a later
 * proverlab added are not a change.
 */
export function loadRunBundle(dir: string, config: RunConfig, field = "run"): Bundle {
  if (!existsSync(config.experimentPath)) {
    throw new ConfigError(field, `${config.experimentPath}, the experiment of ${dir}, is missing; restore it or tune again`);
  }
  const bundle = loadBundle(config.experimentPath, config.sets);
  const changed = firstChange(config.experiment, JSON.parse(toJson(bundle.experiment)), "");
  if (changed !== null) {
    throw new ConfigError(
      field,
      `${config.experimentPath} resolves differently from when ${dir} was tuned (${changed}); restore it or tune again`,
    );
  }
  return bundle;
}

/** The first value of `stored` that `current` (which may hold more fields) does not have: "path: now, was then"; null if none. */
function firstChange(stored: unknown, current: unknown, path: string): string | null {
  if (stored !== null && typeof stored === "object" && current !== null && typeof current === "object") {
    if (!Array.isArray(stored) || (Array.isArray(current) && stored.length === current.length)) {
      for (const [k, v] of Object.entries(stored)) {
        const found = firstChange(v, (current as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
        if (found !== null) return found;
      }
      return null;
    }
  }
  return JSON.stringify(stored) === JSON.stringify(current) ? null : `${path}: ${JSON.stringify(current)}, was ${JSON.stringify(stored)}`;
}
