import type { ParamValues } from "../config/paramSpace.js";
import { repairConsistency } from "../config/resolve.js";
import type { Experiment } from "../config/schema.js";
import type { WindowKpi } from "../env/windowKpis.js";
import type { Bundle } from "./bundle.js";
import type { Evaluation } from "./evaluate.js";
import type { Executor } from "./executor.js";
import { pairedDifference, type MeanInterval } from "./stats.js";

/**
 * What moving one tuned parameter back to its default does to a candidate, on the training episodes
 * the search used (common random numbers: the paired differences are the parameter's, not the draws').
 */
export interface ParameterEffect {
  name: string;
  value: number;
  default: number;
  /** Back at the default minus at the value, per training episode: the objective (weighted KPI sum) and each KPI it reads. */
  objective: MeanInterval;
  kpis: Partial<Record<WindowKpi, MeanInterval>>;
  /** Whether the calibration still meets the constraints on training with the parameter at its default. */
  feasibleAtDefault: boolean;
  /** "keep the default": every effect is within noise, so the recommendation leaves the parameter at its default. */
  keepDefault: boolean;
  /** Why the change matters (the effects outside noise), or why the default could not be tested. */
  reasons: string[];
}

export interface InertAnalysis {
  /** The calibration with the inert parameters back at their defaults. */
  params: ParamValues;
  /** One per tuned parameter the candidate moved from its default. */
  effects: ParameterEffect[];
  /** Parameters within noise alone but kept as tuned, since reverting them with the others changed the outcome; null if none. */
  jointly: string | null;
}

/**
 * An effect is within noise when the 95 % t interval of its paired episode differences contains 0
 * (with one episode, only when the difference is exactly 0). The t interval, not a bootstrap, because
 * differences are unbounded and a percentile bootstrap on a few episodes is too narrow: noise must
 * not be under-stated here, or a parameter that does nothing would be kept as a finding.
 */
export function withinNoise(d: MeanInterval): boolean {
  if (Number.isNaN(d.mean)) return true;
  return d.n >= 2 ? d.low <= 0 && d.high >= 0 : d.mean === 0;
}

/** The KPIs whose effect decides: those the objective weighs or constrains. */
export function decidingKpis(objective: Experiment["objective"]): WindowKpi[] {
  return [...new Set([...(Object.keys(objective.weights) as WindowKpi[]), ...objective.constraints.map((c) => c.kpi)])];
}

/**
 * Each moved parameter is set back to its default alone and the calibration re-scored on the training
 * split; one whose effects on the objective and on every KPI it reads are within noise, and that keeps
 * the calibration feasible, is inert: the recommendation keeps its default. Reverted together, the
 * inert parameters must keep the calibration feasible and not lower its mean objective; when their
 * small effects add up to a loss, only as many as lose nothing (smallest effect first) stay at their defaults.
 */
export async function analyseInert(bundle: Bundle, candidate: ParamValues, executor: Executor, seeds: number): Promise<InertAnalysis> {
  const moved = bundle.space.specs.map((s) => s.name).filter((name) => candidate[name] !== bundle.params[name]);
  const revert = (names: readonly string[]) =>
    repairConsistency({ ...candidate, ...Object.fromEntries(names.map((n) => [n, bundle.params[n]!])) });
  const singles = moved.map((name) => revert([name]));
  const task = (params: ParamValues) => ({ params, split: "train" as const, seeds });
  const [base, ...reverted] = await executor.evaluateAll([task(candidate), ...singles.map(task)]);
  const objective = bundle.experiment.objective;
  const effects = moved.map((name, i): ParameterEffect => {
    const change = changeOf(base!, reverted[i]!, objective);
    const reasons = singles[i]![name] === bundle.params[name] ? change.reasons : ["its default breaks a relation with another parameter"];
    return { name, value: candidate[name]!, default: bundle.params[name]!, ...change, keepDefault: reasons.length === 0, reasons };
  });
  // Effects within noise alone may add up: revert the inert parameters together, smallest objective
  // effect first, as many as do no harm (a binary search on how many). Harm is a lower mean objective
  // on the same episodes, significant or not: several parameters each within noise can carry the whole
  // gain the search found (quickstart, batching and emergency: +0.37 on training and +0.40 on the
  // validation seeds), and a test of significance on a dozen episodes would hand it all back. Parameters
  // that never act change nothing (common random numbers: a difference of exactly 0) and still revert.
  const inert = effects
    .filter((e) => e.keepDefault)
    .sort((a, b) => Math.abs(a.objective.mean) - Math.abs(b.objective.mean))
    .map((e) => e.name);
  let failure: string[] = [];
  const holds = async (count: number) => {
    const [joint] = await executor.evaluateAll([task(revert(inert.slice(0, count)))]);
    failure = harmOf(base!, joint!);
    return failure.length === 0;
  };
  let ok = Math.min(1, inert.length);
  if (inert.length > 1 && !(await holds(inert.length))) {
    let bad = inert.length;
    let why = failure;
    while (bad - ok > 1) {
      const mid = Math.floor((ok + bad) / 2);
      if (await holds(mid)) ok = mid;
      else [bad, why] = [mid, failure];
    }
    failure = why;
  } else ok = inert.length;
  const atDefault = new Set(inert.slice(0, ok));
  const rejected = inert.slice(ok);
  const together = `within noise alone, but reverting it too with the ${ok} kept at default does harm (${failure.join("; ")})`;
  return {
    params: revert([...atDefault]),
    effects: effects.map((e) => (e.keepDefault && !atDefault.has(e.name) ? { ...e, keepDefault: false, reasons: [together] } : e)),
    jointly: rejected.length > 0 ? `${rejected.join(", ")}: ${together}` : null,
  };
}

/** Whether a change of calibration loses feasibility or lowers the mean objective, on the same training episodes. */
function harmOf(base: Evaluation, after: Evaluation): string[] {
  const d = pairedDifference(after.episodeUtilities, base.episodeUtilities);
  return [
    ...(base.feasible && !after.feasible ? ["the defaults make the calibration infeasible"] : []),
    ...(d.mean < 0 ? [`objective ${effectText(d)}`] : []),
  ];
}

/** What a change of calibration does on the same training episodes, and which of its effects lie outside noise. */
function changeOf(
  base: Evaluation,
  after: Evaluation,
  objective: Experiment["objective"],
): Pick<ParameterEffect, "objective" | "kpis" | "feasibleAtDefault" | "reasons"> {
  const objectiveEffect = pairedDifference(after.episodeUtilities, base.episodeUtilities);
  const kpis: Partial<Record<WindowKpi, MeanInterval>> = {};
  for (const k of decidingKpis(objective)) {
    const pairs = after.episodeKpis.map((e, i) => [e[k], base.episodeKpis[i]![k]] as const).filter(([a, b]) => Number.isFinite(a + b));
    if (pairs.length > 0) {
      kpis[k] = pairedDifference(
        pairs.map(([a]) => a),
        pairs.map(([, b]) => b),
      );
    }
  }
  const reasons: string[] = [];
  if (base.feasible && !after.feasible) reasons.push("the default makes the calibration infeasible");
  if (!withinNoise(objectiveEffect)) reasons.push(`objective ${effectText(objectiveEffect)}`);
  for (const [k, d] of Object.entries(kpis)) if (!withinNoise(d)) reasons.push(`${k} ${effectText(d)}`);
  return { objective: objectiveEffect, kpis, feasibleAtDefault: after.feasible, reasons };
}

/** "-0.52 [-0.81, -0.23]": the change at the default, with its interval. */
function effectText(d: MeanInterval): string {
  const f = (x: number) => String(Number(x.toPrecision(3)));
  return Number.isFinite(d.low) ? `${f(d.mean)} [${f(d.low)}, ${f(d.high)}]` : f(d.mean);
}
