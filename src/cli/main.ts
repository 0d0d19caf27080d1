import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { ConfigError } from "../config/errors.js";
import { fileSystemRefusal } from "../results/runDir.js";

const write = (text: string) => process.stdout.write(text);

// Each subcommand's module is imported when it runs, so `--help` and a short `simulate` do not load the
// tuners, TensorFlow.js or mathjs.

function fail(message: string): never {
  process.stderr.write(`proverlab: ${message}\n`);
  process.exit(2);
}

const NUMBER_FLAGS = new Set(["seed", "seeds", "budget", "workers", "episodes"]);
const BOOLEAN_FLAGS = new Set(["json", "stdin", "held-out", "all", "force"]);
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

try {
  checkFlagWords(hideBin(process.argv));
  await yargs(hideBin(process.argv))
    .scriptName("proverlab")
    .usage("$0 <command> [options]")
    .command(
      "simulate <experiment>",
      "Run one episode with each archetype's prover policy; write a results folder and print the KPIs",
      (y) =>
        y
          .positional("experiment", { type: "string", demandOption: true, describe: "experiment YAML file" })
          .option("seed", { type: "number", describe: "override the experiment's seed" })
          .option("set", { type: "string", array: true, describe: "override a field: --set a.b.c=value" })
          .option("out", { type: "string", describe: "results folder (default results/<experiment>/simulate-seed<N>-<time>)" })
          .option("json", { type: "boolean", default: false, describe: "print the summary as JSON on stdout" }),
      async (argv) => {
        if (argv.seed !== undefined && (!Number.isInteger(argv.seed) || argv.seed < 0)) {
          throw new ConfigError("--seed", `${String(argv.seed)} is not a non-negative integer; give e.g. --seed 7`);
        }
        const { simulate } = await import("./simulate.js");
        await simulate({ experiment: argv.experiment, seed: argv.seed, set: toSets(argv.set), out: argv.out, json: argv.json }, write);
      },
    )
    .command(
      "params <experiment>",
      "Print the tuned parameter space (name, bounds, scale, integer, default, unit, value) as JSON",
      (y) =>
        y
          .positional("experiment", { type: "string", demandOption: true })
          .option("set", { type: "string", array: true, describe: "override a field: --set a.b.c=value" })
          .option("all", { type: "boolean", default: false, describe: "every parameter, not only the tuned ones" }),
      async (argv) => (await import("./params.js")).printParams(argv.experiment, toSets(argv.set), argv.all, write),
    )
    .command(
      "evaluate <experiment>",
      'Score one calibration: prints {"score", "feasible", "kpis", "params"} (score: higher is better)',
      (y) =>
        y
          .positional("experiment", { type: "string", demandOption: true })
          .option("params", { type: "string", describe: "JSON file of parameter values (any subset; the rest from the experiment)" })
          .option("seeds", { type: "number", describe: "episodes per scenario (default: tune.seeds of the split)" })
          .option("held-out", { type: "boolean", default: false, describe: "score on the held-out scenarios and seeds" })
          .option("set", { type: "string", array: true, describe: "override a field: --set a.b.c=value" })
          .option("json", { type: "boolean", default: false, describe: "print the answer as JSON" })
          .option("stdin", { type: "boolean", default: false, describe: "read one params object per line; answer each line as JSON" })
          .option("controller", { type: "string", describe: "a trained adaptive controller (model.json) instead of a static calibration" }),
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
          },
          write,
        ),
    )
    .command(
      "tune <experiment>",
      "Search a calibration of the tuned parameters; re-score the best on held-out seeds",
      (y) =>
        y
          .positional("experiment", { type: "string", demandOption: true })
          .option("budget", { type: "number", describe: "candidate evaluations (default: tune.budget)" })
          .option("workers", { type: "number", default: 1, describe: "worker threads evaluating candidates" })
          .option("out", { type: "string", describe: "run folder (default results/<experiment>/tune-seed<N>-<time>)" })
          .option("resume", { type: "string", describe: "continue an interrupted run from its folder" })
          .option("set", { type: "string", array: true, describe: "override a field: --set a.b.c=value" }),
      async (argv) =>
        (await import("./tune.js")).runTune(
          {
            experiment: argv.experiment,
            set: toSets(argv.set),
            budget: argv.budget,
            workers: argv.workers,
            out: argv.out,
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
          .positional("experiment", { type: "string", demandOption: true })
          .option("episodes", { type: "number", default: 10, describe: "training episodes, each on its own seed" })
          .option("out", { type: "string", describe: "run folder (default results/<experiment>/train-seed<N>-<time>)" })
          .option("set", { type: "string", array: true, describe: "override a field: --set a.b.c=value" }),
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
          .option("force", { type: "boolean", default: false, describe: "replace an existing --out file" }),
      async (argv) =>
        (await import("./export.js")).exportRun({ run: argv.run, format: argv.format, out: argv.out, force: argv.force }, write),
    )
    .command(
      "report <run>",
      "Write a tune run's report: report.html (charts inline), report.md (charts as PNG) and figures/ (SVG, PNG, CSV)",
      (y) =>
        y
          .positional("run", { type: "string", demandOption: true, describe: "folder of a completed tune run" })
          .option("out", { type: "string", describe: "report folder (default <run>/report, replaced)" }),
      // Loaded on use: the chart renderer is heavy and only these commands need it.
      async (argv) => {
        await (await import("./report.js")).runReport({ run: argv.run, out: argv.out }, write);
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
            describe: "built-in name, tune run folder, train-controller run folder or params file",
          })
          .option("experiment", { type: "string", describe: "experiment to compare on (default: the first tune run's)" })
          .option("scenarios", { type: "string", array: true, describe: "scenario names, or held-out (default) or train" })
          .option("seeds", { type: "number", describe: "episodes per scenario (default: tune.seeds.heldOut)" })
          .option("baseline", { type: "string", describe: "policy the others are compared with (default: the first)" })
          .option("out", { type: "string", describe: "results folder (default results/<experiment>/compare-seed<N>-<time>)" })
          .option("set", { type: "string", array: true, describe: "override a field of the experiment: --set a.b.c=value" }),
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
          .positional("experiment", { type: "string", demandOption: true })
          .option("start", {
            type: "string",
            describe: "tune run folder or params file every episode starts from (default: the experiment's values)",
          })
          .option("out", { type: "string", describe: "run folder (default results/<experiment>/controller-seed<N>-<time>)" })
          .option("set", { type: "string", array: true, describe: "override a field: --set a.b.c=value" }),
      async (argv) =>
        (await import("./trainController.js")).runTrainController(
          { experiment: argv.experiment, start: argv.start, set: toSets(argv.set), out: argv.out },
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
          .option("set", { type: "string", array: true, describe: "override a field of the experiment: --set a.b.c=value" }),
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
          },
          write,
        );
      },
    )
    .command("schema", "Print the JSON Schema of experiment files", {}, async () => (await import("./schema.js")).printSchema(write))
    .demandCommand(1, "give a command: simulate, tune, evaluate, export, report, compare, train, train-controller, audit, params or schema")
    .strict()
    .help()
    .fail((msg, err) => {
      if (err) throw err;
      fail(`${msg}; see 'proverlab --help'`);
    })
    .parseAsync();
} catch (err) {
  if (err instanceof ConfigError) fail(err.message);
  const refusal = fileSystemRefusal(err);
  if (refusal) fail(refusal.message);
  throw err;
}
