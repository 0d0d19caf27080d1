import { z } from "zod";
import { WINDOW_KPIS } from "../env/windowKpis.js";

const KpiName = z.enum(WINDOW_KPIS);

/** The default objective's weights: user delay and cost, decentralisation and participation (liveness is a constraint). */
const DEFAULT_WEIGHTS = {
  txDelayMeanS: -0.01,
  costPerServedTxUsd: -20,
  nakamotoProofsMean: 1,
  activeProversMean: 0.2,
} as const;

/** What a calibration is scored by: the objective's weights and constraints over the window KPIs. */
export const ObjectiveSchema = z
  .strictObject({
    // Weights are bounded so that a weighted sum of finite KPIs stays finite.
    weights: z
      .partialRecord(KpiName, z.number().min(-1e6).max(1e6))
      .default({ ...DEFAULT_WEIGHTS })
      .describe(
        "score = sum of weight x KPI (KPIs averaged over episodes, after the warm-up; KPI name -> weight, negative for a KPI to lower). The default values what the proposal is for, at exchange rates of 100 s of mean transaction delay = 0.05 USD per served transaction = one prover more in the Nakamoto coefficient of proofs = five active provers more (docs/MODEL.md 20.4)",
      ),
    constraints: z
      .array(
        z.strictObject({
          kpi: KpiName.describe("The KPI constrained"),
          min: z.number().optional().describe("Lowest value allowed (the KPI's unit)"),
          max: z.number().optional().describe("Highest value allowed (the KPI's unit)"),
        }),
      )
      .default([{ kpi: "liveness", min: 0.999 }])
      .describe("Hard constraints: a calibration that misses one is infeasible"),
    warmupEpochs: z.int().min(0).default(0).describe("Epochs at the episode start left out of the KPIs (learners settling)"),
  })
  .prefault({})
  .describe("What a calibration is scored by: weighted KPIs under constraints (docs/MODEL.md 20.4)");
