import type { Bundle } from "../tuning/bundle.js";
import type { Evaluation } from "../tuning/evaluate.js";
import type { Executor } from "../tuning/executor.js";

export interface SensitivityStep {
  parameter: string;
  direction: -1 | 1;
  /** The parameter's value after the step. */
  value: number;
  /** Training utility after the step minus at the recommendation (objective units). */
  change: number;
  /** Whether the stepped calibration still meets the hard constraints. */
  feasible: boolean;
}

export interface Sensitivity {
  /** The step, as a share of each parameter's range (in log space for log-scale parameters). */
  step: number;
  utility: number;
  steps: SensitivityStep[];
}

/**
 * One-at-a-time sensitivity around a point of the tuned space: each parameter is moved down and up
 * by `step` of its range (an integer at least to its neighbour), the others held, and the
 * calibration scored on the training scenarios and seeds the search used (common random numbers,
 * so the differences are the parameter's, not the draws'). The utility is the weighted KPI sum with
 * constraints aside, so a step that breaks a constraint still shows how far it moves the objective.
 * A step that cannot move (at a bound) is left out. Every calibration is scored at once on `executor`.
 */
export async function sensitivity(
  bundle: Bundle,
  point: readonly number[],
  executor: Pick<Executor, "evaluateAll">,
  step = 0.1,
): Promise<Sensitivity> {
  const base = bundle.space.decode(point, bundle.params);
  // Tuners may propose points outside the cube; step from the point the calibration actually sits at.
  const at = [...bundle.space.encode(base)];
  const planned: Pick<SensitivityStep, "parameter" | "direction" | "value">[] = [];
  const calibrations = [base];
  bundle.space.specs.forEach((spec, i) => {
    for (const direction of [-1, 1] as const) {
      const moved = [...at];
      moved[i] = Math.min(1, Math.max(0, at[i]! + direction * step));
      let params = bundle.space.decode(moved, bundle.params);
      const neighbour = base[spec.name]! + direction;
      if (spec.integer && params[spec.name] === base[spec.name] && neighbour >= spec.lower && neighbour <= spec.upper) {
        moved[i] = bundle.space.encode({ ...base, [spec.name]: neighbour })[i]!;
        params = bundle.space.decode(moved, bundle.params);
      }
      if (params[spec.name] === base[spec.name]) continue;
      planned.push({ parameter: spec.name, direction, value: params[spec.name]! });
      calibrations.push(params);
    }
  });
  const seeds = bundle.experiment.tune.seeds.train;
  const scored = await executor.evaluateAll(calibrations.map((params) => ({ params, split: "train" as const, seeds })));
  const utilityOf = (e: Evaluation) => e.episodeUtilities.reduce((s, x) => s + x, 0) / e.episodes;
  const utility = utilityOf(scored[0]!);
  const steps = planned.map((p, k) => ({ ...p, change: utilityOf(scored[k + 1]!) - utility, feasible: scored[k + 1]!.feasible }));
  return { step, utility, steps };
}
