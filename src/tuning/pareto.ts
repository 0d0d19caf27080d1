import type { WindowKpis } from "../env/windowKpis.js";
import { violationText, type Violation } from "./objective.js";

/**
 * Presets trade liveness against what proving costs the rollup's users per transaction: the rewards
 * paid to provers (racing compensation and bonuses included) plus the L1 verification and data cost.
 * These are the two sides of the mechanism's main dial: more redundancy, margin and smaller batches
 * buy liveness with money; the objective's other terms are second-order next to them.
 */
export const PRESETS = ["conservative", "moderate", "aggressive"] as const;
export type PresetName = (typeof PRESETS)[number];

/** What preset selection reads of a trial. */
export interface Candidate {
  trial: number;
  feasible: boolean;
  kpis: WindowKpis;
}

/** What users pay per transaction: the rewards paid to provers plus the L1 verification and data cost (USD/tx). */
export function userCostPerTx(k: Pick<WindowKpis, "rewardsPerTxUsd" | "l1CostPerTxUsd">): number {
  return k.rewardsPerTxUsd + k.l1CostPerTxUsd;
}

export interface FrontPoint {
  trial: number;
  liveness: number;
  /** rewardsPerTxUsd + l1CostPerTxUsd */
  cost: number;
}

/**
 * The non-dominated points (liveness max, cost min), by liveness descending (so cost descending
 * too). Of points with equal liveness and cost only the earliest trial is kept.
 */
export function paretoFront(points: readonly FrontPoint[]): FrontPoint[] {
  return nonDominated(
    points,
    (p) => p.liveness,
    (p) => p.cost,
  );
}

/**
 * The points no other point beats on both `gain` (higher is better) and `cost` (lower is better),
 * by gain descending; of equal points only the earliest trial is kept.
 */
export function nonDominated<T extends { trial: number }>(points: readonly T[], gain: (p: T) => number, cost: (p: T) => number): T[] {
  const sorted = [...points].sort((a, b) => gain(b) - gain(a) || cost(a) - cost(b) || a.trial - b.trial);
  const front: T[] = [];
  for (const p of sorted) if (front.length === 0 || cost(p) < cost(front[front.length - 1]!)) front.push(p);
  return front;
}

/**
 * conservative: the highest liveness (ties: lower cost); aggressive: the lowest cost; moderate: the
 * knee, the point closest to the utopia point (best liveness, best cost) once both axes are scaled
 * to [0, 1] over the front (ties: higher liveness).
 */
export function choosePresets(front: readonly FrontPoint[]): Record<PresetName, FrontPoint> {
  if (front.length === 0) throw new Error("an empty front has no presets");
  const first = front[0]!;
  const last = front[front.length - 1]!;
  const livenessRange = first.liveness - last.liveness || 1;
  const costRange = first.cost - last.cost || 1;
  const distance = (p: FrontPoint) => Math.hypot((first.liveness - p.liveness) / livenessRange, (p.cost - last.cost) / costRange);
  const knee = front.reduce((best, p) => (distance(p) < distance(best) ? p : best));
  return { conservative: first, moderate: knee, aggressive: last };
}

/**
 * The trials the presets are taken from, on the Pareto front of the feasible trials (of all trials
 * when none is feasible); undefined when no trial has finite liveness and cost.
 */
export function presetTrials<T extends Candidate>(trials: readonly T[]): Record<PresetName, T> | undefined {
  const feasible = trials.filter((t) => t.feasible);
  const pool = (feasible.length > 0 ? feasible : trials)
    // Trials restored from a checkpoint hold null where a KPI was NaN, and null + x is x: test each part.
    .filter((t) => [t.kpis.liveness, t.kpis.rewardsPerTxUsd, t.kpis.l1CostPerTxUsd].every(Number.isFinite));
  if (pool.length === 0) return undefined;
  const byTrial = new Map(pool.map((t) => [t.trial, t]));
  const chosen = choosePresets(paretoFront(pool.map((t) => ({ trial: t.trial, liveness: t.kpis.liveness, cost: userCostPerTx(t.kpis) }))));
  return {
    conservative: byTrial.get(chosen.conservative.trial)!,
    moderate: byTrial.get(chosen.moderate.trial)!,
    aggressive: byTrial.get(chosen.aggressive.trial)!,
  };
}

/** A preset as re-scored on the held-out split: what screening reads. */
export interface HeldOutPreset {
  name: PresetName;
  trial: number;
  feasible: boolean;
  violations: readonly Violation[];
  /** Held-out means. */
  liveness: number;
  cost: number;
}

export interface DroppedPreset {
  name: PresetName;
  trial: number;
  reason: string;
}

/**
 * Presets are chosen on the training figures; they are kept only when the held-out ones bear them
 * out. Dropped, with the reason: a preset infeasible on held-out (or without a held-out liveness or
 * cost); one another kept preset beats on held-out liveness and cost at once; then a conservative
 * preset without the highest held-out liveness of those left, and an aggressive one without the
 * lowest cost. What is left is ordered: liveness and cost both fall from conservative to aggressive.
 */
export function screenPresets<T extends HeldOutPreset>(presets: readonly T[]): { kept: T[]; dropped: DroppedPreset[] } {
  const dropped: DroppedPreset[] = [];
  const drop = (p: T, reason: string) => dropped.push({ name: p.name, trial: p.trial, reason });
  const viable = presets.filter((p) => {
    if (!p.feasible) drop(p, `infeasible on held-out: ${p.violations.map(violationText).join(", ")}`);
    else if (!Number.isFinite(p.liveness) || !Number.isFinite(p.cost)) drop(p, "no held-out liveness or cost per transaction");
    else return true;
    return false;
  });
  const undominated = viable.filter((p) => {
    const better = viable.find(
      (q) => q.trial !== p.trial && q.liveness >= p.liveness && q.cost <= p.cost && (q.liveness > p.liveness || q.cost < p.cost),
    );
    if (better) {
      drop(
        p,
        `on held-out, ${better.name} (trial ${better.trial}) has liveness ${fmt4(better.liveness)} >= ${fmt4(p.liveness)} ` +
          `at cost ${fmt4(better.cost)} <= ${fmt4(p.cost)} USD/tx`,
      );
    }
    return better === undefined;
  });
  const kept = undominated.filter((p) => {
    const above = undominated.find((q) => q.liveness > p.liveness);
    const cheaper = undominated.find((q) => q.cost < p.cost);
    if (p.name === "conservative" && above) {
      drop(p, `held-out liveness ${fmt4(p.liveness)} is below ${above.name}'s ${fmt4(above.liveness)}`);
      return false;
    }
    if (p.name === "aggressive" && cheaper) {
      drop(p, `held-out cost ${fmt4(p.cost)} USD/tx is above ${cheaper.name}'s ${fmt4(cheaper.cost)}`);
      return false;
    }
    return true;
  });
  dropped.sort((a, b) => PRESETS.indexOf(a.name) - PRESETS.indexOf(b.name));
  return { kept, dropped };
}

function fmt4(x: number): string {
  return String(Number(x.toPrecision(4)));
}
