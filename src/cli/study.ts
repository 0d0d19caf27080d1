import { existsSync, readdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { ConfigError } from "../config/errors.js";
import { executorChoice, executorFields } from "../tuning/executor.js";
import { writeReport } from "../report/document.js";
import { toJson } from "../results/json.js";
import { buildManifest, commandLine } from "../results/manifest.js";
import { RunDir, writeFileAtomic } from "../results/runDir.js";
import { buildStudyReport, headline } from "../study/report.js";
import { runStudy, type StudyResult } from "../study/run.js";
import { EXIT_CODES } from "./exitCodes.js";

export interface StudyCliArgs {
  dir: string;
  out?: string | undefined;
  budget?: number | undefined;
  workers: number;
  executor?: string | undefined;
  quick: boolean;
  resume: boolean;
}

/** Where a study writes unless told: results/study/<folder name>[-quick], the same every time, so --resume finds it. */
export function defaultStudyOut(dir: string, quick: boolean): string {
  return join("results", "study", `${basename(resolve(dir))}${quick ? "-quick" : ""}`);
}

/**
 * `proverlab study`: runs a study folder's questions and writes study.json, report/ (HTML, Markdown,
 * figures) and manifest.json into the study's folder; every step is kept under runs/ as it finishes.
 */
export async function runStudyCommand(args: StudyCliArgs, write: (text: string) => void): Promise<void> {
  const out = resolve(args.out ?? defaultStudyOut(args.dir, args.quick));
  if (!args.resume && existsSync(out) && readdirSync(out).length > 0) {
    throw new ConfigError("--out", `${out} holds a study already; add --resume to continue it, or give a new --out`);
  }
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  let started = false;
  const manifest = (status: "running" | "complete" | "interrupted", timingsMs: Record<string, number>) =>
    writeFileAtomic(
      join(out, "manifest.json"),
      toJson(
        buildManifest({
          command: commandLine(),
          experiment: basename(resolve(args.dir)),
          seed: 0,
          startedAt,
          timingsMs,
          status,
          ...executorFields(executorChoice(args.workers, args.executor)),
        }),
      ),
    );
  const interrupt = () => {
    if (started) manifest("interrupted", {});
    process.stderr.write(
      `interrupted: continue with proverlab study ${args.dir} --resume${args.out ? ` --out ${args.out}` : ""}${args.quick ? " --quick" : ""}\n`,
    );
    process.exit(130);
  };
  process.once("SIGINT", interrupt);
  try {
    const result = await runStudy({ ...args, out }, (line) => {
      if (!started) {
        started = true;
        manifest("running", {});
      }
      write(line);
    });
    const t1 = performance.now();
    write("report: writing the study report\n");
    const doc = await buildStudyReport(result);
    writeFileAtomic(join(out, "study.json"), toJson(result));
    const dir = RunDir.replacing(join(out, "report"));
    try {
      writeReport(dir, doc);
      dir.commit();
    } catch (err) {
      dir.abandon();
      throw err;
    }
    manifest("complete", { questions: Math.round(t1 - t0), report: Math.round(performance.now() - t1) });
    write(summary(result));
    write(
      `study: ${join(out, "study.json")}\nreport: ${join(out, "report", "report.html")}\n        ${join(out, "report", "report.md")}\n`,
    );
    const warned = result.questions.flatMap((q) => q.recommendation?.warnings ?? []);
    if (warned.some((w) => w.kind === "infeasible")) process.exitCode = EXIT_CODES.infeasible;
    else if (warned.some((w) => w.kind === "exploitable")) process.exitCode = EXIT_CODES.exploitable;
  } finally {
    process.removeListener("SIGINT", interrupt);
  }
}

function summary(r: StudyResult): string {
  const lines = r.questions.map(
    (q) => headline(q) + (q.recommendation?.warnings ?? []).map((w) => `\n  WARNING: ${w.kind}: ${w.message}`).join(""),
  );
  return `${r.quick ? "QUICK RUN (not findings)\n" : ""}${lines.join("\n")}\n`;
}
