import { UnrecoverableError } from "bullmq";
import { runAuditArm } from "../audit/audit.js";
import { bundleFromData, prepareBundleBackend, type Bundle } from "../tuning/bundle.js";
import { kept } from "../tuning/bundleVariants.js";
import { runEvaluationTask } from "../tuning/evaluationTask.js";
import { checkBundleData, checkJob, encodeJson, PayloadError } from "./payload.js";

/** Bundles this thread has loaded, by hash: a worker loads an experiment once and keeps it (the last KEEP). */
const loaded = new Map<string, Bundle>();
const KEEP = 8;

async function bundleOf(hash: string, data: string): Promise<Bundle> {
  const bundle = kept(loaded, hash, KEEP, () => bundleFromData(checkBundleData(data), `bundle ${hash.slice(0, 12)}`));
  await prepareBundleBackend(bundle);
  return bundle;
}

/**
 * A BullMQ sandboxed processor (`proverlab worker` runs it in worker threads, so the worker's main
 * thread keeps renewing the job's lock while a task runs): an evaluation (a candidate, a compared
 * policy, a controller's checkpoint) or an audit arm, by the job's name. A payload that fails validation is refused as unrecoverable, never retried.
 */
export default async function evaluationJob(job: { name: string; data: unknown }): Promise<string> {
  try {
    const payload = checkJob(job.name, job.data);
    const b = await bundleOf(payload.bundle.hash, payload.bundle.data);
    if (payload.kind === "auditArm") return encodeJson(runAuditArm(b, payload.task));
    return encodeJson(await runEvaluationTask(b, payload.task));
  } catch (err) {
    if (err instanceof PayloadError) throw new UnrecoverableError(err.message);
    throw err;
  }
}
