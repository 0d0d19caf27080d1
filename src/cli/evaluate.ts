import { MAX_SEEDS } from "../config/schemaFields.js";
import { AdaptiveController } from "../../agents/governance/adaptiveController.js";
import { initTensorflow } from "../ml/tensorflow.js";
import { ConfigError } from "../config/errors.js";
import { toJson, toJsonLine } from "../results/json.js";
import { loadBundle, prepareBundleBackend } from "../tuning/bundle.js";
import { evaluateCalibration, type Evaluation, type Split } from "../tuning/evaluate.js";
import { feasibilityText, shownScore, totalViolation } from "../tuning/objective.js";
import { applyParams, readParamsFile } from "../tuning/paramsInput.js";
import type { ParamValues } from "../config/paramSpace.js";
import { WINDOW_KPI_UNITS, type WindowKpi } from "../env/windowKpis.js";
import { fmt } from "../report/format.js";
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
  /** Repair params that break a relation between parameters as the tuner repairs its candidates, instead of refusing them. */
  repair: boolean;
}

/** A calibration to score: the params laid over the experiment's, and the values --repair changed (name -> value). */
interface Calibration {
  params: ParamValues;
  repaired: Record<string, number>;
}

/**
 * A params object laid over `base` and checked (applyParams). With `repair`, one whose values are all
 * valid but break a relation between parameters is repaired as the tuner repairs its candidates
 * instead of refused, and the values changed are named.
 */
function calibration(input: unknown, base: ParamValues, field: string, repair: boolean): Calibration {
  const params = applyParams(input, base, field, repair ? "repair" : "check");
  const given = { ...base, ...(input as ParamValues) };
  const repaired = Object.fromEntries(Object.entries(params).filter(([name, value]) => value !== given[name]));
  return { params, repaired };
}

/**
 * The JSON answer: what an external optimizer reads. An infeasible calibration has score null, the
 * constraints it misses, and their total miss in the KPIs' units (smaller is closer to feasible).
 */
function answer(e: Evaluation, repaired: Record<string, number> = {}) {
  const undefinedEpisodes = Object.keys(e.undefinedEpisodes).length > 0 ? { undefinedEpisodes: e.undefinedEpisodes } : {};
  const misses = e.feasible ? {} : { violations: e.violations, totalViolation: totalViolation(e.violations) };
  const repairs = Object.keys(repaired).length > 0 ? { repaired } : {};
  return { score: shownScore(e), feasible: e.feasible, ...misses, kpis: e.kpis, ...undefinedEpisodes, params: e.params, ...repairs };
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
        const { params, repaired } = calibration(JSON.parse(line), bundle.params, "stdin", args.repair);
        write(toJsonLine(answer(evaluateCalibration(bundle, params, split, seeds), repaired)));
      } catch (err) {
        const message =
          err instanceof ConfigError
            ? err.lines.join("; ")
            : err instanceof SyntaxError
              ? `stdin: invalid JSON (${err.message})`
              : String(err);
        write(toJsonLine({ error: message }));
      }
    }
    return;
  }
  let evaluation: Evaluation;
  let repaired: Record<string, number> = {};
  if (args.controller !== undefined) {
    if (args.params !== undefined) throw new ConfigError("--controller", "a controller starts from its own calibration; drop --params");
    if (args.repair) throw new ConfigError("--repair", "a controller starts from its own calibration; drop --repair");
    await initTensorflow();
    const controller = AdaptiveController.load(args.controller, bundle.experiment, "--controller");
    evaluation = evaluateCalibration(bundle, controller.start, split, seeds, controller);
    controller.dispose();
  } else {
    const input = args.params === undefined ? {} : readParamsFile(args.params, "--params");
    const laid = calibration(input, bundle.params, "--params", args.repair);
    repaired = laid.repaired;
    evaluation = evaluateCalibration(bundle, laid.params, split, seeds);
  }
  if (args.json) {
    write(toJson(answer(evaluation, repaired)));
    return;
  }
  for (const [name, value] of Object.entries(repaired)) write(`repaired ${name} to ${value} to keep the relations between parameters\n`);
  const episodes = `${evaluation.episodes} episode${evaluation.episodes === 1 ? "" : "s"}`;
  write(`${bundle.experiment.name}: ${split === "train" ? "training" : "held-out"} scenarios, ${episodes}\n`);
  write(evaluation.feasible ? `score ${evaluation.score.toFixed(4)} (feasible)\n` : `score: ${feasibilityText(evaluation)}\n`);
  const keys = Object.keys(bundle.experiment.objective.weights).concat(bundle.experiment.objective.constraints.map((c) => c.kpi));
  for (const kpi of [...new Set(keys)] as WindowKpi[]) write(`  ${kpi.padEnd(22)} ${fmt(evaluation.kpis[kpi])} ${WINDOW_KPI_UNITS[kpi]}\n`);
}
