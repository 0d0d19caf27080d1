import { join } from "node:path";
import { settingText as strategySetting } from "../audit/format.js";
import { paramSpec } from "../config/paramSpace.js";
import { WINDOW_KPI_UNITS, type WindowKpi } from "../env/windowKpis.js";
import { objectiveText, scoreText } from "../report/calibration.js";
import { intervalsFigure, renderFigure, timeSeriesFigure, type Row } from "../report/charts.js";
import { figure, list, tableBlock, text, type Block, type ReportDocument, type Section } from "../report/document.js";
import { SERIES_PANELS } from "../report/episodes.js";
import { paretoFigure } from "../report/report.js";
import { difference, fmt, interval, withSignificance } from "../report/format.js";
import { betterDirection } from "../report/kpis.js";
import { makeTable } from "../report/tables.js";
import type { Recommendation } from "../tuning/recommend.js";
import { TunedSpace } from "../tuning/space.js";
import type { MeanInterval } from "../tuning/stats.js";
import { leverTradeOffFigure, responseFigure } from "./figures.js";
import { preferredOption, SUMMARY_KPIS, type OptionResult, type QuestionResult, type StudyResult } from "./run.js";
import type { LeverSweep } from "./sweep.js";

/** Which way is better on the summary's axes: a higher prover margin keeps provers in (what users pay shows under cost). */
const SUMMARY_DIRECTION: Partial<Record<WindowKpi, 1 | -1>> = {
  liveness: 1,
  txDelayMeanS: -1,
  costPerServedTxUsd: -1,
  profitMargin: 1,
  nakamotoProofsMean: 1,
};
const KPI_WORDS: Partial<Record<WindowKpi, string>> = {
  liveness: "liveness",
  txDelayMeanS: "delay",
  costPerServedTxUsd: "cost to users",
  profitMargin: "prover margin",
  nakamotoProofsMean: "decentralization (Nakamoto coefficient)",
};

/** The study report: an executive summary a forum post can quote, then one section per question. */
export async function buildStudyReport(r: StudyResult): Promise<ReportDocument> {
  const sections: Section[] = [executiveSection(r)];
  for (const [i, q] of r.questions.entries()) sections.push(await questionSection(q, i, r.dir));
  sections.push(methodSection(r));
  return { title: r.title, lead: lead(r), sections };
}

function lead(r: StudyResult): string[] {
  return [
    ...(r.quick
      ? [
          "QUICK RUN: every question ran on a few episodes and a small search budget (--quick), to check the pipeline end to end. " +
            "Its figures are not findings.",
        ]
      : []),
    r.summary,
    "Every difference is the recommended calibration minus the proposal's defaults on held-out scenarios the search never saw, " +
      "paired by episode (the same demand, fees and outages), as a mean with its 95 % interval; * marks an interval that excludes 0. " +
      "Every chart has its data in figures/ as CSV.",
  ];
}

// ---------------------------------------------------------------- executive summary

/** A calibration the summary can stand on: its changes from the defaults and its held-out differences from them. */
interface Arm {
  /** null: the experiment as written; else the option's name. */
  option: string | null;
  changes: { name: string; from: number; to: number }[];
  versusDefaults: MeanInterval;
  kpiDifferences: Partial<Record<WindowKpi, MeanInterval>>;
  warnings: Recommendation["warnings"];
  audit: QuestionResult["audit"];
}

/**
 * What a question's summary says: nothing tuned; the defaults kept by the search; a warned best (not
 * recommended); a best that the held-out episodes do not support; or a recommendation, of the
 * experiment as written or of the option that beats it (and the defaults) significantly on held-out.
 */
type Choice =
  | { kind: "nothing tuned" }
  | { kind: "defaults kept" }
  | { kind: "warned"; arm: Arm }
  | { kind: "unsupported"; arm: Arm }
  | { kind: "recommended"; arm: Arm };

/** The experiment's own recommendation (null: nothing tuned) and each option's. */
function armsOf(q: QuestionResult): { main: Arm | null; options: Arm[] } {
  const rec = q.recommendation;
  const changes = (tuned: Record<string, number>) =>
    q.tuned.filter((n) => n in tuned && tuned[n] !== q.defaults[n]).map((name) => ({ name, from: q.defaults[name]!, to: tuned[name]! }));
  return {
    main:
      rec === null
        ? null
        : {
            option: null,
            changes: changes(rec.tuned),
            versusDefaults: rec.heldOut.utilityDifference,
            kpiDifferences: rec.heldOut.kpiDifferences,
            warnings: rec.warnings,
            audit: q.audit,
          },
    options: q.options.map((o) => ({
      option: o.name,
      changes: changes(o.tuned),
      versusDefaults: o.versusDefaults,
      kpiDifferences: o.kpiDifferences,
      warnings: o.warnings,
      audit: o.audit,
    })),
  };
}

function choiceOf(q: QuestionResult): Choice {
  const { main, options } = armsOf(q);
  const preferred = preferredOption(q.options);
  if (preferred !== null) return { kind: "recommended", arm: options[q.options.indexOf(preferred)]! };
  if (main === null) return { kind: "nothing tuned" };
  if (main.changes.length === 0) return { kind: "defaults kept" };
  if (main.warnings.length > 0) return { kind: "warned", arm: main };
  return withSignificance(main.versusDefaults).low > 0 ? { kind: "recommended", arm: main } : { kind: "unsupported", arm: main };
}

function executiveSection(r: StudyResult): Section {
  const rows = r.questions.map((q) => {
    const c = choiceOf(q);
    const arm = "arm" in c ? c.arm : null;
    const d = (m: MeanInterval | undefined) => (m === undefined ? "-" : difference(withSignificance(m)));
    return {
      question: q.spec.title,
      setting: settingText(q, c),
      objective: d(arm?.versusDefaults),
      ...Object.fromEntries(SUMMARY_KPIS.map((k) => [k, d(arm?.kpiDifferences[k])])),
      exploits: arm ? exploitsText(arm.audit) : "-",
    };
  });
  const table = makeTable(
    "Recommendations against the proposal's defaults (held-out)",
    "Each cell: the calibration named minus the proposal's defaults, mean [95 % interval] over the held-out episodes; * excludes 0. " +
      "- : nothing to compare (no lever acts, or the search kept the defaults).",
    [
      { key: "question", label: "question", words: true },
      { key: "setting", label: "setting", words: true },
      { key: "objective", label: "objective" },
      ...SUMMARY_KPIS.map((k) => ({ key: k, label: k, unit: WINDOW_KPI_UNITS[k] })),
      { key: "exploits", label: "known exploits", words: true },
    ],
    rows,
  );
  return { title: "Executive summary", blocks: [...r.questions.map((q) => text(summaryParagraph(q))), tableBlock(table)] };
}

function changeList(arm: Arm, sep = "; "): string {
  return arm.changes.map((c) => `${c.name} ${fmt(c.from)} -> ${fmt(c.to)}`).join(sep);
}

function armName(q: QuestionResult, arm: Arm): string {
  if (arm.option === null) return "";
  const o = q.options.find((x) => x.name === arm.option)!;
  return `option ${o.name} (${o.set.join(", ")})${arm.changes.length > 0 ? " with " : ""}`;
}

/** "1 lever", "3 levers". */
function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** One line per question, as `proverlab study` prints it at the end: the setting, and its held-out objective against the defaults. */
export function headline(q: QuestionResult): string {
  const c = choiceOf(q);
  const objective = "arm" in c ? `; held-out objective vs defaults ${difference(withSignificance(c.arm.versusDefaults))}` : "";
  return `${q.spec.id}: ${settingText(q, c)}${objective}`;
}

/** The summary table's setting: what to adopt, or the proposal's defaults and why. */
function settingText(q: QuestionResult, c: Choice): string {
  switch (c.kind) {
    case "nothing tuned":
      return "the proposal's defaults (no lever acts)";
    case "defaults kept":
      return "the proposal's defaults (the search found nothing better)";
    case "warned":
      return `WARNING (${c.arm.warnings.map((w) => w.kind).join(", ")}), not recommended: ${changeList(c.arm)}`;
    case "unsupported":
      return `the proposal's defaults (best found, not supported on held-out: ${changeList(c.arm)})`;
    case "recommended":
      return armName(q, c.arm) + changeList(c.arm);
  }
}

function summaryParagraph(q: QuestionResult): string {
  return `${q.spec.title} ${summaryBody(q)}${q.controller ? ` ${controllerText(q.controller)}` : ""}`;
}

/** What a question recommends, what it buys and costs on held-out, its exploits and its risks. */
function summaryBody(q: QuestionResult): string {
  const c = choiceOf(q);
  const held = `the held-out scenarios (${q.scenarios.heldOut.join(", ")})`;
  switch (c.kind) {
    case "nothing tuned":
      return (
        `None of the ${q.screening.levers.length} levers screened moved the objective beyond noise on the training scenarios ` +
        `(${q.scenarios.train.join(", ")}), so nothing was tuned` +
        (q.options.length > 0
          ? `, and no option (${q.options.map((o) => o.name).join(", ")}) at the defaults is recommended over them`
          : "") +
        ": keep the proposal's defaults." +
        warnedOptions(q)
      );
    case "defaults kept":
      return (
        `Keep the proposal's defaults: of the ${count(q.tuned.length, "lever")} that ${q.tuned.length === 1 ? "acts" : "act"} (${q.tuned.join(", ")}), no calibration the search tried beat them on training and validation` +
        (q.options.length > 0 ? ", and no option is recommended over them." : ".") +
        warnedOptions(q) +
        exploitSentence(q.audit)
      );
    case "warned":
      return (
        `WARNING: ${c.arm.warnings.map((w) => `${w.kind}: ${w.message}`).join("; ")}. The best calibration the search found is not recommended while this stands: ` +
        `${changeList(c.arm, ", ")}. On ${held} it scores ${difference(withSignificance(c.arm.versusDefaults))} against the defaults.` +
        exploitSentence(c.arm.audit)
      );
    case "unsupported":
      return (
        `No change is supported: the search's best calibration (${changeList(c.arm, ", ")}) scores ${difference(withSignificance(c.arm.versusDefaults))} ` +
        `against the proposal's defaults on ${held}, an interval that does not lie above 0. Keep the defaults.` +
        buysCosts(q, c.arm, "It would") +
        riskSentence(q, c.arm)
      );
    case "recommended": {
      const option = c.arm.option === null ? null : q.options.find((o) => o.name === c.arm.option)!;
      const what =
        option === null
          ? `Recommended: ${changeList(c.arm, ", ")}.`
          : `Recommended: option ${option.name}: ${option.description.replace(/\.$/, "")} (${option.set.join(", ")})` +
            (c.arm.changes.length > 0 ? `, with ${changeList(c.arm, ", ")}.` : ".") +
            ` ${adoptedText(q, option)}`;
      return (
        `${what} On ${held} the objective changes by ${difference(withSignificance(c.arm.versusDefaults))} against the proposal's defaults.` +
        buysCosts(q, c.arm, "It") +
        exploitSentence(c.arm.audit) +
        riskSentence(q, c.arm)
      );
    }
  }
}

/** How an option's adopted calibration was reached, and how it compares with the baseline on held-out. */
function adoptedText(q: QuestionResult, o: OptionResult): string {
  const versus = `${difference(withSignificance(o.difference))} over ${q.spec.baseline} on the same held-out episodes`;
  if (o.tunedOverDefaults === null) return `No lever acts, so it runs at the proposal's defaults under its own rule; it scores ${versus}.`;
  const tuning = difference(withSignificance(o.tunedOverDefaults));
  const kept = o.tunedOverDefaults.n > 0 && o.tunedOverDefaults.low === 0 && o.tunedOverDefaults.high === 0;
  if (kept) return `Its search on the same levers kept the proposal's defaults; there it scores ${versus}.`;
  return o.adopts === "tuned"
    ? `Tuned on the same levers and budget, it scores ${versus}, and its tuning adds ${tuning} over the option at the defaults.`
    : `Its tuned levers do not beat it at the proposal's defaults on held-out (${tuning}), so it is taken at the defaults, where it scores ${versus}.`;
}

/** The options that beat the defaults on held-out but carry a warning: named, never recommended. */
function warnedOptions(q: QuestionResult): string {
  const warned = q.options.filter((o) => o.warnings.length > 0 && withSignificance(o.versusDefaults).low > 0);
  return warned
    .map(
      (o) =>
        ` WARNING: option ${o.name} scores ${difference(withSignificance(o.versusDefaults))} against the defaults on held-out but is not recommended: ` +
        `${o.warnings.map((w) => `${w.kind}: ${w.message}`).join("; ")}.`,
    )
    .join("");
}

/** "It buys ... It costs ...": the summary KPIs (and the question's) that moved significantly, by which way is better. */
function buysCosts(q: QuestionResult, arm: Arm, subject: string): string {
  const kpis = [...new Set([...SUMMARY_KPIS, ...q.spec.kpis])];
  const buys: string[] = [];
  const costs: string[] = [];
  const moves: string[] = [];
  const same: string[] = [];
  const undefinedKpis: string[] = [];
  for (const k of kpis) {
    const m = arm.kpiDifferences[k];
    if (m === undefined) continue;
    if (!Number.isFinite(m.mean)) {
      undefinedKpis.push(KPI_WORDS[k] ?? k);
      continue;
    }
    const d = withSignificance(m);
    const words = `${KPI_WORDS[k] ?? k} ${difference(d)} ${WINDOW_KPI_UNITS[k]}`;
    const dir = SUMMARY_DIRECTION[k] ?? betterDirection(k, q.objective);
    if (!d.significant) same.push(KPI_WORDS[k] ?? k);
    else if (dir === 0) moves.push(words);
    else if (Math.sign(d.mean) === dir) buys.push(words);
    else costs.push(words);
  }
  const verb = (v: string) => (subject === "It" ? `${v}s` : v);
  return (
    (buys.length > 0
      ? ` ${subject} ${verb("buy")} ${buys.join("; ")}.`
      : ` ${subject} ${verb("buy")} no significant change of these KPIs.`) +
    (costs.length > 0 ? ` ${subject} ${verb("cost")} ${costs.join("; ")}.` : ` ${subject} ${verb("cost")} none of them significantly.`) +
    (moves.length > 0 ? ` ${subject} also ${verb("move")} ${moves.join("; ")}.` : "") +
    (same.length > 0 ? ` Unchanged within noise: ${same.join(", ")}.` : "") +
    (undefinedKpis.length > 0 ? ` Not defined in these episodes: ${undefinedKpis.join(", ")}.` : "")
  );
}

function exploitsText(audit: QuestionResult["audit"]): string {
  if (audit === null) return "not audited";
  const found = audit.strategies.filter((s) => s.exploit);
  return found.length === 0
    ? "none found"
    : found.map((s) => `${s.name} ${strategySetting(s)} +${fmt(s.gainUsd.mean)} USD/epoch`).join("; ");
}

function exploitSentence(audit: QuestionResult["audit"]): string {
  if (audit === null) return " It was not audited for exploits.";
  const found = audit.strategies.filter((s) => s.exploit);
  if (found.length > 0) return ` WARNING: the audit found exploits: ${exploitsText(audit)}.`;
  return ` The exploit audit (${audit.strategies
    .map((s) => s.name)
    .filter((n, i, a) => a.indexOf(n) === i)
    .join(", ")}; ${audit.seeds} paired episodes per held-out scenario) found none that pays.`;
}

function riskSentence(q: QuestionResult, arm: Arm): string {
  const risks: string[] = [];
  // Within 5 % of a bound (in the lever's own scale): the search may have wanted to go further.
  const atBound = arm.changes
    .filter((c) => {
      const position = new TunedSpace([c.name]).encode({ [c.name]: c.to })[0]!;
      return position < 0.05 || position > 0.95;
    })
    .map((c) => `${c.name} (${fmt(c.to)}, range ${fmt(paramSpec(c.name)!.lower)} to ${fmt(paramSpec(c.name)!.upper)})`);
  if (atBound.length > 0) risks.push(`${atBound.join(", ")} at or near the edge of the searched range: the best value may lie beyond it`);
  const others = q.options.filter((o) => o.name !== arm.option && withSignificance(o.difference).low > 0).map((o) => o.name);
  if (arm.option === null && others.length > 0)
    risks.push(`the option(s) ${others.join(", ")} scored higher than ${q.spec.baseline} on held-out`);
  return risks.length > 0 ? ` Risks: ${risks.join("; ")}.` : "";
}

// ---------------------------------------------------------------- one question

async function questionSection(q: QuestionResult, i: number, studyDir: string): Promise<Section> {
  const blocks: Block[] = [list(q.spec.asks), text(setupText(q))];
  blocks.push(text(`Finding. ${findingText(q)}`));
  const c = choiceOf(q);
  const chosen = "arm" in c && c.arm.option !== null ? q.options.find((o) => o.name === c.arm.option)! : null;
  if (chosen !== null && chosen.run !== null) {
    blocks.push(
      text(
        `The held-out table, curves, trade-offs and tiers below are those of the experiment as written (${q.spec.baseline}); ` +
          `the recommended option's own search is \`${chosen.run}\` (\`proverlab report\` writes its full report).`,
      ),
    );
  }
  blocks.push(...(await leverBlocks(q, i)));
  if (q.recommendation) {
    blocks.push(tableBlock(heldOutTable(q, q.recommendation)));
    blocks.push(...(await curveBlocks(q, i)));
  }
  if (q.options.length > 0) blocks.push(...(await optionBlocks(q, i)));
  if (q.recommendation) {
    if (q.controller) blocks.push(...controllerBlocks(q.controller));
    if (q.trials.length > 0) {
      const rec = q.recommendation;
      const marks = {
        recommended: rec.trial,
        presets: rec.presets,
        defaults: Object.fromEntries(Object.entries(rec.train.defaults.kpis).map(([k, m]) => [k, m.mean])),
      };
      blocks.push(figure(await renderFigure(paretoFigure(q.trials, marks, "liveness", `q${i + 1}-pareto`))));
    }
    blocks.push(...tierBlocks(q, q.recommendation));
    if (q.series) {
      const s = q.series;
      blocks.push(
        figure(
          await renderFigure(
            timeSeriesFigure({
              name: `q${i + 1}-series`,
              title: s.title,
              caption: s.caption,
              policies: s.policies,
              panels: SERIES_PANELS,
              data: s.data,
              columns: s.columns,
            }),
          ),
        ),
      );
    }
  }
  blocks.push(text("What the model cannot say:"), list([...q.spec.limits, ...noiseLimits(q)]));
  blocks.push(text(`Reproduce: ${reproduceText(q, studyDir)}`));
  return { title: q.spec.title, blocks };
}

function setupText(q: QuestionResult): string {
  const { weights, constraints } = objectiveText(q.objective);
  const rec = q.recommendation;
  return (
    `Experiment \`${q.experiment}\`: objective ${weights}` +
    (constraints.length > 0 ? ` subject to ${constraints.join(" and ")}` : "") +
    `; trained on ${q.scenarios.train.join(", ")}; held out on ${q.scenarios.heldOut.join(", ")}. ` +
    `${q.screening.levers.length} levers screened on ${q.screening.seeds} episode(s) per training scenario; ` +
    (rec === null ? "none acted, so none was tuned." : `the ${q.tuned.length} that act tuned (run \`${q.run}\`).`)
  );
}

function findingText(q: QuestionResult): string {
  const rec = q.recommendation;
  const inert = q.screening.screens.filter((s) => s.effect !== "acts");
  const inertText =
    inert.length === 0
      ? ""
      : ` ${inert.length === 1 ? "One lever has no effect on the objective here and was" : `${inert.length} levers have no effect on the objective here and were`} not tuned: ${inert.map((s) => `${s.lever} (${s.effect})`).join(", ")}.`;
  if (rec === null) return `${summaryBody(q)}${inertText}`;
  const top = q.screening.screens.filter((s) => s.effect === "acts");
  const matters = ` The levers that matter, most first (largest change of the objective over the lever's range, training): ${top
    .map((s) => `${s.lever} ${fmt(s.importance)}`)
    .join(", ")}.`;
  return `${summaryBody(q)}${matters}${inertText}`;
}

async function leverBlocks(q: QuestionResult, i: number): Promise<Block[]> {
  const screens = q.screening.screens;
  const rec = q.recommendation;
  const rows = screens.map((s) => {
    const sweep = q.screening.levers.find((l) => l.lever === s.lever)!;
    const largest = largestPoint(sweep);
    return {
      lever: s.lever,
      effect: s.effect,
      importance: fmt(s.importance),
      at: largest ? `${fmt(largest.value)}: ${difference(withSignificance(largest.difference))}` : "-",
      default: fmt(q.defaults[s.lever]!),
      recommended: rec && q.tuned.includes(s.lever) ? fmt(rec.tuned[s.lever]!) : "not tuned",
    };
  });
  const table = makeTable(
    "Levers: what each does to the objective alone (training scenarios)",
    "importance: the largest change of the mean objective as the lever alone moves over its range from the default; " +
      "largest change: the value where it happens and the paired difference there. never acts: every episode identical at every value.",
    [
      { key: "lever", label: "lever", words: true },
      { key: "effect", label: "effect", words: true },
      { key: "importance", label: "importance" },
      { key: "at", label: "largest change at" },
      { key: "default", label: "default" },
      { key: "recommended", label: "recommended" },
    ],
    rows,
  );
  const data: Row[] = screens.map((s) => {
    const p = largestPoint(q.screening.levers.find((l) => l.lever === s.lever)!);
    return {
      lever: s.lever,
      mean: p?.difference.mean ?? 0,
      low: p?.difference.low ?? 0,
      high: p?.difference.high ?? 0,
      n: p?.difference.n ?? 0,
    };
  });
  const chart = await renderFigure(
    intervalsFigure({
      name: `q${i + 1}-levers`,
      title: "Importance of each lever",
      subtitle: "The largest change of the objective as the lever alone moves over its range (training, 95 % interval)",
      caption:
        "Each lever moved alone from the proposal's defaults to values evenly over its range, on the training episodes (common random numbers). " +
        "A bar that crosses 0 is a change within noise; a lever at exactly 0 never acts in these scenarios.",
      category: { field: "lever", title: null, domain: screens.map((s) => s.lever) },
      colorDomain: screens.map((s) => s.lever),
      x: { title: "change of the objective (training)" },
      data,
    }),
  );
  return [tableBlock(table), figure(chart)];
}

function largestPoint(sweep: LeverSweep) {
  return sweep.points.reduce<LeverSweep["points"][number] | null>(
    (best, p) => (best === null || Math.abs(p.difference.mean) > Math.abs(best.difference.mean) ? p : best),
    null,
  );
}

function heldOutTable(q: QuestionResult, rec: Recommendation) {
  const kpis = [...new Set([...SUMMARY_KPIS, ...q.spec.kpis])];
  const rows = [
    {
      what: "objective",
      recommended: scoreText(rec.heldOut.recommended),
      defaults: scoreText(rec.heldOut.defaults),
      difference: difference(withSignificance(rec.heldOut.utilityDifference)),
    },
    ...kpis.map((k) => ({
      what: `${k} (${WINDOW_KPI_UNITS[k]})`,
      recommended: interval(rec.heldOut.recommended.kpis[k]),
      defaults: interval(rec.heldOut.defaults.kpis[k]),
      difference: difference(withSignificance(rec.heldOut.kpiDifferences[k])),
    })),
    ...rec.heldOut.scenarios.map((s) => ({
      what: `objective on ${s.scenario} alone`,
      recommended: scoreText(s.recommended),
      defaults: scoreText(s.defaults),
      difference: difference(withSignificance(s.utilityDifference)),
    })),
  ];
  return makeTable(
    `Held-out: ${q.options.length > 0 ? `${q.spec.baseline}'s` : "the"} recommendation against the proposal's defaults`,
    "KPIs: mean [95 % bootstrap interval] over the held-out episodes; difference: paired by episode, 95 % t interval, * excludes 0.",
    [
      { key: "what", label: "", words: true },
      { key: "recommended", label: "recommended" },
      { key: "defaults", label: "defaults" },
      { key: "difference", label: "recommended - defaults" },
    ],
    rows,
  );
}

async function curveBlocks(q: QuestionResult, i: number): Promise<Block[]> {
  const c = q.curves;
  if (c === null || c.levers.length === 0) return [];
  const blocks: Block[] = [];
  for (const [k, sweep] of c.levers.entries()) {
    const points = [
      ...sweep.points,
      { value: sweep.at, difference: { mean: 0, low: 0, high: 0, n: c.base.utility.n }, kpis: c.base.kpis },
    ].sort((a, b) => a.value - b.value);
    const data: Row[] = points.map((p) => ({
      value: p.value,
      difference: p.difference.mean,
      low: p.difference.low,
      high: p.difference.high,
      ...Object.fromEntries(q.spec.kpis.map((kpi) => [kpi, p.kpis[kpi] ?? null])),
    }));
    const best = sweep.points.filter((p) => withSignificance(p.difference).low > 0);
    blocks.push(
      figure(
        await renderFigure(
          responseFigure({
            name: `q${i + 1}-curve-${k + 1}`,
            title: `Response of the held-out objective to ${sweep.lever}`,
            subtitle: `${sweep.lever} over its range (${sweep.unit}), every other lever at the recommendation; ${c.seeds} episode(s) per held-out scenario`,
            caption:
              `Top: the objective minus the recommendation's, paired by episode, with its 95 % interval. Below: ${q.spec.kpis.join(", ")}. ` +
              `Dashed: the default (grey, ${fmt(q.defaults[sweep.lever]!)}) and the recommended value (orange, ${fmt(sweep.at)}). ` +
              (best.length > 0
                ? `On these held-out scenarios ${best.map((p) => fmt(p.value)).join(", ")} scored significantly higher than the recommended value, which was chosen on training: a sign the optimum moves between scenarios.`
                : "No value of the lever scored significantly higher than the recommended one here."),
            lever: { title: `${sweep.lever} (${sweep.unit})`, log: sweep.scale === "log" && sweep.lower > 0 },
            marks: { default: q.defaults[sweep.lever]!, recommended: sweep.at },
            panels: q.spec.kpis.map((kpi) => ({ field: kpi, title: [kpi, `(${WINDOW_KPI_UNITS[kpi]})`] as [string, string] })),
            data,
            columns: ["value", "difference", "low", "high", ...q.spec.kpis],
          }),
        ),
      ),
    );
  }
  const t = q.spec.tradeOff;
  const sweep = t ? c.levers.find((l) => l.lever === t.lever) : undefined;
  if (t && sweep && q.recommendation) {
    const rec = q.recommendation;
    const data: Row[] = [
      ...[...sweep.points, { value: sweep.at, kpis: c.base.kpis }]
        .sort((a, b) => a.value - b.value)
        .map((p, order) => ({ order, label: fmt(p.value), kind: "sweep", x: p.kpis[t.x] ?? null, y: p.kpis[t.y] ?? null })),
      { order: -1, label: "default", kind: "default", x: rec.heldOut.defaults.kpis[t.x].mean, y: rec.heldOut.defaults.kpis[t.y].mean },
      { order: -1, label: "recommended", kind: "recommended", x: c.base.kpis[t.x] ?? null, y: c.base.kpis[t.y] ?? null },
    ];
    blocks.push(
      figure(
        await renderFigure(
          leverTradeOffFigure({
            name: `q${i + 1}-tradeoff`,
            title: `Trade-off: ${t.x} against ${t.y} as ${t.lever} moves`,
            subtitle: `Held-out means; each point labelled with ${t.lever}; every other lever at the recommendation`,
            caption:
              `Each point is one value of ${t.lever} (its label), the other levers at the recommendation; the diamonds are the proposal's defaults ` +
              `(every lever at its default) and the recommendation. Read along the line for what moving the lever trades: ${t.x} (${WINDOW_KPI_UNITS[t.x]}) against ${t.y} (${WINDOW_KPI_UNITS[t.y]}).`,
            x: `${t.x} (${WINDOW_KPI_UNITS[t.x]})`,
            y: `${t.y} (${WINDOW_KPI_UNITS[t.y]})`,
            data,
          }),
        ),
      ),
    );
  }
  return blocks;
}

async function optionBlocks(q: QuestionResult, i: number): Promise<Block[]> {
  const rows = q.options.map((o) => ({
    option: o.name,
    what: o.description,
    adopted: o.adopts === "tuned" ? "tuned" : "at the defaults",
    tuning: o.tunedOverDefaults === null ? "-" : difference(withSignificance(o.tunedOverDefaults)),
    difference: difference(withSignificance(o.difference)),
    defaults: difference(withSignificance(o.versusDefaults)),
    feasible: o.feasible ? "yes" : "no",
    ...Object.fromEntries(q.spec.kpis.map((k) => [k, fmt(o.kpis[k] ?? null)])),
  }));
  // The baseline's held-out means: the recommendation's, or the defaults' when nothing was tuned.
  const base = q.curves?.base ?? q.defaultsHeldOut;
  const how =
    q.recommendation === null
      ? `No lever acts, so each option runs at the proposal's defaults under its own rule, scored on the same held-out episodes as ${q.spec.baseline} at the defaults; ` +
        "objective: the option minus the defaults, paired by episode, 95 % t interval, * excludes 0. KPIs: held-out means."
      : `Each option tuned on the same levers and budget as ${q.spec.baseline}, and scored, tuned and at the defaults, on the same held-out episodes as ${q.spec.baseline}'s recommendation; ` +
        "an option is taken tuned only where its tuning beats it at the defaults (tuning: tuned minus at the defaults), else at the defaults. " +
        "Objective: the option as taken minus the baseline's recommendation, and minus the proposal's defaults (untuned, as written), paired by episode, 95 % t interval, * excludes 0. KPIs: held-out means of the option as taken.";
  const table = makeTable(
    `Mechanism options against ${q.spec.baseline} (held-out)`,
    how,
    [
      { key: "option", label: "option", words: true },
      { key: "what", label: "what it changes", words: true },
      { key: "adopted", label: "taken", words: true },
      { key: "tuning", label: "tuning vs at the defaults" },
      { key: "difference", label: "objective vs baseline" },
      { key: "defaults", label: "objective vs defaults" },
      { key: "feasible", label: "feasible", words: true },
      ...q.spec.kpis.map((k) => ({ key: k, label: k, unit: WINDOW_KPI_UNITS[k] })),
    ],
    [
      {
        option: q.spec.baseline,
        what: "the experiment as written",
        adopted: q.recommendation === null ? "at the defaults" : "tuned",
        tuning: q.recommendation === null ? "-" : difference(withSignificance(q.recommendation.heldOut.utilityDifference)),
        difference: "0",
        defaults: q.recommendation ? difference(withSignificance(q.recommendation.heldOut.utilityDifference)) : "0",
        feasible: base?.feasible ? "yes" : "no",
        ...Object.fromEntries(q.spec.kpis.map((k) => [k, fmt(base?.kpis[k] ?? null)])),
      },
      ...rows,
    ],
  );
  const byScenario = makeTable(
    "Options by held-out scenario",
    `Each held-out scenario alone: the option minus ${q.spec.baseline} and minus the proposal's defaults, paired by episode, 95 % t interval, * excludes 0.`,
    [
      { key: "option", label: "option", words: true },
      { key: "scenario", label: "scenario", words: true },
      { key: "difference", label: "objective vs baseline" },
      { key: "defaults", label: "objective vs defaults" },
    ],
    q.options.flatMap((o) =>
      o.scenarios.map((s) => ({
        option: o.name,
        scenario: s.scenario,
        difference: difference(withSignificance(s.difference)),
        defaults: difference(withSignificance(s.versusDefaults)),
      })),
    ),
  );
  const names = q.options.map((o) => o.name);
  const chart = await renderFigure(
    intervalsFigure({
      name: `q${i + 1}-options`,
      title: `Options against ${q.spec.baseline}`,
      subtitle:
        q.recommendation === null
          ? "Held-out objective, each option at the defaults minus the defaults (95 % interval)"
          : "Held-out objective, each option as taken (tuned, or at the defaults) minus the baseline's recommendation (95 % interval)",
      caption:
        q.recommendation === null
          ? `Right of 0: the option, at the defaults, does better on the held-out scenarios than ${q.spec.baseline} at the defaults.`
          : `Right of 0: the option as taken does better on the held-out scenarios than ${q.spec.baseline}, tuned on the same levers and budget.`,
      category: { field: "option", title: null, domain: names },
      colorDomain: names,
      x: { title: "objective difference (held-out)" },
      data: q.options.map((o) => ({ option: o.name, ...intervalRow(o.difference) })),
    }),
  );
  return [tableBlock(table), tableBlock(byScenario), figure(chart)];
}

/** Whether a rule is enough: the trained controller against the rule it started from, on held-out. */
function controllerText(c: NonNullable<QuestionResult["controller"]>): string {
  const e = c.evaluation;
  const gain = withSignificance(e.versusStart);
  const rule = c.from === null ? "the tuned rule" : "the rule";
  const kept =
    e.checkpoint.episode === 0
      ? `no checkpoint of its ${c.episodes} training episodes beat ${rule} on the validation seeds, so the controller kept is the untrained one, which holds the rule`
      : `the checkpoint after ${e.checkpoint.episode} of ${c.episodes} training episodes was kept (validation gain ${difference(withSignificance(e.checkpoint.validation))})`;
  const verdict =
    gain.low > 0
      ? `it beats ${rule}`
      : gain.high < 0
        ? `it does worse than ${rule}`
        : `no gain over ${rule} after ${c.episodes} training episodes`;
  return (
    `The adaptive controller trained from ${c.from === null ? "the recommendation" : `option ${c.from} as recommended here`} (train-controller, on the tuned levers): ${kept}. ` +
    `On held-out it scores ${difference(gain)} against ${rule} and ${difference(withSignificance(e.versusDefaults))} against the defaults${c.from === null ? "" : ` under option ${c.from}'s rule`}: ${verdict}.`
  );
}

function controllerBlocks(c: NonNullable<QuestionResult["controller"]>): Block[] {
  const e = c.evaluation;
  const table = makeTable(
    "Rule or controller (held-out)",
    `The controller is the checkpoint kept of ${c.episodes} training episodes (\`${c.run}\`); differences paired by episode, 95 % t interval, * excludes 0.`,
    [
      { key: "what", label: "", words: true },
      { key: "score", label: "objective" },
      { key: "difference", label: "controller - this" },
    ],
    [
      { what: "adaptive controller", score: scoreText(e.controller), difference: "0" },
      {
        what:
          c.from === null ? "tuned rule (the recommendation of the experiment as written)" : `rule (option ${c.from} as recommended here)`,
        score: scoreText(e.start),
        difference: difference(withSignificance(e.versusStart)),
      },
      {
        what: c.from === null ? "proposal's defaults" : `proposal's defaults under option ${c.from}'s rule`,
        score: scoreText(e.defaults),
        difference: difference(withSignificance(e.versusDefaults)),
      },
    ],
  );
  return [text(controllerText(c)), tableBlock(table)];
}

function intervalRow(d: MeanInterval): Row {
  return { mean: d.mean, low: d.low, high: d.high, n: d.n };
}

function tierBlocks(q: QuestionResult, rec: Recommendation): Block[] {
  if (rec.presets.length === 0 && rec.droppedPresets.length === 0) return [];
  const rows = rec.presets.map((p) => ({
    tier: p.name,
    trial: String(p.trial),
    changes:
      q.tuned
        .filter((n) => p.tuned[n] !== q.defaults[n])
        .map((n) => `${n} ${fmt(p.tuned[n]!)}`)
        .join("; ") || "the defaults",
    score: scoreText(p.heldOut),
    liveness: interval(p.heldOut.kpis.liveness),
    cost: interval(p.heldOut.kpis.costPerServedTxUsd),
    delay: interval(p.heldOut.kpis.txDelayMeanS),
  }));
  const table = makeTable(
    "Tiers: conservative, moderate, aggressive (held-out)",
    "Trials of the search's Pareto front of liveness against cost per transaction: conservative keeps liveness highest, aggressive cuts cost most. " +
      "Only tiers that held on the held-out episodes are shown.",
    [
      { key: "tier", label: "tier", words: true },
      { key: "trial", label: "trial" },
      { key: "changes", label: "setting", words: true },
      { key: "score", label: "objective" },
      { key: "liveness", label: "liveness" },
      { key: "cost", label: "costPerServedTxUsd", unit: "USD/tx" },
      { key: "delay", label: "txDelayMeanS", unit: "s" },
    ],
    rows,
  );
  const dropped = rec.droppedPresets.map((d) => `${d.name} (trial ${d.trial}): ${d.reason}`);
  return [tableBlock(table), ...(dropped.length > 0 ? [text("Tiers dropped because they did not hold on held-out:"), list(dropped)] : [])];
}

/** Levers whose effect was within noise: the study cannot tell whether they matter at its episode count. */
function noiseLimits(q: QuestionResult): string[] {
  const noisy = q.screening.screens.filter((s) => s.effect === "within noise").map((s) => s.lever);
  return noisy.length === 0
    ? []
    : [
        `Whether ${noisy.join(", ")} matter: their effect was within noise on ${q.screening.seeds} episode(s) per training scenario; more episodes could separate them.`,
      ];
}

function reproduceText(q: QuestionResult, studyDir: string): string {
  const tune =
    q.tuned.length === 0
      ? ""
      : `\`proverlab tune ${join(studyDir, q.experiment)} --set tune.params=[${q.tuned.join(",")}]\` reruns the search alone; `;
  return `${tune}\`proverlab report <study>/${q.run ?? "runs/..."}\` writes its full calibration report (trials, sensitivity, Pareto front, every scenario's time series).`;
}

// ---------------------------------------------------------------- method

function methodSection(r: StudyResult): Section {
  return {
    title: "How the study works",
    blocks: [
      list([
        "Screening: each lever of a question moves alone from the proposal's defaults to values evenly over its range, scored on the training scenarios " +
          "with common random numbers. A lever acts when some value changes the objective beyond its 95 % interval or changes feasibility; " +
          "only levers that act are tuned, and the others are reported as having no effect.",
        `Search: \`proverlab tune\` on the levers that act${r.budget === null ? " at each experiment's budget" : ` at a budget of ${r.budget} candidates`}` +
          ", with its finalists re-scored on validation seeds, inert parameters set back to their defaults, and the exploit audit.",
        "Held-out: the recommendation and the defaults on scenarios the search never saw, paired by episode.",
        "Response curves: the most important levers moved over their range around the recommendation, on the held-out scenarios.",
        "Options: each mechanism option tuned on the same levers and budget (where a lever acts) and scored, tuned and at the defaults, on the same held-out episodes as the experiment as written; it is taken tuned only where its tuning beats it at the defaults, and audited for exploits as taken.",
        "Tiers: the conservative, moderate and aggressive trials of the search's Pareto front (liveness against cost per transaction) that held on held-out.",
        "Determinism: every episode draws from streams seeded by the experiment, the split, the scenario and the episode; the same study file and flags give the same study.json, whatever the number of workers.",
      ]),
    ],
  };
}
