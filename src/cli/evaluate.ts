import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { parse as parseYaml } from "yaml";
import { ConfigError } from "../config/errors.js";
import { toJson, toJsonLine } from "../results/json.js";
import { loadBundle, prepareBundleBackend } from "../tuning/bundle.js";
import { evaluateCalibration, type Evaluation, type Split } from "../tuning/evaluate.js";
import { applyParams } from "../tuning/paramsInput.js";

export interface EvaluateArgs {
  experiment: string;
  params?: string | undefined;
  seeds?: number | undefined;
  heldOut: boolean;
  set: readonly string[];
  json: boolean;
  stdin: boolean;
}

/** The JSON answer: what an external optimizer reads. */
function answer(e: Evaluation): { score: number; feasible: boolean; kpis: Evaluation["kpis"]; params: Evaluation["params"] } {
  return { score: e.score, feasible: e.feasible, kpis: e.kpis, params: e.params };
}

/** The calibration of a `proverlab export` document (its `params`); any other input as it is. */
function exportedParams(input: unknown): unknown {
  if (input !== null && typeof input === "object" && "params" in input && "tuned" in input) return input.params;
  return input;
}

/** `proverlab evaluate`: the score and KPIs of one calibration, or of each line of standard input. */
export async function evaluate(args: EvaluateArgs, write: (text: string) => void): Promise<void> {
  const bundle = loadBundle(args.experiment, args.set);
  await prepareBundleBackend(bundle);
  const split: Split = args.heldOut ? "heldOut" : "train";
  const seeds = args.seeds ?? bundle.experiment.tune.seeds[split];
  if (!Number.isInteger(seeds) || seeds < 1) throw new ConfigError("--seeds", `${seeds} is not a positive integer; give e.g. --seeds 3`);
  if (args.stdin) {
    // One params object per line in, one JSON answer per line out, as soon as each line is read.
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.trim() === "") continue;
      try {
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
  let input: unknown = {};
  if (args.params !== undefined) {
    let text: string;
    try {
      text = readFileSync(args.params, "utf8");
    } catch {
      throw new ConfigError("--params", `cannot read ${args.params}; give a JSON file of parameter values`);
    }
    try {
      input = parseYaml(text) as unknown;
    } catch (err) {
      throw new ConfigError("--params", `${args.params} is not valid JSON or YAML (${(err as Error).message.split("\n")[0]})`);
    }
    input = exportedParams(input);
  }
  const evaluation = evaluateCalibration(bundle, applyParams(input, bundle.params, "--params"), split, seeds);
  if (args.json) {
    write(toJson(answer(evaluation)));
    return;
  }
  write(`${bundle.experiment.name}: ${split === "train" ? "training" : "held-out"} scenarios, ${evaluation.episodes} episodes\n`);
  write(`score ${evaluation.score.toFixed(4)} (${evaluation.feasible ? "feasible" : "infeasible"})\n`);
  for (const [kpi, miss] of Object.entries(evaluation.violations)) write(`  violates ${kpi} by ${miss}\n`);
  const keys = Object.keys(bundle.experiment.objective.weights).concat(bundle.experiment.objective.constraints.map((c) => c.kpi));
  for (const kpi of [...new Set(keys)]) write(`  ${kpi.padEnd(22)} ${evaluation.kpis[kpi as keyof Evaluation["kpis"]]}\n`);
}
