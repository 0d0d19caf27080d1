import type { Observation, ProverActions } from "../../src/env/spaces.js";
import type { Stream } from "../../src/rng/streams.js";

/**
 * A prover policy decides every prover's actions for the next epoch from the observation.
 * Learners also receive each epoch's per-prover reward through `observe`.
 */
export interface ProverPolicy {
  readonly name: string;
  /** Starts an episode for n provers; learners draw their exploration from `stream`'s children. */
  reset(n: number, stream: Stream): void;
  act(observation: Observation, actions: ProverActions): void;
  observe?(reward: Float64Array, observation: Observation, done: boolean): void;
  /** Frees what the policy holds outside the JS heap (TensorFlow.js tensors). */
  dispose?(): void;
}
