import type { MechanismParams } from "./params.js";

export interface Requirements {
  minCompute: number;
  minStake: number;
}

/** What drives the requirements (mechanism.scalingSignal); forecast scales on the utilization index's trend. */
export type ScalingSignal = "utilization" | "backlog" | "load" | "forecast";

/** The largest proving load the load signal passes on: past it, more backlog adds nothing (and no compute is not infinite demand). */
export const LOAD_SIGNAL_CAP = 10;

/**
 * An epoch's demand signal: its arrivals against `reference`, the nominal transactions per epoch
 * (utilization, and forecast's base), or its arrivals plus the mempool at its close (backlog), 0
 * without a reference; or the proving load at its close (`load`, epochs of work outstanding for the
 * provers up; at most LOAD_SIGNAL_CAP).
 */
export function demandSignal(kind: ScalingSignal, arrived: number, mempoolTx: number, reference: number, load: number): number {
  if (kind === "load") return Math.min(LOAD_SIGNAL_CAP, load);
  if (!(reference > 0)) return 0;
  return kind === "backlog" ? (arrived + mempoolTx) / reference : arrived / reference;
}

/** Exponential smoothing of the demand signal into the demand index. */
export function smoothIndex(previous: number, signal: number, smoothing: number): number {
  return previous + smoothing * (signal - previous);
}

/** Linear trend forecast of the index `lead` epochs ahead from its last two values. */
export function forecastIndex(index: number, previousIndex: number, lead: number): number {
  return Math.max(0, index + (index - previousIndex) * lead);
}

/**
 * Dynamic requirements: one multiplicative step down under low demand and up under high demand;
 * between the thresholds one step back toward the base floor, never past it. Steps are capped per
 * epoch and kept within [floorRatio, ceilingRatio] x the base floor. Writes into `out`.
 */
export function scaleRequirements(current: Requirements, index: number, p: MechanismParams, out: Requirements): void {
  out.minCompute = step(current.minCompute, p.base.minComputeCores, index, p);
  out.minStake = step(current.minStake, p.base.minStakeUsd, index, p);
}

function step(value: number, base: number, index: number, p: MechanismParams): number {
  const cap = p.scaling.maxChangePerEpoch;
  const down = Math.max(1 / (1 + cap), p.scaling.downFactor);
  const up = Math.min(1 + cap, p.scaling.upFactor);
  let next = value;
  if (index < p.scaling.lowThreshold) next = value * down;
  else if (index > p.scaling.highThreshold) next = value * up;
  else if (value > base) next = Math.max(base, value * down);
  else if (value < base) next = Math.min(base, value * up);
  return clamp(next, base * p.scaling.floorRatio, base * p.scaling.ceilingRatio);
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
