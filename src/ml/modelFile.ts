import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ConfigError } from "../config/errors.js";
import { toJson } from "../results/json.js";
import { writeFileAtomic } from "../results/runDir.js";

/**
 * What ProverLab keeps beside the weights: what the network reads and chooses (checked on load), its
 * hidden sizes, the backend that trained it, and each network's own fields.
 */
export interface ModelMeta {
  inputs: readonly string[];
  /** One name per output of the categorical heads, in order. */
  actions: readonly string[];
  hidden: number[];
  backend: string;
  [field: string]: unknown;
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
export function saveModelFile(dir: string, topology: object, weights: readonly WeightTensor[], meta: ModelMeta): string {
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

/**
 * Reads a network saved by `saveModelFile` and, when given, checks it reads `expected.inputs` and
 * chooses among `expected.actions`; every problem is a one-line ConfigError naming `field`.
 */
export function readModelFile(
  path: string,
  field: string,
  expected?: { inputs: readonly string[]; actions: readonly string[] },
): { meta: ModelMeta; weights: WeightTensor[] } {
  let model: {
    proverlab?: ModelMeta;
    weightsManifest?: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
  };
  try {
    model = JSON.parse(readFileSync(path, "utf8")) as typeof model;
  } catch {
    throw new ConfigError(field, `cannot read ${path}; give the model.json a training run wrote`);
  }
  if (!isRecord(model) || !isRecord(model.proverlab) || !Array.isArray(model.weightsManifest) || !isRecord(model.weightsManifest[0])) {
    throw new ConfigError(field, `${path} is not a ProverLab policy; give the model.json a training run wrote`);
  }
  const meta = model.proverlab;
  const group = model.weightsManifest[0];
  const bad = malformedField(meta, group);
  if (bad !== null) {
    throw new ConfigError(field, `${path}: ${bad} is missing or of the wrong type; give the model.json a training run wrote`);
  }
  if (expected && (meta.inputs.join(",") !== expected.inputs.join(",") || meta.actions.join(",") !== expected.actions.join(","))) {
    throw new ConfigError(field, `${path} was trained on other inputs or actions; train it again for this experiment and version`);
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

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const isNames = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === "string");
const isSizes = (v: unknown, min: number, max: number): boolean =>
  Array.isArray(v) && v.every((x) => Number.isSafeInteger(x) && (x as number) >= min && (x as number) <= max);

/** The first field a model.json must hold that is absent or of the wrong type (it would throw a TypeError further on), or null. */
function malformedField(meta: Record<string, unknown>, group: Record<string, unknown>): string | null {
  if (!isNames(meta.inputs)) return "proverlab.inputs";
  if (!isNames(meta.actions)) return "proverlab.actions";
  // The bounds of policyNetwork.hidden and controller.hidden in the experiment schema.
  if (!isSizes(meta.hidden, 1, 1024) || (meta.hidden as number[]).length < 1 || (meta.hidden as number[]).length > 4) {
    return "proverlab.hidden";
  }
  if (!isNames(group.paths) || (group.paths as string[]).length !== 1) return "weightsManifest.0.paths";
  const weights = group.weights;
  if (!Array.isArray(weights) || !weights.every((w) => isRecord(w) && typeof w.name === "string" && isSizes(w.shape, 0, 2 ** 31))) {
    return "weightsManifest.0.weights";
  }
  return null;
}
