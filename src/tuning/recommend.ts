import type { AuditArmTask, EpisodeOutcome } from "../audit/audit.js";
import { settingText } from "../audit/format.js";
import type { ParamValues } from "../config/paramSpace.js";
import { WINDOW_KPIS, type WindowKpi, type WindowKpis } from "../env/windowKpis.js";
import { Stream } from "../rng/streams.js";
import type { Bundle } from "./bundle.js";
import type { CandidateRecord, Selection } from "./candidates.js";
import { scenarioEpisodes, type Evaluation } from "./evaluate.js";
import type { EvaluationTask } from "./evaluationTask.js";
import type { Executor } from "./executor.js";
import type { ParameterEffect } from "./inert.js";
import { scoreKpis, verdict, violationText, type Scored, type Verdict } from "./objective.js";
import { PRESETS, presetTrials, screenPresets, userCostPerTx, type DroppedPreset, type PresetName } from "./pareto.js";
import { kpiInterval, pairedDefinedDifference, pairedDifference, type MeanInterval } from "./stats.js";
import { trialParams, type Trial } from "./trial.js";

/** A calibration on one split: its score, and each KPI's mean over episodes with a 95 % bootstrap interval (within the KPI's bounds). */
export interface Assessment extends Verdict {
  kpis: Record<WindowKpi, MeanInterval>;
}

export interface SplitComparison {
  recommended: Assessment;
  defaults: Assessment;
}

/** One held-out scenario: its episodes alone. */
export interface ScenarioComparison extends SplitComparison {
  scenario: string;
  /** Recommended minus defaults of the weighted objective, paired by episode, with a 95 % t interval. */
  utilityDifference: MeanInterval;
}

export interface HeldOutComparison extends SplitComparison {
  /** Recommended minus defaults, per held-out episode (same seeds), of the weighted objective (95 % t interval). */
  utilityDifference: MeanInterval;
  /** Recommended minus defaults, per held-out episode where both define it, of each KPI (95 % t interval). */
  kpiDifferences: Record<WindowKpi, MeanInterval>;
  scenarios: ScenarioComparison[];
}

/** A trial of the Pareto front (liveness vs cost per tx; src/tuning/pareto.ts) that held on the held-out split. */
export interface Preset {
  name: PresetName;
  trial: number;
  tuned: ParamValues;
  train: Verdict & { kpis: WindowKpis };
  heldOut: Assessment;
}

export interface Warning {
  kind: "infeasible" | "exploitable";
  message: string;
}

export interface Recommendation {
  params: ParamValues;
  /** The tuned parameters' values; the inert ones at their defaults. */
  tuned: ParamValues;
  trial: number;
  train: SplitComparison;
  /** The training scenarios on the finalists' validation seeds. */
  validation: SplitComparison & {
    /** Each training scenario alone on the validation seeds: where a gain over the defaults comes from. */
    scenarios: ScenarioComparison[];
  };
  heldOut: HeldOutComparison;
  /** Those of conservative, moderate, aggressive that held on held-out, in that order. */
  presets: Preset[];
  droppedPresets: DroppedPreset[];
  /** Each tuned parameter the search moved: its effect, and whether the recommendation keeps its default. */
  parameters: { effects: ParameterEffect[]; jointly: string | null };
  /** The best finalists, in validation-score order, as the audit judged them. */
  candidates: CandidateRecord[];
  /** Empty when the recommendation is feasible on both splits and no audited strategy pays. */
  warnings: Warning[];
}

/**
 * The recommendation is the experiment's own values: the search moved no tuned parameter from them
 * (trial 0 of a run won). tune's summary, export and the report all say so from this.
 */
export function keepsExperimentValues(r: Pick<Recommendation, "parameters">): boolean {
  return r.parameters.effects.length === 0;
}

/**
 * The selected candidate and the proposal's defaults on both splits, per held-out scenario, and the
 * presets on the held-out split (kept only where the held-out figures bear them out), in one batch.
 */
export async function recommend(
  bundle: Bundle,
  trials: readonly Trial[],
  selection: Selection,
  executor: Executor,
): Promise<Recommendation> {
  const params = selection.inert.params;
  const tunedNames = bundle.space.specs.map((s) => s.name);
  const full = (t: Trial) => trialParams(bundle.params, t);
  const picked = presetTrials(trials);
  const candidates = picked ? PRESETS.map((name) => ({ name, trial: picked[name] })) : [];
  const { train, validation, heldOut } = bundle.experiment.tune.seeds;
  const [rec, def, recTrain, defTrain, recValidation, defValidation, ...presetResults] = await executor.evaluateAll([
    { params, split: "heldOut", seeds: heldOut },
    { params: bundle.params, split: "heldOut", seeds: heldOut },
    { params, split: "train", seeds: train },
    { params: bundle.params, split: "train", seeds: train },
    { params, split: "validation", seeds: validation },
    { params: bundle.params, split: "validation", seeds: validation },
    ...candidates.map((p) => ({ params: full(p.trial), split: "heldOut" as const, seeds: heldOut })),
  ]);
  const intervals = Stream.root(bundle.experiment.seed).child("intervals");
  const objective = bundle.experiment.objective;
  /** Each scenario of a split alone: its slice of the episodes (scenario-major order), recommended against defaults. */
  const compareScenarios = (names: readonly string[], seeds: number, r: Evaluation, d: Evaluation, stream: Stream): ScenarioComparison[] =>
    names.map((name, i) => {
      const at = stream.child(name);
      const episodes = (e: Evaluation) => scenarioEpisodes(e.episodeKpis, i, seeds);
      const utilities = (e: Evaluation) => scenarioEpisodes(e.episodeUtilities, i, seeds);
      return {
        scenario: name,
        recommended: assessEpisodes(scoreKpis(r.scenarios[name]!, objective), episodes(r), at.child("recommended")),
        defaults: assessEpisodes(scoreKpis(d.scenarios[name]!, objective), episodes(d), at.child("defaults")),
        utilityDifference: pairedDifference(utilities(r), utilities(d)),
      };
    });
  const scenarios = compareScenarios(
    bundle.heldOut.map((s) => s.name),
    heldOut,
    rec!,
    def!,
    intervals.child("scenario"),
  );
  const screened = screenPresets(
    candidates.map(({ name, trial: t }, i) => {
      const held = assess(presetResults[i]!, intervals.child("preset").child(name));
      return {
        name,
        trial: t.trial,
        feasible: held.feasible,
        violations: held.violations,
        liveness: held.kpis.liveness.mean,
        cost: userCostPerTx({ rewardsPerTxUsd: held.kpis.rewardsPerTxUsd.mean, l1CostPerTxUsd: held.kpis.l1CostPerTxUsd.mean }),
        preset: {
          name,
          trial: t.trial,
          tuned: t.params,
          train: { ...verdict(t), kpis: t.kpis },
          heldOut: held,
        } satisfies Preset,
      };
    }),
  );
  const recommendation: Omit<Recommendation, "warnings"> = {
    params,
    tuned: Object.fromEntries(tunedNames.map((n) => [n, params[n]!])),
    trial: selection.trial.trial,
    train: {
      recommended: assess(recTrain!, intervals.child("train").child("recommended")),
      defaults: assess(defTrain!, intervals.child("train").child("defaults")),
    },
    validation: {
      recommended: assess(recValidation!, intervals.child("validation").child("recommended")),
      defaults: assess(defValidation!, intervals.child("validation").child("defaults")),
      scenarios: compareScenarios(
        bundle.train.map((s) => s.name),
        validation,
        recValidation!,
        defValidation!,
        intervals.child("validation").child("scenario"),
      ),
    },
    heldOut: {
      recommended: assess(rec!, intervals.child("heldOut").child("recommended")),
      defaults: assess(def!, intervals.child("heldOut").child("defaults")),
      utilityDifference: pairedDifference(rec!.episodeUtilities, def!.episodeUtilities),
      kpiDifferences: perKpi((k) =>
        pairedDefinedDifference(
          rec!.episodeKpis.map((e) => e[k]),
          def!.episodeKpis.map((e) => e[k]),
        ),
      ),
      scenarios,
    },
    presets: screened.kept.map((p) => p.preset),
    droppedPresets: screened.dropped,
    parameters: { effects: selection.inert.effects, jointly: selection.inert.jointly },
    candidates: selection.candidates,
  };
  return { ...recommendation, warnings: warnings(recommendation, selection) };
}

function warnings(r: Omit<Recommendation, "warnings">, selection: Selection): Warning[] {
  const out: Warning[] = [];
  const splits = [
    ["training", r.train.recommended],
    ["validation", r.validation.recommended],
    ["held-out", r.heldOut.recommended],
  ] as const;
  const infeasible = splits
    .filter(([, a]) => !a.feasible)
    .map(([split, a]) => `on ${split} (${a.violations.map(violationText).join(", ")})`);
  if (infeasible.length > 0) out.push({ kind: "infeasible", message: `the recommendation misses a constraint ${infeasible.join(", ")}` });
  if (selection.exploitable) {
    const found = selection.candidates
      .filter((c) => c.outcome !== "not reached")
      .map((c) => `trial ${c.trial}: ${c.exploits.map((e) => `${e.strategy} ${settingText(e)}`).join(", ")}`);
    out.push({
      kind: "exploitable",
      message: `no audited candidate survived the exploit audit (${found.join("; ")}); the best is recommended anyway`,
    });
  }
  return out;
}

function assess(e: Evaluation, stream: Stream): Assessment {
  return assessEpisodes(e, e.episodeKpis, stream);
}

function assessEpisodes(s: Scored, episodes: readonly WindowKpis[], stream: Stream): Assessment {
  return {
    ...verdict(s),
    kpis: perKpi((k) =>
      kpiInterval(
        episodes.map((x) => x[k]),
        stream.child(k),
      ),
    ),
  };
}

function perKpi(f: (kpi: WindowKpi) => MeanInterval): Record<WindowKpi, MeanInterval> {
  return Object.fromEntries(WINDOW_KPIS.map((k) => [k, f(k)])) as Record<WindowKpi, MeanInterval>;
}

/**
 * Evaluates each distinct task once (the candidate's training figures, a preset that is the
 * recommendation itself...): answers in task order, remembering every answer for later batches.
 */
export class CachingExecutor implements Executor {
  private readonly done = new Map<string, Evaluation>();

  constructor(private readonly inner: Executor) {}

  async evaluateAll(tasks: readonly EvaluationTask[]): Promise<Evaluation[]> {
    const keys = tasks.map((t) => JSON.stringify(t));
    const missing = [...new Set(keys.filter((k) => !this.done.has(k)))];
    const results = await this.inner.evaluateAll(missing.map((k) => tasks[keys.indexOf(k)]!));
    missing.forEach((k, i) => this.done.set(k, results[i]!));
    return keys.map((k) => this.done.get(k)!);
  }

  auditArms(tasks: readonly AuditArmTask[]): Promise<EpisodeOutcome[][]> {
    return this.inner.auditArms(tasks);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
