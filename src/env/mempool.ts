/**
 * The mempool as a FIFO of cohorts (arrival time, transactions): blocks take the oldest first,
 * transactions returned by a reorg go back to the front with their own arrival times, and
 * transactions older than the time-to-live leave (expire). A ring buffer that grows by doubling.
 */
export class Mempool {
  private times = new Float64Array(64);
  private counts = new Float64Array(64);
  private head = 0;
  private len = 0;
  /** Transactions waiting. */
  total = 0;

  clear(): void {
    this.head = 0;
    this.len = 0;
    this.total = 0;
  }

  /** Appends `n` transactions that arrived at time t (newest). */
  pushBack(t: number, n: number): void {
    if (n <= 0) return;
    if (this.len > 0) {
      const last = (this.head + this.len - 1) % this.times.length;
      if (this.times[last] === t) {
        this.counts[last]! += n;
        this.total += n;
        return;
      }
    }
    this.ensure();
    const k = (this.head + this.len) % this.times.length;
    this.times[k] = t;
    this.counts[k] = n;
    this.len++;
    this.total += n;
  }

  /** Puts `n` transactions that arrived at time t back at the front (older than any waiting). */
  pushFront(t: number, n: number): void {
    if (n <= 0) return;
    this.ensure();
    this.head = (this.head - 1 + this.times.length) % this.times.length;
    this.times[this.head] = t;
    this.counts[this.head] = n;
    this.len++;
    this.total += n;
  }

  /**
   * Takes up to `n` of the oldest transactions as at most `maxSegments` (arrival time, count) segments
   * written from `offset` into `outTimes`/`outCounts`; cohorts beyond the last segment merge into it
   * at their count-weighted mean time. Returns the number of segments written.
   */
  take(n: number, outTimes: Float64Array, outCounts: Float64Array, offset: number, maxSegments: number): number {
    let segments = 0;
    let left = Math.min(n, this.total);
    while (left > 0) {
      const k = this.head;
      const c = this.counts[k]!;
      const taken = Math.min(c, left);
      const t = this.times[k]!;
      if (segments < maxSegments) {
        outTimes[offset + segments] = t;
        outCounts[offset + segments] = taken;
        segments++;
      } else {
        const j = offset + segments - 1;
        const merged = outCounts[j]! + taken;
        outTimes[j] = (outTimes[j]! * outCounts[j]! + t * taken) / merged;
        outCounts[j] = merged;
      }
      left -= taken;
      this.total -= taken;
      if (taken === c) {
        this.head = (this.head + 1) % this.times.length;
        this.len--;
      } else this.counts[k] = c - taken;
    }
    return segments;
  }

  /** Removes every transaction that arrived before `cutoff`; returns how many left. */
  expire(cutoff: number): number {
    let gone = 0;
    while (this.len > 0 && this.times[this.head]! < cutoff) {
      gone += this.counts[this.head]!;
      this.head = (this.head + 1) % this.times.length;
      this.len--;
    }
    this.total -= gone;
    return gone;
  }

  private ensure(): void {
    if (this.len < this.times.length) return;
    const size = this.times.length * 2;
    const times = new Float64Array(size);
    const counts = new Float64Array(size);
    for (let i = 0; i < this.len; i++) {
      times[i] = this.times[(this.head + i) % this.times.length]!;
      counts[i] = this.counts[(this.head + i) % this.times.length]!;
    }
    this.times = times;
    this.counts = counts;
    this.head = 0;
  }
}
