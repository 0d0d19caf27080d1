import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { ProverPolicy } from "../../agents/prover/policy.js";
import { AlwaysOnPolicy } from "../../agents/prover/scripted.js";
import { ArchetypePolicies } from "../../agents/prover/byArchetype.js";
import { loadExperiment } from "../../src/config/load.js";
import { resolveParams } from "../../src/config/resolve.js";
import type { Experiment } from "../../src/config/schema.js";
import { runEpisode, type EpisodeResult } from "../../src/tuning/episode.js";

export const EXPERIMENTS_DIR = join(import.meta.dirname, "..", "..", "experiments");

export function experimentFiles(): string[] {
  return readdirSync(EXPERIMENTS_DIR)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => join(EXPERIMENTS_DIR, f));
}

export function load(name: string, sets: string[] = []): Experiment {
  return loadExperiment(join(EXPERIMENTS_DIR, `${name}.yaml`), sets);
}

export function run(exp: Experiment, seed = exp.seed, scripted: "archetype" | "always-on" = "archetype"): EpisodeResult {
  const policy: ProverPolicy = scripted === "always-on" ? new AlwaysOnPolicy() : new ArchetypePolicies(exp);
  const result = runEpisode(exp, resolveParams(exp), policy, seed);
  policy.dispose?.();
  return result;
}
