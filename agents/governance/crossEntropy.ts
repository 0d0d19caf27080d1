import type { Stream } from "../../src/rng/streams.js";
import { clamp01, rankDescending, TunerBase } from "./base.js";
import type { TunerState } from "./tuner.js";

export interface CrossEntropyOptions {
  population: number;
  eliteFraction: number;
  /** Weight of the elite statistics in each update (1 - smoothing). */
  learningRate: number;
  initialMean: readonly number[] | null;
  initialStd: number;
}

interface CrossEntropyData {
  options: CrossEntropyOptions;
  mean: number[];
  std: number[];
}

/**
 * Baseline: the cross-entropy method with a diagonal Gaussian over the unit cube. Each generation
 * samples `population` points (clipped to the cube); the mean and spread move towards those of the
 * elite fraction.
 */
export class CrossEntropy extends TunerBase {
  readonly kind = "cross-entropy" as const;
  private readonly options: CrossEntropyOptions;
  private mean: number[];
  private std: number[];

  constructor(dim: number, rng: Stream, options: Partial<CrossEntropyOptions> = {}) {
    super(dim, rng);
    this.options = { population: 40, eliteFraction: 0.25, learningRate: 0.5, initialMean: null, initialStd: 0.3, ...options };
    this.mean = this.options.initialMean ? [...this.options.initialMean] : new Array<number>(dim).fill(0.5);
    this.std = new Array<number>(dim).fill(this.options.initialStd);
  }

  static restore(s: TunerState, rng: Stream): CrossEntropy {
    const d = s.data as CrossEntropyData;
    const t = new CrossEntropy(s.dim, rng, d.options);
    t.mean = [...d.mean];
    t.std = [...d.std];
    t.restoreBase(s);
    return t;
  }

  ask(): number[][] {
    return Array.from({ length: this.options.population }, () => this.mean.map((m, d) => clamp01(m + this.std[d]! * this.rng.normal())));
  }

  protected update(points: readonly (readonly number[])[], scores: readonly number[]): void {
    const eliteCount = Math.max(1, Math.round(this.options.eliteFraction * points.length));
    const elite = rankDescending(scores)
      .slice(0, eliteCount)
      .map((i) => points[i]!);
    const a = this.options.learningRate;
    for (let d = 0; d < this.dim; d++) {
      const m = elite.reduce((s, p) => s + p[d]!, 0) / elite.length;
      const v = elite.reduce((s, p) => s + (p[d]! - m) ** 2, 0) / elite.length;
      this.mean[d] = a * m + (1 - a) * this.mean[d]!;
      this.std[d] = Math.max(1e-6, a * Math.sqrt(v) + (1 - a) * this.std[d]!);
    }
  }

  protected data(): CrossEntropyData {
    return { options: this.options, mean: [...this.mean], std: [...this.std] };
  }
}
