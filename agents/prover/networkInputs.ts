import { ownCores } from "./actionTable.js";
import { NF, PF, PROVER_FEATURES, type Observation } from "../../src/env/spaces.js";
import { signedLog } from "../../src/ml/signedLog.js";

/**
 * What the shared policy network reads for one prover: its own state, its type (compute, costs,
 * capital: the features that tell archetypes apart) and the public network signals, each scaled to
 * roughly [-1, 1]. USD amounts go through a signed log because they span six orders of magnitude.
 */
export const NETWORK_INPUTS = [
  "registered",
  "eligible",
  "capacity",
  "reputation",
  "onTimeRate",
  "stakeOverMinimum",
  "epochProfit",
  "epochRewards",
  "queueLength",
  "computeOverMinimum",
  "computeCores",
  "costPerCoreSecond",
  "fixedCostPerEpoch",
  "capital",
  "demandIndex",
  "backlogBlocks",
  "emergency",
  "gasGwei",
  "activeProvers",
  "profitPerCoreEpoch",
  "extraAgentsShare",
  "pendingAgentsShare",
  "agentCostPerEpoch",
  "freeCapital",
  "priceOverOwnCost",
  "profitMargin",
  "performanceBonusWeight",
  "stabilizationPoolShare",
  "raceCompensationShare",
  "stakeWeighted",
  "verifyCost",
  "verifyCostOverEstimate",
  "pooled",
] as const;

export const INPUTS = NETWORK_INPUTS.length;
const F = PROVER_FEATURES.length;

/** Writes prover i's inputs into out[offset .. offset + INPUTS). */
export function encodeInputs(obs: Observation, i: number, out: Float32Array, offset: number): void {
  const p = obs.prover;
  const b = i * F;
  const net = obs.network;
  const minCompute = net[NF.minComputeCores]!;
  const minStake = net[NF.minStakeUsd]!;
  const cores = p[b + PF.computeCores]!;
  out[offset] = p[b + PF.registered]!;
  out[offset + 1] = p[b + PF.eligible]!;
  out[offset + 2] = p[b + PF.capacity]!;
  out[offset + 3] = p[b + PF.reputation]!;
  out[offset + 4] = p[b + PF.onTimeRate]!;
  out[offset + 5] = minStake > 0 ? Math.min(4, p[b + PF.stakeUsd]! / minStake) / 4 : 1;
  out[offset + 6] = signedLog(p[b + PF.epochProfitUsd]!) / 5;
  out[offset + 7] = signedLog(p[b + PF.epochRewardsUsd]!) / 5;
  out[offset + 8] = Math.log1p(p[b + PF.queueLength]!) / 3;
  out[offset + 9] = minCompute > 0 ? Math.max(-4, Math.min(4, Math.log2(cores / minCompute))) / 4 : 1;
  out[offset + 10] = Math.log2(Math.max(1, cores)) / 16;
  out[offset + 11] = (Math.log10(p[b + PF.costUsdPerCoreSecond]! + 1e-9) + 5) / 2;
  out[offset + 12] = signedLog(p[b + PF.fixedCostUsdPerEpoch]!) / 5;
  out[offset + 13] = signedLog(p[b + PF.capitalUsd]!) / 15;
  out[offset + 14] = net[NF.demandIndex]! - 1;
  out[offset + 15] = Math.log1p(net[NF.backlogBlocks]!) / 3;
  out[offset + 16] = net[NF.emergency]!;
  out[offset + 17] = signedLog(net[NF.gasGwei]!) / 5;
  out[offset + 18] = net[NF.activeProvers]! / Math.max(1, obs.n);
  out[offset + 19] = signedLog(net[NF.profitUsdPerCoreEpoch]! * cores) / 5;
  const ownAgents = Math.max(1, ownCores(obs, i) / p[b + PF.agentCores]!);
  out[offset + 20] = Math.min(4, p[b + PF.extraAgents]! / ownAgents) / 4;
  out[offset + 21] = Math.min(4, p[b + PF.pendingAgents]! / ownAgents) / 4;
  out[offset + 22] = signedLog(p[b + PF.agentCostUsdPerEpoch]!) / 5;
  out[offset + 23] = signedLog(p[b + PF.freeCapitalUsd]!) / 15;
  const ownCost = p[b + PF.costUsdPerCoreSecond]!;
  out[offset + 24] = ownCost > 0 ? Math.max(-4, Math.min(4, Math.log2(net[NF.computePriceUsdPerCoreSecond]! / ownCost))) / 4 : 1;
  out[offset + 25] = net[NF.profitMargin]!;
  out[offset + 26] = net[NF.performanceBonusWeight]!;
  out[offset + 27] = net[NF.stabilizationPoolShare]!;
  out[offset + 28] = net[NF.raceCompensationShare]!;
  out[offset + 29] = net[NF.stakeWeighted]!;
  out[offset + 30] = signedLog(net[NF.verifyCostUsd]!) / 5;
  const estimate = net[NF.l1CostEstimateUsd]!;
  out[offset + 31] = estimate > 0 ? Math.max(-4, Math.min(4, Math.log2(net[NF.verifyCostUsd]! / estimate))) / 4 : 0;
  out[offset + 32] = p[b + PF.pooled]!;
}
