import cliProgress from "cli-progress";
import { auditTable } from "../audit/format.js";
import { scoreText } from "../report/calibration.js";
import { paramSpec } from "../config/paramSpace.js";
import { difference, exploitText, fmt, interval, signed, withSignificance } from "../report/format.js";
import { keepsExperimentValues, type Recommendation, type Warning } from "../tuning/recommend.js";
import { repairText } from "../tuning/candidates.js";
import { markInterrupted, tune, type TuneArgs, type TuneProgress } from "../tuning/tune.js";
import { ServiceError } from "../distributed/serviceError.js";
import { EXIT_CODES } from "./exitCodes.js";

/** A progress bar on a terminal; plain periodic lines otherwise (CI logs). */
function progressBar(): TuneProgress {
  const bar = new cliProgress.SingleBar(
    {
      format: "tune |{bar}| {value}/{total} trials | best {best} | ETA {eta_formatted}",
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 2000,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let running = false;
  const say = (line: string) => process.stderr.write(`${line}\n`);
  return {
    started(dir) {
      say(`run folder: ${dir}`);
    },
    phase(text) {
      if (running) bar.stop();
      running = false;
      say(text);
    },
    start(total, done) {
      bar.start(total, done, { best: "-" });
      running = true;
    },
    update(done, best) {
      bar.update(done, { best: best.feasible ? best.score.toFixed(4) : "infeasible" });
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}

/** Aligned columns, two spaces apart. */
function columns(rows: string[][], indent = "  "): string[] {
  const widths = rows[0]!.map((_, k) => Math.max(...rows.map((r) => r[k]!.length)));
  return rows.map(
    (r) =>
      indent +
      r
        .map((c, k) => c.padEnd(widths[k]!))
        .join("  ")
        .trimEnd(),
  );
}

/** "2.719e-5 USD/core-s" (a flag or a unitless count bare). */
function withUnit(name: string, value: number): string {
  const unit = paramSpec(name)?.unit;
  return unit && unit !== "flag" ? `${fmt(value)} ${unit}` : fmt(value);
}

/** The change from the default: "-32 %", or "+0.22" from a default of 0. */
function changeText(value: number, base: number): string {
  if (base === 0) return signed(value);
  const pct = 100 * (value / base - 1);
  return `${pct > 0 ? "+" : ""}${Math.abs(pct) < 10 ? pct.toFixed(1) : pct.toFixed(0)} %`;
}

function matterOf(r: Recommendation): [string, number][] {
  const effects = new Map(r.parameters.effects.map((e) => [e.name, e]));
  return Object.entries(r.tuned).filter(([name]) => effects.get(name)?.keepDefault === false);
}

function parameters(r: Recommendation): string[] {
  const effects = new Map(r.parameters.effects.map((e) => [e.name, e]));
  const matter = matterOf(r);
  const kept = r.parameters.effects.filter((e) => e.keepDefault);
  const lines = [`changes that matter (${matter.length}; what moving each back to its default does on the training episodes):`];
  if (matter.length > 0) {
    lines.push(
      ...columns([
        ["parameter", "recommended", "default", "change", "at the default"],
        ...matter.map(([name, value]) => {
          const base = effects.get(name)!.default;
          return [name, withUnit(name, value), withUnit(name, base), changeText(value, base), effects.get(name)!.reasons.join("; ")];
        }),
      ]),
    );
  }
  lines.push(
    `keep the default (${kept.length}; moved by the search, every effect within noise): ` +
      (kept.length > 0 ? kept.map((e) => `${e.name} (searched ${fmt(e.value)}, default ${fmt(e.default)})`).join(", ") : "none"),
  );
  if (r.parameters.jointly) lines.push(`  kept as tuned: ${r.parameters.jointly}`);
  return lines;
}

function scores(r: Recommendation): string[] {
  const d = r.heldOut.utilityDifference;
  return [
    ...columns([
      ["split", "recommended", "defaults"],
      ["training", scoreText(r.train.recommended), scoreText(r.train.defaults)],
      ["validation", scoreText(r.validation.recommended), scoreText(r.validation.defaults)],
      ["held-out", scoreText(r.heldOut.recommended), scoreText(r.heldOut.defaults)],
    ]),
    `held-out objective difference (recommended - defaults): ${d.mean.toFixed(4)} [95 % CI ${d.low.toFixed(4)}, ${d.high.toFixed(4)}], ${d.n} paired episodes`,
    "held-out scenarios (none of them trained on unless listed in both splits):",
    ...scenarioTable(r.heldOut.scenarios),
    "training scenarios on the validation seeds (where a gain over the defaults comes from):",
    ...scenarioTable(r.validation.scenarios),
  ];
}

/** Each scenario alone: scores, the paired objective difference and liveness. */
function scenarioTable(scenarios: Recommendation["heldOut"]["scenarios"]): string[] {
  return columns([
    ["scenario", "recommended", "defaults", "objective difference [95 % CI]", "liveness: recommended", "defaults"],
    ...scenarios.map((s) => [
      s.scenario,
      scoreText(s.recommended),
      scoreText(s.defaults),
      difference(withSignificance(s.utilityDifference)),
      interval(s.recommended.kpis.liveness),
      interval(s.defaults.kpis.liveness),
    ]),
  ]);
}

function presets(r: Recommendation): string[] {
  const lines = ["presets (Pareto front of liveness and cost per tx on training; held-out mean [95 % CI]):"];
  if (r.presets.length > 0) {
    lines.push(
      ...columns([
        ["preset", "trial", "held-out score", "liveness", "rewards + L1 USD/tx"],
        ...r.presets.map((p) => [
          p.name,
          String(p.trial),
          scoreText(p.heldOut),
          interval(p.heldOut.kpis.liveness),
          `${fmt(p.heldOut.kpis.rewardsPerTxUsd.mean)} + ${fmt(p.heldOut.kpis.l1CostPerTxUsd.mean)}`,
        ]),
      ]),
    );
  }
  for (const p of r.droppedPresets) lines.push(`  ${p.name} (trial ${p.trial}) dropped: ${p.reason}`);
  return lines;
}

function candidates(r: Recommendation): string[] {
  if (r.candidates.length < 2) return [];
  return [
    "candidates, best validation score first (the finalists scored again on seeds of their own):",
    ...r.candidates.map(
      (c) =>
        `  trial ${c.trial} (training ${scoreText(c)}, validation ${scoreText(c.validation)}): ${c.outcome}${repairText(c)}` +
        (c.exploits.length > 0 ? ` (${c.exploits.map(exploitText).join(", ")})` : ""),
    ),
  ];
}

function describe(r: Recommendation, searched: number): string {
  const asIs = keepsExperimentValues(r);
  const lines = [
    ...(asIs
      ? [
          `recommended: keep the experiment's values (trial ${r.trial}); none of the ${searched} calibrations searched scored higher on training`,
        ]
      : [
          `recommended (trial ${r.trial}): ${matterOf(r).length} of the ${Object.keys(r.tuned).length} tuned parameters changed, the others at their defaults ('proverlab export' lists them all)`,
          ...parameters(r),
        ]),
    ...scores(r),
    ...presets(r),
    ...candidates(r),
  ];
  return lines.join("\n") + "\n";
}

function warningText(w: Warning): string {
  return `WARNING: ${w.kind === "infeasible" ? "infeasible" : "exploitable"}: ${w.message}\n`;
}

/** The exit code of a finished run: infeasible first, then exploitable, else 0 (README, "Exit codes"). */
export function exitCodeOf(warnings: readonly Warning[]): number {
  if (warnings.some((w) => w.kind === "infeasible")) return EXIT_CODES.infeasible;
  if (warnings.some((w) => w.kind === "exploitable")) return EXIT_CODES.exploitable;
  return 0;
}

/** `proverlab tune`: search a calibration and write the run folder; a warned recommendation sets the exit code. */
export async function runTune(args: TuneArgs, write: (text: string) => void): Promise<void> {
  const bar = progressBar();
  let folder: string | null = null;
  // Ctrl-C: every finished generation is in the checkpoint; the manifest says so and how to go on.
  const interrupt = () => {
    bar.stop();
    if (folder) {
      markInterrupted(folder);
      process.stderr.write(`interrupted: continue with proverlab tune ${args.experiment} --resume ${folder}\n`);
    } else process.stderr.write("interrupted before the run folder was made\n");
    process.exit(130);
  };
  process.once("SIGINT", interrupt);
  try {
    const { dir, recommendation, audit, trials } = await tune(args, {
      ...bar,
      started(dir) {
        folder = dir;
        bar.started(dir);
      },
    });
    write(describe(recommendation, trials - 1));
    if (audit) write(auditTable(audit));
    for (const w of recommendation.warnings) write(warningText(w));
    write(`results: ${dir}\n`);
    process.exitCode = exitCodeOf(recommendation.warnings);
  } catch (err) {
    // Redis went away or a worker failed a job: the folder keeps every finished generation.
    if (!(err instanceof ServiceError) || folder === null) throw err;
    bar.stop();
    markInterrupted(folder);
    throw new ServiceError(`${err.message}; continue with proverlab tune ${args.experiment} --resume ${folder}`);
  } finally {
    process.removeListener("SIGINT", interrupt);
  }
}
