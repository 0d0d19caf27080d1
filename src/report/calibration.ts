import { paramSpec, type ParamValues } from "../config/paramSpace.js";
import { WINDOW_KPI_UNITS, WINDOW_KPIS, type WindowKpi } from "../env/summary.js";
import type { MeanInterval } from "../tuning/stats.js";
import type { Assessment, Recommendation, RunConfig } from "../tuning/tune.js";
import { objectiveKpis } from "./kpis.js";
import { fmt, withSignificance, type Difference } from "./format.js";

/** What `export` prints: one structure, rendered as JSON, YAML or Markdown. */
export interface CalibrationExport {
  experiment: string;
  run: string;
  trial: number;
  objective: RunConfig["experiment"]["objective"];
  score: {
    train: { recommended: Scored; defaults: Scored };
    heldOut: { recommended: Scored; defaults: Scored; difference: Difference };
  };
  /** The full calibration: `proverlab evaluate --params` reads this object (as a JSON file). */
  params: ParamValues;
  tuned: {
    name: string;
    unit: string;
    value: number;
    default: number;
    change: number;
    /** null when the default is 0 */
    changePercent: number | null;
    lower: number;
    upper: number;
  }[];
  kpis: {
    kpi: WindowKpi;
    unit: string;
    train: { recommended: MeanInterval; defaults: MeanInterval };
    heldOut: { recommended: MeanInterval; defaults: MeanInterval; difference: Difference };
  }[];
  presets: {
    name: string;
    trial: number;
    tuned: ParamValues;
    train: Scored & { kpis: Partial<Record<WindowKpi, number>> };
    heldOut: Scored & { kpis: Partial<Record<WindowKpi, MeanInterval>> };
  }[];
}

export interface Scored {
  score: number;
  feasible: boolean;
  /** Per violated constraint, by how much; not kept for the trials presets come from. */
  violations?: Assessment["violations"];
}

export function buildExport(dir: string, config: RunConfig, r: Recommendation): CalibrationExport {
  const objective = config.experiment.objective;
  const key = keyKpis(objective);
  const scored = (a: Assessment): Scored => ({ score: a.score, feasible: a.feasible, violations: a.violations });
  const pick = <T>(all: Record<WindowKpi, T>) => Object.fromEntries(key.map((k) => [k, all[k]])) as Partial<Record<WindowKpi, T>>;
  return {
    experiment: config.experiment.name,
    run: dir,
    trial: r.trial,
    objective,
    score: {
      train: { recommended: scored(r.train.recommended), defaults: scored(r.train.defaults) },
      heldOut: {
        recommended: scored(r.heldOut.recommended),
        defaults: scored(r.heldOut.defaults),
        difference: withSignificance(r.heldOut.utilityDifference),
      },
    },
    params: r.params,
    tuned: Object.entries(r.tuned).map(([name, value]) => {
      const spec = paramSpec(name)!;
      const def = config.params[name]!;
      return {
        name,
        unit: spec.unit,
        value,
        default: def,
        change: value - def,
        changePercent: def === 0 ? null : ((value - def) / Math.abs(def)) * 100,
        lower: spec.lower,
        upper: spec.upper,
      };
    }),
    kpis: WINDOW_KPIS.map((kpi) => ({
      kpi,
      unit: WINDOW_KPI_UNITS[kpi],
      train: { recommended: r.train.recommended.kpis[kpi], defaults: r.train.defaults.kpis[kpi] },
      heldOut: {
        recommended: r.heldOut.recommended.kpis[kpi],
        defaults: r.heldOut.defaults.kpis[kpi],
        difference: withSignificance(r.heldOut.kpiDifferences[kpi]),
      },
    })),
    presets: r.presets.map((p) => ({
      name: p.name,
      trial: p.trial,
      tuned: p.tuned,
      train: { score: p.train.score, feasible: p.train.feasible, kpis: pick(p.train.kpis) },
      heldOut: { ...scored(p.heldOut), kpis: pick(p.heldOut.kpis) },
    })),
  };
}

/** The presets' axes (liveness, and cost per tx in its two parts), then the objective's KPIs. */
export function keyKpis(objective: CalibrationExport["objective"]): WindowKpi[] {
  return [...new Set<WindowKpi>(["liveness", "rewardsPerTxUsd", "l1CostPerTxUsd", ...objectiveKpis(objective)])];
}

/** A score, or for an infeasible one (a large negative offset, src/tuning/objective.ts) the constraints it misses and by how much. */
export function scoreText(s: Scored): string {
  const misses = Object.entries(s.violations ?? {}).map(([kpi, miss]) => `${kpi} off by ${fmt(miss ?? null)}`);
  return s.feasible ? fmt(s.score) : misses.length > 0 ? `infeasible (${misses.join(", ")})` : "infeasible";
}

/** The objective in words: "100 x liveness - 10 x rewardsPerTxUsd", and its constraints ("liveness >= 0.99"). */
export function objectiveText(objective: RunConfig["experiment"]["objective"]): { weights: string; constraints: string[] } {
  const weights = Object.entries(objective.weights)
    .map(([k, w], i) => `${w! < 0 ? "- " : i > 0 ? "+ " : ""}${Math.abs(w!)} x ${k}`)
    .join(" ");
  const constraints = objective.constraints.map((c) => `${c.kpi} ${c.min !== undefined ? `>= ${c.min}` : `<= ${c.max}`}`);
  return { weights, constraints };
}
