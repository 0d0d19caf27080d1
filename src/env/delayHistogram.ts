const BINS = 256;
const MIN_S = 1;
const MAX_S = 1e7;
const LOG_MIN = Math.log(MIN_S);
const BIN_WIDTH = (Math.log(MAX_S) - LOG_MIN) / BINS;

/**
 * Transaction delays weighted by counts, in log-spaced bins from 1 s to 10^7 s (each 6.5 % wide),
 * plus an exact sum for the mean. Percentiles interpolate within a bin (geometrically), so they are
 * exact to the bin's width; below 1 s everything falls in bin 0.
 */
export class DelayHistogram {
  readonly counts = new Float64Array(BINS);
  total = 0;
  sum = 0;

  clear(): void {
    this.counts.fill(0);
    this.total = 0;
    this.sum = 0;
  }

  add(delay: number, count: number): void {
    if (count <= 0) return;
    const d = delay > 0 ? delay : 0;
    let bin = d <= MIN_S ? 0 : Math.floor((Math.log(d) - LOG_MIN) / BIN_WIDTH);
    if (bin >= BINS) bin = BINS - 1;
    this.counts[bin]! += count;
    this.total += count;
    this.sum += d * count;
  }

  addAll(other: DelayHistogram): void {
    for (let k = 0; k < BINS; k++) this.counts[k]! += other.counts[k]!;
    this.total += other.total;
    this.sum += other.sum;
  }

  get mean(): number {
    return this.total > 0 ? this.sum / this.total : NaN;
  }

  /** The q-quantile (0 < q < 1), or NaN when empty. */
  quantile(q: number): number {
    if (this.total <= 0) return NaN;
    const target = q * this.total;
    let seen = 0;
    for (let k = 0; k < BINS; k++) {
      const c = this.counts[k]!;
      if (c > 0 && seen + c >= target) {
        const within = (target - seen) / c;
        return Math.exp(LOG_MIN + (k + within) * BIN_WIDTH);
      }
      seen += c;
    }
    return MAX_S;
  }
}
