import { clamp } from "./scaling.js";
import type { MechanismParams } from "./params.js";

/**
 * The pressure batching answers (mechanism.batchSignal), in blocks: the backlog, or the backlog plus
 * one block for each doubling of the gas price over its base (backlogAndGas). Verification is paid
 * once per batch, so when it is dear a batch saves more, even without a backlog.
 */
export function batchPressure(backlogBlocks: number, gasOverBase: number, signal: "backlog" | "backlogAndGas"): number {
  return signal === "backlogAndGas" && gasOverBase > 1 ? backlogBlocks + Math.log2(gasOverBase) : backlogBlocks;
}

/** Whether the backlog (mempool in blocks of capacity, plus blocks waiting for a prover) counts as congestion. */
export function isCongested(backlogBlocks: number, p: MechanismParams): boolean {
  return backlogBlocks >= p.batching.congestionThreshold;
}

/** Whether a new block joins a batch: always in emergency, otherwise under congestion. */
export function batchingOn(inEmergency: boolean, backlogBlocks: number, p: MechanismParams): boolean {
  return inEmergency || isCongested(backlogBlocks, p);
}

/** Whether the open batch is sealed once a block joined it: it holds its adaptive size, or it has been open maxWaitSlots slots. */
export function sealsBatch(size: number, backlogBlocks: number, openSeconds: number, slotSeconds: number, p: MechanismParams): boolean {
  return size >= batchSize(backlogBlocks, true, p) || openSeconds >= p.batching.maxWaitSlots * slotSeconds;
}

/**
 * Whether a batch's proven front is verified now, at a slot's end `t`: its oldest block's deadline is
 * at most one slot away and the batch is not scheduled to be verified by then.
 */
export function needsRescue(t: number, slotSeconds: number, oldestDeadline: number, verifyAt: number): boolean {
  return verifyAt > oldestDeadline && t + slotSeconds >= oldestDeadline;
}

/** Adaptive batch size: 1 in normal operation; when batching, b = clamp(bMin + slope x backlog in blocks). */
export function batchSize(backlogBlocks: number, batchingOn: boolean, p: MechanismParams): number {
  if (!batchingOn) return 1;
  const b = p.batching.minSize + p.batching.slope * backlogBlocks;
  return Math.round(clamp(b, p.batching.minSize, p.batching.maxSize));
}

/** Work of aggregating b block proofs into one (core-seconds): b - 1 two-to-one merges. */
export function aggregationWork(blocks: number, workPerMerge: number): number {
  return workPerMerge * Math.max(0, blocks - 1);
}

/** Latency of aggregating b proofs: ceil(log2 b) levels of merges, run in parallel within a level. */
export function aggregationLatency(blocks: number, secondsPerLevel: number): number {
  return secondsPerLevel * Math.ceil(Math.log2(Math.max(1, blocks)));
}
