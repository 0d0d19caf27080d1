import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { stringify as toYaml } from "yaml";
import { ConfigError } from "../config/errors.js";
import { paramSpec, type ParamValues } from "../config/paramSpace.js";
import { WINDOW_KPI_UNITS, WINDOW_KPIS, type WindowKpi } from "../env/summary.js";
import { toJson } from "../results/json.js";
import { writeFileAtomic } from "../results/runDir.js";
import type { MeanInterval } from "../tuning/stats.js";
import type { Assessment, Recommendation, RunConfig } from "../tuning/tune.js";

const FORMATS = ["json", "yaml", "md"] as const;

export interface ExportArgs {
  run: string;
  format: string;
  out?: string | undefined;
}

type Difference = MeanInterval & { significant: boolean };

/** What `export` prints: one structure, rendered as JSON, YAML or Markdown. */
export interface CalibrationExport {
  experiment: string;
  run: string;
  trial: number;
  objective: RunConfig["experiment"]["objective"];
  score: {
    train: { recommended: Scored; defaults: Scored };
    heldOut: { recommended: Scored; defaults: Scored; difference: Difference };
  };
  /** The full calibration: `proverlab evaluate --params` reads this object (as a JSON file). */
  params: ParamValues;
  tuned: {
    name: string;
    unit: string;
    value: number;
    default: number;
    change: number;
    /** null when the default is 0 */
    changePercent: number | null;
    lower: number;
    upper: number;
  }[];
  kpis: {
    kpi: WindowKpi;
    unit: string;
    train: { recommended: MeanInterval; defaults: MeanInterval };
    heldOut: { recommended: MeanInterval; defaults: MeanInterval; difference: Difference };
  }[];
  presets: {
    name: string;
    trial: number;
    tuned: ParamValues;
    train: Scored & { kpis: Partial<Record<WindowKpi, number>> };
    heldOut: Scored & { kpis: Partial<Record<WindowKpi, MeanInterval>> };
  }[];
}

interface Scored {
  score: number;
  feasible: boolean;
  /** Per violated constraint, by how much; not kept for the trials presets come from. */
  violations?: Assessment["violations"];
}

/** `proverlab export`: a tune run's recommendation, its uncertainty and its presets, as JSON, YAML or Markdown. */
export function exportRun(args: ExportArgs, write: (text: string) => void): void {
  const format = FORMATS.find((f) => f === args.format);
  if (!format) throw new ConfigError("--format", `"${args.format}" is not allowed; use one of ${FORMATS.map((f) => `"${f}"`).join(", ")}`);
  const dir = resolve(args.run);
  const { config, recommendation } = readRun(dir);
  const data = buildExport(dir, config, recommendation);
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

function readRun(dir: string): { config: RunConfig; recommendation: Recommendation } {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new ConfigError("run", `${dir} is not a folder; give the folder of a tune run`);
  const read = <T>(name: string): T => {
    try {
      return JSON.parse(readFileSync(join(dir, name), "utf8")) as T;
    } catch {
      throw new ConfigError("run", `${join(dir, name)} is missing or unreadable; give the folder of a tune run`);
    }
  };
  if (read<{ status?: string }>("manifest.json").status === "running") {
    throw new ConfigError("run", `${dir} is an incomplete tune run; finish it with 'proverlab tune <experiment> --resume ${dir}'`);
  }
  const config = read<RunConfig>("config.json");
  const recommendation = read<Recommendation>("recommendation.json");
  if (!Array.isArray(recommendation.presets) || recommendation.heldOut?.kpiDifferences === undefined) {
    throw new ConfigError("run", `${dir}/recommendation.json was written by an older proverlab; run the tune again`);
  }
  return { config, recommendation };
}

/** JSON stores infinite interval bounds as null; null compares false both ways, so n = 1 is never significant. */
function withSignificance(d: MeanInterval): Difference {
  return { ...d, significant: d.low > 0 || d.high < 0 };
}

function buildExport(dir: string, config: RunConfig, r: Recommendation): CalibrationExport {
  const objective = config.experiment.objective;
  const key = keyKpis(objective);
  const scored = (a: Assessment): Scored => ({ score: a.score, feasible: a.feasible, violations: a.violations });
  const pick = <T>(all: Record<WindowKpi, T>) => Object.fromEntries(key.map((k) => [k, all[k]])) as Partial<Record<WindowKpi, T>>;
  return {
    experiment: config.experiment.name,
    run: dir,
    trial: r.trial,
    objective,
    score: {
      train: { recommended: scored(r.train.recommended), defaults: scored(r.train.defaults) },
      heldOut: {
        recommended: scored(r.heldOut.recommended),
        defaults: scored(r.heldOut.defaults),
        difference: withSignificance(r.heldOut.utilityDifference),
      },
    },
    params: r.params,
    tuned: Object.entries(r.tuned).map(([name, value]) => {
      const spec = paramSpec(name)!;
      const def = config.params[name]!;
      return {
        name,
        unit: spec.unit,
        value,
        default: def,
        change: value - def,
        changePercent: def === 0 ? null : ((value - def) / Math.abs(def)) * 100,
        lower: spec.lower,
        upper: spec.upper,
      };
    }),
    kpis: WINDOW_KPIS.map((kpi) => ({
      kpi,
      unit: WINDOW_KPI_UNITS[kpi],
      train: { recommended: r.train.recommended.kpis[kpi], defaults: r.train.defaults.kpis[kpi] },
      heldOut: {
        recommended: r.heldOut.recommended.kpis[kpi],
        defaults: r.heldOut.defaults.kpis[kpi],
        difference: withSignificance(r.heldOut.kpiDifferences[kpi]),
      },
    })),
    presets: r.presets.map((p) => ({
      name: p.name,
      trial: p.trial,
      tuned: p.tuned,
      train: { score: p.train.score, feasible: p.train.feasible, kpis: pick(p.train.kpis) },
      heldOut: { ...scored(p.heldOut), kpis: pick(p.heldOut.kpis) },
    })),
  };
}

/** The presets' axes (liveness, and cost per tx in its two parts), then the objective's KPIs. */
function keyKpis(objective: CalibrationExport["objective"]): WindowKpi[] {
  const named = [...Object.keys(objective.weights), ...objective.constraints.map((c) => c.kpi)] as WindowKpi[];
  return [...new Set<WindowKpi>(["liveness", "rewardsPerTxUsd", "l1CostPerTxUsd", ...named])];
}

/** Four significant digits, small magnitudes in exponent form; "-" for a missing or infinite value (stored as null). */
function fmt(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return "-";
  const rounded = Number(x.toPrecision(4));
  return rounded !== 0 && Math.abs(rounded) < 1e-3 ? rounded.toExponential() : String(rounded);
}

function signed(x: number | null): string {
  return x !== null && x > 0 ? `+${fmt(x)}` : fmt(x);
}

function interval(m: MeanInterval): string {
  return Number.isFinite(m.low) ? `${fmt(m.mean)} [${fmt(m.low)}, ${fmt(m.high)}]` : fmt(m.mean);
}

function difference(d: Difference): string {
  return Number.isFinite(d.low) ? `${signed(d.mean)} [${signed(d.low)}, ${signed(d.high)}]${d.significant ? " *" : ""}` : signed(d.mean);
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

function markdown(e: CalibrationExport): string {
  // An infeasible score is a large negative offset (src/tuning/objective.ts): the violations say more.
  const scoreText = (s: Scored) => {
    const misses = Object.entries(s.violations ?? {}).map(([kpi, miss]) => `${kpi} off by ${fmt(miss ?? null)}`);
    return s.feasible ? fmt(s.score) : misses.length > 0 ? `infeasible (${misses.join(", ")})` : "infeasible";
  };
  const episodes = (split: "train" | "heldOut") => {
    const n = e.kpis[0]![split].recommended.n;
    return `${n} episode${n === 1 ? "" : "s"}`;
  };
  const weights = Object.entries(e.objective.weights)
    .map(([k, w], i) => `${w! < 0 ? "- " : i > 0 ? "+ " : ""}${Math.abs(w!)} x ${k}`)
    .join(" ");
  const constraints = e.objective.constraints.map((c) => `${c.kpi} ${c.min !== undefined ? `>= ${c.min}` : `<= ${c.max}`}`);
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
  const key = Object.keys(e.presets[0]!.heldOut.kpis) as WindowKpi[];
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
