import { z } from "zod";
import { TUNER_KINDS } from "../../agents/governance/tuner.js";
import { MAX_SEEDS } from "../config/schemaFields.js";

/** The search of `proverlab tune`. */
export const TuneSchema = z
  .strictObject({
    params: z
      .array(z.string().min(1))
      .min(1)
      .default(["scaling", "rewards", "emergency", "batching"])
      .describe(
        "Parameters tune searches: names or whole groups (base, scaling, rewards, emergency, batching); 'proverlab params' lists them",
      ),
    tuner: z.enum(TUNER_KINDS).default("cmaes").describe("Search strategy: cmaes, cross-entropy, random or lhs (Latin hypercube)"),
    budget: z.int().min(1).max(1_000_000).default(100).describe("Candidate evaluations, trial 0 (the experiment's own values) included"),
    batch: z.int().min(2).max(10_000).optional().describe("Candidates per generation; default: the tuner's own (CMA-ES: 4 + 3 ln d)"),
    sigma0: z
      .number()
      .gt(0)
      .max(1)
      .optional()
      .describe(
        "First step of CMA-ES and cross-entropy around the experiment's values, a share of each parameter's range in its own scale (default 0.25 and 0.3): small refines, large explores",
      ),
    seeds: z
      .strictObject({
        train: z.int().min(1).max(MAX_SEEDS).default(3).describe("Episodes per training scenario on which every candidate is scored"),
        validation: z
          .int()
          .min(1)
          .max(MAX_SEEDS)
          .default(4)
          .describe("Episodes per training scenario on which the finalists are scored again, on seeds of their own"),
        heldOut: z
          .int()
          .min(1)
          .max(MAX_SEEDS)
          .default(5)
          .describe("Episodes per held-out scenario for the recommendation, the defaults and the presets"),
      })
      .prefault({})
      .describe("Episodes per scenario on each split (common random numbers: every candidate sees the same draws)"),
    finalists: z
      .int()
      .min(1)
      .max(1000)
      .default(8)
      .describe(
        "The best trials by training score, and trial 0, scored again on the validation seeds; the recommendation is chosen among them by that score, so a trial first by the luck of its training episodes does not win on it",
      ),
    aggregate: z
      .enum(["mean", "worst", "cvar"])
      .default("mean")
      .describe(
        "How a split's scenarios make its score: mean (the KPIs pooled over every episode), worst (the lowest scenario score) or cvar (the mean of the lowest cvarAlpha share); with worst and cvar every scenario meets the constraints on its own",
      ),
    cvarAlpha: z.number().gt(0).max(1).default(0.5).describe("Share of the worst scenario scores cvar averages"),
  })
  .prefault({})
  .describe("The calibration search (proverlab tune)");
