import { join } from "node:path";
import { executorFields } from "../tuning/executor.js";
import { comparePolicies, type CompareArgs } from "../report/compare.js";
import { writeReport } from "../report/document.js";
import { difference, interval } from "../report/format.js";
import { toJson } from "../results/json.js";
import { buildManifest, commandLine } from "../results/manifest.js";
import { defaultRunPath, RunDir } from "../results/runDir.js";

/** `proverlab compare`: every policy on the same episodes; writes a report, compare.json and episodes.csv to a new folder. */
export async function runCompare(args: CompareArgs & { out?: string | undefined }, write: (text: string) => void): Promise<string> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  // An --out folder is checked before the comparison runs; the default name needs its result.
  const outArg = args.out === undefined ? undefined : RunDir.at(args.out, "--out");
  const { comparison, doc, episodesCsv, seed, ran } = await comparePolicies(args);
  const dir = outArg ?? RunDir.unique(defaultRunPath(comparison.experiment, "compare", seed));
  const t1 = performance.now();
  try {
    writeReport(dir, doc);
    dir.write("compare.json", toJson(comparison));
    dir.write("episodes.csv", episodesCsv);
    const timingsMs = { compare: Math.round(t1 - t0), write: Math.round(performance.now() - t1) };
    const command = commandLine();
    const where = executorFields(ran);
    dir.write("manifest.json", toJson(buildManifest({ command, experiment: comparison.experiment, seed, startedAt, timingsMs, ...where })));
    dir.commit();
  } catch (err) {
    dir.abandon();
    throw err;
  }
  write(
    `${comparison.experiment}: score per episode on ${comparison.episodes} episodes of ${comparison.scenarios.join(", ")}, 95 % interval\n`,
  );
  for (const p of comparison.policies) {
    const d = p.name === comparison.baseline ? "baseline" : `${difference(p.utilityDifference)} against ${comparison.baseline}`;
    write(`  ${p.name.padEnd(24)} ${interval(p.utility).padEnd(30)} ${d}\n`);
  }
  write(`report: ${join(dir.path, "report.html")}\n        ${join(dir.path, "report.md")}\n`);
  return dir.path;
}
