import { loadExperiment } from "../config/load.js";
import { PARAM_SPACE } from "../config/paramSpace.js";
import { RELATIONS, resolveParams } from "../config/resolve.js";
import { toJson } from "../results/json.js";
import { TunedSpace } from "../tuning/space.js";

/**
 * `proverlab params`: the experiment's tuned parameter space (or, with `all`, every parameter), as JSON.
 * Each parameter lists the relations it takes part in ("batching.minSize <= batching.maxSize"), which
 * its bounds alone cannot express: the tuner and `evaluate --repair` lower the lesser to fit.
 */
export function printParams(experiment: string, sets: readonly string[], all: boolean, write: (text: string) => void): void {
  const exp = loadExperiment(experiment, sets);
  const values = resolveParams(exp);
  const tuned = new Set(new TunedSpace(exp.tune.params).specs.map((s) => s.name));
  const relations = RELATIONS.map((r) => ({
    names: [r.lesser, r.greater] as string[],
    text: `${r.lesser} ${r.strict ? "<" : "<="} ${r.greater}`,
  }));
  write(
    toJson(
      PARAM_SPACE.filter((s) => all || tuned.has(s.name)).map((s) => ({
        name: s.name,
        group: s.group,
        unit: s.unit,
        default: s.default,
        value: values[s.name],
        lower: s.lower,
        upper: s.upper,
        scale: s.scale,
        integer: s.integer,
        tuned: tuned.has(s.name),
        description: s.description,
        relations: relations.filter((r) => r.names.includes(s.name)).map((r) => r.text),
      })),
    ),
  );
}
