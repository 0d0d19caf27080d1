import { z } from "zod";
import { ACTION_NAMES, type ActionName } from "./actionTable.js";
import { STATE_SIGNALS } from "./qlearning.js";
import { qLearningFields } from "./qlearningSchema.js";

/** How the provers of an archetype act once per epoch, by policy kind (agents/prover/byArchetype.ts). */
export const PolicySchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("always-on").describe("Always registered, full capacity, in every race") }),
  z.strictObject({
    kind: z
      .literal("myopic")
      .describe("Leaves after patienceEpochs epochs of profit below the threshold; rejoins when the network's profit per core would pay"),
    profitThresholdUsdPerEpoch: z.number().default(0).describe("Profit an epoch must reach to count as good (USD/epoch)"),
    patienceEpochs: z.int().min(1).default(6).describe("Consecutive epochs below the threshold before the prover leaves"),
  }),
  z.strictObject({
    kind: z
      .literal("q-learning")
      .describe("One Q-table per prover over its registration, eligibility and the demand level (docs/MODEL.md 12.1)"),
    ...qLearningFields({ gamma: 0.5, decayEpochs: 100 }),
    actions: z
      .array(z.enum(ACTION_NAMES as [ActionName, ...ActionName[]]))
      .min(1)
      .optional()
      .describe(
        "The discrete choices (default: the honest ones, agents/prover/actionTable.ts); withhold and snipe are adversarial (exploit audit)",
      ),
    stateSignals: z
      .array(z.enum(STATE_SIGNALS))
      .optional()
      .describe(
        "Binary signals added to the learner's state: emergency, backlog (mempool not empty), holding (own queue not empty), l1-spike (L1 cost above what the reward covers), agents (holds added agents)",
      ),
  }),
  z.strictObject({ kind: z.literal("policy-network").describe("The shared PPO policy network of provers.policyNetwork") }),
]);
