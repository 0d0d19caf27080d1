import { Stream } from "../../src/rng/streams.js";
import type { Scored, Tuner, TunerKind, TunerState } from "./tuner.js";

/** What every tuner shares: its seeded stream, the best point seen, and the checks on `tell`. */
export abstract class TunerBase implements Tuner {
  abstract readonly kind: TunerKind;
  protected rng: Stream;
  private bestSeen: Scored | null = null;

  protected constructor(
    readonly dim: number,
    rng: Stream,
  ) {
    if (!Number.isInteger(dim) || dim < 1) throw new Error(`a tuner needs a dimension >= 1, got ${dim}`);
    this.rng = rng;
  }

  abstract ask(): number[][];

  tell(points: readonly (readonly number[])[], scores: readonly number[]): void {
    if (points.length !== scores.length) throw new Error(`tell: ${points.length} points but ${scores.length} scores`);
    points.forEach((p, i) => {
      if (p.length !== this.dim) throw new Error(`tell: point ${i} has ${p.length} coordinates, expected ${this.dim}`);
      const score = scores[i]!;
      if (Number.isNaN(score)) throw new Error(`tell: score ${i} is NaN; give -Infinity for a failed candidate`);
      if (this.bestSeen === null || score > this.bestSeen.score) this.bestSeen = { point: [...p], score };
    });
    this.update(points, scores);
  }

  best(): Scored | null {
    return this.bestSeen;
  }

  state(): TunerState {
    return {
      kind: this.kind,
      dim: this.dim,
      rng: { path: this.rng.path, state: this.rng.state() },
      best: this.bestSeen,
      data: this.data(),
    };
  }

  /** Restores what `state()` saved; subclasses restore their own `data`. */
  protected restoreBase(s: TunerState): void {
    this.rng = Stream.restore(s.rng.path, s.rng.state);
    this.bestSeen = s.best;
  }

  protected abstract update(points: readonly (readonly number[])[], scores: readonly number[]): void;
  protected abstract data(): unknown;
}

export function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/** Indices of `scores` from best (highest) to worst; ties keep their order. */
export function rankDescending(scores: readonly number[]): number[] {
  return scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
}

/** Baselines whose generations do not depend on past scores: the batch size is their only state. */
export abstract class BatchSampler extends TunerBase {
  constructor(
    dim: number,
    rng: Stream,
    protected readonly batch = 8,
  ) {
    super(dim, rng);
  }

  /** Continues from a saved state (the stream and the best point). */
  resumeFrom(s: TunerState): this {
    this.restoreBase(s);
    return this;
  }

  static batchOf(s: TunerState): number {
    return (s.data as { batch: number }).batch;
  }

  protected update(): void {}

  protected data(): unknown {
    return { batch: this.batch };
  }
}
