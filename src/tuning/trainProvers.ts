import { ArchetypePolicies } from "../../agents/prover/byArchetype.js";
import { ConfigError } from "../config/errors.js";
import { loadExperiment } from "../config/load.js";
import { resolveParams } from "../config/resolve.js";
import { initTensorflow, usesPolicyNetwork } from "../ml/tensorflow.js";
import { toCsv } from "../results/csv.js";
import { toJson } from "../results/json.js";
import { buildManifest, commandLine } from "../results/manifest.js";
import { defaultRunPath, RunDir } from "../results/runDir.js";
import { Stream } from "../rng/streams.js";
import { runEpisode } from "./episode.js";

export interface TrainArgs {
  experiment: string;
  episodes: number;
  set: readonly string[];
  out?: string | undefined;
}

/** What each training episode logs (training.csv). */
export const TRAINING_COLUMNS = [
  "episode",
  "trainedEpochs",
  "liveness",
  "rewardsPerTxUsd",
  "proverProfitUsd",
  "profitMargin",
  "activeProversMean",
  "joins",
  "exits",
  "nakamotoProofsMean",
] as const;

export type TrainingRow = Record<(typeof TRAINING_COLUMNS)[number], number>;

/**
 * `proverlab train`: the shared policy network learns over `episodes` episodes of the experiment under
 * its own calibration (the proposal's defaults unless the experiment sets others), each episode on its
 * own seed and starting from the weights the previous one ended with. Writes the policy
 * (policy/model.json + weights.bin, which `provers.policyNetwork.file` loads back), training.csv,
 * config.json and manifest.json.
 */
/** Most episodes one `train` run takes (as many as train-controller's controller.episodes allows). */
export const MAX_TRAIN_EPISODES = 100_000;

export async function trainProvers(args: TrainArgs, onEpisode: (row: TrainingRow) => void): Promise<string> {
  if (!Number.isInteger(args.episodes) || args.episodes < 1 || args.episodes > MAX_TRAIN_EPISODES) {
    throw new ConfigError("--episodes", `${args.episodes} is not an integer from 1 to ${MAX_TRAIN_EPISODES}; give e.g. --episodes 20`);
  }
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const exp = loadExperiment(args.experiment, args.set);
  if (!usesPolicyNetwork(exp)) {
    throw new ConfigError(
      "provers.archetypes",
      "no archetype has policy kind policy-network; set policy: { kind: policy-network } on those to train",
    );
  }
  const backend = await initTensorflow();
  const params = resolveParams(exp);
  const dir = RunDir.prepare(args.out, "--out", () => defaultRunPath(exp.name, "train", exp.seed));
  const policies = new ArchetypePolicies(exp);
  const network = policies.network!;
  try {
    const rows: TrainingRow[] = [];
    const seeds = Stream.root(exp.seed).child("train-provers");
    for (let episode = 0; episode < args.episodes; episode++) {
      const { summary } = runEpisode(exp, params, policies, seeds.child(episode));
      network.commit();
      const row: TrainingRow = {
        episode,
        trainedEpochs: network.epochsTrained,
        liveness: summary.liveness,
        rewardsPerTxUsd: summary.rewardsPerTxUsd,
        proverProfitUsd: summary.proverProfitUsd,
        profitMargin: summary.profitMargin,
        activeProversMean: summary.activeProversMean,
        joins: summary.joins,
        exits: summary.exits,
        nakamotoProofsMean: summary.nakamotoProofsMean,
      };
      rows.push(row);
      onEpisode(row);
    }
    const t1 = performance.now();
    network.save(dir.folder("policy"), backend);
    dir.write("training.csv", toCsv(rows, TRAINING_COLUMNS));
    dir.write("config.json", toJson({ experiment: exp, params, episodes: args.episodes }));
    const manifest = buildManifest({
      command: commandLine(),
      experiment: exp.name,
      seed: exp.seed,
      startedAt,
      timingsMs: { train: Math.round(t1 - t0) },
    });
    dir.write("manifest.json", toJson(manifest));
    dir.commit();
    return dir.path;
  } catch (err) {
    dir.abandon();
    throw err;
  } finally {
    policies.dispose();
  }
}
