import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ConfigError } from "../../src/config/errors.js";
import { toJson } from "../../src/results/json.js";
import { writeFileAtomic } from "../../src/results/runDir.js";
import { CAPACITY_ACTION_NAMES } from "./capacityActions.js";
import { NETWORK_INPUTS } from "./networkInputs.js";

/** What ProverLab keeps beside the weights: enough to rebuild the network and carry on training. */
export interface PolicyMeta {
  inputs: readonly string[];
  actions: readonly string[];
  hidden: number[];
  /** Epochs of experience the weights were trained on (the entropy schedule resumes from here). */
  trainedEpochs: number;
  backend: string;
}

export interface WeightTensor {
  name: string;
  shape: number[];
  values: Float32Array;
}

const WEIGHTS_FILE = "weights.bin";

/**
 * Writes a policy in TensorFlow.js's layers-model format (model.json with the topology and a weights
 * manifest, weights.bin beside it), so `tf.loadLayersModel` reads it too; ProverLab's own fields sit
 * under `proverlab`.
 */
export function savePolicyFile(dir: string, topology: object, weights: readonly WeightTensor[], meta: PolicyMeta): string {
  const total = weights.reduce((s, w) => s + w.values.length, 0);
  const data = new Float32Array(total);
  let at = 0;
  for (const w of weights) {
    data.set(w.values, at);
    at += w.values.length;
  }
  const model = {
    format: "layers-model",
    generatedBy: "proverlab",
    convertedBy: null,
    modelTopology: topology,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: weights.map((w) => ({ name: w.name, shape: w.shape, dtype: "float32" })) }],
    proverlab: meta,
  };
  writeFileAtomic(join(dir, WEIGHTS_FILE), Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  const path = join(dir, "model.json");
  writeFileAtomic(path, toJson(model));
  return path;
}

/** Reads a policy saved by `savePolicyFile`; every problem is a one-line ConfigError naming `field`. */
export function readPolicyFile(path: string, field: string): { meta: PolicyMeta; weights: WeightTensor[] } {
  let model: {
    proverlab?: PolicyMeta;
    weightsManifest?: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
  };
  try {
    model = JSON.parse(readFileSync(path, "utf8")) as typeof model;
  } catch {
    throw new ConfigError(field, `cannot read ${path}; give the model.json written by \`proverlab train\``);
  }
  const meta = model.proverlab;
  const group = model.weightsManifest?.[0];
  if (!meta || !group || group.paths.length !== 1) {
    throw new ConfigError(field, `${path} is not a ProverLab policy; give the model.json written by \`proverlab train\``);
  }
  if (meta.inputs.join(",") !== NETWORK_INPUTS.join(",") || meta.actions.join(",") !== CAPACITY_ACTION_NAMES.join(",")) {
    throw new ConfigError(field, `${path} was trained on other inputs or actions; retrain it with this version (proverlab train)`);
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(resolve(dirname(path), group.paths[0]!));
  } catch {
    throw new ConfigError(field, `cannot read the weights beside ${path}; keep ${group.paths[0]} in the same folder`);
  }
  const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const weights: WeightTensor[] = [];
  let at = 0;
  for (const w of group.weights) {
    const size = w.shape.reduce((a, b) => a * b, 1);
    if (w.dtype !== "float32" || at + size > data.length) {
      throw new ConfigError(field, `the weights beside ${path} do not match its manifest; save the policy again`);
    }
    weights.push({ name: w.name, shape: w.shape, values: data.slice(at, at + size) });
    at += size;
  }
  if (at !== data.length) throw new ConfigError(field, `the weights beside ${path} do not match its manifest; save the policy again`);
  return { meta, weights };
}
