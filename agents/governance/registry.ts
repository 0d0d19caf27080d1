import { Stream } from "../../src/rng/streams.js";
import { BatchSampler } from "./base.js";
import { Cmaes } from "./cmaes.js";
import { CrossEntropy } from "./crossEntropy.js";
import { LatinHypercube } from "./latinHypercube.js";
import { RandomSearch } from "./randomSearch.js";
import type { Tuner, TunerKind, TunerState } from "./tuner.js";

export { TUNER_KINDS } from "./tuner.js";

export interface TunerOptions {
  /** Points per generation (lambda for CMA-ES, the population for cross-entropy). */
  batch?: number;
  /** Starting point in the unit cube (CMA-ES and cross-entropy), e.g. the proposal's defaults. */
  initial?: readonly number[];
  /** First step size around it in the unit cube (CMA-ES's sigma, cross-entropy's standard deviation). */
  sigma0?: number;
}

export function createTuner(kind: TunerKind, dim: number, rng: Stream, o: TunerOptions = {}): Tuner {
  switch (kind) {
    case "cmaes":
      return new Cmaes(dim, rng, {
        ...(o.batch ? { population: o.batch } : {}),
        ...(o.sigma0 ? { initialSigma: o.sigma0 } : {}),
        initialMean: o.initial ?? null,
      });
    case "cross-entropy":
      return new CrossEntropy(dim, rng, {
        ...(o.batch ? { population: o.batch } : {}),
        ...(o.sigma0 ? { initialStd: o.sigma0 } : {}),
        initialMean: o.initial ?? null,
      });
    case "random":
      return new RandomSearch(dim, rng, o.batch);
    case "lhs":
      return new LatinHypercube(dim, rng, o.batch);
  }
}

/** A tuner continued exactly from a saved state (the `--resume` path). */
export function restoreTuner(state: TunerState): Tuner {
  const rng = Stream.restore(state.rng.path, state.rng.state);
  switch (state.kind) {
    case "cmaes":
      return Cmaes.restore(state, rng);
    case "cross-entropy":
      return CrossEntropy.restore(state, rng);
    case "random":
      return new RandomSearch(state.dim, rng, BatchSampler.batchOf(state)).resumeFrom(state);
    case "lhs":
      return new LatinHypercube(state.dim, rng, BatchSampler.batchOf(state)).resumeFrom(state);
  }
}
