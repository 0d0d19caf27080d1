import { ConfigError } from "../config/errors.js";
import { PARAM_SPACE, type ParamSpec, type ParamValues } from "../config/paramSpace.js";
import { repairConsistency } from "../config/resolve.js";

/**
 * The tuned part of the parameter space as a unit cube: tuners search [0, 1]^d and never see units,
 * log scales or integers. Log-scale parameters are uniform in log space; integers are rounded on
 * decode; decoded values always lie within the table's bounds.
 */
export class TunedSpace {
  readonly specs: readonly ParamSpec[];

  constructor(names: readonly string[], field = "tune.params") {
    const known = new Map(PARAM_SPACE.map((s) => [s.name, s]));
    const groups = new Set(PARAM_SPACE.map((s) => s.group as string));
    const picked: ParamSpec[] = [];
    for (const name of names) {
      if (groups.has(name)) picked.push(...PARAM_SPACE.filter((s) => s.group === name));
      else if (known.has(name)) picked.push(known.get(name)!);
      else throw new ConfigError(field, `unknown parameter or group '${name}'; see 'proverlab params'`);
    }
    this.specs = [...new Map(picked.map((s) => [s.name, s])).values()];
    if (this.specs.length === 0) throw new ConfigError(field, "no parameter to tune; name groups or parameters");
  }

  get dim(): number {
    return this.specs.length;
  }

  /** The unit-cube point of a full parameter vector (only the tuned names are read). */
  encode(values: ParamValues): Float64Array {
    return Float64Array.from(this.specs, (s) => toUnit(s, values[s.name]!));
  }

  /**
   * A full parameter vector: `base` with the tuned names set from the unit-cube point, repaired to
   * satisfy the relations between parameters (e.g. batching.minSize <= batching.maxSize).
   */
  decode(point: ArrayLike<number>, base: ParamValues): ParamValues {
    const out: ParamValues = { ...base };
    this.specs.forEach((s, i) => {
      out[s.name] = fromUnit(s, point[i]!);
    });
    return repairConsistency(out);
  }
}

function toUnit(s: ParamSpec, x: number): number {
  const u = s.scale === "log" ? Math.log(x / s.lower) / Math.log(s.upper / s.lower) : (x - s.lower) / (s.upper - s.lower);
  return Math.min(1, Math.max(0, u));
}

function fromUnit(s: ParamSpec, u: number): number {
  const c = Math.min(1, Math.max(0, u));
  let x = s.scale === "log" ? s.lower * Math.pow(s.upper / s.lower, c) : s.lower + c * (s.upper - s.lower);
  if (s.integer) x = Math.round(x);
  return Math.min(s.upper, Math.max(s.lower, x));
}
