import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createTuner, restoreTuner } from "../../agents/governance/registry.js";
import { runAudit, type AuditReport } from "../audit/audit.js";
import type { Tuner, TunerState } from "../../agents/governance/tuner.js";
import { ConfigError } from "../config/errors.js";
import type { ParamValues } from "../config/paramSpace.js";
import { WINDOW_KPIS } from "../env/windowKpis.js";
import { toArrow } from "../results/arrow.js";
import { toCsv } from "../results/csv.js";
import { toJson, toJsonLine } from "../results/json.js";
import { buildManifest, commandLine, type Manifest } from "../results/manifest.js";
import {
  checkOutFolder,
  claimFolder,
  defaultRunPath,
  makeDirs,
  readRunJson,
  runFolderError,
  sweepPartials,
  writeFileAtomic,
} from "../results/runDir.js";
import { Stream } from "../rng/streams.js";
import { loadBundle, prepareBundleBackend, type Bundle } from "./bundle.js";
import type { Evaluation } from "./evaluate.js";
import { selectCandidate } from "./candidates.js";
import { createExecutor, executorChoice, executorFields, type ThreadPool } from "./executor.js";
import { shownScore, verdict, violationText } from "./objective.js";
import { restored, saved, type SavedTrial, type Trial } from "./trial.js";
import { CachingExecutor, recommend, type Recommendation } from "./recommend.js";
import { BundleVariants } from "./bundleVariants.js";

interface Checkpoint {
  generation: number;
  tuner: TunerState;
  trials: SavedTrial[];
}

/** config.json of a run folder. */
export interface RunConfig {
  experimentPath: string;
  sets: string[];
  experiment: Bundle["experiment"];
  params: ParamValues;
  tuned: string[];
}

export interface TuneArgs {
  experiment: string;
  set: readonly string[];
  budget?: number | undefined;
  workers: number;
  /** `redis://...`: evaluate on that server's workers (`proverlab worker`) instead of local threads. */
  executor?: string | undefined;
  /** Local threads already running to evaluate on (a study's, shared by its steps) instead of starting `workers`. */
  threads?: ThreadPool | null | undefined;
  out?: string | undefined;
  resume?: string | undefined;
}

export interface TuneProgress {
  /** The run folder, once made (or found, on --resume). */
  started(dir: string): void;
  start(total: number, done: number): void;
  update(done: number, best: Trial): void;
  stop(): void;
  /** A phase after the search begins: what runs now. */
  phase(text: string): void;
}

/**
 * A calibration search: the experiment's tuner proposes candidates, each is scored on the training
 * scenarios and seeds, and a checkpoint is written after every generation. The finalists are scored
 * again on validation seeds, and the best of them cleared of inert parameters and audited in that order until one survives
 * (src/tuning/candidates.ts); it is re-scored on both splits beside the proposal's defaults, and the
 * presets on held-out seeds.
 */
export async function tune(
  args: TuneArgs,
  progress: TuneProgress,
): Promise<{ dir: string; recommendation: Recommendation; audit: AuditReport | null; trials: number }> {
  const choice = executorChoice(args.workers, args.executor);
  if (args.budget !== undefined && (!Number.isInteger(args.budget) || args.budget < 1)) {
    throw new ConfigError("--budget", `${args.budget} is not a positive integer; give e.g. --budget 64`);
  }
  const experimentPath = resolve(args.experiment);
  const budgetSet = (budget: number | undefined) => (budget === undefined ? [] : [`tune.budget=${budget}`]);
  const resumeDir = args.resume === undefined ? null : resolve(args.resume);
  const resumed = resumeDir === null ? null : { dir: resumeDir, config: readRunJson<RunConfig>(resumeDir, "config.json", "--resume") };
  const sets = resumed ? resumeSets(resumed.dir, resumed.config, args) : [...args.set, ...budgetSet(args.budget)];
  const bundle = loadBundle(experimentPath, sets);
  await prepareBundleBackend(bundle);
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  // Before the run folder is made: an executor that cannot start (Redis out of reach) leaves nothing behind.
  const executor = await createExecutor(new BundleVariants(experimentPath, sets, bundle), choice, args.threads ?? null);
  try {
    const { dir, tuner, trials, generation } = resumed
      ? resumeRun(resumed.dir, resumed.config, bundle, sets)
      : startRun(args.out, bundle, experimentPath, sets);
    progress.started(dir);
    const writeManifest = (status: "running" | "complete", timingsMs: Record<string, number>) =>
      writeFileAtomic(
        join(dir, "manifest.json"),
        toJson(
          buildManifest({
            command: commandLine(),
            experiment: bundle.experiment.name,
            seed: bundle.experiment.seed,
            startedAt,
            timingsMs,
            status,
            ...executorFields(choice),
          }),
        ),
      );
    writeManifest("running", {});
    const budget = bundle.experiment.tune.budget;
    const seeds = bundle.experiment.tune.seeds;
    progress.start(budget, trials.length);
    let gen = generation;
    while (trials.length < budget) {
      const points = tuner.ask();
      // A fresh run's first generation also scores the experiment's own values, as trial 0: the baseline
      // every candidate must beat, and the recommendation when none does.
      const start = trials.length === 0 ? [[...bundle.space.encode(bundle.params)]] : [];
      const take = Math.min(points.length, budget - trials.length - start.length);
      const batch = [...start, ...points.slice(0, take)];
      const results = await executor.evaluateAll(
        batch.map((p, i) => ({
          params: i < start.length ? bundle.params : bundle.space.decode(p, bundle.params),
          split: "train" as const,
          seeds: seeds.train,
        })),
      );
      results.forEach((r, i) => trials.push(toTrial(trials.length, gen, batch[i]!, r, bundle)));
      if (take === points.length)
        tuner.tell(
          points,
          results.slice(start.length).map((r) => r.score),
        );
      gen++;
      writeFileAtomic(
        join(dir, "checkpoint.json"),
        toJson({ generation: gen, tuner: tuner.state(), trials: trials.map(saved) } satisfies Checkpoint),
      );
      writeTrials(dir, trials, bundle);
      progress.update(trials.length, bestTrial(trials));
      // Inline evaluation never leaves the microtask queue: let signals (Ctrl-C) through between generations.
      await new Promise<void>((done) => setImmediate(done));
    }
    progress.stop();
    const t1 = performance.now();
    const e = bundle.experiment;
    progress.phase(
      `finalists: up to ${e.tune.finalists + 1} trials scored again on ${e.tune.seeds.validation} validation episodes per training scenario` +
        (e.audit.enabled ? `; then inert parameters and the exploit audit of up to ${e.audit.candidates} of them` : ""),
    );
    const cached = new CachingExecutor(executor);
    // Each candidate is audited as it would be recommended: what `proverlab audit <run>` re-creates from recommendation.json.
    const audit = bundle.experiment.audit.enabled
      ? (params: ParamValues) => runAudit(bundle, params, "recommendation.json", undefined, (arms) => executor.auditArms(arms))
      : null;
    const selection = await selectCandidate(bundle, trials, cached, audit);
    const t2 = performance.now();
    progress.phase(`held-out: the recommendation, the defaults and the presets on ${e.tune.seeds.heldOut} episodes per held-out scenario`);
    const recommendation = await recommend(bundle, trials, selection, cached);
    writeFileAtomic(join(dir, "recommendation.json"), toJson(recommendation));
    if (selection.audit) writeFileAtomic(join(dir, "audit.json"), toJson(selection.audit));
    const t3 = performance.now();
    writeManifest("complete", {
      tune: Math.round(t1 - t0),
      ...(selection.audit ? { audit: Math.round(t2 - t1) } : { selection: Math.round(t2 - t1) }),
      heldOut: Math.round(t3 - t2),
    });
    return { dir, recommendation, audit: selection.audit, trials: trials.length };
  } finally {
    progress.stop();
    await executor.close();
  }
}

function startRun(out: string | undefined, bundle: Bundle, experimentPath: string, sets: string[]) {
  const e = bundle.experiment;
  // A default name is claimed atomically (runs started in the same second get -2, -3, ...); --out must be new or empty.
  const dir = out === undefined ? claimFolder(resolve(defaultRunPath(e.name, "tune", e.seed))) : checkOutFolder(out, "--out");
  if (out !== undefined) {
    try {
      makeDirs(dir);
    } catch (err) {
      throw new ConfigError("--out", `cannot create ${dir} (${(err as NodeJS.ErrnoException).code}); give a folder you can write to`);
    }
  }
  const config: RunConfig = { experimentPath, sets, experiment: e, params: bundle.params, tuned: bundle.space.specs.map((s) => s.name) };
  writeFileAtomic(join(dir, "config.json"), toJson(config));
  return { dir, tuner: newTuner(bundle), trials: [] as Trial[], generation: 0 };
}

/** Marks a run folder's manifest interrupted (Ctrl-C): its checkpoint holds every finished generation. */
export function markInterrupted(dir: string): void {
  const path = join(dir, "manifest.json");
  if (!existsSync(path)) return;
  const manifest = JSON.parse(readFileSync(path, "utf8")) as Manifest;
  writeFileAtomic(path, toJson({ ...manifest, status: "interrupted" } satisfies Manifest));
}

/**
 * The `--set` values a resumed run continues with: those it was started with (given again or not at
 * all), and its budget unless `--budget` extends it.
 */
function resumeSets(dir: string, config: RunConfig, args: TuneArgs): string[] {
  const isBudget = (s: string) => s.startsWith("tune.budget=");
  const stored = config.sets.filter((s) => !isBudget(s));
  const given = args.set.filter((s) => !isBudget(s));
  if (given.length > 0 && JSON.stringify(given) !== JSON.stringify(stored)) {
    throw new ConfigError(
      "--resume",
      `${dir} was started with ${stored.length > 0 ? `--set ${stored.join(" --set ")}` : "no --set"}, not ${given.map((s) => `--set ${s}`).join(" ")}; resume without --set to reuse the run's own`,
    );
  }
  return [...stored, `tune.budget=${args.budget ?? config.experiment.tune.budget}`];
}

/** Where two experiment configurations differ ("demand.baseTps, seed"), the budget aside; at most five paths. */
function differences(a: unknown, b: unknown, path = ""): string[] {
  if (path === "tune.budget") return [];
  const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
  if (!isObject(a) || !isObject(b)) return JSON.stringify(a) === JSON.stringify(b) ? [] : [path || "(the whole file)"];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.flatMap((k) => differences(a[k], b[k], path ? `${path}.${k}` : k)).slice(0, 5);
}

function resumeRun(
  dir: string,
  config: RunConfig,
  bundle: Bundle,
  sets: string[],
): { dir: string; tuner: Tuner; trials: Trial[]; generation: number } {
  sweepPartials(dir);
  const read = <T>(name: string): T => readRunJson<T>(dir, name, "--resume");
  const differ = differences(config.experiment, JSON.parse(JSON.stringify(bundle.experiment)));
  if (differ.length > 0) {
    throw new ConfigError(
      "--resume",
      `${dir} was tuned with another experiment configuration (it differs in ${differ.join(", ")}); resume with the experiment file it was started with`,
    );
  }
  // A --budget that extends the run is recorded, so that a later --resume continues to it.
  if (config.experiment.tune.budget !== bundle.experiment.tune.budget) {
    writeFileAtomic(join(dir, "config.json"), toJson({ ...config, sets, experiment: bundle.experiment } satisfies RunConfig));
  }
  if (!existsSync(join(dir, "checkpoint.json"))) {
    return { dir, tuner: newTuner(bundle), trials: [], generation: 0 };
  }
  const checkpoint = read<Checkpoint>("checkpoint.json");
  let tuner: Tuner;
  let trials: Trial[];
  try {
    tuner = restoreTuner(checkpoint.tuner);
    trials = checkpoint.trials.map(restored);
    // The checkpoint is the source of truth: a kill between its rename and the trials files' left them a generation short.
    writeTrials(dir, trials, bundle);
  } catch (err) {
    throw runFolderError(err, dir, "--resume", "start a new run, or resume an undamaged one");
  }
  return { dir, tuner, trials, generation: checkpoint.generation };
}

/** The experiment's tuner, started from the proposal's defaults. */
function newTuner(bundle: Bundle): Tuner {
  const e = bundle.experiment;
  return createTuner(e.tune.tuner, bundle.space.dim, Stream.root(e.seed).child("tuner"), {
    ...(e.tune.batch ? { batch: e.tune.batch } : {}),
    ...(e.tune.sigma0 ? { sigma0: e.tune.sigma0 } : {}),
    initial: [...bundle.space.encode(bundle.params)],
  });
}

function toTrial(trial: number, generation: number, point: number[], r: Evaluation, bundle: Bundle): Trial {
  const params = Object.fromEntries(bundle.space.specs.map((s) => [s.name, r.params[s.name]!]));
  return { trial, generation, point, params, score: r.score, feasible: r.feasible, violations: r.violations, kpis: r.kpis };
}

/** The best feasible trial, else the least infeasible; the earliest on ties. */
export function bestTrial(trials: readonly Trial[]): Trial {
  return trials.reduce((best, t) => (t.score > best.score ? t : best));
}

/**
 * The trials so far: trials.csv and trials.arrow, one row per trial (an infeasible trial's score is
 * blank, and its `violations` name the constraints missed), and trials.jsonl, one object per trial.
 */
function writeTrials(dir: string, trials: readonly Trial[], bundle: Bundle): void {
  const names = bundle.space.specs.map((s) => s.name);
  const rows = trials.map((t) => ({
    trial: t.trial,
    generation: t.generation,
    score: shownScore(t),
    feasible: t.feasible ? 1 : 0,
    violations: t.violations.map(violationText).join("; "),
    ...t.params,
    ...t.kpis,
  }));
  const columns = ["trial", "generation", "score", "feasible", "violations", ...names, ...WINDOW_KPIS];
  const table = rows as Record<string, number | string | null>[];
  writeFileAtomic(join(dir, "trials.csv"), toCsv(table, columns));
  writeFileAtomic(
    join(dir, "trials.arrow"),
    toArrow(table, columns, { trial: "int", generation: "int", feasible: "bool", violations: "text" }),
  );
  const jsonl = trials.map((t) => toJsonLine({ trial: t.trial, generation: t.generation, ...verdict(t), params: t.params, kpis: t.kpis }));
  writeFileAtomic(join(dir, "trials.jsonl"), jsonl.join(""));
}
