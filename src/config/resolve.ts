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

/** Relations between parameters that their bounds alone cannot express. */
export function checkConsistent(values: ParamValues, prefix = ""): void {
  const need = (ok: boolean, field: string, fix: string) => {
    if (!ok) throw new ConfigError(prefix + field, fix);
  };
  need(
    values["batching.minSize"]! <= values["batching.maxSize"]!,
    "batching.minSize",
    "must not exceed batching.maxSize; lower it or raise maxSize",
  );
  need(values["scaling.lowThreshold"]! < values["scaling.highThreshold"]!, "scaling.lowThreshold", "must be below scaling.highThreshold");
}
