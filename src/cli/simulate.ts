import { ArchetypePolicies } from "../../agents/prover/byArchetype.js";
import { loadExperiment } from "../config/load.js";
import { resolveParams } from "../config/resolve.js";
import { EPOCH_COLUMNS } from "../env/kpis.js";
import { prepareBackend } from "../ml/tensorflow.js";
import { toCsv } from "../results/csv.js";
import { toJson } from "../results/json.js";
import { buildManifest } from "../results/manifest.js";
import { defaultRunPath, RunDir } from "../results/runDir.js";
import { runEpisode } from "../tuning/episode.js";
import { kpiTable } from "./format.js";

export interface SimulateArgs {
  experiment: string;
  seed?: number | undefined;
  set: readonly string[];
  out?: string | undefined;
  json: boolean;
}

/** `proverlab simulate`: one episode with each archetype's policy; writes a results folder. */
export async function simulate(args: SimulateArgs, write: (text: string) => void): Promise<string> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const sets = args.seed === undefined ? args.set : [...args.set, `seed=${args.seed}`];
  const exp = loadExperiment(args.experiment, sets);
  const params = resolveParams(exp);
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
