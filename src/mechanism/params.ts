import type { ParamValues } from "../config/paramSpace.js";

/** The parameter vector as typed groups, read once per episode so the hot path has no string look-ups. */
export interface MechanismParams {
  base: {
    minComputeCores: number;
    minStakeUsd: number;
    topFraction: number;
    stakeWeighted: number;
    reputationAlpha: number;
    reputationUptimeWeight: number;
    slashFraction: number;
    unbondingHours: number;
    maxQueuePerProver: number;
    identityFeeUsdPerEpoch: number;
  };
  scaling: {
    smoothing: number;
    lowThreshold: number;
    highThreshold: number;
    downFactor: number;
    upFactor: number;
    maxChangePerEpoch: number;
    floorRatio: number;
    ceilingRatio: number;
    graceEpochs: number;
    forecastLeadEpochs: number;
  };
  rewards: {
    computePriceUsdPerCoreSecond: number;
    profitMargin: number;
    l1CostSmoothingHours: number;
    performanceBonusWeight: number;
    performanceSpeedRatio: number;
    performanceWindowEpochs: number;
    consistencyGate: number;
    stabilizationPoolShare: number;
    raceCompensationShare: number;
  };
  emergency: {
    loadThreshold: number;
    minOnlineShare: number;
    preemptiveThreshold: number;
    hysteresis: number;
    minDurationEpochs: number;
    raceWidth: number;
  };
  batching: {
    minSize: number;
    maxSize: number;
    slope: number;
    congestionThreshold: number;
    maxWaitSlots: number;
  };
}

export function toMechanismParams(values: ParamValues): MechanismParams {
  const nested: Record<string, Record<string, number>> = {};
  for (const [name, value] of Object.entries(values)) {
    const [group, key] = name.split(".") as [string, string];
    (nested[group] ??= {})[key] = value;
  }
  return nested as unknown as MechanismParams;
}
