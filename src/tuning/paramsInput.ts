import { ConfigError } from "../config/errors.js";
import { paramSpec, type ParamValues } from "../config/paramSpace.js";
import { checkConsistent } from "../config/resolve.js";

/**
 * A user-supplied calibration (name -> value, any subset of the parameter space) laid over `base`.
 * Every name, type, bound and integrality is checked; errors name `field` and the parameter.
 */
export function applyParams(input: unknown, base: ParamValues, field: string): ParamValues {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new ConfigError(field, 'expected a JSON object of parameter values, e.g. {"emergency.raceWidth": 2}');
  }
  const out: ParamValues = { ...base };
  for (const [name, value] of Object.entries(input as Record<string, unknown>)) {
    const spec = paramSpec(name);
    if (!spec) throw new ConfigError(field, `unknown parameter '${name}'; see 'proverlab params <experiment> --all'`);
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new ConfigError(`${field} ${name}`, `expected a number, got ${JSON.stringify(value)}`);
    }
    if (value < spec.lower || value > spec.upper) {
      throw new ConfigError(`${field} ${name}`, `${value} is outside [${spec.lower}, ${spec.upper}]; use a value within the bounds`);
    }
    if (spec.integer && !Number.isInteger(value))
      throw new ConfigError(`${field} ${name}`, `${value} is not an integer; give a whole number`);
    out[name] = value;
  }
  checkConsistent(out, `${field} `);
  return out;
}
