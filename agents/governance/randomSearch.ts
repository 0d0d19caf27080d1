import { BatchSampler } from "./base.js";

/** Baseline: independent uniform points of the unit cube, `batch` per generation. */
export class RandomSearch extends BatchSampler {
  readonly kind = "random" as const;

  ask(): number[][] {
    return Array.from({ length: this.batch }, () => Array.from({ length: this.dim }, () => this.rng.uniform()));
  }
}
