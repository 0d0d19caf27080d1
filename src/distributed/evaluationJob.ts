import { UnrecoverableError } from "bullmq";
import { bundleFromData, prepareBundleBackend, type Bundle } from "../tuning/bundle.js";
import { evaluateCalibration } from "../tuning/evaluate.js";
import { checkBundleData, checkJob, encodeJson, PayloadError } from "./payload.js";

/** Bundles this thread has loaded, by hash: a worker loads an experiment once and keeps it. */
const loaded = new Map<string, Bundle>();
const KEEP = 4;

async function bundleOf(hash: string, data: string): Promise<Bundle> {
  const known = loaded.get(hash);
  if (known) return known;
  const bundle = bundleFromData(checkBundleData(data), `bundle ${hash.slice(0, 12)}`);
  await prepareBundleBackend(bundle);
  if (loaded.size >= KEEP) loaded.delete(loaded.keys().next().value!);
  loaded.set(hash, bundle);
  return bundle;
}

/**
 * A BullMQ sandboxed processor (`proverlab worker` runs it in worker threads, so the worker's main
 * thread keeps renewing the job's lock while an evaluation runs): one candidate evaluation. A payload
 * that fails validation is refused as unrecoverable, never retried.
 */
export default async function evaluationJob(job: { data: unknown }): Promise<string> {
  try {
    const { bundle, task } = checkJob(job.data);
    const b = await bundleOf(bundle.hash, bundle.data);
    return encodeJson(evaluateCalibration(b, task.params, task.split, task.seeds));
  } catch (err) {
    if (err instanceof PayloadError) throw new UnrecoverableError(err.message);
    throw err;
  }
}
