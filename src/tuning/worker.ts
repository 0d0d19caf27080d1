import { workerData } from "piscina";
import { runAuditArm, type AuditArmTask, type EpisodeOutcome } from "../audit/audit.js";
import { loadBundle, prepareBundleBackend } from "./bundle.js";
import { evaluateCalibration, type Evaluation } from "./evaluate.js";
import type { EvaluationTask } from "./executor.js";

const { experimentPath, sets } = workerData as { experimentPath: string; sets: string[] };
const bundle = loadBundle(experimentPath, sets);
await prepareBundleBackend(bundle);

/** One candidate evaluation in a worker thread. */
export default function evaluateTask(task: EvaluationTask): Evaluation {
  return evaluateCalibration(bundle, task.params, task.split, task.seeds);
}

/** One arm of the exploit audit in a worker thread. */
export function auditArm(task: AuditArmTask): EpisodeOutcome[] {
  return runAuditArm(bundle, task);
}
