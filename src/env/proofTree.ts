import { normalQuantile } from "./stats.js";

/**
 * A block's proof as Aztec makes it (docs/MODEL.md section 3): a tree of circuits whose leaves (the
 * per-transaction circuits) run in parallel on an operator's prover agents. Its work spreads over the
 * operator's cores; its depth, times the time of one circuit, is a critical path no core count shortens.
 */

/** Proving work of a block (core-seconds): a fixed part (block root, merges) and a part per transaction. */
export function blockWork(txCount: number, baseWork: number, workPerTx: number): number {
  return baseWork + workPerTx * txCount;
}

/** Levels of a block's proof tree: per-transaction circuits, log2(tx) 2-to-1 merges, the block's own levels. */
export function treeDepth(txCount: number, txLevels: number, blockLevels: number): number {
  return txLevels + Math.ceil(Math.log2(Math.max(1, txCount))) + blockLevels;
}

/**
 * The q-quantile of a prover's proof-time factor (mean 1): lognormal with its sigma, or exponential.
 * A prover accepts a job only if it would finish before the deadline at this speed.
 */
export function acceptFactor(noise: "lognormal" | "exponential", sigma: number, q: number): number {
  if (noise === "exponential") return -Math.log(1 - q);
  return Math.exp(normalQuantile(q) * sigma - 0.5 * sigma * sigma);
}
