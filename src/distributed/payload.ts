import { createHash } from "node:crypto";
import { z } from "zod";
import { validateExperiment } from "../config/load.js";
import { ControllerSchema } from "../config/schema.js";
import { MAX_SEEDS } from "../config/schemaFields.js";
import type { Experiment } from "../config/schema.js";
import type { BundleData } from "../tuning/bundle.js";
import type { EvaluationTask } from "../tuning/evaluationTask.js";
import type { AuditArmTask } from "../audit/audit.js";
import { ACTION_NAMES, type ActionName } from "../../agents/prover/actionTable.js";

/**
 * JSON that keeps every number: NaN, the infinities and -0 (a KPI undefined in an episode is NaN)
 * travel as `{"$n": "NaN"}` and come back as themselves, so a result read from Redis is the result a
 * local worker thread would have returned, bit for bit.
 */
export function encodeJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== "number" || (Number.isFinite(v) && !Object.is(v, -0))) return v;
    return { $n: Object.is(v, -0) ? "-0" : String(v) };
  });
}

const SPECIAL: Record<string, number> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity, "-0": -0 };

export function decodeJson(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const tag = (v as { $n?: unknown }).$n;
      if (keys.length === 1 && typeof tag === "string" && tag in SPECIAL) return SPECIAL[tag];
    }
    return v;
  });
}

/** A bundle as jobs carry it: its encoded data and the SHA-256 of that text, which workers key their cache on. */
export interface BundlePayload {
  readonly hash: string;
  readonly data: string;
}

export function bundlePayload(data: BundleData): BundlePayload {
  const text = encodeJson({ experiment: data.experiment, train: data.train, heldOut: data.heldOut });
  return { hash: sha256(text), data: text };
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The kinds of job: a candidate evaluation, or one arm of the exploit audit. */
export const JOB_KINDS = ["evaluate", "auditArm"] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** One job: the bundle it runs on and its task (an EvaluationTask or an AuditArmTask, by kind). */
export type JobPayload =
  | { readonly kind: "evaluate"; readonly bundle: BundlePayload; readonly task: EvaluationTask }
  | { readonly kind: "auditArm"; readonly bundle: BundlePayload; readonly task: AuditArmTask };

const Params = z.record(z.string(), z.number().finite());

/** A frozen controller (agents/governance/adaptiveController.ts), bounded as the experiment's controller section is. */
const knob = ControllerSchema.unwrap().shape;
const FrozenControllerSchema = z
  .object({
    hidden: knob.hidden.unwrap(),
    state: z
      .object({
        params: z.array(z.string().min(1)).min(1),
        everyEpochs: knob.everyEpochs.unwrap(),
        rateLimit: knob.rateLimit.unwrap(),
        levels: knob.levels.unwrap(),
        levelStep: knob.levelStep.unwrap(),
        start: Params,
        rewardMean: z.number().finite(),
        rewardVariance: z.number().finite().min(0),
        rewardCount: z.number().int().min(0),
        trainedEpisodes: z.number().int().min(0),
      })
      .strict(),
    weights: z
      .array(
        z
          .object({
            shape: z
              .array(
                z
                  .number()
                  .int()
                  .min(1)
                  .max(1 << 20),
              )
              .min(1)
              .max(2),
            values: z.array(z.number().finite()),
          })
          .strict()
          .refine((w) => w.values.length === w.shape.reduce((a, b) => a * b, 1), "the values do not fill the shape"),
      )
      .min(2),
    backend: z.enum(["tensorflow", "wasm", "cpu"]),
  })
  .strict();

const TaskSchema = z
  .object({
    params: Params,
    split: z.enum(["train", "heldOut", "validation"]),
    seeds: z.number().int().min(1).max(MAX_SEEDS),
    controller: FrozenControllerSchema.optional(),
    keepFirst: z.boolean().optional(),
  })
  .strict();

const SeatsSchema = z
  .object({
    identities: z.number().int().min(1).max(10_000),
    computeCores: z.number().finite().positive(),
    fixedCostUsdPerEpoch: z.number().finite().min(0),
    capitalUsd: z.number().finite().min(0),
    actions: z.array(z.enum(ACTION_NAMES as [ActionName, ...ActionName[]])).min(1),
  })
  .strict();

const ArmSchema = z
  .object({
    params: Params,
    seats: z.array(z.tuple([z.string().min(1), SeatsSchema])).min(1),
    seeds: z.number().int().min(1).max(MAX_SEEDS),
    warmup: z.number().int().min(0),
  })
  .strict();

const BundlePayloadSchema = z
  .object({
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    data: z.string().max(64 * 1024 * 1024),
  })
  .strict();

const JobSchemas = {
  evaluate: z.object({ bundle: BundlePayloadSchema, task: TaskSchema }).strict(),
  auditArm: z.object({ bundle: BundlePayloadSchema, task: ArmSchema }).strict(),
};

const ScenarioSchema = z.object({ name: z.string().min(1), experiment: z.unknown() }).strict();
const BundleDataSchema = z
  .object({ experiment: z.unknown(), train: z.array(ScenarioSchema).min(1), heldOut: z.array(ScenarioSchema).min(1) })
  .strict();

/** A job a worker refuses: its payload is not one a coordinator writes. */
export class PayloadError extends Error {
  override readonly name = "PayloadError";
}

/** The job's payload checked: its kind, its shape, then that its bundle text is the one its hash names. */
export function checkJob(kind: string, data: unknown): JobPayload {
  if (!(JOB_KINDS as readonly string[]).includes(kind)) throw new PayloadError(`job payload refused: unknown kind of job '${kind}'`);
  const job = JobSchemas[kind as JobKind].safeParse(data);
  if (!job.success) throw new PayloadError(`job payload refused: ${describe(job.error)}`);
  if (sha256(job.data.bundle.data) !== job.data.bundle.hash)
    throw new PayloadError("job payload refused: the bundle's text does not match its hash");
  return { kind, ...job.data } as JobPayload;
}

/** The bundle's data decoded and every experiment in it validated against the schema, as a file would be. */
export function checkBundleData(text: string): BundleData {
  let raw: unknown;
  try {
    raw = decodeJson(text);
  } catch {
    throw new PayloadError("job payload refused: the bundle is not JSON");
  }
  const shape = BundleDataSchema.safeParse(raw);
  if (!shape.success) throw new PayloadError(`job payload refused: bundle ${describe(shape.error)}`);
  const experiment = (where: string, doc: unknown): Experiment => {
    try {
      return validateExperiment(doc);
    } catch (err) {
      throw new PayloadError(`job payload refused: ${where}: ${(err as Error).message}`);
    }
  };
  const scenarios = (field: "train" | "heldOut") =>
    shape.data[field].map((s, i) => ({ name: s.name, experiment: experiment(`${field}.${i}`, s.experiment) }));
  return { experiment: experiment("experiment", shape.data.experiment), train: scenarios("train"), heldOut: scenarios("heldOut") };
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.join(".") || "(the payload)"}: ${issue.message}`;
}
