import { z } from "zod";
import { qLearningFields } from "../../agents/prover/qlearningSchema.js";
import { MAX_SEEDS } from "../config/schemaFields.js";
import { AUDIT_STRATEGIES } from "./strategies.js";

/** The exploit audit (`proverlab audit`, and `tune` on its recommendation): docs/MODEL.md, section 19. */
export const AuditSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe("`tune` audits its recommendation after the held-out scoring"),
    strategies: z
      .array(z.enum(AUDIT_STRATEGIES))
      .min(1)
      .default([...AUDIT_STRATEGIES])
      .describe("Strategies audited: withhold (accept, never prove), snipe (take races only), split (one operator as several identities)"),
    alone: z.boolean().default(true).describe("Audit one attacking prover (a copy of `attacker`)"),
    coalitionShares: z
      .array(z.number().gt(0).lt(1))
      .default([0.1])
      .describe("Coalitions of copies of `attacker`, each holding this share of the total compute (attackers included)"),
    attacker: z
      .string()
      .default("")
      .describe("Archetype the attackers copy (compute, costs, capital, outages); empty: the archetype of the median prover by compute"),
    identities: z
      .int()
      .min(2)
      .max(64)
      .default(4)
      .describe("Identities `split` divides the attackers' compute into (fewer if base.minComputeCores allows fewer)"),
    seeds: z.int().min(2).max(MAX_SEEDS).default(16).describe("Paired episodes per scenario (held-out scenarios, seeds of their own)"),
    candidates: z
      .int()
      .min(1)
      .max(100)
      .default(3)
      .describe("`tune` audits its best finalists in validation-score order, at most this many, and recommends the first with no exploit"),
    warmupEpochs: z.int().min(0).optional().describe("Profits and KPIs are taken after this many epochs; default objective.warmupEpochs"),
    learner: z
      .strictObject(qLearningFields({ gamma: 0.8, decayEpochs: 40 }))
      .prefault({})
      .describe(
        "The attackers' Q-learning; the honest arm's seats learn with the same settings. Far-sighted by default (gamma 0.8): a withheld proof misses at its deadline, and what follows comes epochs later",
      ),
  })
  .prefault({});

export type AuditOptions = z.infer<typeof AuditSchema>;
