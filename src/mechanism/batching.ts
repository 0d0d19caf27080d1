import { clamp } from "./scaling.js";
import type { MechanismParams } from "./params.js";

/** Whether the mempool backlog (in blocks of capacity) counts as congestion. */
export function isCongested(backlogTx: number, blockCapacity: number, p: MechanismParams): boolean {
  return backlogTx / blockCapacity >= p.batching.congestionThreshold;
}

/** Adaptive batch size: 1 in normal operation; under congestion b = clamp(bMin + slope x backlog / capacity). */
export function batchSize(backlogTx: number, blockCapacity: number, batchingOn: boolean, p: MechanismParams): number {
  if (!batchingOn) return 1;
  const b = p.batching.minSize + (p.batching.slope * backlogTx) / blockCapacity;
  return Math.round(clamp(b, p.batching.minSize, p.batching.maxSize));
}

/** Proving work of a batch: one fixed overhead, the per-tx work, and one aggregation step per extra block. */
export function batchWork(blocks: number, txCount: number, baseWork: number, workPerTx: number, aggregationWork: number): number {
  return baseWork + workPerTx * txCount + aggregationWork * (blocks - 1);
}
