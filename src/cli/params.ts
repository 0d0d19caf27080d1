import { loadExperiment } from "../config/load.js";
import { PARAM_SPACE } from "../config/paramSpace.js";
import { resolveParams } from "../config/resolve.js";
import { toJson } from "../results/json.js";

/** `proverlab params`: the parameter space with the experiment's values, as JSON. */
export function printParams(experiment: string, sets: readonly string[], write: (text: string) => void): void {
  const values = resolveParams(loadExperiment(experiment, sets));
  write(
    toJson(
      PARAM_SPACE.map((s) => ({
        name: s.name,
        group: s.group,
        unit: s.unit,
        default: s.default,
        value: values[s.name],
        lower: s.lower,
        upper: s.upper,
        scale: s.scale,
        integer: s.integer,
        description: s.description,
      })),
    ),
  );
}
