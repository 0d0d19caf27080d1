import { ArchetypePolicies } from "../../agents/prover/byArchetype.js";
import { ConfigError } from "../config/errors.js";
import { loadExperiment } from "../config/load.js";
import { resolveParams } from "../config/resolve.js";
import { feasibilityProblems } from "../env/feasibility.js";
import { EPOCH_COLUMNS } from "../env/kpis.js";
import { prepareBackend } from "../ml/tensorflow.js";
import { toArrow } from "../results/arrow.js";
import { toCsv } from "../results/csv.js";
import { toJson } from "../results/json.js";
import { buildManifest } from "../results/manifest.js";
import { defaultRunPath, RunDir } from "../results/runDir.js";
import { runEpisode } from "../tuning/episode.js";
import { applyParams, readParamsFile } from "../tuning/paramsInput.js";
import { kpiTable } from "./format.js";

export interface SimulateArgs {
  experiment: string;
  seed?: number | undefined;
  set: readonly string[];
  out?: string | undefined;
  json: boolean;
  /** A params file (JSON or YAML, any subset of the parameters, or an export document) laid over the experiment's values. */
  params?: string | undefined;
  /** Refuse a setup that cannot work (feasibilityProblems) instead of warning about it. */
  strict: boolean;
}

/**
 * `proverlab simulate`: one episode with each archetype's policy; writes a results folder. A setup that
 * cannot work is a warning line each on `warn`, or with `strict` a refusal before anything is written.
 */
export async function simulate(args: SimulateArgs, write: (text: string) => void, warn: (text: string) => void): Promise<string> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const sets = args.seed === undefined ? args.set : [...args.set, `seed=${args.seed}`];
  const exp = loadExperiment(args.experiment, sets);
  let params = resolveParams(exp);
  if (args.params !== undefined) {
    params = applyParams(readParamsFile(args.params, "--params"), params, "--params");
  }
  const problems = feasibilityProblems(exp, params);
  if (args.strict && problems.length > 0) throw ConfigError.of(problems);
  for (const p of problems) warn(`proverlab: warning: ${p.message}\n`);
  await prepareBackend([exp]);
  const dir = RunDir.prepare(args.out, "--out", () => defaultRunPath(exp.name, "simulate", exp.seed));
  const t1 = performance.now();
  try {
    const policies = new ArchetypePolicies(exp);
    const result = runEpisode(exp, params, policies, exp.seed);
    policies.dispose();
    const t2 = performance.now();
    dir.write("config.json", toJson({ experiment: exp, params }));
    dir.write("timeseries.csv", toCsv(result.rows, EPOCH_COLUMNS));
    dir.write("timeseries.arrow", toArrow(result.rows, EPOCH_COLUMNS, { epoch: "int" }));
    dir.write("summary.json", toJson(result.summary));
    const t3 = performance.now();
    const manifest = buildManifest({
      command: ["proverlab", "simulate", ...process.argv.slice(3)].join(" "),
      experiment: exp.name,
      seed: exp.seed,
      startedAt,
      timingsMs: { load: round(t1 - t0), simulate: round(t2 - t1), write: round(t3 - t2) },
    });
    dir.write("manifest.json", toJson(manifest));
    dir.commit();
    if (args.json) write(toJson(result.summary));
    else {
      write(
        `${exp.name}: ${exp.horizonEpochs} epochs (${result.summary.hours.toFixed(1)} h), variant ${exp.mechanism.variant}, seed ${exp.seed}\n\n`,
      );
      write(kpiTable(result.summary) + "\n\n");
      write(`results: ${dir.path}\n`);
    }
    return dir.path;
  } catch (err) {
    dir.abandon();
    throw err;
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
