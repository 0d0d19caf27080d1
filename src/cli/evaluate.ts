import { MAX_SEEDS } from "../config/schema.js";
import { AdaptiveController } from "../../agents/governance/adaptiveController.js";
import { initTensorflow } from "../ml/tensorflow.js";
import { ConfigError } from "../config/errors.js";
import { toJson, toJsonLine } from "../results/json.js";
import { loadBundle, prepareBundleBackend } from "../tuning/bundle.js";
import { evaluateCalibration, type Evaluation, type Split } from "../tuning/evaluate.js";
import { feasibilityText, shownScore, totalViolation } from "../tuning/objective.js";
import { applyParams, readParamsFile } from "../tuning/paramsInput.js";
import { stdinLines } from "./stdinLines.js";

export interface EvaluateArgs {
  experiment: string;
  params?: string | undefined;
  seeds?: number | undefined;
  heldOut: boolean;
  set: readonly string[];
  json: boolean;
  stdin: boolean;
  /** A trained adaptive controller (model.json) that governs each episode from its own starting calibration. */
  controller?: string | undefined;
}

/**
 * The JSON answer: what an external optimizer reads. An infeasible calibration has score null, the
 * constraints it misses, and their total miss in the KPIs' units (smaller is closer to feasible).
 */
function answer(e: Evaluation) {
  const undefinedEpisodes = Object.keys(e.undefinedEpisodes).length > 0 ? { undefinedEpisodes: e.undefinedEpisodes } : {};
  const misses = e.feasible ? {} : { violations: e.violations, totalViolation: totalViolation(e.violations) };
  return { score: shownScore(e), feasible: e.feasible, ...misses, kpis: e.kpis, ...undefinedEpisodes, params: e.params };
}

/** `proverlab evaluate`: the score and KPIs of one calibration, or of each line of standard input. */
export async function evaluate(args: EvaluateArgs, write: (text: string) => void): Promise<void> {
  const bundle = loadBundle(args.experiment, args.set);
  await prepareBundleBackend(bundle);
  const split: Split = args.heldOut ? "heldOut" : "train";
  const seeds = args.seeds ?? bundle.experiment.tune.seeds[split];
  if (!Number.isInteger(seeds) || seeds < 1 || seeds > MAX_SEEDS) {
    throw new ConfigError("--seeds", `${seeds} is not an integer from 1 to ${MAX_SEEDS}; give e.g. --seeds 3`);
  }
  if (args.stdin) {
    // One params object per line in, one JSON answer per line out, as soon as each line is read.
    for await (const line of stdinLines(process.stdin)) {
      if (typeof line === "string" && line.trim() === "") continue;
      try {
        if (line instanceof ConfigError) throw line;
        const params = applyParams(JSON.parse(line), bundle.params, "stdin");
        write(toJsonLine(answer(evaluateCalibration(bundle, params, split, seeds))));
      } catch (err) {
        const message =
          err instanceof ConfigError ? err.message : err instanceof SyntaxError ? `stdin: invalid JSON (${err.message})` : String(err);
        write(toJsonLine({ error: message }));
      }
    }
    return;
  }
  let evaluation: Evaluation;
  if (args.controller !== undefined) {
    if (args.params !== undefined) throw new ConfigError("--controller", "a controller starts from its own calibration; drop --params");
    await initTensorflow();
    const controller = AdaptiveController.load(args.controller, bundle.experiment, "--controller");
    evaluation = evaluateCalibration(bundle, controller.start, split, seeds, controller);
    controller.dispose();
  } else {
    const input = args.params === undefined ? {} : readParamsFile(args.params, "--params");
    evaluation = evaluateCalibration(bundle, applyParams(input, bundle.params, "--params"), split, seeds);
  }
  if (args.json) {
    write(toJson(answer(evaluation)));
    return;
  }
  write(`${bundle.experiment.name}: ${split === "train" ? "training" : "held-out"} scenarios, ${evaluation.episodes} episodes\n`);
  write(evaluation.feasible ? `score ${evaluation.score.toFixed(4)} (feasible)\n` : `score: ${feasibilityText(evaluation)}\n`);
  const keys = Object.keys(bundle.experiment.objective.weights).concat(bundle.experiment.objective.constraints.map((c) => c.kpi));
  for (const kpi of [...new Set(keys)]) write(`  ${kpi.padEnd(22)} ${evaluation.kpis[kpi as keyof Evaluation["kpis"]]}\n`);
}
