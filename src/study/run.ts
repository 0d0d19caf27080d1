import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { runAudit, type AuditReport, type StrategyResult } from "../audit/audit.js";
import { settingText } from "../audit/format.js";
import { ConfigError } from "../config/errors.js";
import type { ParamValues } from "../config/paramSpace.js";
import type { WindowKpi } from "../env/windowKpis.js";
import { showcaseEpisode, timeSeriesOf } from "../report/episodes.js";
import type { ParetoTrial } from "../report/report.js";
import { readTrials } from "../report/tuneRun.js";
import type { Row } from "../report/charts.js";
import { toJson } from "../results/json.js";
import { checkOutFolder, makeDirs, writeFileAtomic } from "../results/runDir.js";
import { loadBundle, prepareBundleBackend, type Bundle } from "../tuning/bundle.js";
import { createExecutor, executorChoice, ThreadPool, type Executor, type ExecutorChoice } from "../tuning/executor.js";
import type { Recommendation } from "../tuning/recommend.js";
import { pairedDefinedDifference, pairedDifference, type MeanInterval } from "../tuning/stats.js";
import { withSignificance } from "../report/format.js";
import { scenarioEpisodes, type Evaluation } from "../tuning/evaluate.js";
import { trainController, type ControllerEvaluation } from "../tuning/trainController.js";
import { tune, type TuneProgress } from "../tuning/tune.js";
import { loadStudy, STUDY_FILE, type QuestionSpec, type Study } from "./spec.js";
import { definedKpis, screenLever, sweepLevers, type LeverScreen, type Sweeps } from "./sweep.js";
import { BundleVariants } from "../tuning/bundleVariants.js";

export interface StudyArgs {
  dir: string;
  out: string;
  budget?: number | undefined;
  workers: number;
  /** `redis://...`: every tune and evaluation of the study on that server's workers. */
  executor?: string | undefined;
  quick: boolean;
  resume: boolean;
}

/** The study's arguments as its steps see them: with the one pool of local threads they share (null: inline or Redis). */
interface StudyRun extends StudyArgs {
  choice: ExecutorChoice;
  threads: ThreadPool | null;
}

/**
 * --quick: every question on a small budget and few episodes (a smoke run of the whole pipeline, not a
 * finding); the overrides every experiment of the study takes.
 */
export const QUICK_SETS = [
  "tune.budget=8",
  "tune.seeds.train=1",
  "tune.seeds.validation=2",
  "tune.seeds.heldOut=2",
  "tune.finalists=2",
  "audit.seeds=2",
  "audit.candidates=1",
] as const;
const QUICK_POINTS = { screening: 2, curves: 3 };
/** --quick's controller: a few episodes, to run the step, not to learn. */
const QUICK_CONTROLLER = { episodes: 4, checkpointEvery: 2, validationSeeds: 2 };

/** What every recommendation is weighed on, in this order: liveness, delay, cost to users, prover margin, decentralization. */
export const SUMMARY_KPIS: readonly WindowKpi[] = ["liveness", "txDelayMeanS", "costPerServedTxUsd", "profitMargin", "nakamotoProofsMean"];

/** A calibration on the held-out episodes, against the baseline's recommendation and the proposal's defaults. */
export interface HeldOutComparison {
  /** Minus the baseline's recommendation (the defaults where nothing was tuned), paired by episode. */
  difference: MeanInterval;
  /** Minus the proposal's defaults (the experiment as written, untuned), paired by episode. */
  versusDefaults: MeanInterval;
  /** The same per KPI, over the episodes where both define it. */
  kpiDifferences: Partial<Record<WindowKpi, MeanInterval>>;
  /** Each held-out scenario alone, minus the baseline's and minus the defaults. */
  scenarios: { scenario: string; difference: MeanInterval; versusDefaults: MeanInterval }[];
  feasible: boolean;
  kpis: Partial<Record<WindowKpi, number | null>>;
}

/**
 * A mechanism option as the study ran it, and what the study adopts of it: its tuned recommendation
 * where that beats the option at the defaults on held-out (interval above 0), else the option at the
 * defaults. The comparison, values, warnings and audit are the adopted calibration's.
 */
export interface OptionResult extends HeldOutComparison {
  name: string;
  description: string;
  set: string[];
  /** Its tune run, relative to the study folder; null when no lever acts and nothing was tuned. */
  run: string | null;
  /** The tuned recommendation minus the option at the defaults, on held-out (null: nothing tuned). */
  tunedOverDefaults: MeanInterval | null;
  adopts: "tuned" | "defaults";
  /** The adopted values of the tuned levers (none at the defaults). */
  tuned: ParamValues;
  warnings: Recommendation["warnings"];
  audit: AuditSummary | null;
}

/** The first held-out episode of the showcase scenario, recommended and defaults: the rows of its time series. */
export interface Series {
  scenario: string;
  title: string;
  caption: string;
  policies: string[];
  data: Row[];
  columns: string[];
}

export interface AuditSummary {
  seeds: number;
  scenarios: string[];
  strategies: (Pick<StrategyResult, "name" | "setting" | "coalitionShare" | "exploit"> & { gainUsd: MeanInterval })[];
}

/** The adaptive controller trained from a question's recommended rule, against that rule. */
export interface ControllerResult {
  /** The rule it started from: the preferred option's name, or null for the experiment as written. */
  from: string | null;
  /** Its train-controller run, relative to the study folder. */
  run: string;
  episodes: number;
  evaluation: ControllerEvaluation;
}

export interface QuestionResult {
  spec: QuestionSpec;
  experiment: string;
  scenarios: { train: string[]; heldOut: string[] };
  objective: Bundle["experiment"]["objective"];
  /** The experiment's values of every lever screened. */
  defaults: ParamValues;
  screening: Sweeps & { screens: LeverScreen[] };
  /** The levers that act, tuned; empty: no tune ran. */
  tuned: string[];
  run: string | null;
  recommendation: Recommendation | null;
  audit: AuditSummary | null;
  /** Every trial of the search with the KPIs its Pareto chart reads (empty: nothing tuned). */
  trials: ParetoTrial[];
  /** Response curves on the held-out scenarios around the recommendation (null: nothing tuned). */
  curves: Sweeps | null;
  options: OptionResult[];
  /** When nothing was tuned but options ran: the defaults on held-out, the options' baseline (else null). */
  defaultsHeldOut: { feasible: boolean; kpis: Partial<Record<WindowKpi, number | null>> } | null;
  /** The controller against the tuned rule (null: the question asks for none, or nothing was tuned). */
  controller: ControllerResult | null;
  series: Series | null;
}

export interface StudyResult {
  /** The study folder as given on the command line. */
  dir: string;
  title: string;
  summary: string;
  quick: boolean;
  /** Each tune's budget when --budget set one for all (null: each experiment's own). */
  budget: number | null;
  questions: QuestionResult[];
}

type Say = (text: string) => void;

const SILENT: TuneProgress = { started() {}, start() {}, update() {}, stop() {}, phase() {} };

/** The layout of a study's step files; a folder started under another is not resumed. */
const STUDY_FORMAT = 2;

/** What a study folder was started with: `--resume` continues only the same study with the same flags. */
export interface Plan {
  /** The layout of the step files under runs/ (STUDY_FORMAT): a resume reads only its own. */
  format: number;
  study: string;
  /** SHA-256 of study.yaml and of each question's experiment file, by path relative to the study folder. */
  files: Record<string, string>;
  quick: boolean;
  budget: number | null;
}

/** The plan of a study run with these flags: what --resume must find unchanged. */
export function studyPlan(study: Study, quick: boolean, budget: number | null): Plan {
  const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
  const files = [join(study.dir, STUDY_FILE), ...study.experiments];
  return {
    format: STUDY_FORMAT,
    study: study.spec.title,
    files: Object.fromEntries(files.map((f) => [relative(study.dir, f), sha(f)])),
    quick,
    budget,
  };
}

/**
 * Runs every question of a study: screens its levers, tunes those that act, and gathers the evidence
 * its report shows. Each step's result is a file under runs/<question>/; with `resume` a step whose
 * file exists is read instead of run, and an interrupted tune continues from its checkpoint.
 */
export async function runStudy(args: StudyArgs, say: Say): Promise<StudyResult> {
  const study = loadStudy(args.dir);
  // Checked before anything is written; each step opens its own executor, on the study's threads.
  const choice = executorChoice(args.workers, args.executor);
  if (args.budget !== undefined && (!Number.isInteger(args.budget) || args.budget < 2)) {
    throw new ConfigError("--budget", `${args.budget} is not an integer of at least 2; give e.g. --budget 64`);
  }
  const out = prepareOut(args, study);
  const sets = [...(args.quick ? QUICK_SETS : []), ...(args.budget === undefined ? [] : [`tune.budget=${args.budget}`])];
  const questions: QuestionResult[] = [];
  // One pool of threads for every step: threads start, and load their modules, once per study.
  const run: StudyRun = { ...args, choice, threads: choice.workers > 1 && choice.redis === null ? new ThreadPool(choice.workers) : null };
  try {
    for (const [i, q] of study.spec.questions.entries()) {
      questions.push(await runQuestion(study, q, study.experiments[i]!, sets, out, run, say));
    }
  } finally {
    await run.threads?.close();
  }
  return {
    dir: args.dir,
    title: study.spec.title,
    summary: study.spec.summary,
    quick: args.quick,
    budget: args.budget ?? null,
    questions,
  };
}

function prepareOut(args: StudyArgs, study: Study): string {
  const plan = studyPlan(study, args.quick, args.budget ?? null);
  const out = resolve(args.out);
  const planFile = join(out, "plan.json");
  if (args.resume) {
    if (!existsSync(planFile))
      throw new ConfigError("--resume", `${args.out} holds no study to continue (no plan.json); give the --out folder of a study`);
    const was = JSON.parse(readFileSync(planFile, "utf8")) as Plan;
    if (was.format !== plan.format) {
      throw new ConfigError(
        "--resume",
        `${args.out} holds a study written by another version of proverlab (its step files differ); start a new --out`,
      );
    }
    if (toJson(was) !== toJson(plan)) {
      throw new ConfigError(
        "--resume",
        `${args.out} was started with other study files or flags (quick ${was.quick}, budget ${was.budget ?? "the experiments'"}); continue with the same, or start a new --out`,
      );
    }
    return out;
  }
  checkOutFolder(args.out, "--out");
  makeDirs(out);
  writeFileAtomic(planFile, toJson(plan));
  return out;
}

async function runQuestion(
  study: Study,
  q: QuestionSpec,
  path: string,
  sets: string[],
  out: string,
  args: StudyRun,
  say: Say,
): Promise<QuestionResult> {
  const dir = join(out, "runs", q.id);
  makeDirs(dir);
  const bundle = loadBundle(path, sets);
  await prepareBundleBackend(bundle);
  const e = bundle.experiment;
  const levers = bundle.space.specs.map((s) => s.name);
  const kpis = [...new Set<WindowKpi>([...SUMMARY_KPIS, ...q.kpis, ...(q.tradeOff ? [q.tradeOff.x, q.tradeOff.y] : [])])];
  const points = args.quick ? QUICK_POINTS : { screening: study.spec.screening.points, curves: q.curves.points };

  const screening = await step(join(dir, "screening.json"), args.resume, async () => {
    say(
      `${q.id}: screening ${levers.length} levers, ${points.screening} values each, on ${e.tune.seeds.train} episode(s) per training scenario\n`,
    );
    return withExecutor(path, sets, args, async (ex) => {
      const { sweeps: s } = await sweepLevers(ex, {
        levers,
        base: bundle.params,
        points: points.screening,
        split: "train",
        seeds: e.tune.seeds.train,
        kpis,
      });
      return { ...s, screens: s.levers.map((l) => screenLever(l, s.base)).sort((a, b) => b.importance - a.importance) };
    });
  });
  const tuned = screening.screens.filter((s) => s.effect === "acts").map((s) => s.lever);
  say(`${q.id}: ${tuned.length} of ${levers.length} levers act${tuned.length > 0 ? ` (${tuned.join(", ")})` : ""}\n`);
  const tuneSets = [...sets, `tune.params=[${tuned.join(",")}]`];

  const main = tuned.length === 0 ? null : await tuneInto(join(dir, "tune"), path, tuneSets, args, say, `${q.id}: tune`);
  const recommendation = main?.recommendation ?? null;
  const options: OptionResult[] = [];
  let curves: Sweeps | null = null;
  let series: Series | null = null;
  let controller: ControllerResult | null = null;
  let defaultsHeldOut: QuestionResult["defaultsHeldOut"] = null;
  if (recommendation !== null) {
    const evidence = await step(join(dir, "evidence.json"), args.resume, async () => {
      const top = screening.screens
        .filter((s) => s.effect === "acts")
        .slice(0, q.curves.levers)
        .map((s) => s.lever);
      const curveLevers = [...new Set([...top, ...(q.tradeOff && tuned.includes(q.tradeOff.lever) ? [q.tradeOff.lever] : [])])];
      say(
        `${q.id}: response curves of ${curveLevers.join(", ") || "no lever"} on ${e.tune.seeds.heldOut} held-out episode(s) per scenario\n`,
      );
      const found = await withExecutor(path, sets, args, async (ex) => {
        const heldOut = (params: ParamValues) => ({ params, split: "heldOut" as const, seeds: e.tune.seeds.heldOut });
        // The sweep scores the recommendation itself first: its episodes are the options' baseline.
        const { sweeps: curves, base } = await sweepLevers(ex, {
          levers: curveLevers,
          base: recommendation.params,
          points: points.curves,
          split: "heldOut",
          seeds: e.tune.seeds.heldOut,
          kpis,
        });
        const [defaults] = await ex.evaluateAll([heldOut(bundle.params)]);
        return { curves, baseline: episodesOf(base, kpis), defaults: episodesOf(defaults!, kpis) };
      });
      return { ...found, series: showcase(bundle, q, recommendation) };
    });
    curves = evidence.curves;
    series = evidence.series;
    for (const o of q.options) {
      options.push(await runOption(o, dir, path, tuneSets, true, evidence, kpis, out, args, say, q.id));
    }
    if (q.controller) {
      // The rule to beat is the one the study recommends: the preferred option's, else the experiment's.
      const o = preferredOption(options);
      const from =
        o === null
          ? { sets: tuneSets, run: main!.dir }
          : { sets: [...tuneSets, ...o.set], run: o.adopts === "tuned" ? join(out, o.run!) : undefined };
      controller = await runController(q, dir, path, from.sets, from.run, o?.name ?? null, out, args, say);
    }
  } else if (q.options.length > 0) {
    // No lever acts, but a mechanism option may: each runs at the defaults, against them.
    const defaults = await step(join(dir, "defaults.json"), args.resume, () =>
      withExecutor(path, sets, args, async (ex) => {
        say(`${q.id}: no lever to tune; the options at the defaults on ${e.tune.seeds.heldOut} held-out episode(s) per scenario\n`);
        const [d] = await ex.evaluateAll([{ params: bundle.params, split: "heldOut", seeds: e.tune.seeds.heldOut }]);
        return { episodes: episodesOf(d!, kpis), feasible: d!.feasible, kpis: definedKpis(d!, kpis) };
      }),
    );
    defaultsHeldOut = { feasible: defaults.feasible, kpis: defaults.kpis };
    for (const o of q.options) {
      const against = { baseline: defaults.episodes, defaults: defaults.episodes };
      options.push(await runOption(o, dir, path, sets, false, against, kpis, out, args, say, q.id));
    }
  }
  return {
    spec: q,
    experiment: relative(study.dir, path),
    scenarios: { train: bundle.train.map((s) => s.name), heldOut: bundle.heldOut.map((s) => s.name) },
    objective: e.objective,
    defaults: Object.fromEntries(levers.map((l) => [l, bundle.params[l]!])),
    screening,
    tuned,
    run: main === null ? null : relative(out, main.dir),
    recommendation,
    audit: main?.audit ?? null,
    trials: main === null ? [] : paretoTrials(main.dir),
    curves,
    options,
    defaultsHeldOut,
    controller,
    series,
  };
}

/**
 * train-controller from the question's recommendation on its tuned levers, into runs/<question>/controller.
 * A run cut short starts over (it keeps no checkpoint of its own); it is deterministic, so the result is the same.
 */
async function runController(
  q: QuestionSpec,
  dir: string,
  path: string,
  tuneSets: string[],
  /** A tune run to start from (undefined: the experiment's values under its sets). */
  start: string | undefined,
  from: string | null,
  out: string,
  args: StudyRun,
  say: Say,
): Promise<ControllerResult> {
  const c = args.quick ? QUICK_CONTROLLER : q.controller!;
  return step(join(dir, "controller.json"), args.resume, async () => {
    const folder = join(dir, "controller");
    if (existsSync(folder)) rmSync(folder, { recursive: true });
    say(
      `${q.id}: adaptive controller, ${c.episodes} training episodes from ${from === null ? "the recommendation" : `option ${from} as recommended`}\n`,
    );
    const sets = [
      ...tuneSets,
      `controller.episodes=${c.episodes}`,
      `controller.checkpointEvery=${c.checkpointEvery}`,
      `controller.validationSeeds=${c.validationSeeds}`,
    ];
    const r = await trainController(
      { experiment: path, set: sets, start, workers: args.workers, executor: args.executor, threads: args.threads, out: folder },
      () => {},
      () => {},
    );
    return { from, run: relative(out, r.dir), episodes: c.episodes, evaluation: r.evaluation };
  });
}

/**
 * The option a study prefers to the experiment as written: no warning, and better on held-out than
 * both the experiment's recommendation and the defaults (the largest gain over the defaults); null if none.
 */
export function preferredOption(options: readonly OptionResult[]): OptionResult | null {
  const better = options
    .filter((o) => o.warnings.length === 0 && withSignificance(o.versusDefaults).low > 0 && withSignificance(o.difference).low > 0)
    .sort((x, y) => y.versusDefaults.mean - x.versusDefaults.mean);
  return better[0] ?? null;
}

async function runOption(
  o: QuestionSpec["options"][number],
  dir: string,
  path: string,
  /** The question's sets, with the levers to tune when `tunes`; when not, no lever acts and the option runs at the defaults. */
  questionSets: string[],
  tunes: boolean,
  against: { baseline: Episodes; defaults: Episodes },
  kpis: WindowKpi[],
  out: string,
  args: StudyRun,
  say: Say,
  id: string,
): Promise<OptionResult> {
  const sets = [...questionSets, ...o.set];
  const run = !tunes ? null : await tuneInto(join(dir, "options", o.name), path, sets, args, say, `${id}: option ${o.name}`);
  const bundle = loadBundle(path, sets);
  const held = await step(join(dir, "options", `${o.name}.json`), args.resume, () =>
    withExecutor(path, sets, args, async (ex) => {
      const seeds = bundle.experiment.tune.seeds.heldOut;
      say(`${id}: option ${o.name} on held-out${run === null ? ", at the defaults" : ", tuned and at the defaults"}\n`);
      const heldOut = (params: ParamValues) => ({ params, split: "heldOut" as const, seeds });
      const [atDefaults, tuned] = await ex.evaluateAll([
        heldOut(bundle.params),
        ...(run === null ? [] : [heldOut(run.recommendation.params)]),
      ]);
      const compare = (r: Evaluation): HeldOutComparison => {
        const mine = episodesOf(r, kpis);
        const of = (u: readonly number[], i: number) => scenarioEpisodes(u, i, seeds);
        return {
          difference: pairedDifference(mine.utilities, against.baseline.utilities),
          versusDefaults: pairedDifference(mine.utilities, against.defaults.utilities),
          kpiDifferences: Object.fromEntries(kpis.map((k) => [k, pairedDefinedDifference(mine.kpis[k]!, against.defaults.kpis[k]!)])),
          scenarios: bundle.heldOut.map(({ name }, i) => ({
            scenario: name,
            difference: pairedDifference(of(mine.utilities, i), of(against.baseline.utilities, i)),
            versusDefaults: pairedDifference(of(mine.utilities, i), of(against.defaults.utilities, i)),
          })),
          feasible: r.feasible,
          kpis: definedKpis(r, kpis),
        };
      };
      return {
        atDefaults: compare(atDefaults!),
        tuned: tuned === undefined ? null : compare(tuned),
        tunedOverDefaults: tuned === undefined ? null : pairedDifference(tuned.episodeUtilities, atDefaults!.episodeUtilities),
      };
    }),
  );
  const tunedWins = held.tunedOverDefaults !== null && withSignificance(held.tunedOverDefaults).low > 0;
  // Taken at the defaults, the option is audited here, as tune audits a recommendation.
  const audit = tunedWins
    ? run!.audit
    : await step(join(dir, "options", `${o.name}-audit.json`), args.resume, async () => {
        if (!bundle.experiment.audit.enabled) return null;
        say(`${id}: option ${o.name} at the defaults: exploit audit\n`);
        return auditSummary(
          await withExecutor(path, sets, args, (ex) =>
            runAudit(bundle, bundle.params, `option ${o.name}`, undefined, (arms) => ex.auditArms(arms)),
          ),
        );
      });
  return {
    name: o.name,
    description: o.description,
    set: o.set,
    run: run === null ? null : relative(out, run.dir),
    tunedOverDefaults: held.tunedOverDefaults,
    adopts: tunedWins ? "tuned" : "defaults",
    tuned: tunedWins ? run!.recommendation.tuned : {},
    warnings: tunedWins ? run!.recommendation.warnings : untunedWarnings(audit, held.atDefaults.feasible),
    audit,
    ...(tunedWins ? held.tuned! : held.atDefaults),
  };
}

/** An option at the defaults: a warning where it misses a constraint on held-out, or where the audit found an exploit. */
function untunedWarnings(audit: AuditSummary | null, feasible: boolean): Recommendation["warnings"] {
  const exploits = audit?.strategies.filter((x) => x.exploit) ?? [];
  return [
    ...(feasible ? [] : [{ kind: "infeasible" as const, message: "the option at the defaults misses a constraint on held-out" }]),
    ...(exploits.length === 0
      ? []
      : [
          {
            kind: "exploitable" as const,
            message: `the exploit audit found ${exploits.map((x) => `${x.name} ${settingText(x)}`).join(", ")}`,
          },
        ]),
  ];
}

/** The trials of a finished tune run, as its Pareto chart reads them. */
function paretoTrials(dir: string): ParetoTrial[] {
  return readTrials(dir).map((t) => ({
    trial: t.trial,
    feasible: t.feasible,
    kpis: {
      liveness: t.kpis.liveness,
      rewardsPerTxUsd: t.kpis.rewardsPerTxUsd,
      l1CostPerTxUsd: t.kpis.l1CostPerTxUsd,
      nakamotoProofsMean: t.kpis.nakamotoProofsMean,
    },
  }));
}

/** A calibration's held-out episodes, as the options are compared with them: objective and KPIs (null where undefined). */
interface Episodes {
  utilities: number[];
  kpis: Partial<Record<WindowKpi, (number | null)[]>>;
}

function episodesOf(r: Evaluation, kpis: readonly WindowKpi[]): Episodes {
  return {
    utilities: r.episodeUtilities,
    kpis: Object.fromEntries(kpis.map((k) => [k, r.episodeKpis.map((e) => (Number.isFinite(e[k]) ? e[k] : null))])),
  };
}

/** A tune into `dir`: read when finished, continued from its checkpoint when interrupted, else started. */
async function tuneInto(
  dir: string,
  experiment: string,
  set: string[],
  args: StudyRun,
  say: Say,
  label: string,
): Promise<{ dir: string; recommendation: Recommendation; audit: AuditSummary | null }> {
  const finished = join(dir, "recommendation.json");
  if (args.resume && existsSync(finished)) return { dir, recommendation: readJson(finished), audit: readAudit(dir) };
  const resume = args.resume && existsSync(join(dir, "config.json")) ? dir : undefined;
  if (!resume && existsSync(dir)) rmSync(dir, { recursive: true });
  makeDirs(dir);
  say(`${label}${resume ? " (continued)" : ""}\n`);
  const r = await tune(
    { experiment, set, workers: args.workers, executor: args.executor, threads: args.threads, out: resume ? undefined : dir, resume },
    SILENT,
  );
  return { dir, recommendation: r.recommendation, audit: r.audit === null ? null : auditSummary(r.audit) };
}

function readAudit(dir: string): AuditSummary | null {
  const file = join(dir, "audit.json");
  return existsSync(file) ? auditSummary(readJson<AuditReport>(file)) : null;
}

function auditSummary(a: AuditReport): AuditSummary {
  return {
    seeds: a.seeds,
    scenarios: a.scenarios,
    strategies: a.strategies.map((s) => ({
      name: s.name,
      setting: s.setting,
      coalitionShare: s.coalitionShare,
      gainUsd: s.intervals.gainUsd,
      exploit: s.exploit,
    })),
  };
}

function showcase(bundle: Bundle, q: QuestionSpec, r: Recommendation): Series {
  const scenario = bundle.heldOut.find((s) => s.name === q.showcase) ?? bundle.heldOut[0]!;
  const shows = [showcaseEpisode(bundle, scenario, "recommended", r.params), showcaseEpisode(bundle, scenario, "defaults", bundle.params)];
  const f = timeSeriesOf(scenario, shows, `${q.id}-series`);
  return {
    scenario: scenario.name,
    title: f.title,
    caption: f.caption,
    policies: shows.map((s) => s.policy),
    data: f.data,
    columns: f.columns,
  };
}

async function withExecutor<T>(path: string, sets: readonly string[], args: StudyRun, run: (ex: Executor) => Promise<T>): Promise<T> {
  const ex = await createExecutor(new BundleVariants(path, sets), args.choice, args.threads);
  try {
    return await run(ex);
  } finally {
    await ex.close();
  }
}

/** A step's result: read from `file` when resuming and it exists, else computed and written. */
async function step<T>(file: string, resume: boolean, compute: () => Promise<T>): Promise<T> {
  if (resume && existsSync(file)) return readJson<T>(file);
  const value = await compute();
  makeDirs(join(file, ".."));
  writeFileAtomic(file, toJson(value));
  // What a later --resume reads back: the same JSON (NaN and infinite bounds as null) whatever ran it.
  return JSON.parse(toJson(value)) as T;
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, "utf8")) as T;
}
