import type { Experiment } from "../config/schema.js";
import { WINDOW_KPIS, type WindowKpi } from "../env/windowKpis.js";

/**
 * Which way is better for the KPIs where that does not depend on what one wants (1: higher, -1:
 * lower). Counts such as active provers, joins, profit or emergency share are left out: more is
 * good for some readers and bad for others.
 */
const BETTER: Partial<Record<WindowKpi, 1 | -1>> = {
  liveness: 1,
  reorgs: -1,
  reorgedTx: -1,
  latencyMeanS: -1,
  rewardsPerTxUsd: -1,
  l1GasPerTx: -1,
  l1CostPerTxUsd: -1,
  duplicateWorkShare: -1,
  nakamotoProofsMean: 1,
  hhiProofsMean: -1,
  rewardComputeGapMean: -1,
  nakamotoStakeMean: 1,
  hhiStakeMean: -1,
  entryBarrierMean: -1,
  smallProverParticipation: 1,
  falseAlarms: -1,
  peakBacklogTx: -1,
  batchResponseMeanS: -1,
  meanWaitS: -1,
  meanSojournS: -1,
};

/**
 * 1 when higher is better, -1 when lower is, 0 when unknown: the sign of the KPI's objective
 * weight, else the side its constraint bounds, else the KPI's usual direction.
 */
export function betterDirection(kpi: WindowKpi, objective: Experiment["objective"]): 1 | -1 | 0 {
  const w = objective.weights[kpi];
  if (w !== undefined && w !== 0) return w > 0 ? 1 : -1;
  const c = objective.constraints.find((x) => x.kpi === kpi);
  if (c) return c.min !== undefined ? 1 : -1;
  return BETTER[kpi] ?? 0;
}

/** The KPIs the objective names: weighted ones, then constrained ones, each once. */
export function objectiveKpis(objective: Experiment["objective"]): WindowKpi[] {
  return [...new Set([...Object.keys(objective.weights), ...objective.constraints.map((c) => c.kpi)] as WindowKpi[])];
}

/** Every KPI, the objective's first. */
export function kpiOrder(objective: Experiment["objective"]): WindowKpi[] {
  return [...new Set<WindowKpi>([...objectiveKpis(objective), ...WINDOW_KPIS])];
}
