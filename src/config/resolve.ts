import { ConfigError } from "./errors.js";
import { defaultParams, PARAM_SPACE, type ParamValues } from "./paramSpace.js";
import type { Experiment } from "./schema.js";

/** The experiment's full parameter vector: the table's defaults overlaid with its mechanism section. */
export function resolveParams(exp: Experiment): ParamValues {
  const values = defaultParams();
  for (const spec of PARAM_SPACE) {
    const [group, key] = spec.name.split(".") as [keyof Experiment["mechanism"], string];
    const section = exp.mechanism[group] as Record<string, number | undefined>;
    const value = section[key];
    if (value !== undefined) values[spec.name] = value;
  }
  checkConsistent(values, "mechanism.");
  return values;
}

/** Relations between parameters that their bounds alone cannot express: `lesser` below (or at) `greater`. */
export const RELATIONS = [
  {
    lesser: "batching.minSize",
    greater: "batching.maxSize",
    strict: false,
    fix: "must not exceed batching.maxSize; lower it or raise maxSize",
  },
  { lesser: "scaling.lowThreshold", greater: "scaling.highThreshold", strict: true, fix: "must be below scaling.highThreshold" },
] as const;

function holds(values: ParamValues, r: (typeof RELATIONS)[number]): boolean {
  const a = values[r.lesser]!;
  const b = values[r.greater]!;
  return r.strict ? a < b : a <= b;
}

/** Rejects a user's parameter vector that breaks a relation, naming the field and the fix. */
export function checkConsistent(values: ParamValues, prefix = ""): void {
  for (const r of RELATIONS) if (!holds(values, r)) throw new ConfigError(prefix + r.lesser, r.fix);
}

/** Repairs a tuner's candidate that breaks a relation by lowering the lesser parameter to fit. */
export function repairConsistency(values: ParamValues): ParamValues {
  for (const r of RELATIONS) {
    if (holds(values, r)) continue;
    const b = values[r.greater]!;
    values[r.lesser] = r.strict ? b - Math.max(1e-9, Math.abs(b) * 1e-9) : b;
  }
  return values;
}
