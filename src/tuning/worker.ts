import { runAuditArm, type AuditArmTask, type EpisodeOutcome } from "../audit/audit.js";
import { prepareBundleBackend } from "./bundle.js";
import { BundleVariants, kept } from "./bundleVariants.js";
import { runEvaluationTask, type EvaluationTask, type TaskResult } from "./evaluationTask.js";
import type { PoolExperiment } from "./executor.js";

/** Experiments this thread has loaded, by file and overrides (a study's steps send several); the last KEEP kept. */
const experiments = new Map<string, BundleVariants>();
const KEEP = 8;

function bundlesOf({ path, sets }: PoolExperiment): BundleVariants {
  return kept(experiments, JSON.stringify([path, sets]), KEEP, () => new BundleVariants(path, sets));
}

/** One evaluation in a worker thread. */
export default function evaluateTask({ experiment, task }: { experiment: PoolExperiment; task: EvaluationTask }): Promise<TaskResult> {
  return runEvaluationTask(bundlesOf(experiment).get(task.variant), task);
}

/** One arm of the exploit audit in a worker thread. */
export async function auditArm({ experiment, task }: { experiment: PoolExperiment; task: AuditArmTask }): Promise<EpisodeOutcome[]> {
  const bundle = bundlesOf(experiment).base;
  await prepareBundleBackend(bundle);
  return runAuditArm(bundle, task);
}
