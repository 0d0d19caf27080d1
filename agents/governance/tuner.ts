import type { StreamState } from "../../src/rng/streams.js";

/** A point of the unit cube [0, 1]^d and its score (higher is better). */
export interface Scored {
  readonly point: readonly number[];
  readonly score: number;
}

/** Everything needed to continue a tuner exactly where it stopped: JSON-serialisable. */
export interface TunerState {
  readonly kind: TunerKind;
  readonly dim: number;
  readonly rng: { readonly path: string; readonly state: StreamState };
  readonly best: Scored | null;
  readonly data: unknown;
}

/**
 * A calibration search strategy, in the ask/tell style: `ask` proposes a batch of points in the
 * unit cube (a generation), `tell` reports their scores in the same order. Scores are maximised;
 * an infeasible candidate gets a score below every feasible one (the caller's objective decides).
 */
export interface Tuner {
  readonly kind: TunerKind;
  readonly dim: number;
  ask(): number[][];
  tell(points: readonly (readonly number[])[], scores: readonly number[]): void;
  best(): Scored | null;
  state(): TunerState;
}

export const TUNER_KINDS = ["cmaes", "random", "lhs", "cross-entropy"] as const;
export type TunerKind = (typeof TUNER_KINDS)[number];
