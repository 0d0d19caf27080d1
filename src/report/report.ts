import { rolling, table as aqTable } from "arquero";
import { paramSpec } from "../config/paramSpace.js";
import { WINDOW_KPI_UNITS, type WindowKpi } from "../env/windowKpis.js";
import { allScenarios, prepareBundleBackend, type Bundle } from "../tuning/bundle.js";
import { repairText } from "../tuning/candidates.js";
import { totalViolation } from "../tuning/objective.js";
import { nonDominated, PRESETS, userCostPerTx } from "../tuning/pareto.js";
import type { Trial } from "../tuning/trial.js";
import { buildExport, keyKpis, objectiveText, scoreText, type CalibrationExport } from "./calibration.js";
import {
  boundsFigure,
  changeBarsFigure,
  PALETTE,
  parallelFigure,
  progressFigure,
  renderFigure,
  tradeOffFigure,
  type Figure,
  type RenderedFigure,
  type Row,
} from "./charts.js";
import { figure, list, tableBlock, text, type Block, type ReportDocument, type Section } from "./document.js";
import { lorenzOf, showcaseEpisode, timeSeriesOf } from "./episodes.js";
import { difference, fmt, interval, signed } from "./format.js";
import { betterDirection } from "./kpis.js";
import { sensitivity } from "./sensitivity.js";
import { createExecutor, type Executor, type ExecutorChoice } from "../tuning/executor.js";
import { makeTable } from "./tables.js";
import { loadRunBundle, readAudit, readTrials, readTuneRun, type Audit, type AuditStrategy } from "./tuneRun.js";
import { BundleVariants } from "../tuning/bundleVariants.js";

/** How many of the best feasible trials the parallel-coordinates chart draws. */
const BEST_TRIALS = 20;
/** The sensitivity step, as a share of each parameter's range. */
const STEP = 0.1;

/** The report of a finished tune run: what was asked, what was found, how sure it is, and how it behaves. */
export async function buildRunReport(
  dir: string,
  /** Where the sensitivity's evaluations run: a thread pool's size, or a Redis server (`--executor`). */
  run: ExecutorChoice = { workers: 1, redis: null },
): Promise<{ doc: ReportDocument; experiment: string; seed: number }> {
  const { config, recommendation } = readTuneRun(dir);
  const trials = readTrials(dir);
  const audit = readAudit(dir);
  const bundle = loadRunBundle(dir, config);
  await prepareBundleBackend(bundle);
  const e = buildExport(dir, config, recommendation);
  // The recommendation, inert parameters at their defaults: where the search's best trial ended up.
  const best = { ...trials.find((t) => t.trial === recommendation.trial)!, params: recommendation.tuned };
  const executor = await createExecutor(new BundleVariants(config.experimentPath, config.sets, bundle), run);
  let sensitivity: Section;
  try {
    sensitivity = await sensitivitySection(bundle, [...bundle.space.encode(recommendation.params)], executor);
  } finally {
    await executor.close();
  }
  const sections: Section[] = [
    setupSection(bundle, e, trials),
    await parametersSection(bundle, e),
    await progressSection(trials),
    sensitivity,
    await parallelSection(bundle, trials, best),
    await tradeOffSection(e, trials),
    ...(await episodesSections(bundle, e)),
    auditSection(audit, e.candidates),
    heldOutSection(e),
  ];
  return {
    doc: { title: `${e.experiment}: calibration report`, lead: lead(e, trials), sections },
    experiment: e.experiment,
    seed: bundle.experiment.seed,
  };
}

function lead(e: CalibrationExport, trials: readonly Trial[]): string[] {
  const d = e.score.heldOut.difference;
  const h = e.score.heldOut;
  return [
    ...e.warnings.map((w) => `WARNING: ${w.kind}: ${w.message}.`),
    `Tune run \`${e.run}\`. The recommended calibration is trial ${e.trial} of ${trials.length}` +
      (e.keepsExperimentValues ? ", the experiment's own values: no calibration the search tried scored higher" : "") +
      ". On the held-out episodes, " +
      `which the search never saw, it scores ${scoreText(h.recommended)} against ${scoreText(h.defaults)} for the defaults; ` +
      `the paired difference is ${difference(d)}` +
      (d.significant ? ", an interval that excludes 0." : ", an interval that includes 0: not a significant difference."),
    "Scores are the experiment's objective (a weighted sum of KPIs, higher is better); a calibration that misses a hard " +
      "constraint is infeasible whatever its sum. Every chart has its data in figures/ as CSV.",
  ];
}

function setupSection(bundle: Bundle, e: CalibrationExport, trials: readonly Trial[]): Section {
  const x = bundle.experiment;
  const { weights, constraints } = objectiveText(e.objective);
  const groups = [...new Set(bundle.space.specs.map((s) => s.group))].join(", ");
  const provers = x.provers.archetypes.map((a) => `${a.name} x${a.count} (${a.policy.kind})`).join(", ");
  const hours = (x.horizonEpochs * x.time.slotSeconds * x.time.slotsPerEpoch) / 3600;
  const names = (list: readonly { name: string }[]) => list.map((s) => s.name).join(", ");
  return {
    title: "Question and setup",
    blocks: [
      text(
        `Which values of the ${bundle.space.dim} tuned parameters (groups: ${groups}) maximise score = ${weights}` +
          (constraints.length > 0 ? `, subject to ${constraints.join(" and ")},` : "") +
          ` in the ${x.mechanism.variant} mechanism, while provers adapt to it?`,
      ),
      list([
        `Experiment \`${x.name}\`: ${x.description || "(no description)"}`,
        `Each episode: ${x.horizonEpochs} epochs (${fmt(hours)} h); KPIs are taken after a warm-up of ${e.objective.warmupEpochs} epochs.`,
        `Provers: ${provers}.`,
        `Search: ${x.tune.tuner}, ${trials.length} candidates, each scored on ${x.tune.seeds.train} episode(s) of each training ` +
          `scenario (${names(bundle.train)}), with common random numbers.`,
        `Held-out check: ${x.tune.seeds.heldOut} other episode(s) of each held-out scenario (${names(bundle.heldOut)}), ` +
          "the recommendation and the defaults on the same seeds.",
        `"Defaults" are the experiment's values of the tuned parameters: the proposal's hand-set values unless the experiment sets them.`,
      ]),
    ],
  };
}

/** Where a calibration (the tuned values given, the bundle's elsewhere) sits in the unit cube of the tuned space. */
function positionIn(bundle: Bundle, values: Record<string, number>): Float64Array {
  return bundle.space.encode({ ...bundle.params, ...values });
}

async function parametersSection(bundle: Bundle, e: CalibrationExport): Promise<Section> {
  const position = (values: Record<string, number>) => positionIn(bundle, values);
  const recommended = position(Object.fromEntries(e.tuned.map((t) => [t.name, t.value])));
  const defaults = position(bundle.params);
  const label = (name: string) => `${name}${paramSpec(name)!.scale === "log" ? " (log)" : ""}`;
  const rows: Row[] = e.tuned.map((t, i) => ({
    parameter: label(t.name),
    unit: t.unit,
    scale: paramSpec(t.name)!.scale,
    lower: t.lower,
    upper: t.upper,
    default: t.default,
    recommended: t.value,
    defaultPosition: defaults[i]!,
    recommendedPosition: recommended[i]!,
  }));
  const moves = e.tuned
    .map((t, i) => ({ name: t.name, move: recommended[i]! - defaults[i]!, t }))
    .sort((a, b) => Math.abs(b.move) - Math.abs(a.move));
  const moved = moves.filter((m) => Math.abs(m.move) > 0.1);
  const atBound = e.tuned.filter((_, i) => recommended[i]! < 0.05 || recommended[i]! > 0.95).map((t) => t.name);
  const chart = await renderFigure(
    boundsFigure({
      name: "parameters",
      title: "Recommended and default values within their bounds",
      subtitle: "Each parameter's range scaled to 0-1 (log-scale parameters, marked (log), in log space)",
      caption:
        `${moved.length} of ${e.tuned.length} parameters moved by more than 10 % of their range; the largest moves: ` +
        moves
          .slice(0, 3)
          .map((m) => `${m.name} ${fmt(m.t.default)} -> ${fmt(m.t.value)} ${m.t.unit}`)
          .join(", ") +
        "." +
        (atBound.length > 0
          ? ` Within 5 % of a bound: ${atBound.join(", ")}; the search may want these beyond their bounds.`
          : " None ends within 5 % of a bound."),
      parameters: rows.map((r) => r.parameter as string),
      data: rows,
    }),
  );
  const table = makeTable(
    "Tuned parameters",
    "Values in each parameter's unit; change in % of the default (- when the default is 0); bounds are the search range. " +
      "Verdict: changed (the change matters: why is what its default does, on the training episodes, 95 % t interval), " +
      "kept at default (the search moved it, every effect within noise), default (never moved).",
    [
      { key: "parameter", label: "parameter" },
      { key: "verdict", label: "verdict", words: true },
      { key: "unit", label: "unit", words: true },
      { key: "value", label: "recommended" },
      { key: "default", label: "default" },
      { key: "change", label: "change", unit: "%" },
      { key: "bounds", label: "bounds" },
      { key: "why", label: "why", words: true },
    ],
    e.tuned.map((t) => ({
      parameter: t.name,
      verdict: t.verdict,
      unit: t.unit,
      value: fmt(t.value),
      default: fmt(t.default),
      change: t.changePercent === null ? "-" : signed(Number(t.changePercent.toFixed(1))),
      bounds: `${fmt(t.lower)} .. ${fmt(t.upper)}`,
      why: t.why.join("; "),
    })),
  );
  const names = (verdict: CalibrationExport["tuned"][number]["verdict"]) => e.tuned.filter((t) => t.verdict === verdict).map((t) => t.name);
  const matter = names("changed");
  const kept = names("kept at default");
  return {
    title: "Recommended parameters",
    blocks: [
      list([
        `Changes that matter (${matter.length}): ${matter.length > 0 ? matter.join(", ") : "none"}. Each, moved back to its default alone, ` +
          "changes the objective, a KPI it weighs or constrains, or feasibility beyond the noise of the paired training episodes.",
        `Keep the default (${kept.length}): ${kept.length > 0 ? kept.join(", ") : "none"}. The search moved them, but their effect ` +
          "is within noise, so the recommendation (and its export) leaves them at their defaults.",
      ]),
      figure(chart),
      tableBlock(table),
    ],
  };
}

async function progressSection(trials: readonly Trial[]): Promise<Section> {
  const feasible = trials.filter((t) => t.feasible);
  // Without a feasible trial, plot how far each trial misses the constraints.
  const shown = feasible.length > 0 ? feasible : trials.filter((t) => Number.isFinite(totalViolation(t.violations)));
  if (shown.length === 0)
    return { title: "Tuning progress", blocks: [text("No trial met the constraints or defined the KPIs they bound.")] };
  const yTitle = feasible.length > 0 ? "score (objective, higher is better)" : "- total constraint violation (KPI units)";
  const data = aqTable({
    trial: shown.map((t) => t.trial),
    generation: shown.map((t) => t.generation),
    score: shown.map((t) => (feasible.length > 0 ? t.score : -totalViolation(t.violations))),
  })
    .orderby("trial")
    .derive({ best: rolling("d => op.max(d.score)") })
    .objects() as Row[];
  const last = data[data.length - 1]!;
  const bestAt = data.find((r) => r.best === last.best)!;
  const quarter = trials[Math.floor(trials.length * 0.75)]?.trial ?? 0;
  const before = [...data].reverse().find((r) => (r.trial as number) < quarter);
  const gain = before ? (last.best as number) - (before.best as number) : NaN;
  const chart = await renderFigure(
    progressFigure({
      name: "progress",
      title: "Tuning progress: best score over trials",
      subtitle:
        feasible.length > 0
          ? `${feasible.length} of ${trials.length} trials met the constraints; infeasible trials are not drawn`
          : "No trial met the constraints: how far each missed them",
      caption:
        `Dots: each ${feasible.length > 0 ? "feasible " : ""}trial's training score; line: the best so far. ` +
        `The best, ${fmt(last.best as number)}, came at trial ${bestAt.trial} of ${trials.length}` +
        (Number.isFinite(gain)
          ? `; the last quarter of the search improved it by ${fmt(gain)}${gain < 1e-9 ? " (it had levelled off)" : " (more budget may still help)"}.`
          : "."),
      yTitle,
      data,
    }),
  );
  return { title: "Tuning progress", blocks: [figure(chart)] };
}

async function sensitivitySection(bundle: Bundle, point: readonly number[], executor: Executor): Promise<Section> {
  const s = await sensitivity(bundle, point, executor, STEP);
  const down = `-${STEP * 100} % of range`;
  const up = `+${STEP * 100} % of range`;
  const effect = new Map<string, number>();
  for (const x of s.steps) effect.set(x.parameter, Math.max(effect.get(x.parameter) ?? 0, Math.abs(x.change)));
  const order = [...effect.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name);
  const data: Row[] = s.steps.map((x) => ({
    parameter: x.parameter,
    step: x.direction < 0 ? down : up,
    value: x.value,
    change: x.change,
    breaksConstraint: !x.feasible,
  }));
  const broken = s.steps.filter((x) => !x.feasible).map((x) => `${x.parameter} ${x.direction < 0 ? "down" : "up"}`);
  const flat = order.filter((name) => effect.get(name)! < 0.01 * Math.max(1, Math.abs(s.utility)));
  const idle = flat.filter((name) => effect.get(name) === 0);
  const chart = await renderFigure(
    changeBarsFigure({
      name: "sensitivity",
      title: "Parameter sensitivity around the recommendation",
      subtitle: `Change in training score when one parameter moves by ${STEP * 100} % of its range (integers: at least one step); light: breaks a constraint`,
      caption:
        `One-at-a-time evaluations: each parameter moved down and up from the recommendation, the others held, each ` +
        `candidate scored on the search's training episodes (same seeds), the score taken without the constraints ` +
        `(${fmt(s.utility)} at the recommendation). Largest effects: ` +
        order
          .slice(0, 3)
          .map((n) => `${n} (${fmt(effect.get(n)!)})`)
          .join(", ") +
        `. ${flat.length} parameter(s) move it by less than 1 % of its value, ${idle.length} of them not at all ` +
        "(the part of the mechanism they set stays idle in these episodes, or a step does not change a decision). " +
        (broken.length > 0 ? `Steps that break a constraint (light bars): ${broken.join(", ")}.` : "No step breaks a constraint."),
      category: { field: "parameter", title: null, sort: order },
      group: { field: "step", domain: [down, up] },
      x: { field: "change", title: "change in training score (objective units, symmetric log scale)" },
      faded: "breaksConstraint",
      data,
      columns: ["parameter", "step", "value", "change", "breaksConstraint"],
    }),
  );
  return { title: "Parameter sensitivity", blocks: [figure(chart)] };
}

async function parallelSection(bundle: Bundle, trials: readonly Trial[], best: Trial): Promise<Section> {
  const feasible = trials.filter((t) => t.feasible);
  const pool = feasible.length > 0 ? feasible : trials;
  const top = [...pool].sort((a, b) => b.score - a.score || a.trial - b.trial).slice(0, BEST_TRIALS);
  const names = bundle.space.specs.map((s) => s.name);
  const position = (params: Record<string, number>) => positionIn(bundle, params);
  const topPositions = top.map((t) => position(t.params));
  const line = (trial: number, score: number | null, params: Record<string, number>, pos: Float64Array, kind: string): Row[] =>
    names.map((p, i) => ({ trial, score, parameter: p, value: params[p]!, position: pos[i]!, line: kind }));
  const data = [
    ...top.flatMap((t, k) => line(t.trial, t.score, t.params, topPositions[k]!, "trial")),
    ...line(best.trial, best.score, best.params, position(best.params), "recommended"),
    ...line(-1, null, bundle.params, position(bundle.params), "defaults"),
  ];
  const spread = names.map((p, i) => {
    const xs = topPositions.map((pos) => pos[i]!);
    return { p, range: Math.max(...xs) - Math.min(...xs) };
  });
  const agreed = spread.filter((s) => s.range < 0.15).map((s) => s.p);
  const loose = spread.filter((s) => s.range > 0.5).map((s) => s.p);
  const chart = await renderFigure(
    parallelFigure({
      name: "parallel",
      title: `Parallel coordinates of the ${top.length} best trials`,
      subtitle: "Each line is a trial, coloured by its training score; red: recommended (solid) and defaults (dashed)",
      caption:
        `Where the lines bunch, the best trials agree: ${agreed.length > 0 ? agreed.join(", ") : "no parameter"} ` +
        `(spread under 15 % of the range). Where they fan out, the score near the top hardly depends on the parameter or ` +
        `trades it against others: ${loose.length > 0 ? loose.join(", ") : "no parameter"} (spread over 50 %).`,
      parameters: names,
      data,
    }),
  );
  return { title: "Best trials", blocks: [figure(chart)] };
}

async function tradeOffSection(e: CalibrationExport, trials: readonly Trial[]): Promise<Section> {
  const marks: ParetoMarks = {
    recommended: e.trial,
    presets: e.presets,
    defaults: e.kpis.reduce((o, k) => ({ ...o, [k.kpi]: k.train.defaults.mean }), {} as Record<WindowKpi, number>),
  };
  const figures = [
    await renderFigure(paretoFigure(trials, marks, "liveness", "pareto-liveness-cost")),
    await renderFigure(paretoFigure(trials, marks, "nakamotoProofsMean", "pareto-decentralization-cost")),
  ];
  const presets = PRESETS.filter((p) => e.presets.some((x) => x.name === p));
  return {
    title: "Trade-offs",
    blocks: [
      ...figures.map(figure),
      text(
        presets.length > 0
          ? `Presets, from the liveness-cost front: ${presets.map((p) => `${p} (trial ${e.presets.find((x) => x.name === p)!.trial})`).join(", ")}; their held-out figures are in the last section.`
          : "No presets: no trial had a finite liveness and cost.",
      ),
    ],
  };
}

/** What a Pareto chart highlights: the recommended trial, the presets' trials, and the defaults' training KPIs. */
export interface ParetoMarks {
  recommended: number;
  presets: readonly { name: string; trial: number }[];
  defaults: Partial<Record<WindowKpi, number>>;
}

/** The KPIs of a trial a Pareto chart reads. */
export type ParetoTrial = Pick<Trial, "trial" | "feasible"> & {
  kpis: Pick<Trial["kpis"], "liveness" | "rewardsPerTxUsd" | "l1CostPerTxUsd" | "nakamotoProofsMean">;
};

const PARETO_AXES = {
  liveness: { yTitle: "liveness (share of blocks proven in time, %)", format: ".1%", what: "liveness", zoom: true },
  nakamotoProofsMean: { yTitle: "Nakamoto coefficient of proofs (provers)", format: undefined, what: "decentralization", zoom: false },
} as const;

/** Every trial's training liveness (or decentralization) against its cost to users per transaction, with the Pareto front dashed. */
export function paretoFigure(trials: readonly ParetoTrial[], marks: ParetoMarks, field: keyof typeof PARETO_AXES, name: string): Figure {
  const { yTitle, format, what, zoom } = PARETO_AXES[field];
  const finite = trials.filter((t) =>
    [t.kpis.liveness, t.kpis.rewardsPerTxUsd, t.kpis.l1CostPerTxUsd, t.kpis.nakamotoProofsMean].every(Number.isFinite),
  );
  const pool = finite.some((t) => t.feasible) ? finite.filter((t) => t.feasible) : finite;
  const presetOf = new Map<number, string[]>();
  for (const p of marks.presets) presetOf.set(p.trial, [...(presetOf.get(p.trial) ?? []), p.name]);
  const labelOf = (trial: number) =>
    [trial === marks.recommended ? "recommended" : null, ...(presetOf.get(trial) ?? [])].filter((x) => x !== null).join(" = ") +
    ` (trial ${trial})`;
  const highlighted = [...new Set([marks.recommended, ...marks.presets.map((p) => p.trial)])];
  const defaultCost = userCostPerTx({ rewardsPerTxUsd: marks.defaults.rewardsPerTxUsd!, l1CostPerTxUsd: marks.defaults.l1CostPerTxUsd! });
  const front = new Set(
    nonDominated(
      pool,
      (t) => t.kpis[field],
      (t) => userCostPerTx(t.kpis),
    ).map((t) => t.trial),
  );
  const point = (t: ParetoTrial, label: string | null, series: string): Row => ({
    trial: t.trial,
    series,
    costPerTxUsd: userCostPerTx(t.kpis),
    [field]: t.kpis[field],
    front: label === null && front.has(t.trial),
    label,
  });
  const data: Row[] = [
    ...finite.map((t) => point(t, null, t.feasible ? "feasible trial" : "infeasible trial")),
    ...highlighted.flatMap((n) => {
      const t = finite.find((x) => x.trial === n);
      return t ? [point(t, labelOf(n), n === marks.recommended ? "recommended" : "preset")] : [];
    }),
    { trial: -1, series: "defaults", costPerTxUsd: defaultCost, [field]: marks.defaults[field]!, front: false, label: "defaults" },
  ];
  const rec = finite.find((t) => t.trial === marks.recommended);
  const onFront = rec !== undefined && front.has(rec.trial);
  // Zoomed to the pool and the highlighted points: the trials far below would squeeze the front into a line.
  const ys = [...pool.map((t) => t.kpis[field]), ...data.filter((r) => r.label !== null).map((r) => r[field] as number)];
  const lo = Math.min(...ys);
  const yMin = zoom ? lo - 0.1 * (Math.max(...ys) - lo || Math.abs(lo) || 1) : undefined;
  const hidden = yMin === undefined ? 0 : finite.filter((t) => t.kpis[field] < yMin).length;
  return tradeOffFigure({
    name,
    title: `Trade-off: ${what} against cost per transaction`,
    subtitle:
      `Training means of every trial; dashed: the Pareto front of the ${pool === finite ? "" : "feasible "}trials` +
      (hidden > 0 ? `; ${hidden} trials below ${fmt(yMin!)} not drawn` : ""),
    caption:
      `${front.size} trial(s) are on the front: none of the others is both cheaper and better on ${what}. ` +
      (onFront
        ? "The recommendation is on it."
        : "The recommendation is not on it: other trials beat it on these two axes, but it wins on the objective's other terms.") +
      ` Defaults: ${what} ${fmt(marks.defaults[field]!)}, cost ${fmt(defaultCost)} USD/tx.`,
    x: { field: "costPerTxUsd", title: "cost to users per transaction: rewards + L1 (USD/tx)" },
    y: { field, title: yTitle, ...(format ? { format } : {}) },
    series: ["feasible trial", "infeasible trial", "recommended", "preset", "defaults"],
    colors: [PALETTE[0]!, "#bdbdbd", "#2ca02c", "#e45756", "#333333"],
    labels: true,
    ...(yMin === undefined ? {} : { yMin }),
    data,
    columns: ["trial", "series", "costPerTxUsd", field, "front", "label"],
  });
}

async function episodesSections(bundle: Bundle, e: CalibrationExport): Promise<Section[]> {
  const blocks: Block[] = [
    text(
      "The first held-out episode of every scenario, run once with the recommended calibration and once with the defaults, " +
        "on the same seed: the same demand, fees and outages, so the differences are the mechanism's.",
    ),
  ];
  const lorenz: RenderedFigure[] = [];
  for (const [i, scenario] of allScenarios(bundle).entries()) {
    const shows = [
      showcaseEpisode(bundle, scenario, "recommended", e.params),
      showcaseEpisode(bundle, scenario, "defaults", bundle.params),
    ];
    blocks.push(figure(await renderFigure(timeSeriesOf(scenario, shows, `timeseries-${i + 1}`))));
    lorenz.push(await renderFigure(lorenzOf(scenario, shows, `lorenz-${i + 1}`)));
  }
  return [
    { title: "Time series: recommended against defaults", blocks },
    { title: "How rewards spread over provers", blocks: lorenz.map(figure) },
  ];
}

function auditSection(audit: Audit | null, candidates: CalibrationExport["candidates"]): Section {
  if (audit === null) {
    return {
      title: "Exploit audit",
      blocks: [
        text(
          "Not run: the run folder has no `audit.json`. The audit trains a fresh learning prover or coalition against the frozen recommendation and reports its gain over honest play.",
        ),
      ],
    };
  }
  const setting = (s: AuditStrategy) => (s.coalitionShare === null ? "alone" : `coalition, ${fmt(s.coalitionShare * 100)} % of compute`);
  const pays = (s: AuditStrategy) => s.exploit ?? s.gainUsd > 0;
  const paying = audit.strategies.filter(pays);
  const table = makeTable(
    "Strategies against the recommendation",
    "Gain: the attackers' profit over honest play on the same seeds (USD per epoch after the warm-up, and in % of their honest profit). " +
      "Liveness cost: honest minus attacked, share of blocks. Cost per tx change: attacked minus honest, USD/tx. Pays: the gain's interval lies above 0.",
    [
      { key: "name", label: "strategy" },
      { key: "setting", label: "attackers", words: true },
      { key: "gainUsd", label: "gain", unit: "USD/epoch" },
      { key: "gainPct", label: "gain", unit: "%" },
      { key: "livenessCost", label: "liveness cost", unit: "share of blocks" },
      { key: "costPerTxChange", label: "cost per tx change", unit: "USD/tx" },
      { key: "pays", label: "pays", words: true },
    ],
    audit.strategies.map((s) => ({
      name: s.name,
      setting: setting(s),
      gainUsd: signed(s.gainUsd),
      gainPct: signed(s.gainPct),
      livenessCost: fmt(s.livenessCost),
      costPerTxChange: signed(s.costPerTxChange),
      pays: pays(s) ? "yes" : "no",
    })),
  );
  return {
    title: "Exploit audit",
    blocks: [
      text(
        audit.strategies.length === 0
          ? "The audit tried no strategy."
          : paying.length > 0
            ? `Deviations that pay against the recommendation: ${paying.map((s) => `${s.name} (${setting(s)}, ${signed(s.gainUsd)} USD per epoch)`).join(", ")}. The calibration can be gamed that far.`
            : `No strategy of the ${audit.strategies.length} tried beats honest play: the recommendation holds against them.`,
      ),
      ...(candidates.length > 1
        ? [
            text(
              "The best candidates of the search, in validation-score order, were audited until one had no paying strategy: " +
                candidates
                  .map(
                    (c) =>
                      `trial ${c.trial} ${c.outcome}${repairText(c)}${c.exploits.length > 0 ? ` (${c.exploits.map((x) => x.strategy).join(", ")})` : ""}`,
                  )
                  .join("; ") +
                ".",
            ),
          ]
        : []),
      tableBlock(table),
    ],
  };
}

function heldOutSection(e: CalibrationExport): Section {
  const n = (split: "train" | "heldOut") => e.kpis[0]![split].recommended.n;
  const scores = makeTable(
    "Score (objective, higher is better)",
    "Infeasible scores name the constraints missed and by how much (in the KPI's unit).",
    [
      { key: "split", label: "split" },
      { key: "recommended", label: "recommended" },
      { key: "defaults", label: "defaults" },
    ],
    [
      {
        split: `training (${n("train")} episodes)`,
        recommended: scoreText(e.score.train.recommended),
        defaults: scoreText(e.score.train.defaults),
      },
      ...(e.score.validation === null
        ? []
        : [
            {
              split: `validation (${e.score.validation.episodes} episodes: the training scenarios on seeds of their own)`,
              recommended: scoreText(e.score.validation.recommended),
              defaults: scoreText(e.score.validation.defaults),
            },
          ]),
      {
        split: `held-out (${n("heldOut")} episodes)`,
        recommended: scoreText(e.score.heldOut.recommended),
        defaults: scoreText(e.score.heldOut.defaults),
      },
    ],
  );
  const scenarioTable = (title: string, rows: CalibrationExport["scenarios"]) =>
    makeTable(
      title,
      "Scores of the scenario's episodes alone; difference: the objective, recommended - defaults paired by episode [95 % t interval], * when it excludes 0.",
      [
        { key: "scenario", label: "scenario" },
        { key: "recommended", label: "recommended" },
        { key: "defaults", label: "defaults" },
        { key: "difference", label: "difference" },
      ],
      rows.map((x) => ({
        scenario: x.scenario,
        recommended: scoreText(x.recommended),
        defaults: scoreText(x.defaults),
        difference: difference(x.difference),
      })),
    );
  const perScenario = scenarioTable("Each held-out scenario", e.scenarios);
  const perTrainingScenario = scenarioTable(
    "Each training scenario on the validation seeds (where a gain over the defaults comes from)",
    e.validationScenarios,
  );
  const kpis = makeTable(
    "KPIs on the held-out episodes",
    "Mean [95 % percentile bootstrap interval, within the KPI's range] over episodes; difference: recommended - defaults paired by episode [95 % t interval], * when it excludes 0.",
    [
      { key: "kpi", label: "KPI" },
      { key: "unit", label: "unit", words: true },
      { key: "recommended", label: "recommended" },
      { key: "defaults", label: "defaults" },
      { key: "difference", label: "difference" },
    ],
    e.kpis.map((k) => ({
      kpi: k.kpi,
      unit: k.unit,
      recommended: interval(k.heldOut.recommended),
      defaults: interval(k.heldOut.defaults),
      difference: difference(k.heldOut.difference),
    })),
  );
  const key = keyKpis(e.objective);
  const presets = makeTable(
    "Presets on the held-out episodes",
    "Taken from the Pareto front of liveness against cost per transaction on the training figures, kept when feasible and in order on held-out; mean [95 % bootstrap interval].",
    [
      { key: "preset", label: "preset" },
      { key: "trial", label: "trial" },
      { key: "score", label: "score" },
      ...key.map((k) => ({ key: k, label: k, unit: WINDOW_KPI_UNITS[k] })),
    ],
    e.presets.map((p) => ({
      preset: p.name,
      trial: p.trial,
      score: scoreText(p.heldOut),
      ...Object.fromEntries(key.map((k) => [k, interval(p.heldOut.kpis[k]!)])),
    })),
  );
  const significant = (sign: 1 | -1) =>
    e.kpis
      .filter(
        (k) => k.heldOut.difference.significant && betterDirection(k.kpi, e.objective) * Math.sign(k.heldOut.difference.mean) === sign,
      )
      .map((k) => `${k.kpi} ${signed(k.heldOut.difference.mean)} (${k.unit})`);
  const better = significant(1);
  const worse = significant(-1);
  return {
    title: "Held-out results",
    blocks: [
      text(
        `Significantly better with the recommendation: ${better.length > 0 ? better.join(", ") : "nothing"}. ` +
          `Significantly worse: ${worse.length > 0 ? worse.join(", ") : "nothing"}. ` +
          "Other KPIs either moved within the noise of the episodes or have no better direction.",
      ),
      tableBlock(scores),
      tableBlock(perScenario),
      ...(e.validationScenarios.length > 0 ? [tableBlock(perTrainingScenario)] : []),
      tableBlock(kpis),
      ...(e.presets.length > 0 ? [tableBlock(presets)] : []),
      ...(e.droppedPresets.length > 0
        ? [list(e.droppedPresets.map((p) => `Preset ${p.name} (trial ${p.trial}) dropped: ${p.reason}.`))]
        : []),
    ],
  };
}
