import { resolve } from "node:path";
import { stringify as toYaml } from "yaml";
import { ConfigError } from "../config/errors.js";
import { WINDOW_KPI_UNITS } from "../env/summary.js";
import { buildExport, keyKpis, objectiveText, scoreText, type CalibrationExport } from "../report/calibration.js";
import { difference, fmt, interval, signed } from "../report/format.js";
import { readTuneRun } from "../report/tuneRun.js";
import { toJson } from "../results/json.js";
import { runFolderError, writeFileAtomic } from "../results/runDir.js";

const FORMATS = ["json", "yaml", "md"] as const;

export interface ExportArgs {
  run: string;
  format: string;
  out?: string | undefined;
}

/** `proverlab export`: a tune run's recommendation, its uncertainty and its presets, as JSON, YAML or Markdown. */
export function exportRun(args: ExportArgs, write: (text: string) => void): void {
  const format = FORMATS.find((f) => f === args.format);
  if (!format) throw new ConfigError("--format", `"${args.format}" is not allowed; use one of ${FORMATS.map((f) => `"${f}"`).join(", ")}`);
  const dir = resolve(args.run);
  let data: CalibrationExport;
  try {
    const { config, recommendation } = readTuneRun(dir);
    data = buildExport(dir, config, recommendation);
  } catch (err) {
    throw runFolderError(err, dir, "run");
  }
  const text = format === "json" ? toJson(data) : format === "yaml" ? toYaml(JSON.parse(toJson(data))) : markdown(data);
  if (args.out === undefined) {
    write(text);
    return;
  }
  const out = resolve(args.out);
  try {
    writeFileAtomic(out, text);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new ConfigError("--out", `cannot write ${out} (${why}); give a path in an existing, writable folder`);
  }
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

function markdown(e: CalibrationExport): string {
  const episodes = (split: "train" | "heldOut") => {
    const n = e.kpis[0]![split].recommended.n;
    return `${n} episode${n === 1 ? "" : "s"}`;
  };
  const { weights, constraints } = objectiveText(e.objective);
  const d = e.score.heldOut.difference;
  const out = [
    `# ${e.experiment}: recommended calibration`,
    "",
    `Run \`${e.run}\`, trial ${e.trial}: the best candidate of the search (feasible ones first) by the objective, score = ${weights}` +
      (constraints.length > 0 ? ` subject to ${constraints.join(", ")}` : "") +
      `. "defaults" are the experiment's values of the parameters (the proposal's defaults unless the experiment sets them).`,
    "",
    table(
      ["score (higher is better)", "recommended", "defaults"],
      [
        [`training (${episodes("train")})`, scoreText(e.score.train.recommended), scoreText(e.score.train.defaults)],
        [`held-out (${episodes("heldOut")})`, scoreText(e.score.heldOut.recommended), scoreText(e.score.heldOut.defaults)],
      ],
    ),
    "",
    `Held-out score difference, recommended - defaults, paired by episode, with a 95 % CI: ${difference(d)}` +
      (d.significant ? " (* the interval excludes 0)." : "."),
    "",
    "## Parameters",
    "",
    table(
      ["parameter", "value", "default", "change", "change %", "unit", "bounds"],
      e.tuned.map((p) => [
        `\`${p.name}\``,
        fmt(p.value),
        fmt(p.default),
        signed(p.change),
        p.changePercent === null ? "-" : `${signed(Number(p.changePercent.toFixed(1)))} %`,
        p.unit,
        `${fmt(p.lower)} .. ${fmt(p.upper)}`,
      ]),
    ),
    "",
    "`proverlab export <run> --format yaml --out FILE` (or `json`) writes a file that `proverlab evaluate <experiment> --params FILE`",
    "reads as this calibration. A preset's `tuned` values load the same way.",
    "",
    "## KPIs",
    "",
    "Means over episodes with 95 % t intervals [low, high]. The difference is recommended - defaults on the held-out",
    "episodes, paired by episode (same seeds); * marks an interval that excludes 0.",
    "",
    table(
      ["KPI", "unit", "training: recommended", "training: defaults", "held-out: recommended", "held-out: defaults", "held-out difference"],
      e.kpis.map((k) => [
        `\`${k.kpi}\``,
        k.unit,
        interval(k.train.recommended),
        interval(k.train.defaults),
        interval(k.heldOut.recommended),
        interval(k.heldOut.defaults),
        difference(k.heldOut.difference),
      ]),
    ),
    "",
    "## Presets",
    "",
  ];
  if (e.presets.length === 0) {
    out.push("None: no trial had a finite liveness and cost per transaction.", "");
    return out.join("\n");
  }
  const key = keyKpis(e.objective);
  const names = e.presets.map((p) => p.name);
  out.push(
    "Taken from the Pareto front of the feasible trials (all trials if none is feasible) on liveness (higher is better) and",
    "cost to users per transaction, rewardsPerTxUsd + l1CostPerTxUsd (lower is better): conservative has the highest",
    "liveness, aggressive the lowest cost, moderate is the knee of the front. They are chosen on the training figures: the",
    "held-out ones say whether they hold. KPIs: held-out mean [95 % CI] (the trial's training mean).",
    "",
    table(
      ["", ...names],
      [
        ["trial", ...e.presets.map((p) => String(p.trial))],
        ["held-out score", ...e.presets.map((p) => scoreText(p.heldOut))],
        ["training score", ...e.presets.map((p) => scoreText(p.train))],
        ...key.map((k) => [
          `\`${k}\` (${WINDOW_KPI_UNITS[k]})`,
          ...e.presets.map((p) => `${interval(p.heldOut.kpis[k]!)} (${fmt(p.train.kpis[k] ?? null)})`),
        ]),
      ],
    ),
    "",
    table(
      ["parameter", "unit", "default", "recommended", ...names],
      e.tuned.map((t) => [`\`${t.name}\``, t.unit, fmt(t.default), fmt(t.value), ...e.presets.map((p) => fmt(p.tuned[t.name] ?? null))]),
    ),
    "",
  );
  return out.join("\n");
}
