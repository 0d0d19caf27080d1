import type { AuditReport, StrategyResult } from "../audit/audit.js";
import type { ParamValues } from "../config/paramSpace.js";
import type { Bundle } from "./bundle.js";
import type { Evaluation } from "./evaluate.js";
import type { Executor } from "./executor.js";
import { analyseInert, type InertAnalysis } from "./inert.js";
import { shownScore, type Violation } from "./objective.js";
import type { MeanInterval } from "./stats.js";
import { trialParams, type Trial } from "./trial.js";

/** A strategy whose gain interval lies above 0 against a candidate. */
export interface Exploit {
  strategy: StrategyResult["name"];
  setting: StrategyResult["setting"];
  coalitionShare: number | null;
  gainUsd: MeanInterval;
}

/** The per-identity fee raised on a candidate to price identity splitting out (its counter in the mechanism). */
export interface Repair {
  parameter: typeof IDENTITY_FEE;
  from: number;
  to: number;
  /** Training score after the repair (null when infeasible). */
  score: number | null;
  feasible: boolean;
}

export const IDENTITY_FEE = "base.identityFeeUsdPerEpoch";

/** Repairs tried on one candidate before the next is audited. */
const MAX_REPAIRS = 2;

/** A finalist's score on the validation seeds. */
export interface ValidationScore {
  /** null when infeasible. */
  score: number | null;
  feasible: boolean;
  violations: Violation[];
}

/** One of the best trials as selection saw it, in recommendation.json. */
export interface CandidateRecord {
  trial: number;
  /** Training score of the search (null when infeasible). */
  score: number | null;
  feasible: boolean;
  violations: Violation[];
  validation: ValidationScore;
  /** Tuned parameters returned to their default as inert before the audit. */
  keptAtDefault: string[];
  /** recommended: audited (or not, with the audit off) and chosen; exploitable: the audit found an exploit; not reached: a better candidate survived first. */
  outcome: "recommended" | "exploitable" | "recommended, exploitable" | "not reached";
  exploits: Exploit[];
  /** Identity fees tried against a splitting exploit, in order; the last is the candidate's (exploits are after it). */
  repairs: Repair[];
}

export interface Selection {
  trial: Trial;
  inert: InertAnalysis;
  audit: AuditReport | null;
  /** Every candidate was exploitable: the best one is recommended anyway. */
  exploitable: boolean;
  candidates: CandidateRecord[];
}

/**
 * The finalists, best first by their score on the validation seeds: the `tune.finalists` best trials by
 * training score and trial 0 when it holds the experiment's own values (the baseline), each scored again
 * on the validation split (the training scenarios on seeds of their own; ties: training rank).
 */
export async function validateFinalists(
  bundle: Bundle,
  trials: readonly Trial[],
  executor: Executor,
): Promise<{ trial: Trial; validation: Evaluation }[]> {
  const finalists = rankCandidates(trials, bundle.experiment.tune.finalists);
  const baseline = trials.find((t) => t.trial === 0 && isBaseline(bundle, t));
  if (baseline && !finalists.some((t) => JSON.stringify(t.params) === JSON.stringify(baseline.params))) finalists.push(baseline);
  const seeds = bundle.experiment.tune.seeds.validation;
  const scored = await executor.evaluateAll(
    finalists.map((t) => ({ params: trialParams(bundle.params, t), split: "validation" as const, seeds })),
  );
  return finalists
    .map((trial, i) => ({ trial, validation: scored[i]!, rank: i }))
    .sort((a, b) => b.validation.score - a.validation.score || a.rank - b.rank)
    .map(({ trial, validation }) => ({ trial, validation }));
}

/** The trial holds the experiment's own values (trial 0 of a run). */
function isBaseline(bundle: Bundle, t: Trial): boolean {
  return Object.entries(t.params).every(([name, value]) => bundle.params[name] === value);
}

/** The best trials by training score (the earliest on ties), one per distinct calibration, at most `count`. */
export function rankCandidates(trials: readonly Trial[], count: number): Trial[] {
  const seen = new Set<string>();
  const out: Trial[] = [];
  for (const t of [...trials].sort((a, b) => b.score - a.score || a.trial - b.trial)) {
    const key = JSON.stringify(t.params);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(t);
    if (out.length === count) break;
  }
  return out;
}

/**
 * The recommendation: the finalists in validation-score order (`validateFinalists`), each with its inert parameters back at
 * their defaults, are audited until one has no strategy whose gain interval lies above 0. A candidate
 * whose only exploit is identity splitting, when the per-identity fee is tuned, is repaired first: the
 * fee is raised to what the split's gain (its interval's top) shared over the extra identities comes
 * to, kept only if the calibration stays feasible on training, and audited again (at most
 * MAX_REPAIRS times). When none survives, the best is recommended and flagged exploitable. With the
 * audit off, the best is taken.
 */
export async function selectCandidate(
  bundle: Bundle,
  trials: readonly Trial[],
  executor: Executor,
  audit: ((params: ParamValues) => Promise<AuditReport>) | null,
): Promise<Selection> {
  const finalists = await validateFinalists(bundle, trials, executor);
  const validationOf = new Map(finalists.map((f) => [f.trial.trial, f.validation]));
  const ranked = finalists.slice(0, audit ? bundle.experiment.audit.candidates : 1).map((f) => f.trial);
  const examined: { trial: Trial; inert: InertAnalysis; audit: AuditReport | null; exploits: Exploit[]; repairs: Repair[] }[] = [];
  const seeds = bundle.experiment.tune.seeds.train;
  for (const trial of ranked) {
    const inert = await analyseInert(bundle, trialParams(bundle.params, trial), executor, seeds);
    let report = audit ? await audit(inert.params) : null;
    let params = inert.params;
    const repairs: Repair[] = [];
    while (audit && report && repairs.length < MAX_REPAIRS) {
      const fee = splitCounter(bundle, params, report);
      if (fee === null) break;
      const repaired = { ...params, [IDENTITY_FEE]: fee };
      const scored = (await executor.evaluateAll([{ params: repaired, split: "train", seeds }]))[0]!;
      repairs.push({ parameter: IDENTITY_FEE, from: params[IDENTITY_FEE]!, to: fee, score: shownScore(scored), feasible: scored.feasible });
      if (!scored.feasible) break;
      params = repaired;
      report = await audit(params);
    }
    const exploits = (report?.strategies ?? []).filter((s) => s.exploit).map(exploitOf);
    examined.push({ trial, inert: { ...inert, params }, audit: report, exploits, repairs });
    if (exploits.length === 0) break;
  }
  const survivor = examined.findIndex((e) => e.exploits.length === 0);
  const chosen = survivor >= 0 ? survivor : 0;
  const record = (t: Trial, i: number): CandidateRecord => {
    const e = examined[i];
    const outcome =
      e === undefined ? "not reached" : i === chosen ? (survivor >= 0 ? "recommended" : "recommended, exploitable") : "exploitable";
    const v = validationOf.get(t.trial)!;
    return {
      trial: t.trial,
      score: shownScore(t),
      feasible: t.feasible,
      violations: t.violations,
      validation: { score: shownScore(v), feasible: v.feasible, violations: v.violations },
      keptAtDefault: e ? e.inert.effects.filter((x) => x.keepDefault).map((x) => x.name) : [],
      outcome,
      exploits: e?.exploits ?? [],
      repairs: e?.repairs ?? [],
    };
  };
  const pick = examined[chosen]!;
  return { trial: pick.trial, inert: pick.inert, audit: pick.audit, exploitable: survivor < 0, candidates: ranked.map(record) };
}

/**
 * The per-identity fee that prices out the audit's splitting exploits, or null when the fee is not
 * tuned, an exploit other than splitting was found, or the fee is already at its bound: the top of
 * each split gain's interval shared over the identities it adds, rounded up to a cent.
 */
export function splitCounter(bundle: Bundle, params: ParamValues, report: AuditReport): number | null {
  const spec = bundle.space.specs.find((x) => x.name === IDENTITY_FEE);
  const exploits = report.strategies.filter((s) => s.exploit);
  if (!spec || exploits.length === 0 || exploits.some((s) => s.name !== "split")) return null;
  const needed = Math.max(...exploits.map((s) => s.intervals.gainUsd.high / Math.max(1, s.identities - 1)));
  const fee = Math.min(spec.upper, Math.ceil((params[IDENTITY_FEE]! + needed) * 100) / 100);
  return fee > params[IDENTITY_FEE]! ? fee : null;
}

/** ", after raising the identity fee 0 -> 7.62 USD/epoch" (or "..., infeasible at 9.1"), or "" without repairs. */
export function repairText(c: Pick<CandidateRecord, "repairs">): string {
  if (c.repairs.length === 0) return "";
  const kept = c.repairs.filter((r) => r.feasible);
  const failed = c.repairs.find((r) => !r.feasible);
  const raised = kept.length > 0 ? `, after raising ${IDENTITY_FEE} ${kept[0]!.from} -> ${kept[kept.length - 1]!.to} USD/epoch` : "";
  return raised + (failed ? `, infeasible on training with it at ${failed.to}` : "");
}

function exploitOf(s: StrategyResult): Exploit {
  return { strategy: s.name, setting: s.setting, coalitionShare: s.coalitionShare, gainUsd: s.intervals.gainUsd };
}
