import type { Experiment } from "../config/schema.js";
import type { WindowKpi, WindowKpis } from "../env/windowKpis.js";

/** A hard constraint a calibration misses: the KPI's value against its bound (and, when scored per scenario, where). */
export interface Violation {
  kpi: WindowKpi;
  /** The KPI's value (null when it is not defined: no episode measured it). */
  value: number | null;
  bound: number;
  side: "min" | "max";
  scenario?: string;
}

export interface Scored {
  /** Higher is better: the number tune maximises (below INFEASIBLE when a constraint is missed). */
  score: number;
  feasible: boolean;
  /** The constraints missed; empty when feasible. */
  violations: Violation[];
}

/** Scores below this are infeasible; among them, a smaller total violation ranks higher. */
export const INFEASIBLE = -1e9;

/** How a split's scenarios combine into one score: the pooled KPIs, or the worst scenario, or the mean of the worst alpha share. */
export type Aggregate = Experiment["tune"]["aggregate"];

/**
 * The experiment's objective: score = sum of weight x KPI when every hard constraint holds;
 * otherwise INFEASIBLE minus the total violation, so any feasible candidate beats any infeasible one.
 */
export function scoreKpis(kpis: WindowKpis, objective: Experiment["objective"], scenario?: string): Scored {
  const violations = constraintViolations(kpis, objective).violations.map((v) => (scenario === undefined ? v : { ...v, scenario }));
  if (violations.length > 0) return { score: infeasibleScore(violations), feasible: false, violations };
  return { score: weightedSum(kpis, objective), feasible: true, violations };
}

/**
 * A split's score over its scenarios. `mean` scores the KPIs pooled over every episode; `worst` and
 * `cvar` score each scenario's mean KPIs alone and take the lowest score, or the mean of the lowest
 * ceil(alpha x scenarios) scores: every scenario must then meet the constraints on its own.
 */
export function scoreScenarios(
  pooled: WindowKpis,
  perScenario: Readonly<Record<string, WindowKpis>>,
  objective: Experiment["objective"],
  aggregate: Aggregate,
  alpha: number,
): Scored {
  const names = Object.keys(perScenario);
  if (aggregate === "mean" || names.length < 2) return scoreKpis(pooled, objective);
  const scored = names.map((name) => scoreKpis(perScenario[name]!, objective, name));
  const violations = scored.flatMap((s) => s.violations);
  if (violations.length > 0) return { score: infeasibleScore(violations), feasible: false, violations };
  const tail = scored.map((s) => s.score).sort((a, b) => a - b);
  const k = aggregate === "worst" ? 1 : Math.ceil(alpha * tail.length);
  return { score: tail.slice(0, k).reduce((s, x) => s + x, 0) / k, feasible: true, violations };
}

/** The objective's weighted KPI sum, constraints aside (non-finite KPIs count 0). */
export function weightedSum(kpis: WindowKpis, objective: Experiment["objective"]): number {
  let score = 0;
  for (const [kpi, weight] of Object.entries(objective.weights) as [WindowKpi, number][]) {
    const v = kpis[kpi];
    score += weight * (Number.isFinite(v) ? v : 0);
  }
  return score;
}

/** The violated constraints, and the total miss (Infinity when a constrained KPI is not finite). */
export function constraintViolations(kpis: WindowKpis, objective: Experiment["objective"]): { violations: Violation[]; total: number } {
  const violations: Violation[] = [];
  for (const c of objective.constraints) {
    const v = kpis[c.kpi];
    const value = Number.isFinite(v) ? v : null;
    if (c.min !== undefined && (value === null || value < c.min)) violations.push({ kpi: c.kpi, value, bound: c.min, side: "min" });
    else if (c.max !== undefined && (value === null || value > c.max)) violations.push({ kpi: c.kpi, value, bound: c.max, side: "max" });
  }
  return { violations, total: totalViolation(violations) };
}

/** How far a violation misses its bound, in the KPI's unit (Infinity for an undefined KPI). */
export function miss(v: Violation): number {
  return v.value === null ? Infinity : Math.abs(v.value - v.bound);
}

/** The score the tuner ranks an infeasible candidate by: INFEASIBLE minus its total violation (capped). Never shown. */
export function infeasibleScore(violations: readonly Violation[]): number {
  return INFEASIBLE - Math.min(totalViolation(violations), 1e12);
}

export function totalViolation(violations: readonly Violation[]): number {
  return violations.reduce((s, v) => s + miss(v), 0);
}

/** "liveness 0.921 < 0.99", "latencyMeanS undefined (max 600) in l1-gas-spike". */
export function violationText(v: Violation): string {
  const where = v.scenario === undefined ? "" : ` in ${v.scenario}`;
  if (v.value === null) return `${v.kpi} undefined (${v.side} ${v.bound})${where}`;
  return `${v.kpi} ${shortestDistinct(v.value, v.bound)} ${v.side === "min" ? "<" : ">"} ${v.bound}${where}`;
}

/** The value to 3 significant digits, more when fewer would print it equal to the bound (0.98996 < 0.99, not 0.99 < 0.99). */
function shortestDistinct(value: number, bound: number): number {
  for (let digits = 3; digits < 15; digits++) {
    const rounded = Number(value.toPrecision(digits));
    if (rounded !== bound) return rounded;
  }
  return value;
}

/** "feasible", or "infeasible: liveness 0.921 < 0.99, ...". */
export function feasibilityText(s: { feasible: boolean; violations: readonly Violation[] }): string {
  return s.feasible ? "feasible" : `infeasible: ${s.violations.map(violationText).join(", ")}`;
}

/** A score as runs report it: null when infeasible (the penalty tune ranks by is never shown), with the constraints missed. */
export interface Verdict {
  score: number | null;
  feasible: boolean;
  violations: Violation[];
}

/** The verdict of a score: null when infeasible. */
export function verdict(s: Scored): Verdict {
  return { score: shownScore(s), feasible: s.feasible, violations: s.violations };
}

/** The score outputs show: null when infeasible. */
export function shownScore(s: Pick<Scored, "score" | "feasible">): number | null {
  return s.feasible ? s.score : null;
}
