import { z } from "zod";
import { nonNegative, share } from "../../src/config/schemaFields.js";
import { ACTION_NAMES, HONEST_ACTION_NAMES, type ActionName } from "./actionTable.js";

/** The one policy network shared by every archetype whose policy kind is `policy-network` (PPO). */
export const PolicyNetworkSchema = z
  .strictObject({
    file: z
      .string()
      .default("")
      .describe("A policy saved by `proverlab train` (its model.json), relative to the experiment file; empty: fresh seeded weights"),
    learn: z.boolean().default(true).describe("Keep training inside each episode (PPO); false runs the loaded policy frozen"),
    actions: z
      .array(z.enum(ACTION_NAMES as [ActionName, ...ActionName[]]))
      .min(1)
      .default([...HONEST_ACTION_NAMES])
      .describe("The discrete choices of the softmax head (default: the honest ones, agents/prover/actionTable.ts)"),
    hidden: z
      .array(z.int().min(1).max(1024))
      .min(1)
      .max(4)
      .default([32, 32])
      .describe("Hidden layer widths (units; ignored when a file gives the architecture)"),
    learningRate: z.number().gt(0).max(1).default(3e-3).describe("Adam learning rate"),
    updateEpochs: z.int().min(1).default(8).describe("Epochs of experience per PPO update"),
    passes: z.int().min(1).max(100).default(4).describe("Gradient passes over each update's batch"),
    clip: z.number().gt(0).lt(1).default(0.2).describe("PPO clip range of the probability ratio"),
    gamma: z.number().min(0).lt(1).default(0.5).describe("Discount per epoch"),
    lambda: share().default(0.9).describe("GAE lambda of the advantages"),
    entropyStart: nonNegative().default(0.02).describe("Weight of the entropy bonus at the start of training"),
    entropyEnd: nonNegative().default(0.002).describe("Weight of the entropy bonus after annealEpochs"),
    annealEpochs: z
      .int()
      .min(1)
      .default(100)
      .describe("Epochs of training over which the entropy bonus anneals linearly from start to end"),
    valueWeight: nonNegative().default(0.5).describe("Weight of the value loss"),
  })
  .prefault({})
  .describe("The one policy network (PPO) shared by every archetype whose policy kind is policy-network");

export type PolicyNetworkOptions = z.infer<typeof PolicyNetworkSchema>;
