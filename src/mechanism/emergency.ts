import type { MechanismParams } from "./params.js";

export interface EmergencySignals {
  /** Outstanding proof work over what available provers can do in one epoch. */
  load: number;
  /** Share of eligible provers that are online. */
  online: number;
  /** Forecast demand index. */
  forecast: number;
}

/**
 * Load: the work outstanding (jobs not yet proven, and the mempool's transactions at their work each)
 * over what the eligible provers that are up prove in one epoch, in epochs of work. Infinity with
 * work and no compute; 0 with neither.
 */
export function loadSignal(outstandingWork: number, mempoolTx: number, workPerTx: number, computeUp: number, epochSeconds: number): number {
  const work = outstandingWork + mempoolTx * workPerTx;
  return computeUp > 0 ? work / (computeUp * epochSeconds) : work > 0 ? Infinity : 0;
}

/** Share of the eligible provers that are up (0 with none eligible). */
export function onlineShare(up: number, eligible: number): number {
  return eligible > 0 ? up / eligible : 0;
}

/**
 * Load at or above the threshold: a trigger of escalation, and what makes an emergency a real one
 * rather than a false alarm (at its activation or at an epoch close during it, docs/MODEL.md 9.4).
 */
export function isOverloaded(s: EmergencySignals, p: MechanismParams): boolean {
  return s.load >= p.emergency.loadThreshold;
}

/** On a failed job: escalate to emergency mode (racing) or just reassign. */
export function escalateOnFailure(s: EmergencySignals, p: MechanismParams): boolean {
  return isOverloaded(s, p) || s.online < p.emergency.minOnlineShare;
}

/** Pre-emptive activation on forecast congestion. */
export function preemptiveTrigger(s: EmergencySignals, p: MechanismParams): boolean {
  return s.forecast >= p.emergency.preemptiveThreshold;
}

/** Emergency has lasted its minimum duration: base-2023's exit, and the first condition of the proposal's. */
export function minDurationServed(epochsActive: number, p: MechanismParams): boolean {
  return epochsActive >= p.emergency.minDurationEpochs;
}

/**
 * Exit once every trigger is clear by the hysteresis margin and the minimum duration has passed:
 * load and forecast below h x their thresholds, and the offline share (1 - online) at most h x the
 * offline share that escalates (1 - minOnlineShare). With h = 1 the exit band is the triggers' complement.
 */
export function mayExit(s: EmergencySignals, epochsActive: number, p: MechanismParams): boolean {
  if (!minDurationServed(epochsActive, p)) return false;
  const h = p.emergency.hysteresis;
  return (
    s.load < p.emergency.loadThreshold * h &&
    s.forecast < p.emergency.preemptiveThreshold * h &&
    1 - s.online <= (1 - p.emergency.minOnlineShare) * h
  );
}
