import type { MechanismParams } from "./params.js";

export interface EmergencySignals {
  /** Outstanding proof work over what available provers can do in one epoch. */
  load: number;
  /** Share of eligible provers that are online. */
  online: number;
  /** Forecast demand index. */
  forecast: number;
}

/** On a failed job: escalate to emergency mode (racing) or just reassign. */
export function escalateOnFailure(s: EmergencySignals, p: MechanismParams): boolean {
  return s.load >= p.emergency.loadThreshold || s.online < p.emergency.minOnlineShare;
}

/** Pre-emptive activation on forecast congestion. */
export function preemptiveTrigger(s: EmergencySignals, p: MechanismParams): boolean {
  return s.forecast >= p.emergency.preemptiveThreshold;
}

/**
 * Exit once every trigger is clear by the hysteresis margin and the minimum duration has passed:
 * load and forecast below h x their thresholds, and the offline share (1 - online) at most h x the
 * offline share that escalates (1 - minOnlineShare). With h = 1 the exit band is the triggers' complement.
 */
export function mayExit(s: EmergencySignals, epochsActive: number, p: MechanismParams): boolean {
  if (epochsActive < p.emergency.minDurationEpochs) return false;
  const h = p.emergency.hysteresis;
  return (
    s.load < p.emergency.loadThreshold * h &&
    s.forecast < p.emergency.preemptiveThreshold * h &&
    1 - s.online <= (1 - p.emergency.minOnlineShare) * h
  );
}
