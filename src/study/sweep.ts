import { paramSpec, type ParamScale, type ParamValues } from "../config/paramSpace.js";
import type { WindowKpi } from "../env/windowKpis.js";
import type { Evaluation, Split } from "../tuning/evaluate.js";
import type { EvaluationTask } from "../tuning/evaluationTask.js";
import type { Executor } from "../tuning/executor.js";
import { withinNoise } from "../tuning/inert.js";
import { meanInterval, pairedDifference, type MeanInterval } from "../tuning/stats.js";
import { TunedSpace } from "../tuning/space.js";

/** A calibration on a split, as a sweep reads it. */
export interface SweepScore {
  /** Mean objective (weighted KPI sum, constraints aside) over the episodes, with a 95 % t interval. */
  utility: MeanInterval;
  feasible: boolean;
  /** Mean of each KPI read, over the episodes that define it (null: none does). */
  kpis: Partial<Record<WindowKpi, number | null>>;
}

export interface SweepPoint extends SweepScore {
  value: number;
  /** The value's place in the lever's range, 0-1 (in log space for a log-scale lever). */
  position: number;
  /** Objective here minus at the sweep's base, paired by episode (common random numbers), 95 % t interval. */
  difference: MeanInterval;
  /** Every episode's objective is exactly the base's. */
  identical: boolean;
}

/** One lever moved alone over its range, every other parameter at the sweep's base. */
export interface LeverSweep {
  lever: string;
  unit: string;
  scale: ParamScale;
  lower: number;
  upper: number;
  /** The lever's value at the base. */
  at: number;
  points: SweepPoint[];
}

export interface Sweeps {
  split: Split;
  seeds: number;
  base: SweepScore;
  levers: LeverSweep[];
}

/**
 * Each lever moved alone to `points` values evenly over its range (the bounds included, in its own
 * scale; values equal to the base's left out), the others at `base`, and scored on the split with the
 * base itself, in one batch: every calibration sees the same episodes, so the differences are the lever's.
 * Returns the sweeps and the base's own evaluation (its episodes, for callers that pair with it).
 */
export async function sweepLevers(
  executor: Executor,
  opts: { levers: readonly string[]; base: ParamValues; points: number; split: Split; seeds: number; kpis: readonly WindowKpi[] },
): Promise<{ sweeps: Sweeps; base: Evaluation }> {
  const grid = opts.levers.map((lever) => ({ lever, values: leverValues(lever, opts.base, opts.points) }));
  const tasks: EvaluationTask[] = [
    { params: opts.base, split: opts.split, seeds: opts.seeds },
    ...grid.flatMap((g) => g.values.map((v) => ({ params: v.params, split: opts.split, seeds: opts.seeds }))),
  ];
  const results = await executor.evaluateAll(tasks);
  const base = results[0]!;
  let next = 1;
  const levers = grid.map(({ lever, values }) => {
    const spec = paramSpec(lever)!;
    const points = values.map((v): SweepPoint => {
      const r = results[next++]!;
      return {
        value: v.value,
        position: v.position,
        ...scoreOf(r, opts.kpis),
        difference: pairedDifference(r.episodeUtilities, base.episodeUtilities),
        identical: r.episodeUtilities.every((u, i) => u === base.episodeUtilities[i]),
      };
    });
    return { lever, unit: spec.unit, scale: spec.scale, lower: spec.lower, upper: spec.upper, at: opts.base[lever]!, points };
  });
  return { sweeps: { split: opts.split, seeds: opts.seeds, base: scoreOf(base, opts.kpis), levers }, base };
}

/** The lever's values over its range, with the full calibrations they make (relations between parameters repaired). */
function leverValues(lever: string, base: ParamValues, points: number): { value: number; position: number; params: ParamValues }[] {
  const space = new TunedSpace([lever]);
  const out: { value: number; position: number; params: ParamValues }[] = [];
  for (let k = 0; k < points; k++) {
    const position = k / (points - 1);
    const params = space.decode([position], base);
    const value = params[lever]!;
    if (value === base[lever] || out.some((o) => o.value === value)) continue;
    out.push({ value, position: space.encode(params)[0]!, params });
  }
  return out;
}

function scoreOf(r: Evaluation, kpis: readonly WindowKpi[]): SweepScore {
  return { utility: meanInterval(r.episodeUtilities), feasible: r.feasible, kpis: definedKpis(r, kpis) };
}

/** An evaluation's mean of each KPI asked for, null where no episode defines it. */
export function definedKpis(r: Evaluation, kpis: readonly WindowKpi[]): Partial<Record<WindowKpi, number | null>> {
  return Object.fromEntries(kpis.map((k) => [k, Number.isFinite(r.kpis[k]) ? r.kpis[k] : null]));
}

/** How a lever acts on the objective in a sweep. */
export type LeverEffect = "acts" | "within noise" | "never acts";

export interface LeverScreen {
  lever: string;
  effect: LeverEffect;
  /** The largest change of the mean objective over the lever's range (objective units). */
  importance: number;
  /** The largest significant change, or 0. */
  significant: number;
}

/**
 * A lever acts when some value of it changes the objective beyond noise or changes feasibility; it
 * never acts when every episode's objective is exactly the base's at every value (under common random
 * numbers: the lever is not read in these scenarios).
 */
export function screenLever(sweep: LeverSweep, base: SweepScore): LeverScreen {
  const moves = sweep.points.map((p) => Math.abs(p.difference.mean));
  const importance = Math.max(0, ...moves);
  const significantMoves = sweep.points.filter((p) => !withinNoise(p.difference)).map((p) => Math.abs(p.difference.mean));
  const flips = sweep.points.some((p) => p.feasible !== base.feasible);
  const effect: LeverEffect =
    significantMoves.length > 0 || flips ? "acts" : sweep.points.every((p) => p.identical) ? "never acts" : "within noise";
  return { lever: sweep.lever, effect, importance, significant: Math.max(0, ...significantMoves) };
}
