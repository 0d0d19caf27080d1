import cliProgress from "cli-progress";
import type { Recommendation, TuneArgs, TuneProgress } from "../tuning/tune.js";
import { tune } from "../tuning/tune.js";
import { auditTable } from "../audit/format.js";

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
  return {
    start(total, done) {
      bar.start(total, done, { best: "-" });
      running = true;
    },
    update(done, best) {
      bar.update(done, { best: best.toFixed(4) });
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}

function describe(r: Recommendation): string {
  const d = r.heldOut.utilityDifference;
  const lines = [
    `recommended (trial ${r.trial}):`,
    ...Object.entries(r.tuned).map(([k, v]) => `  ${k.padEnd(40)} ${v}`),
    `training score  ${r.train.recommended.score.toFixed(4)} (${r.train.recommended.feasible ? "feasible" : "infeasible"})`,
    `held-out score  ${r.heldOut.recommended.score.toFixed(4)} vs defaults ${r.heldOut.defaults.score.toFixed(4)}`,
    `held-out objective difference (recommended - defaults): ${d.mean.toFixed(4)} [95 % CI ${d.low.toFixed(4)}, ${d.high.toFixed(4)}], ${d.n} paired episodes`,
  ];
  return lines.join("\n") + "\n";
}

/** `proverlab tune`: search a calibration and write the run folder. */
export async function runTune(args: TuneArgs, write: (text: string) => void): Promise<void> {
  const { dir, recommendation, audit } = await tune(args, progressBar());
  write(describe(recommendation));
  if (audit) write(auditTable(audit));
  write(`results: ${dir}\n`);
}
