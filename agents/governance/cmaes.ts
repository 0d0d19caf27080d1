import { eigs } from "mathjs";
import type { Stream } from "../../src/rng/streams.js";
import { clamp01, rankDescending, TunerBase } from "./base.js";
import type { TunerState } from "./tuner.js";

export interface CmaesOptions {
  /** lambda; default 4 + floor(3 ln d). */
  population: number;
  initialMean: readonly number[] | null;
  initialSigma: number;
}

interface CmaesData {
  options: CmaesOptions;
  mean: number[];
  sigma: number;
  C: number[][];
  pc: number[];
  ps: number[];
  B: number[][];
  D: number[];
  generation: number;
}

/**
 * CMA-ES (Hansen's (mu/mu_w, lambda) with rank-one and rank-mu updates and cumulative step-size
 * adaptation) on the unit cube. Bounds are handled by repair: a sample outside the cube is clipped
 * to it, and the clipped point is both evaluated and used in the update, so the search distribution
 * learns from what was actually scored. Scores are maximised.
 */
export class Cmaes extends TunerBase {
  readonly kind = "cmaes" as const;
  private readonly options: CmaesOptions;
  private readonly lambda: number;
  private readonly mu: number;
  private readonly weights: number[];
  private readonly mueff: number;
  private readonly cc: number;
  private readonly cs: number;
  private readonly c1: number;
  private readonly cmu: number;
  private readonly damps: number;
  private readonly chiN: number;
  private mean: number[];
  private sigma: number;
  private C: number[][];
  private pc: number[];
  private ps: number[];
  private B: number[][];
  private D: number[];
  private generation = 0;

  constructor(dim: number, rng: Stream, options: Partial<CmaesOptions> = {}) {
    super(dim, rng);
    const n = dim;
    this.options = { population: 4 + Math.floor(3 * Math.log(n)), initialMean: null, initialSigma: 0.25, ...options };
    this.lambda = Math.max(2, this.options.population);
    this.mu = Math.floor(this.lambda / 2);
    const raw = Array.from({ length: this.mu }, (_, i) => Math.log(this.mu + 0.5) - Math.log(i + 1));
    const sum = raw.reduce((s, w) => s + w, 0);
    this.weights = raw.map((w) => w / sum);
    this.mueff = 1 / this.weights.reduce((s, w) => s + w * w, 0);
    const me = this.mueff;
    this.cc = (4 + me / n) / (n + 4 + (2 * me) / n);
    this.cs = (me + 2) / (n + me + 5);
    this.c1 = 2 / ((n + 1.3) ** 2 + me);
    this.cmu = Math.min(1 - this.c1, (2 * (me - 2 + 1 / me)) / ((n + 2) ** 2 + me));
    this.damps = 1 + 2 * Math.max(0, Math.sqrt((me - 1) / (n + 1)) - 1) + this.cs;
    this.chiN = Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));
    this.mean = this.options.initialMean ? this.options.initialMean.map(clamp01) : new Array<number>(n).fill(0.5);
    this.sigma = this.options.initialSigma;
    this.C = identity(n);
    this.B = identity(n);
    this.D = new Array<number>(n).fill(1);
    this.pc = new Array<number>(n).fill(0);
    this.ps = new Array<number>(n).fill(0);
  }

  static restore(s: TunerState, rng: Stream): Cmaes {
    const d = s.data as CmaesData;
    const t = new Cmaes(s.dim, rng, d.options);
    t.mean = [...d.mean];
    t.sigma = d.sigma;
    t.C = d.C.map((r) => [...r]);
    t.pc = [...d.pc];
    t.ps = [...d.ps];
    t.B = d.B.map((r) => [...r]);
    t.D = [...d.D];
    t.generation = d.generation;
    t.restoreBase(s);
    return t;
  }

  /** The current step size (in unit-cube coordinates). */
  get stepSize(): number {
    return this.sigma;
  }

  ask(): number[][] {
    const n = this.dim;
    return Array.from({ length: this.lambda }, () => {
      const z = Array.from({ length: n }, () => this.rng.normal());
      const x = new Array<number>(n);
      for (let i = 0; i < n; i++) {
        let y = 0;
        for (let j = 0; j < n; j++) y += this.B[i]![j]! * this.D[j]! * z[j]!;
        x[i] = clamp01(this.mean[i]! + this.sigma * y);
      }
      return x;
    });
  }

  protected update(points: readonly (readonly number[])[], scores: readonly number[]): void {
    const n = this.dim;
    const order = rankDescending(scores).slice(0, this.mu);
    const old = this.mean;
    const ys = order.map((k) => points[k]!.map((x, i) => (x - old[i]!) / this.sigma));
    const yw = new Array<number>(n).fill(0);
    ys.forEach((y, r) => y.forEach((v, i) => (yw[i]! += this.weights[r]! * v)));
    this.mean = old.map((m, i) => clamp01(m + this.sigma * yw[i]!));
    // Step-size path, through C^(-1/2) = B diag(1/D) B^T.
    const invSqrt = this.multiplyInvSqrtC(yw);
    const cs = this.cs;
    const csFactor = Math.sqrt(cs * (2 - cs) * this.mueff);
    this.ps = this.ps.map((p, i) => (1 - cs) * p + csFactor * invSqrt[i]!);
    const psNorm = Math.hypot(...this.ps);
    this.generation++;
    const hsig = psNorm / Math.sqrt(1 - (1 - cs) ** (2 * this.generation)) / this.chiN < 1.4 + 2 / (n + 1) ? 1 : 0;
    const cc = this.cc;
    const ccFactor = Math.sqrt(cc * (2 - cc) * this.mueff);
    this.pc = this.pc.map((p, i) => (1 - cc) * p + hsig * ccFactor * yw[i]!);
    const c1 = this.c1;
    const cmu = this.cmu;
    const keep = 1 - c1 - cmu + (1 - hsig) * c1 * cc * (2 - cc);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let rankMu = 0;
        ys.forEach((y, r) => (rankMu += this.weights[r]! * y[i]! * y[j]!));
        const v = keep * this.C[i]![j]! + c1 * this.pc[i]! * this.pc[j]! + cmu * rankMu;
        this.C[i]![j] = v;
        this.C[j]![i] = v;
      }
    }
    this.sigma = Math.min(1, this.sigma * Math.exp((cs / this.damps) * (psNorm / this.chiN - 1)));
    this.decompose();
  }

  private multiplyInvSqrtC(v: readonly number[]): number[] {
    const n = this.dim;
    const t = new Array<number>(n).fill(0);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += this.B[i]![j]! * v[i]!;
      t[j] = s / this.D[j]!;
    }
    const out = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i]! += this.B[i]![j]! * t[j]!;
    return out;
  }

  /** C = B diag(D^2) B^T; on a numerical failure the previous factors are kept. */
  private decompose(): void {
    const n = this.dim;
    if (n === 1) {
      this.D = [Math.sqrt(Math.max(this.C[0]![0]!, 1e-20))];
      return;
    }
    try {
      const { eigenvectors } = eigs(this.C);
      const B = identity(n);
      const D = new Array<number>(n);
      eigenvectors.forEach((e, j) => {
        const vec = e.vector as unknown as number[];
        for (let i = 0; i < n; i++) B[i]![j] = vec[i]!;
        D[j] = Math.sqrt(Math.max(Number(e.value), 1e-20));
      });
      this.B = B;
      this.D = D;
    } catch {
      // keep the previous eigenbasis
    }
  }

  protected data(): CmaesData {
    return {
      options: this.options,
      mean: [...this.mean],
      sigma: this.sigma,
      C: this.C.map((r) => [...r]),
      pc: [...this.pc],
      ps: [...this.ps],
      B: this.B.map((r) => [...r]),
      D: [...this.D],
      generation: this.generation,
    };
  }
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}
