import type { EpisodeOutcome } from "../../src/audit/audit.js";
import type { ParamValues } from "../../src/config/paramSpace.js";
import { WINDOW_KPIS, type WindowKpis } from "../../src/env/windowKpis.js";
import type { Bundle } from "../../src/tuning/bundle.js";
import type { Evaluation } from "../../src/tuning/evaluate.js";
import type { EvaluationTask } from "../../src/tuning/evaluationTask.js";
import type { Executor } from "../../src/tuning/executor.js";
import { scoreKpis, weightedSum } from "../../src/tuning/objective.js";

/** Evaluations of a made-up network for unit tests of what tune does with them: `kpis(params, k)` is episode k's KPIs; everything else 0. */
export class FakeExecutor implements Executor {
  constructor(
    private readonly b: Bundle,
    private readonly episodes: number,
    private readonly kpis: (p: ParamValues, k: number) => Partial<WindowKpis>,
  ) {}

  evaluateAll(tasks: readonly EvaluationTask[]): Promise<Evaluation[]> {
    return Promise.resolve(tasks.map((t) => this.evaluate(t.params)));
  }

  /** A made-up network has no attackers to run: the tests pass their own audit function. */
  auditArms(): Promise<EpisodeOutcome[][]> {
    return Promise.reject(new Error("FakeExecutor runs no audit arms; pass selectCandidate an audit function"));
  }

  private evaluate(params: ParamValues): Evaluation {
    const zero = Object.fromEntries(WINDOW_KPIS.map((k) => [k, 0])) as WindowKpis;
    const episodeKpis = Array.from({ length: this.episodes }, (_, k) => ({ ...zero, ...this.kpis(params, k) }));
    const mean = Object.fromEntries(WINDOW_KPIS.map((k) => [k, episodeKpis.reduce((s, e) => s + e[k], 0) / this.episodes])) as WindowKpis;
    const objective = this.b.experiment.objective;
    return {
      ...scoreKpis(mean, objective),
      kpis: mean,
      undefinedEpisodes: {},
      scenarios: { [this.b.experiment.name]: mean },
      episodes: this.episodes,
      episodeKpis,
      episodeUtilities: episodeKpis.map((e) => weightedSum(e, objective)),
      params,
    };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
