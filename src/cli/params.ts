import { loadExperiment } from "../config/load.js";
import { PARAM_SPACE } from "../config/paramSpace.js";
import { resolveParams } from "../config/resolve.js";
import { toJson } from "../results/json.js";
import { TunedSpace } from "../tuning/space.js";

/** `proverlab params`: the experiment's tuned parameter space (or, with `all`, every parameter), as JSON. */
export function printParams(experiment: string, sets: readonly string[], all: boolean, write: (text: string) => void): void {
  const exp = loadExperiment(experiment, sets);
  const values = resolveParams(exp);
  const tuned = new Set(new TunedSpace(exp.tune.params).specs.map((s) => s.name));
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
      })),
    ),
  );
}
