import { createHash } from "node:crypto";
import { z } from "zod";
import { validateExperiment } from "../config/load.js";
import type { Experiment } from "../config/schema.js";
import type { BundleData } from "../tuning/bundle.js";
import type { EvaluationTask } from "../tuning/executor.js";

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

/** One evaluation as a job: the bundle it runs on and the task. */
export interface JobPayload {
  readonly bundle: BundlePayload;
  readonly task: EvaluationTask;
}

const TaskSchema = z
  .object({
    params: z.record(z.string(), z.number().finite()),
    split: z.enum(["train", "heldOut", "validation"]),
    seeds: z.number().int().min(1).max(100_000),
  })
  .strict();

const JobSchema = z
  .object({
    bundle: z
      .object({
        hash: z.string().regex(/^[0-9a-f]{64}$/),
        data: z.string().max(64 * 1024 * 1024),
      })
      .strict(),
    task: TaskSchema,
  })
  .strict();

const ScenarioSchema = z.object({ name: z.string().min(1), experiment: z.unknown() }).strict();
const BundleDataSchema = z
  .object({ experiment: z.unknown(), train: z.array(ScenarioSchema).min(1), heldOut: z.array(ScenarioSchema).min(1) })
  .strict();

/** A job a worker refuses: its payload is not one a coordinator writes. */
export class PayloadError extends Error {
  override readonly name = "PayloadError";
}

/** The job's payload checked: its shape, then that its bundle text is the one its hash names. */
export function checkJob(data: unknown): JobPayload {
  const job = JobSchema.safeParse(data);
  if (!job.success) throw new PayloadError(`job payload refused: ${describe(job.error)}`);
  if (sha256(job.data.bundle.data) !== job.data.bundle.hash)
    throw new PayloadError("job payload refused: the bundle's text does not match its hash");
  return job.data;
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
