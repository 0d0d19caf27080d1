import type * as TF from "@tensorflow/tfjs";
import { ConfigError } from "../config/errors.js";
import type { Experiment } from "../config/schema.js";

export type Tensorflow = typeof TF;

/** Which TensorFlow.js backend runs the policy networks; `auto` takes the native one when it installed. */
export const BACKEND_CHOICES = ["auto", "native", "wasm", "cpu"] as const;
export const BACKEND_ENV = "PROVERLAB_TF_BACKEND";

let loaded: { tf: Tensorflow; backend: string } | null = null;

/**
 * Loads TensorFlow.js once per thread, on demand (the import alone costs ~0.3 s, so runs without a
 * policy network never pay it). The choice comes from PROVERLAB_TF_BACKEND; every worker thread
 * reads the same variable, so all of a run's threads use the same backend.
 */
export async function initTensorflow(choice: string = process.env[BACKEND_ENV] ?? "auto"): Promise<string> {
  if (!(BACKEND_CHOICES as readonly string[]).includes(choice)) {
    throw new ConfigError(BACKEND_ENV, `'${choice}' is not a backend; use one of ${BACKEND_CHOICES.join(", ")}`);
  }
  if (loaded) return loaded.backend;
  let tf: Tensorflow;
  let backend: string;
  const native = choice === "auto" || choice === "native" ? await importNative() : null;
  if (native) {
    tf = native;
    backend = "tensorflow";
  } else if (choice === "native") {
    throw new ConfigError(BACKEND_ENV, "the native backend (@tensorflow/tfjs-node) is not installed; use wasm or auto");
  } else {
    tf = await import("@tensorflow/tfjs");
    if (choice !== "cpu") await import("@tensorflow/tfjs-backend-wasm");
    backend = choice === "cpu" ? "cpu" : "wasm";
  }
  // Production mode: no per-op debug checks, and no console advice to install tfjs-node (the backend is chosen here).
  tf.enableProdMode();
  if (!(await tf.setBackend(backend))) throw new ConfigError(BACKEND_ENV, `the ${backend} backend failed to start; try cpu`);
  await tf.ready();
  loaded = { tf, backend };
  return backend;
}

async function importNative(): Promise<Tensorflow | null> {
  try {
    // A package name in a variable: the optional dependency is absent from the type graph when it did not install.
    const name = "@tensorflow/tfjs-node";
    return (await import(name)) as Tensorflow;
  } catch {
    return null;
  }
}

/** The backend this thread loaded, or null when no policy network needed TensorFlow.js. */
export function loadedBackend(): string | null {
  return loaded?.backend ?? null;
}

/** The loaded TensorFlow.js; policy networks call it synchronously once `initTensorflow` has run. */
export function tensorflow(): Tensorflow {
  if (!loaded) throw new Error("TensorFlow.js is not loaded: await initTensorflow() before building a policy network");
  return loaded.tf;
}

export function usesPolicyNetwork(exp: Experiment): boolean {
  return exp.provers.archetypes.some((a) => a.policy.kind === "policy-network" && a.count > 0);
}

/** Loads TensorFlow.js when any of the experiments has policy-network provers; returns the backend, or null. */
export async function prepareBackend(experiments: readonly Experiment[]): Promise<string | null> {
  return experiments.some(usesPolicyNetwork) ? initTensorflow() : null;
}
