import { z } from "zod";
import { share } from "../../src/config/schemaFields.js";
import { FIRST_TRIES } from "./qlearning.js";

/** A Q-learner's settings (QLearningOptions), with the defaults that differ between the provers' and the audit's learners. */
export function qLearningFields(defaults: { gamma: number; decayEpochs: number }) {
  return {
    alpha: z.number().gt(0).max(1).default(0.1).describe("Learning rate: the step is max(alpha, 1 / visits)"),
    gamma: z.number().min(0).lt(1).default(defaults.gamma).describe("Discount per epoch"),
    epsilonStart: share().default(0.5).describe("Exploration rate (share of random choices) at the start"),
    epsilonEnd: share().default(0.02).describe("Exploration rate after decayEpochs"),
    decayEpochs: z
      .int()
      .min(1)
      .default(defaults.decayEpochs)
      .describe("Epochs over which exploration falls linearly from epsilonStart to epsilonEnd"),
    firstTries: z
      .enum(FIRST_TRIES)
      .default("shuffled")
      .describe(
        "Order of the first try of each action in a state: shuffled (each prover its own draw) or in-order (table order; all provers meeting a state together try leave first, in lockstep)",
      ),
  };
}
