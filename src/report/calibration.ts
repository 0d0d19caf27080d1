import { paramSpec, type ParamValues } from "../config/paramSpace.js";
import { WINDOW_KPI_UNITS, WINDOW_KPIS, type WindowKpi } from "../env/windowKpis.js";
import type { CandidateRecord } from "../tuning/candidates.js";
import { feasibilityText } from "../tuning/objective.js";
import type { DroppedPreset } from "../tuning/pareto.js";
import { keepsExperimentValues, type Recommendation, type ScenarioComparison, type Warning } from "../tuning/recommend.js";
import type { Verdict } from "../tuning/objective.js";
import type { MeanInterval } from "../tuning/stats.js";
import type { RunConfig } from "../tuning/tune.js";
import { objectiveKpis } from "./kpis.js";
import { fmt, withSignificance, type Difference } from "./format.js";

/** One scenario's episodes alone: the two calibrations' scores and their paired objective difference. */
export interface ScenarioScore {
  scenario: string;
  recommended: Verdict;
  defaults: Verdict;
  difference: Difference;
}

function scenarioScore(x: ScenarioComparison): ScenarioScore {
  return {
    scenario: x.scenario,
    recommended: verdictOf(x.recommended),
    defaults: verdictOf(x.defaults),
    difference: withSignificance(x.utilityDifference),
  };
}

/** A score, its feasibility and violations, without the KPIs behind them. */
function verdictOf(a: Verdict): Verdict {
  return { score: a.score, feasible: a.feasible, violations: a.violations };
}

/** What `export` prints: one structure, rendered as JSON, YAML or Markdown. */
export interface CalibrationExport {
  experiment: string;
  run: string;
  trial: number;
  /** The recommendation is the experiment's own values (keepsExperimentValues). */
  keepsExperimentValues: boolean;
  objective: RunConfig["experiment"]["objective"];
  score: {
    train: { recommended: Verdict; defaults: Verdict };
    /** The training scenarios on the finalists' validation seeds (null in runs written before the split). */
    validation: { recommended: Verdict; defaults: Verdict; episodes: number } | null;
    heldOut: { recommended: Verdict; defaults: Verdict; difference: Difference };
  };
  /** Each held-out scenario alone: scores and the paired objective difference. */
  scenarios: ScenarioScore[];
  /** Each training scenario alone on the validation seeds (empty in runs written before them). */
  validationScenarios: ScenarioScore[];
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
    /**
     * changed: the search moved it and the change matters (its effects outside noise: `why`);
     * kept at default: moved, but every effect within noise, so left at its default; default: never moved.
     */
    verdict: "changed" | "kept at default" | "default";
    why: string[];
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
    train: Verdict & { kpis: Partial<Record<WindowKpi, number>> };
    heldOut: Verdict & { kpis: Partial<Record<WindowKpi, MeanInterval>> };
  }[];
  droppedPresets: DroppedPreset[];
  candidates: CandidateRecord[];
  warnings: Warning[];
}

export function buildExport(dir: string, config: RunConfig, r: Recommendation): CalibrationExport {
  const objective = config.experiment.objective;
  const key = keyKpis(objective);
  const effects = new Map(r.parameters.effects.map((x) => [x.name, x]));
  const pick = <T>(all: Record<WindowKpi, T>) => Object.fromEntries(key.map((k) => [k, all[k]])) as Partial<Record<WindowKpi, T>>;
  return {
    experiment: config.experiment.name,
    run: dir,
    trial: r.trial,
    keepsExperimentValues: keepsExperimentValues(r),
    objective,
    score: {
      train: { recommended: verdictOf(r.train.recommended), defaults: verdictOf(r.train.defaults) },
      validation:
        r.validation === undefined
          ? null
          : {
              recommended: verdictOf(r.validation.recommended),
              defaults: verdictOf(r.validation.defaults),
              episodes: r.validation.recommended.kpis.liveness.n,
            },
      heldOut: {
        recommended: verdictOf(r.heldOut.recommended),
        defaults: verdictOf(r.heldOut.defaults),
        difference: withSignificance(r.heldOut.utilityDifference),
      },
    },
    scenarios: r.heldOut.scenarios.map(scenarioScore),
    validationScenarios: (r.validation?.scenarios ?? []).map(scenarioScore),
    params: r.params,
    tuned: Object.entries(r.tuned).map(([name, value]) => {
      const spec = paramSpec(name)!;
      const def = config.params[name]!;
      const effect = effects.get(name);
      return {
        name,
        unit: spec.unit,
        value,
        default: def,
        change: value - def,
        changePercent: def === 0 ? null : ((value - def) / Math.abs(def)) * 100,
        lower: spec.lower,
        upper: spec.upper,
        verdict: effect === undefined ? "default" : effect.keepDefault ? "kept at default" : "changed",
        why: effect?.reasons ?? [],
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
      train: { ...verdictOf(p.train), kpis: pick(p.train.kpis) },
      heldOut: { ...verdictOf(p.heldOut), kpis: pick(p.heldOut.kpis) },
    })),
    droppedPresets: r.droppedPresets,
    candidates: r.candidates,
    warnings: r.warnings,
  };
}

/** The presets' axes (liveness, and cost per tx in its two parts), then the objective's KPIs. */
export function keyKpis(objective: CalibrationExport["objective"]): WindowKpi[] {
  return [...new Set<WindowKpi>(["liveness", "rewardsPerTxUsd", "l1CostPerTxUsd", ...objectiveKpis(objective)])];
}

/** A score, or for an infeasible one the constraints it misses: "infeasible: liveness 0.921 < 0.99". */
export function scoreText(s: Verdict): string {
  return s.feasible ? fmt(s.score) : feasibilityText(s);
}

/** The objective in words: "100 x liveness - 10 x rewardsPerTxUsd", and its constraints ("liveness >= 0.99"). */
export function objectiveText(objective: RunConfig["experiment"]["objective"]): { weights: string; constraints: string[] } {
  const weights = Object.entries(objective.weights)
    .map(([k, w], i) => `${w! < 0 ? "- " : i > 0 ? "+ " : ""}${Math.abs(w!)} x ${k}`)
    .join(" ");
  const constraints = objective.constraints.map((c) => `${c.kpi} ${c.min !== undefined ? `>= ${c.min}` : `<= ${c.max}`}`);
  return { weights, constraints };
}
