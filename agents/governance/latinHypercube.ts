import { BatchSampler } from "./base.js";

/**
 * Baseline: each generation is a Latin hypercube of `batch` points — along every axis, exactly one
 * point falls in each of the `batch` equal strata, at a uniform position inside it.
 */
export class LatinHypercube extends BatchSampler {
  readonly kind = "lhs" as const;

  ask(): number[][] {
    const n = this.batch;
    const points = Array.from({ length: n }, () => new Array<number>(this.dim).fill(0));
    const order = Array.from({ length: n }, (_, i) => i);
    for (let d = 0; d < this.dim; d++) {
      for (let i = n - 1; i > 0; i--) {
        const j = this.rng.int(i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (let i = 0; i < n; i++) points[i]![d] = (order[i]! + this.rng.uniform()) / n;
    }
    return points;
  }
}
