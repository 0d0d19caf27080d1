import { workerData } from "piscina";
import { runAuditArm, type AuditArmTask, type EpisodeOutcome } from "../audit/audit.js";
import { prepareBundleBackend } from "./bundle.js";
import { BundleVariants } from "./bundleVariants.js";
import { runEvaluationTask, type EvaluationTask, type TaskResult } from "./evaluationTask.js";

const { experimentPath, sets } = workerData as { experimentPath: string; sets: string[] };
const bundles = new BundleVariants(experimentPath, sets);
await prepareBundleBackend(bundles.base);

/** One evaluation in a worker thread. */
export default function evaluateTask(task: EvaluationTask): Promise<TaskResult> {
  return runEvaluationTask(bundles.get(task.variant), task);
}

/** One arm of the exploit audit in a worker thread. */
export function auditArm(task: AuditArmTask): EpisodeOutcome[] {
  return runAuditArm(bundles.base, task);
}
