import { ArchetypePolicies } from "../../agents/prover/byArchetype.js";
import type { ParamValues } from "../config/paramSpace.js";
import { checkConsistent } from "../config/resolve.js";
import type { EpochRow } from "../env/kpis.js";
import { WINDOW_KPIS, windowKpis, type WindowKpi, type WindowKpis } from "../env/windowKpis.js";
import { Stream } from "../rng/streams.js";
import type { Bundle, Scenario } from "./bundle.js";
import { runEpisode, type EpisodeResult, type Governor } from "./episode.js";
import { scoreScenarios, weightedSum, type Scored } from "./objective.js";

/** Which scenarios and seeds: training, held-out, or validation (the training scenarios on seeds of their own, for model selection). */
export type Split = "train" | "heldOut" | "validation";

export interface Evaluation extends Scored {
  /** KPIs after the warm-up, averaged over every scenario and seed where they are defined. */
  kpis: WindowKpis;
  /** Per KPI, the episodes where it is undefined (no transaction proven: no cost per tx), left out of its mean. */
  undefinedEpisodes: Partial<Record<WindowKpi, number>>;
  /** The same, per scenario. */
  scenarios: Record<string, WindowKpis>;
  episodes: number;
  /** Each episode's KPIs, in a fixed scenario x seed order: for intervals and paired comparisons. */
  episodeKpis: WindowKpis[];
  /** Each episode's weighted KPI sum (constraints aside), in the same order. */
  episodeUtilities: number[];
  params: ParamValues;
}

/**
 * Scores one calibration on a split: every scenario of the split, `seeds` episodes each, provers
 * adapting within each episode, KPIs taken after the warm-up. Episode seeds depend only on the
 * experiment's seed, the split, the scenario and the episode index: every candidate sees the same
 * draws (common random numbers), and held-out seeds never overlap training seeds. With a governor
 * (an adaptive controller), `params` is where each episode starts and the governor moves from there.
 */
export function evaluateCalibration(
  bundle: Bundle,
  params: ParamValues,
  split: Split,
  seeds: number,
  governor: Governor | null = null,
  /** Sees every episode as it ends (e.g. to keep one for a chart without running it again). */
  onEpisode?: (scenario: Scenario, k: number, result: EpisodeResult) => void,
): Evaluation {
  checkConsistent(params);
  const warmup = bundle.experiment.objective.warmupEpochs;
  const byScenario: [string, WindowKpis[]][] = [];
  for (const scenario of split === "heldOut" ? bundle.heldOut : bundle.train) {
    const episodes: WindowKpis[] = [];
    const policies = new ArchetypePolicies(scenario.experiment);
    for (let k = 0; k < seeds; k++) {
      // Rows are kept only for a governor (it reads them) or a caller that sees the episode.
      const result = runEpisode(scenario.experiment, params, policies, episodeStream(bundle, split, scenario, k), governor, {
        recordRows: governor !== null || onEpisode !== undefined,
        windowFrom: warmupEnd(warmup, scenario.experiment.horizonEpochs),
      });
      onEpisode?.(scenario, k, result);
      episodes.push(result.windowKpis);
    }
    policies.dispose();
    byScenario.push([scenario.name, episodes]);
  }
  return scoreEpisodes(bundle, params, byScenario);
}

/**
 * Evaluations of one calibration on one scenario each (run on several workers), as the evaluation of
 * those scenarios in that order would be, to the bit: the same episodes, in the same order.
 */
export function combineScenarios(bundle: Bundle, parts: readonly Evaluation[]): Evaluation {
  const byScenario = parts.map((p): [string, WindowKpis[]] => {
    const names = Object.keys(p.scenarios);
    if (names.length !== 1) throw new Error(`combineScenarios takes evaluations of one scenario each, not of ${names.length}`);
    return [names[0]!, p.episodeKpis];
  });
  return scoreEpisodes(bundle, parts[0]!.params, byScenario);
}

/** The evaluation of each scenario's episodes, scenarios in the split's order. */
function scoreEpisodes(bundle: Bundle, params: ParamValues, byScenario: readonly [string, WindowKpis[]][]): Evaluation {
  const objective = bundle.experiment.objective;
  const perScenario: Record<string, WindowKpis> = {};
  const all: WindowKpis[] = [];
  for (const [name, episodes] of byScenario) {
    perScenario[name] = meanKpis(episodes);
    all.push(...episodes);
  }
  const kpis = meanKpis(all);
  const episodeUtilities = all.map((k) => weightedSum(k, objective));
  return {
    ...scoreScenarios(kpis, perScenario, objective, bundle.experiment.tune.aggregate, bundle.experiment.tune.cvarAlpha),
    kpis,
    undefinedEpisodes: undefinedCounts(all),
    scenarios: perScenario,
    episodes: all.length,
    episodeKpis: all,
    episodeUtilities,
    params,
  };
}

/** Scenario `i`'s part of an evaluation's per-episode values: episodes run scenario by scenario, `seeds` each. */
export function scenarioEpisodes<T>(values: readonly T[], i: number, seeds: number): T[] {
  return values.slice(i * seeds, (i + 1) * seeds);
}

/** An episode's window KPIs after the objective's warm-up (the last epoch at least). */
export function kpisAfterWarmup(rows: readonly EpochRow[], warmupEpochs: number): WindowKpis {
  return windowKpis(rows.slice(warmupEnd(warmupEpochs, rows.length)));
}

/** The first epoch counted after a warm-up: a warm-up as long as the episode leaves its last epoch. */
export function warmupEnd(warmupEpochs: number, epochs: number): number {
  return Math.min(warmupEpochs, epochs - 1);
}

/** The seed stream of episode `k` of a scenario on a split (or of the audit): the same for every calibration and arm. */
export function episodeStream(bundle: Bundle, split: Split | "audit", scenario: Scenario, k: number): Stream {
  return Stream.root(bundle.experiment.seed).child(split).child(scenario.name).child(k);
}

/** Each KPI's mean over the episodes where it is defined (NaN only if it is defined in none). */
function meanKpis(list: readonly WindowKpis[]): WindowKpis {
  const out = {} as WindowKpis;
  for (const k of WINDOW_KPIS) {
    let sum = 0;
    let n = 0;
    for (const x of list) {
      if (!Number.isFinite(x[k])) continue;
      sum += x[k];
      n++;
    }
    out[k] = n > 0 ? sum / n : NaN;
  }
  return out;
}

function undefinedCounts(list: readonly WindowKpis[]): Partial<Record<WindowKpi, number>> {
  const out: Partial<Record<WindowKpi, number>> = {};
  for (const k of WINDOW_KPIS) {
    const n = list.reduce((c, x) => c + (Number.isFinite(x[k]) ? 0 : 1), 0);
    if (n > 0) out[k] = n;
  }
  return out;
}
