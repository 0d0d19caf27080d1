import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../config/errors.js";
import { readInputFile } from "../config/inputFile.js";
import { parseYamlStrict, YamlProblem } from "../config/yaml.js";
import { paramSpec, type ParamValues } from "../config/paramSpace.js";
import { checkConsistent, repairConsistency } from "../config/resolve.js";
import { checkParamNames } from "../config/paramNames.js";
import { isNonFinite, valueText } from "../config/valueText.js";

/**
 * A user-supplied calibration (name -> value, any subset of the parameter space) laid over `base`.
 * Every name (all unknown ones at once, each with the nearest name), type, bound and integrality is
 * checked; errors name `field` and the parameter. The relations between parameters (batching.minSize
 * <= batching.maxSize, ...) are checked, or with `relations: "repair"` repaired as the tuner repairs
 * its candidates (the lesser lowered to fit).
 */
export function applyParams(input: unknown, base: ParamValues, field: string, relations: "check" | "repair" = "check"): ParamValues {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new ConfigError(field, 'expected a JSON object of parameter values, e.g. {"emergency.raceWidth": 2}');
  }
  checkParamNames(input, field);
  const out: ParamValues = { ...base };
  for (const [name, value] of Object.entries(input as Record<string, unknown>)) {
    const spec = paramSpec(name)!;
    if (typeof value !== "number") throw new ConfigError(`${field} ${name}`, `expected a number, got ${valueText(value)}`);
    if (isNonFinite(value)) {
      throw new ConfigError(`${field} ${name}`, `${valueText(value)} is out of range; use a value within [${spec.lower}, ${spec.upper}]`);
    }
    if (value < spec.lower || value > spec.upper) {
      throw new ConfigError(
        `${field} ${name}`,
        `${valueText(value)} is outside [${spec.lower}, ${spec.upper}]; use a value within the bounds`,
      );
    }
    if (spec.integer && !Number.isInteger(value))
      throw new ConfigError(`${field} ${name}`, `${value} is not an integer; give a whole number`);
    out[name] = value;
  }
  if (relations === "repair") return repairConsistency(out);
  checkConsistent(out, `${field} `);
  return out;
}

/**
 * A params file, JSON or YAML: parameter values (any subset), or a `proverlab export` document (its
 * `params`). Not yet checked: lay it over a calibration with applyParams.
 */
export function readParamsFile(path: string, field: string): unknown {
  const text = readInputFile(path, field, "give a JSON file of parameter values");
  let input: unknown;
  try {
    input = parseYamlStrict(text);
  } catch (err) {
    if (!(err instanceof YamlProblem)) throw err;
    throw new ConfigError(field, `${path} is not valid JSON or YAML (${err.message})`);
  }
  if (input !== null && typeof input === "object" && "params" in input && "tuned" in input) return input.params;
  return input;
}

/**
 * A calibration given as a tune run folder (its recommendation) or a params file, laid over `base`
 * and checked; errors name `field`.
 */
export function readCalibration(pathOrRun: string, base: ParamValues, field: string): ParamValues {
  const isRun = existsSync(pathOrRun) && statSync(pathOrRun).isDirectory();
  if (isRun && !existsSync(join(pathOrRun, "recommendation.json"))) {
    throw new ConfigError(field, `${pathOrRun} has no recommendation.json; give a finished tune run or a params file`);
  }
  return applyParams(readParamsFile(isRun ? join(pathOrRun, "recommendation.json") : pathOrRun, field), base, field);
}
