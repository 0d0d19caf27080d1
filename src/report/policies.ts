import { existsSync, statSync } from "node:fs";
import type { ParameterEffect } from "../tuning/inert.js";
import { basename, dirname, extname, join, resolve } from "node:path";
import { AdaptiveController, type FrozenController } from "../../agents/governance/adaptiveController.js";
import { ConfigError } from "../config/errors.js";
import type { ParamValues } from "../config/paramSpace.js";
import type { Bundle } from "../tuning/bundle.js";
import { applyParams, readCalibration } from "../tuning/paramsInput.js";
import { readTuneRun } from "./tuneRun.js";

export type PolicyKind = "built-in" | "tune-run" | "params-file" | "controller";

/** A policy on the comparison's experiment: where each episode starts, and what governs it within the episode. */
export interface PolicyInstance {
  params: ParamValues;
  /** Null for a static calibration; an adaptive controller, frozen, as the evaluation task carries it. */
  controller: FrozenController | null;
}

/** One policy of `proverlab compare`, resolved from a command-line argument. */
export interface ComparedPolicy {
  /** Unique among the compared policies. */
  readonly name: string;
  readonly kind: PolicyKind;
  /** What it is, for the report. */
  readonly source: string;
  /** Overrides of the compared experiment: the mechanism variant the policy runs. */
  readonly sets: readonly string[];
  /** A tune run's experiment: the comparison's experiment when none is given. */
  readonly experiment?: { path: string; sets: readonly string[] };
  /** A tune run's changed parameters and what moving each back to its default did on training (why it differs). */
  readonly effects?: readonly ParameterEffect[];
  /** The policy on the experiment loaded with `sets` (a controller needs TensorFlow.js loaded first). */
  instantiate(bundle: Bundle): PolicyInstance;
}

const BUILT_IN_POLICIES = {
  "proposal-defaults": { variant: "proposal", source: "the proposal's mechanism with the experiment's default calibration" },
  "base-2023": { variant: "base-2023", source: "the 2023 base mechanism alone: static requirements, flat reward, fixed emergency rule" },
  "aztec-current": { variant: "aztec-current", source: "Aztec's current design: permissionless, no stake, reward-booster shares" },
} as const;

/** Turns one argument into a policy, or returns undefined when the argument is not of its kind. */
type PolicyResolver = (arg: string) => ComparedPolicy | undefined;

const isFolder = (arg: string) => existsSync(arg) && statSync(arg).isDirectory();

const staticPolicy = (params: (bundle: Bundle) => ParamValues) => (bundle: Bundle) => ({ params: params(bundle), controller: null });

function builtIn(arg: string): ComparedPolicy | undefined {
  if (!Object.hasOwn(BUILT_IN_POLICIES, arg)) return undefined;
  const b = BUILT_IN_POLICIES[arg as keyof typeof BUILT_IN_POLICIES];
  return {
    name: arg,
    kind: "built-in",
    source: b.source,
    sets: [`mechanism.variant=${b.variant}`],
    instantiate: staticPolicy((bundle) => bundle.params),
  };
}

function tuneRun(arg: string): ComparedPolicy | undefined {
  if (!isFolder(arg)) return undefined;
  const dir = resolve(arg);
  const { config, recommendation } = readTuneRun(dir, "policy");
  return {
    name: basename(dir),
    kind: "tune-run",
    source: `the recommendation of tune run ${dir}`,
    sets: [`mechanism.variant=${config.experiment.mechanism.variant}`],
    experiment: { path: config.experimentPath, sets: config.sets },
    effects: recommendation.parameters?.effects,
    instantiate: staticPolicy((bundle) => applyParams(recommendation.params, bundle.params, `policy ${basename(dir)}`)),
  };
}

/** A train-controller run folder, or its controller/model.json: the frozen controller from its own starting calibration. */
function controller(arg: string): ComparedPolicy | undefined {
  const model = isFolder(arg) ? join(resolve(arg), "controller", "model.json") : resolve(arg);
  if (!existsSync(model) || basename(model) !== "model.json" || basename(dirname(model)) !== "controller") return undefined;
  const name = basename(dirname(dirname(model)));
  return {
    name,
    kind: "controller",
    source: `the adaptive controller trained in ${dirname(dirname(model))}`,
    sets: [],
    instantiate: (bundle) => {
      const c = AdaptiveController.load(model, bundle.experiment, `policy ${name}`);
      try {
        return { params: c.start, controller: c.frozenCopy() };
      } finally {
        c.dispose();
      }
    },
  };
}

function paramsFile(arg: string): ComparedPolicy | undefined {
  if (!existsSync(arg)) return undefined;
  const file = resolve(arg);
  const name = basename(file, extname(file));
  return {
    name,
    kind: "params-file",
    source: `the calibration in ${file}, on the experiment's mechanism variant`,
    sets: [],
    instantiate: staticPolicy((bundle) => readCalibration(file, bundle.params, `policy ${name}`)),
  };
}

/** Tried in order on each argument (a controller run is a folder too, so it comes before tune runs). */
const RESOLVERS: readonly PolicyResolver[] = [builtIn, controller, tuneRun, paramsFile];

/** The policies named on the command line; a repeated name gets " (2)", " (3)", ... */
export function resolvePolicies(args: readonly string[]): ComparedPolicy[] {
  const seen = new Map<string, number>();
  return args.map((arg) => {
    const policy = RESOLVERS.reduce<ComparedPolicy | undefined>((found, r) => found ?? r(arg), undefined);
    if (!policy) {
      throw new ConfigError(
        "policy",
        `'${arg}' is neither a built-in policy (${Object.keys(BUILT_IN_POLICIES).join(", ")}), a tune run, a train-controller run nor a params file`,
      );
    }
    const count = (seen.get(policy.name) ?? 0) + 1;
    seen.set(policy.name, count);
    return count === 1 ? policy : { ...policy, name: `${policy.name} (${count})` };
  });
}
