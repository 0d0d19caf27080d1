import { resolve } from "node:path";
import { stringify as toYaml } from "yaml";
import { ConfigError } from "../config/errors.js";
import { WINDOW_KPI_UNITS } from "../env/windowKpis.js";
import { buildExport, keyKpis, objectiveText, scoreText, type CalibrationExport } from "../report/calibration.js";
import { difference, exploitText, fmt, interval, signed } from "../report/format.js";
import { readTuneRun } from "../report/tuneRun.js";
import { toJson } from "../results/json.js";
import { checkOutFile, runFolderError, unwritable, writeOutFile } from "../results/runDir.js";
import { repairText } from "../tuning/candidates.js";

const FORMATS = ["json", "yaml", "md"] as const;

export interface ExportArgs {
  run: string;
  format: string;
  out?: string | undefined;
  /** Replace an existing --out file. */
  force: boolean;
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
  checkOutFile(out, args.force);
  unwritable(out, () => writeOutFile(out, text, args.force), "give a path in an existing, writable folder");
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** The audited candidates, when there was more than one. */
function candidatesText(e: CalibrationExport): string[] {
  if (e.candidates.length < 2) return [];
  return [
    "The best candidates of the search, in validation-score order, audited until one had no paying strategy:",
    "",
    ...e.candidates.map(
      (c) =>
        `- trial ${c.trial}: ${c.outcome}${repairText(c)}${c.exploits.length > 0 ? ` (${c.exploits.map(exploitText).join(", ")})` : ""}`,
    ),
    "",
  ];
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
    ...e.warnings.map((w) => `**WARNING: ${w.kind}: ${w.message}.**\n`),
    `Run \`${e.run}\`, trial ${e.trial}: ` +
      (e.keepsExperimentValues
        ? "the experiment's own values: no calibration the search tried scored higher on training and validation"
        : "the best candidate of the search (feasible ones first)") +
      ` by the objective, score = ${weights}` +
      (constraints.length > 0 ? ` subject to ${constraints.join(", ")}` : "") +
      `. "defaults" are the experiment's values of the parameters (the proposal's defaults unless the experiment sets them).`,
    "",
    table(
      ["score (higher is better)", "recommended", "defaults"],
      [
        [`training (${episodes("train")})`, scoreText(e.score.train.recommended), scoreText(e.score.train.defaults)],
        ...(e.score.validation === null
          ? []
          : [
              [
                `validation (${e.score.validation.episodes} episodes, the training scenarios on seeds of their own)`,
                scoreText(e.score.validation.recommended),
                scoreText(e.score.validation.defaults),
              ],
            ]),
        [`held-out (${episodes("heldOut")})`, scoreText(e.score.heldOut.recommended), scoreText(e.score.heldOut.defaults)],
      ],
    ),
    "",
    `Held-out score difference, recommended - defaults, paired by episode, with a 95 % CI: ${difference(d)}` +
      (d.significant ? " (* the interval excludes 0)." : "."),
    "",
    "Each held-out scenario alone (objective difference: recommended - defaults, paired by episode, 95 % CI):",
    "",
    scenarioTable("held-out scenario", e.scenarios),
    ...(e.validationScenarios.length === 0
      ? []
      : [
          "",
          "Each training scenario on the validation seeds (where a gain over the defaults comes from):",
          "",
          scenarioTable("training scenario", e.validationScenarios),
        ]),
    "",
    "## Parameters",
    "",
    "Changes that matter: each moved back to its default alone, on the search's training episodes, changes the objective or a",
    "KPI it reads beyond noise (why: the change at the default, 95 % CI). Kept at default: the search moved it, but every",
    "effect was within noise, so the recommendation keeps the default. Default: the recommended trial has the default value.",
    "",
    table(
      ["parameter", "verdict", "value", "default", "change", "change %", "unit", "bounds", "why"],
      e.tuned.map((p) => [
        `\`${p.name}\``,
        p.verdict,
        fmt(p.value),
        fmt(p.default),
        signed(p.change),
        p.changePercent === null ? "-" : `${signed(Number(p.changePercent.toFixed(1)))} %`,
        p.unit,
        `${fmt(p.lower)} .. ${fmt(p.upper)}`,
        p.why.join("; "),
      ]),
    ),
    "",
    ...candidatesText(e),
    "`proverlab export <run> --format yaml --out FILE` (or `json`) writes a file that `proverlab evaluate <experiment> --params FILE`",
    "reads as this calibration. A preset's `tuned` values load the same way.",
    "",
    "## KPIs",
    "",
    "Means over episodes with 95 % percentile bootstrap intervals [low, high] (seeded; within the KPI's range). The",
    "difference is recommended - defaults on the held-out episodes, paired by episode (same seeds), with a 95 % t interval;",
    "* marks an interval that excludes 0.",
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
  const dropped = e.droppedPresets.map((p) => `- ${p.name} (trial ${p.trial}) dropped: ${p.reason}.`);
  if (e.presets.length === 0) {
    out.push(
      dropped.length > 0 ? "None held on held-out:" : "None: no trial had a finite liveness and cost per transaction.",
      "",
      ...dropped,
      "",
    );
    return out.join("\n");
  }
  const key = keyKpis(e.objective);
  const names = e.presets.map((p) => p.name);
  out.push(
    "Taken from the Pareto front of the feasible trials (all trials if none is feasible) on liveness (higher is better) and",
    "cost to users per transaction, rewardsPerTxUsd + l1CostPerTxUsd (lower is better): conservative has the highest",
    "liveness, aggressive the lowest cost, moderate is the knee of the front. They are chosen on the training figures and",
    "kept only when feasible and in that order on held-out. KPIs: held-out mean [95 % CI] (the trial's training mean).",
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
    ...(dropped.length > 0 ? [...dropped, ""] : []),
    table(
      ["parameter", "unit", "default", "recommended", ...names],
      e.tuned.map((t) => [`\`${t.name}\``, t.unit, fmt(t.default), fmt(t.value), ...e.presets.map((p) => fmt(p.tuned[t.name] ?? null))]),
    ),
    "",
  );
  return out.join("\n");
}

/** Each scenario alone: the two scores and the paired objective difference. */
function scenarioTable(label: string, scenarios: CalibrationExport["scenarios"]): string {
  return table(
    [label, "recommended", "defaults", "objective difference"],
    scenarios.map((x) => [x.scenario, scoreText(x.recommended), scoreText(x.defaults), difference(x.difference)]),
  );
}
