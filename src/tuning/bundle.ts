import { basename, dirname, resolve } from "node:path";
import { ConfigError } from "../config/errors.js";
import { loadExperiment } from "../config/load.js";
import type { ParamValues } from "../config/paramSpace.js";
import { resolveParams } from "../config/resolve.js";
import type { Experiment } from "../config/schema.js";
import { prepareBackend } from "../ml/tensorflow.js";
import { TunedSpace } from "./space.js";

/** A scenario candidates are scored on: its environment, under the main experiment's mechanism. */
export interface Scenario {
  readonly name: string;
  readonly experiment: Experiment;
}

/** An experiment with everything tuning and evaluation need, validated once at the edge. */
export interface Bundle {
  readonly experiment: Experiment;
  readonly path: string;
  readonly params: ParamValues;
  readonly space: TunedSpace;
  readonly train: readonly Scenario[];
  readonly heldOut: readonly Scenario[];
}

/** Loads TensorFlow.js when any experiment of the bundle has policy-network provers; returns the backend, or null. */
export function prepareBundleBackend(bundle: Bundle): Promise<string | null> {
  return prepareBackend([bundle.experiment, ...bundle.train.map((s) => s.experiment), ...bundle.heldOut.map((s) => s.experiment)]);
}

/** What a bundle is made of: the experiment and its scenarios, validated, as a job sends them to a remote worker. */
export interface BundleData {
  readonly experiment: Experiment;
  readonly train: readonly Scenario[];
  readonly heldOut: readonly Scenario[];
}

export function loadBundle(path: string, sets: readonly string[] = []): Bundle {
  const experiment = loadExperiment(path, sets);
  experiment.objective.constraints.forEach((c, i) => {
    if (c.min === undefined && c.max === undefined) {
      throw new ConfigError(`objective.constraints.${i}`, `give min or max for ${c.kpi}`);
    }
  });
  const scenarios = (field: "train" | "heldOut"): Scenario[] => {
    const files = experiment.scenarios[field];
    if (files.length === 0) return [{ name: experiment.name, experiment }];
    return files.map((file, i) => {
      const full = resolve(dirname(path), file);
      let scenario: Experiment;
      try {
        scenario = loadExperiment(full);
      } catch (err) {
        const why = err instanceof ConfigError ? err.message : String(err);
        throw new ConfigError(`scenarios.${field}.${i}`, `${basename(file)}: ${why}`);
      }
      const provers = experiment.scenarios.provers === "experiment" ? experiment.provers : scenario.provers;
      return {
        name: scenario.name,
        experiment: { ...scenario, provers, mechanism: experiment.mechanism, objective: experiment.objective },
      };
    });
  };
  return bundleFromData({ experiment, train: scenarios("train"), heldOut: scenarios("heldOut") }, path);
}

/** Every scenario of the bundle once, held-out ones first. */
export function allScenarios(bundle: BundleData): Scenario[] {
  const seen = new Set<string>();
  return [...bundle.heldOut, ...bundle.train].filter((s) => !seen.has(s.name) && seen.add(s.name));
}

/**
 * A bundle other than the experiment as loaded: more overrides (a compared policy's mechanism
 * variant), and the scenarios, by name, that stand as its held-out split (compare's --scenarios).
 */
export interface BundleVariant {
  readonly sets: readonly string[];
  readonly heldOut: readonly string[];
}

/** The bundle with the named scenarios (from either split) as its held-out split. */
export function withHeldOut(bundle: Bundle, names: readonly string[]): Bundle {
  const known = allScenarios(bundle);
  const heldOut = names.map((name) => {
    const scenario = known.find((s) => s.name === name);
    if (!scenario) throw new ConfigError("--scenarios", `unknown scenario '${name}'; choose from ${known.map((s) => s.name).join(", ")}`);
    return scenario;
  });
  return { ...bundle, heldOut };
}

/** The bundle of validated data: its parameter values and tuned space derived from the experiment. */
export function bundleFromData(data: BundleData, path: string): Bundle {
  const { experiment, train, heldOut } = data;
  return { experiment, path, params: resolveParams(experiment), space: new TunedSpace(experiment.tune.params), train, heldOut };
}
