import { join, resolve } from "node:path";
import { toJson } from "../results/json.js";
import { buildManifest, commandLine } from "../results/manifest.js";
import { RunDir, runFolderError } from "../results/runDir.js";
import { writeReport } from "../report/document.js";
import { buildRunReport } from "../report/report.js";

export interface ReportArgs {
  run: string;
  out?: string | undefined;
}

/** `proverlab report`: report.html, report.md and figures/ of a tune run, in <run>/report (replaced) or a new --out folder. */
export async function runReport(args: ReportArgs, write: (text: string) => void): Promise<string> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const run = resolve(args.run);
  const dir = args.out === undefined ? RunDir.replacing(join(run, "report")) : RunDir.at(args.out, "--out");
  let built: Awaited<ReturnType<typeof buildRunReport>>;
  try {
    built = await buildRunReport(run);
  } catch (err) {
    throw runFolderError(err, run, "run");
  }
  const { doc, experiment, seed } = built;
  const t1 = performance.now();
  try {
    writeReport(dir, doc);
    const timingsMs = { build: Math.round(t1 - t0), write: Math.round(performance.now() - t1) };
    dir.write("manifest.json", toJson(buildManifest({ command: commandLine(), experiment, seed, startedAt, timingsMs })));
    dir.commit();
  } catch (err) {
    dir.abandon();
    throw err;
  }
  write(`report: ${join(dir.path, "report.html")}\n        ${join(dir.path, "report.md")}\n`);
  return dir.path;
}
