import type { Experiment } from "../config/schema.js";
import type { WindowKpi, WindowKpis } from "../env/summary.js";

export interface Scored {
  /** Higher is better: the number tune maximises. */
  score: number;
  feasible: boolean;
  /** Per violated constraint, by how much (in the KPI's unit). */
  violations: Partial<Record<WindowKpi, number>>;
}

/** Scores below this are infeasible; among them, a smaller total violation ranks higher. */
export const INFEASIBLE = -1e9;

/**
 * The experiment's objective: score = sum of weight x KPI when every hard constraint holds;
 * otherwise INFEASIBLE minus the total violation, so any feasible candidate beats any infeasible one.
 */
export function scoreKpis(kpis: WindowKpis, objective: Experiment["objective"]): Scored {
  const { violations, total } = constraintViolations(kpis, objective);
  if (total > 0) return { score: INFEASIBLE - Math.min(total, 1e12), feasible: false, violations };
  return { score: weightedSum(kpis, objective), feasible: true, violations };
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

/** Per violated constraint, by how much; and their total (Infinity when a constrained KPI is not finite). */
export function constraintViolations(
  kpis: WindowKpis,
  objective: Experiment["objective"],
): { violations: Partial<Record<WindowKpi, number>>; total: number } {
  const violations: Partial<Record<WindowKpi, number>> = {};
  let total = 0;
  for (const c of objective.constraints) {
    const v = kpis[c.kpi];
    let miss = 0;
    if (!Number.isFinite(v)) miss = Infinity;
    else if (c.min !== undefined && v < c.min) miss = c.min - v;
    else if (c.max !== undefined && v > c.max) miss = v - c.max;
    if (miss > 0) {
      violations[c.kpi] = (violations[c.kpi] ?? 0) + miss;
      total += miss;
    }
  }
  return { violations, total };
}
