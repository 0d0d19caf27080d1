import { join, resolve } from "node:path";
import { toJson } from "../results/json.js";
import { executorChoice, executorFields } from "../tuning/executor.js";
import { buildManifest, commandLine } from "../results/manifest.js";
import { RunDir, runFolderError } from "../results/runDir.js";
import { writeReport } from "../report/document.js";
import { buildRunReport } from "../report/report.js";

export interface ReportArgs {
  run: string;
  out?: string | undefined;
  /** Worker threads scoring the sensitivity's calibrations (default 1: in this thread). */
  workers?: number | undefined;
  /** redis://... : score them on that server's `proverlab worker`s. */
  executor?: string | undefined;
}

/** `proverlab report`: report.html, report.md and figures/ of a tune run, in <run>/report (replaced) or a new --out folder. */
export async function runReport(args: ReportArgs, write: (text: string) => void): Promise<string> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const choice = executorChoice(args.workers, args.executor);
  const run = resolve(args.run);
  const dir = args.out === undefined ? RunDir.replacing(join(run, "report")) : RunDir.at(args.out, "--out");
  let built: Awaited<ReturnType<typeof buildRunReport>>;
  try {
    built = await buildRunReport(run, choice);
  } catch (err) {
    throw runFolderError(err, run, "run");
  }
  const { doc, experiment, seed } = built;
  const t1 = performance.now();
  try {
    writeReport(dir, doc);
    const timingsMs = { build: Math.round(t1 - t0), write: Math.round(performance.now() - t1) };
    const ran = executorFields(choice);
    dir.write("manifest.json", toJson(buildManifest({ command: commandLine(), experiment, seed, startedAt, timingsMs, ...ran })));
    dir.commit();
  } catch (err) {
    dir.abandon();
    throw err;
  }
  write(`report: ${join(dir.path, "report.html")}\n        ${join(dir.path, "report.md")}\n`);
  return dir.path;
}
