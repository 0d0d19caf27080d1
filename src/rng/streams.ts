import seedrandom from "seedrandom";

/** The saveable state of one stream (alea's internal registers). */
export type StreamState = seedrandom.State.Alea;

/**
 * A seeded random stream. Every draw in ProverLab comes from one of these; children are derived
 * by name, so adding a consumer to one branch never shifts the draws of another branch.
 */
export class Stream {
  private readonly prng: seedrandom.StatefulPRNG<seedrandom.State.Alea>;

  private constructor(
    readonly path: string,
    prng: seedrandom.StatefulPRNG<seedrandom.State.Alea>,
  ) {
    this.prng = prng;
  }

  /** The root of an experiment's tree. */
  static root(seed: number | string): Stream {
    const path = `proverlab/${String(seed)}`;
    return new Stream(path, seedrandom.alea(path, { state: true }));
  }

  static restore(path: string, state: StreamState): Stream {
    return new Stream(path, seedrandom.alea("", { state }));
  }

  /** A child stream: experiment -> trial -> scenario -> episode -> agent. */
  child(name: string | number): Stream {
    const path = `${this.path}/${String(name)}`;
    return new Stream(path, seedrandom.alea(path, { state: true }));
  }

  state(): StreamState {
    return this.prng.state();
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.prng();
  }

  /** Uniform in (0, 1): safe to take the log of. */
  uniformOpen(): number {
    let u = this.prng();
    while (u === 0) u = this.prng();
    return u;
  }

  /** Integer uniform in [0, n). */
  int(n: number): number {
    return Math.floor(this.prng() * n);
  }

  exponential(mean: number): number {
    return -Math.log(this.uniformOpen()) * mean;
  }

  normal(): number {
    // Box-Muller with one value discarded keeps the stream free of hidden cached state.
    const u1 = this.uniformOpen();
    const u2 = this.prng();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Lognormal with E[X] = 1 and the given sigma of log X. */
  lognormalUnitMean(sigma: number): number {
    if (sigma === 0) return 1;
    return Math.exp(sigma * this.normal() - 0.5 * sigma * sigma);
  }

  poisson(mean: number): number {
    return poisson(this, mean);
  }
}

const LOG_FACTORIAL_TABLE = new Float64Array(10);
for (let k = 1; k < 10; k++) LOG_FACTORIAL_TABLE[k] = LOG_FACTORIAL_TABLE[k - 1]! + Math.log(k);

function logFactorial(k: number): number {
  if (k < 10) return LOG_FACTORIAL_TABLE[k]!;
  // Stirling series; error below 1e-10 for k >= 10.
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x);
}

/**
 * Exact Poisson draw: inversion by sequential search for small means, Hormann's PTRS
 * (transformed rejection with squeeze) for means of 10 and above.
 */
export function poisson(stream: Stream, mean: number): number {
  if (!(mean > 0)) return 0;
  if (mean < 10) {
    let k = 0;
    let p = Math.exp(-mean);
    let cdf = p;
    const u = stream.uniform();
    while (u > cdf) {
      k++;
      p *= mean / k;
      cdf += p;
      if (p < 1e-300 && cdf >= 1 - 1e-15) break;
    }
    return k;
  }
  const slam = Math.sqrt(mean);
  const logLam = Math.log(mean);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = stream.uniform() - 0.5;
    const v = stream.uniformOpen();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    const lhs = Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b);
    if (lhs <= -mean + k * logLam - logFactorial(k)) return k;
  }
}
