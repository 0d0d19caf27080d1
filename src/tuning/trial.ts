import type { ParamValues } from "../config/paramSpace.js";
import type { WindowKpis } from "../env/windowKpis.js";
import { infeasibleScore, shownScore, type Violation } from "./objective.js";

export interface Trial {
  trial: number;
  generation: number;
  point: number[];
  /** The tuned parameters' values. */
  params: ParamValues;
  /** The training score tune ranks by: below INFEASIBLE (src/tuning/objective.ts) when a constraint is missed. */
  score: number;
  feasible: boolean;
  violations: Violation[];
  kpis: WindowKpis;
}

/** The full calibration a trial scored: the experiment's values with the trial's tuned ones. */
export function trialParams(base: ParamValues, t: Trial): ParamValues {
  return { ...base, ...t.params };
}

/** A trial as checkpoint.json keeps it: no penalty number, the score null when infeasible. */
export interface SavedTrial extends Omit<Trial, "score"> {
  score: number | null;
}

export function saved(t: Trial): SavedTrial {
  return { ...t, score: shownScore(t) };
}

/** A checkpoint's trial with the score the tuner ranks by (an infeasible one's is rebuilt from its violations). */
export function restored(t: SavedTrial): Trial {
  return { ...t, score: t.score ?? infeasibleScore(t.violations) };
}
