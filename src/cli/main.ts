import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { ConfigError } from "../config/errors.js";
import { EXIT_CODES } from "./exitCodes.js";
import { closest } from "../config/suggest.js";
import { keyText } from "../config/valueText.js";
import { toolVersion } from "../results/manifest.js";
import { fileSystemRefusal } from "../results/runDir.js";

const write = (text: string) => process.stdout.write(text);
const warn = (text: string) => process.stderr.write(text);

// A reader that stops early (`proverlab evaluate EXP --stdin | head -1`) closes the pipe: the run ends
// quietly, as a Unix filter does.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(0);
  throw err;
});

// Each subcommand's module is imported when it runs, so `--help` and a short `simulate` do not load the
// tuners, TensorFlow.js or mathjs.

/** Reports the problems (one line each) and exits with code 2. */
function fail(lines: readonly string[]): never {
  process.stderr.write(lines.map((line) => `proverlab: ${line}\n`).join(""));
  process.exit(2);
}

const COMMANDS = [
  "simulate",
  "tune",
  "study",
  "evaluate",
  "export",
  "report",
  "compare",
  "train",
  "train-controller",
  "audit",
  "worker",
  "params",
  "schema",
];

/** The command the words start with, checked: an unknown one is an error with the nearest command. */
function commandOf(words: readonly string[]): string | undefined {
  const word = words[0];
  if (word === undefined || word.startsWith("-") || COMMANDS.includes(word)) return word;
  const near = closest(word, COMMANDS);
  throw new ConfigError(
    "",
    `unknown command '${keyText(word)}'; ${near === undefined ? "" : `did you mean ${near}? `}see 'proverlab --help'`,
  );
}

/** Where a command's usage is explained: its own help, or the top-level one. */
const helpOf = (command: string | undefined) => `see 'proverlab ${command === undefined ? "" : `${command} `}--help'`;

/**
 * yargs's "Unknown argument(s): a, b" as one line per word: an option with the nearest of the command's
 * own options, or a word the command does not take.
 */
function unknownArguments(message: string, words: readonly string[], options: readonly string[], help: string): string[] | undefined {
  const m = /^Unknown arguments?: (.*)$/s.exec(message);
  if (!m) return undefined;
  const names = m[1]!.split(", ");
  // yargs names an unknown --some-flag twice, also as someFlag.
  const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const distinct = names.filter((name) => !names.some((other) => other !== name && camel(other) === name));
  return distinct.map((name) => {
    const asFlag = words.some((w) => w === `--${name}` || w.startsWith(`--${name}=`) || w === `-${name}`);
    if (!asFlag) return `unexpected argument '${keyText(name)}'; ${help}`;
    const near = closest(name, options);
    return `--${keyText(name)}: unknown option; ${near === undefined ? "" : `did you mean --${near}? `}${help}`;
  });
}

const NUMBER_FLAGS = new Set(["seed", "seeds", "budget", "workers", "episodes", "concurrency", "lock-seconds"]);
const BOOLEAN_FLAGS = new Set(["json", "stdin", "held-out", "all", "force", "strict", "repair", "quick"]);
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/**
 * yargs reads `--seed ""` as 0 and `--json=maybe` as true; the raw words are checked first, so a
 * flag's value is a number or true/false as written, or a one-line error.
 */
function checkFlagWords(words: readonly string[]): void {
  for (let i = 0; i < words.length; i++) {
    if (words[i] === "--") return;
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(words[i]!);
    if (!m) continue;
    const [, name, inline] = m;
    if (NUMBER_FLAGS.has(name!)) {
      const value = inline ?? words[i + 1];
      if (value === undefined || !NUMBER.test(value.trim())) {
        throw new ConfigError(`--${name}`, `'${value ?? ""}' is not a number; give e.g. --${name} 3`);
      }
    } else if (BOOLEAN_FLAGS.has(name!) && inline !== undefined && inline !== "true" && inline !== "false") {
      throw new ConfigError(`--${name}`, `'${inline}' is not true or false; write --${name} or --${name}=false`);
    }
  }
}

function toSets(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

const EXPERIMENT = {
  type: "string",
  demandOption: true,
  describe: "experiment YAML file (see experiments/ and 'proverlab schema')",
} as const;
const SET = { type: "string", array: true, describe: "override a field of the experiment: --set a.b.c=value (repeatable)" } as const;

const words = hideBin(process.argv);
let command: string | undefined;
try {
  command = commandOf(words);
  checkFlagWords(words);
  const cli = yargs(words);
  await cli
    .scriptName("proverlab")
    .usage("$0 <command> [options]")
    .command(
      "simulate <experiment>",
      "Run one episode with each archetype's prover policy; write a results folder and print the KPIs",
      (y) =>
        y
          .positional("experiment", EXPERIMENT)
          .option("seed", { type: "number", describe: "override the experiment's seed" })
          .option("set", SET)
          .option("params", {
            type: "string",
            describe: "JSON or YAML file of parameter values (any subset, or a tune run's recommendation.json) laid over the experiment's",
          })
          .option("strict", {
            type: "boolean",
            default: false,
            describe: "refuse (exit 2) a setup that cannot work instead of warning about it",
          })
          .option("out", { type: "string", describe: "results folder (default results/<experiment>/simulate-seed<N>-<time>)" })
          .option("json", { type: "boolean", default: false, describe: "print the summary as JSON on stdout" })
          .example("$0 simulate experiments/aztec-1tps.yaml --seed 7", "one episode on seed 7: KPI table, results folder")
          .example("$0 simulate exp.yaml --set demand.baseTps=10 --strict", "refuse the run if the provers cannot keep up")
          .example(
            "$0 simulate exp.yaml --params RUN/recommendation.json",
            "the time series of a tune run's recommendation (RUN: its folder)",
          ),
      async (argv) => {
        if (argv.seed !== undefined && (!Number.isInteger(argv.seed) || argv.seed < 0)) {
          throw new ConfigError("--seed", `${String(argv.seed)} is not a non-negative integer; give e.g. --seed 7`);
        }
        const { simulate } = await import("./simulate.js");
        await simulate(
          {
            experiment: argv.experiment,
            seed: argv.seed,
            set: toSets(argv.set),
            out: argv.out,
            json: argv.json,
            params: argv.params,
            strict: argv.strict,
          },
          write,
          warn,
        );
      },
    )
    .command(
      "params <experiment>",
      "Print the tuned parameter space (name, bounds, scale, integer, default, unit, value, relations) as JSON",
      (y) =>
        y
          .positional("experiment", EXPERIMENT)
          .option("set", SET)
          .option("all", { type: "boolean", default: false, describe: "every parameter, not only the tuned ones" })
          .example("$0 params experiments/quickstart.yaml", "the parameters tune.params names: bounds, values, relations")
          .example("$0 params exp.yaml --all", "every parameter"),
      async (argv) => (await import("./params.js")).printParams(argv.experiment, toSets(argv.set), argv.all, write),
    )
    .command(
      "evaluate <experiment>",
      'Score one calibration: prints {"score", "feasible", "kpis", "params"} (score: higher is better)',
      (y) =>
        y
          .positional("experiment", EXPERIMENT)
          .option("params", { type: "string", describe: "JSON file of parameter values (any subset; the rest from the experiment)" })
          .option("seeds", { type: "number", describe: "episodes per scenario (default: tune.seeds of the split)" })
          .option("held-out", { type: "boolean", default: false, describe: "score on the held-out scenarios and seeds" })
          .option("set", SET)
          .option("json", { type: "boolean", default: false, describe: "print the answer as JSON" })
          .option("stdin", { type: "boolean", default: false, describe: "read one params object per line; answer each line as JSON" })
          .option("repair", {
            type: "boolean",
            default: false,
            describe: "repair params that break a relation (see 'proverlab params') as the tuner does, and answer with the repaired params",
          })
          .option("controller", { type: "string", describe: "a trained adaptive controller (model.json) instead of a static calibration" })
          .example("$0 evaluate exp.yaml --params p.json --json", "score the calibration in p.json")
          .example("$0 evaluate exp.yaml --stdin --repair", "an optimizer's loop: a params object per line in, a JSON answer per line out"),
      async (argv) =>
        (await import("./evaluate.js")).evaluate(
          {
            experiment: argv.experiment,
            params: argv.params,
            seeds: argv.seeds,
            heldOut: argv["held-out"],
            set: toSets(argv.set),
            json: argv.json,
            stdin: argv.stdin,
            controller: argv.controller,
            repair: argv.repair,
          },
          write,
        ),
    )
    .command(
      "tune <experiment>",
      "Search a calibration of the tuned parameters; re-score the best on held-out seeds",
      (y) =>
        y
          .positional("experiment", EXPERIMENT)
          .option("budget", { type: "number", describe: "candidate evaluations (default: tune.budget)" })
          .option("workers", { type: "number", default: 1, describe: "worker threads evaluating candidates" })
          .option("executor", {
            type: "string",
            describe: "redis://[user:password@]HOST:PORT[/db] (rediss:// for TLS): evaluate on that server's `proverlab worker`s",
          })
          .option("out", { type: "string", describe: "run folder (default results/<experiment>/tune-seed<N>-<time>)" })
          .option("resume", { type: "string", describe: "continue an interrupted run from its folder" })
          .option("set", SET)
          .example("$0 tune experiments/quickstart.yaml --workers 2", "the quickstart: tune, score on held-out seeds, audit")
          .example("$0 tune exp.yaml --resume RUN", "continue the interrupted run in folder RUN")
          .example("$0 tune exp.yaml --executor redis://10.0.0.5:6379", "evaluate on the workers of that Redis server"),
      async (argv) =>
        (await import("./tune.js")).runTune(
          {
            experiment: argv.experiment,
            set: toSets(argv.set),
            budget: argv.budget,
            workers: argv.workers,
            executor: argv.executor,
            out: argv.out,
            resume: argv.resume,
          },
          write,
        ),
    )
    .command(
      "study <dir>",
      "Answer a study's questions: screen each question's levers, tune those that act, compare its options; write one report",
      (y) =>
        y
          .positional("dir", { type: "string", demandOption: true, describe: "study folder: a study.yaml and one experiment per question" })
          .option("budget", { type: "number", describe: "candidate evaluations of every tune (default: each experiment's tune.budget)" })
          .option("workers", { type: "number", default: 1, describe: "worker threads evaluating episodes" })
          .option("executor", {
            type: "string",
            describe: "redis://[user:password@]HOST:PORT[/db] (rediss:// for TLS): evaluate on that server's `proverlab worker`s",
          })
          .option("quick", {
            type: "boolean",
            default: false,
            describe: "a few episodes and a small budget: checks the pipeline, finds nothing",
          })
          .option("out", { type: "string", describe: "study folder to write (default results/study/<dir name>, -quick with --quick)" })
          .option("resume", {
            type: "boolean",
            default: false,
            describe: "continue the study in its folder: finished steps are read, not run",
          })
          .example("$0 study experiments/study --workers 2", "the proposal's four questions, at the study's budget")
          .example("$0 study experiments/study --quick", "the whole pipeline in a few minutes (not findings)"),
      async (argv) =>
        (await import("./study.js")).runStudyCommand(
          {
            dir: argv.dir,
            out: argv.out,
            budget: argv.budget,
            workers: argv.workers,
            executor: argv.executor,
            quick: argv.quick,
            resume: argv.resume,
          },
          write,
        ),
    )
    .command(
      "train <experiment>",
      "Train the shared prover policy network over episodes; save it (policy/model.json) for provers.policyNetwork.file",
      (y) =>
        y
          .positional("experiment", EXPERIMENT)
          .option("episodes", { type: "number", default: 10, describe: "training episodes, each on its own seed" })
          .option("out", { type: "string", describe: "run folder (default results/<experiment>/train-seed<N>-<time>)" })
          .option("set", SET)
          .example("$0 train experiments/network-provers.yaml", "train the policy network; prints its model.json")
          .example("$0 train exp.yaml --episodes 20 --out trained", "20 episodes, into the folder trained"),
      async (argv) =>
        (await import("./train.js")).runTrain(
          { experiment: argv.experiment, episodes: argv.episodes, set: toSets(argv.set), out: argv.out },
          write,
        ),
    )
    .command(
      "export <run>",
      "Print a tune run's recommendation: parameters and their change, KPI intervals on both splits, presets",
      (y) =>
        y
          .positional("run", { type: "string", demandOption: true, describe: "folder of a completed tune run" })
          .option("format", { type: "string", default: "md", describe: "json, yaml or md" })
          .option("out", { type: "string", describe: "write to this file instead of standard output" })
          .option("force", { type: "boolean", default: false, describe: "replace an existing --out file" })
          .example("$0 export RUN", "the recommendation of the tune run in folder RUN, as Markdown")
          .example("$0 export RUN --format json --out rec.json", "as JSON: a params file for --params"),
      async (argv) =>
        (await import("./export.js")).exportRun({ run: argv.run, format: argv.format, out: argv.out, force: argv.force }, write),
    )
    .command(
      "report <run>",
      "Write a tune run's report: report.html (charts inline), report.md (charts as PNG) and figures/ (SVG, PNG, CSV)",
      (y) =>
        y
          .positional("run", { type: "string", demandOption: true, describe: "folder of a completed tune run" })
          .option("out", { type: "string", describe: "report folder (default <run>/report, replaced)" })
          .option("workers", { type: "number", default: 1, describe: "worker threads scoring the sensitivity's calibrations" })
          .option("executor", {
            type: "string",
            describe: "redis://[user:password@]HOST:PORT[/db] (rediss:// for TLS): score them on that server's `proverlab worker`s",
          })
          .example("$0 report RUN", "the report of the tune run in folder RUN, written to RUN/report/")
          .example("$0 report RUN --out report", "written to the folder report"),
      // Loaded on use: the chart renderer is heavy and only these commands need it.
      async (argv) => {
        await (
          await import("./report.js")
        ).runReport({ run: argv.run, out: argv.out, workers: argv.workers, executor: argv.executor }, write);
      },
    )
    .command(
      "compare <policies..>",
      "Compare policies (tune runs, trained controllers, params files, proposal-defaults, base-2023, aztec-current) on the same held-out episodes; write a report",
      (y) =>
        y
          .positional("policies", {
            type: "string",
            array: true,
            demandOption: true,
            // Without it yargs shows the variadic positional's implicit [default: []] beside [required].
            default: undefined,
            describe: "one or more: built-in name, tune run folder, train-controller run folder or params file",
          })
          .option("experiment", { type: "string", describe: "experiment to compare on (default: the first tune run's)" })
          .option("scenarios", { type: "string", array: true, describe: "scenario names, or held-out (default) or train" })
          .option("seeds", { type: "number", describe: "episodes per scenario (default: tune.seeds.heldOut)" })
          .option("baseline", { type: "string", describe: "policy the others are compared with (default: the first)" })
          .option("workers", { type: "number", default: 1, describe: "worker threads evaluating the policies" })
          .option("executor", {
            type: "string",
            describe: "redis://[user:password@]HOST:PORT[/db] (rediss:// for TLS): evaluate on that server's `proverlab worker`s",
          })
          .option("out", { type: "string", describe: "results folder (default results/<experiment>/compare-seed<N>-<time>)" })
          .option("set", SET)
          .example("$0 compare proposal-defaults base-2023 RUN", "a tune run's recommendation against two built-in calibrations")
          .example("$0 compare base-2023 aztec-current --experiment exp.yaml", "built-in calibrations on an experiment of your own"),
      async (argv) => {
        const { runCompare } = await import("./compare.js");
        await runCompare(
          {
            policies: argv.policies.map(String),
            experiment: argv.experiment,
            set: toSets(argv.set),
            scenarios: argv.scenarios,
            seeds: argv.seeds,
            baseline: argv.baseline,
            workers: argv.workers,
            executor: argv.executor,
            out: argv.out,
          },
          write,
        );
      },
    )
    .command(
      "train-controller <experiment>",
      "Train the adaptive governance controller (provers warm up, then the controller learns while they adapt); compare it on held-out seeds",
      (y) =>
        y
          .positional("experiment", EXPERIMENT)
          .option("start", {
            type: "string",
            describe: "tune run folder or params file every episode starts from (default: the experiment's values)",
          })
          .option("workers", { type: "number", default: 1, describe: "worker threads scoring checkpoints and held-out episodes" })
          .option("executor", {
            type: "string",
            describe: "redis://[user:password@]HOST:PORT[/db] (rediss:// for TLS): score them on that server's `proverlab worker`s",
          })
          .option("out", { type: "string", describe: "run folder (default results/<experiment>/controller-seed<N>-<time>)" })
          .option("set", SET)
          .example("$0 train-controller experiments/controller-daily.yaml", "train from the experiment's values")
          .example("$0 train-controller exp.yaml --start RUN", "start from the recommendation of the tune run in folder RUN")
          .example("$0 train-controller exp.yaml --workers 2", "validate checkpoints on a second thread while training goes on"),
      async (argv) =>
        (await import("./trainController.js")).runTrainController(
          {
            experiment: argv.experiment,
            start: argv.start,
            set: toSets(argv.set),
            workers: argv.workers,
            executor: argv.executor,
            out: argv.out,
          },
          write,
        ),
    )
    .command(
      "audit <run-or-params>",
      "Exploit audit: attacking learners (withhold, snipe, split) against a frozen calibration; writes audit.json, prints gains and network costs",
      (y) =>
        y
          .positional("run-or-params", { type: "string", demandOption: true, describe: "tune run folder, or params file (JSON/YAML)" })
          .option("experiment", { type: "string", describe: "experiment file (required with a params file; default: the run's)" })
          .option("seeds", { type: "number", describe: "paired episodes per scenario (default: audit.seeds)" })
          .option("out", { type: "string", describe: "audit.json path, or a folder for it (default: the run folder)" })
          .option("force", { type: "boolean", default: false, describe: "replace an existing --out file" })
          .option("workers", { type: "number", default: 1, describe: "worker threads running the audit's arms" })
          .option("executor", {
            type: "string",
            describe: "redis://[user:password@]HOST:PORT[/db] (rediss:// for TLS): run the arms on that server's `proverlab worker`s",
          })
          .option("set", SET)
          .example("$0 audit RUN", "audit the recommendation of the tune run in folder RUN; writes RUN/audit.json")
          .example("$0 audit p.json --experiment exp.yaml", "audit the calibration in a params file"),
      async (argv) => {
        const { audit } = await import("./audit.js");
        await audit(
          {
            target: argv["run-or-params"],
            experiment: argv.experiment,
            seeds: argv.seeds,
            out: argv.out,
            force: argv.force,
            set: toSets(argv.set),
            workers: argv.workers,
            executor: argv.executor,
          },
          write,
        );
      },
    )
    .command(
      "worker",
      "Evaluate jobs from any run on a Redis server (tune --executor redis://...) until stopped",
      (y) =>
        y
          .option("redis", { type: "string", describe: "redis://[user:password@]HOST:PORT[/db] (rediss:// for TLS)" })
          .option("concurrency", { type: "number", default: 1, describe: "evaluations at once, one worker thread each (one per core)" })
          .option("lock-seconds", {
            type: "number",
            default: 30,
            describe: "how long a job stays with a worker that stopped answering before another worker takes it",
          })
          .example("$0 worker --redis redis://10.0.0.5:6379 --concurrency 2", "evaluate on both cores of this machine"),
      async (argv) =>
        (await import("./worker.js")).runWorker(
          { redis: argv.redis, concurrency: argv.concurrency, lockSeconds: argv["lock-seconds"] },
          (line) => write(`${line}\n`),
        ),
    )
    .command(
      "schema",
      "Print the JSON Schema of experiment files (every field described)",
      (y) => y.example("$0 schema > experiment.schema.json", "for an editor's completion and hovers in experiment files"),
      async () => (await import("./schema.js")).printSchema(write),
    )
    .example("$0 simulate experiments/aztec-1tps.yaml", "one episode: KPI table and results folder")
    .example("$0 tune experiments/quickstart.yaml --workers 2", "tune the quickstart's mechanism")
    .example("$0 <command> --help", "a command's options and examples")
    .demandCommand(1, `give a command: ${COMMANDS.slice(0, -1).join(", ")} or ${COMMANDS.at(-1)}`)
    .strict()
    // yargs would read the package.json above the folder holding its node_modules: a dependent project's.
    .version(toolVersion())
    .help()
    // Wider than yargs's 80 columns, so an example's command fits its column (a pipe has no width: 100).
    .wrap(Math.min(120, cli.terminalWidth() ?? 100))
    .fail((msg, err) => {
      if (err) throw err;
      const help = helpOf(command);
      // The options of the command being parsed: yargs has them (its own .check() is given them) but does not type the getter.
      const options = Object.keys((cli as unknown as { getOptions(): { key: Record<string, unknown> } }).getOptions().key);
      fail(unknownArguments(msg, words, options, help) ?? [`${msg}; ${help}`]);
    })
    .parseAsync();
} catch (err) {
  if (err instanceof ConfigError) fail(err.lines);
  if (err instanceof Error && err.name === "ServiceError") {
    process.stderr.write(`proverlab: ${err.message}\n`);
    process.exit(EXIT_CODES.unavailable);
  }
  const refusal = fileSystemRefusal(err);
  if (refusal) fail([refusal.message]);
  throw err;
}
