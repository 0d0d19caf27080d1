import { grow } from "./pool.js";

/**
 * A binary min-heap of integer ids keyed by time, in typed arrays: the earliest of a set that changes
 * one member at a time, in O(log n) per change instead of a scan. Ties go to the lowest id, as a scan
 * in id order would give. Ids are small non-negative integers (prover, task or batch rows); the
 * arrays grow with the largest id seen.
 */
export class IdHeap {
  private heap = new Int32Array(16);
  /** Each id's place in `heap`, or -1 when absent. */
  private place = new Int32Array(16).fill(-1);
  private key = new Float64Array(16);
  size = 0;

  clear(): void {
    for (let k = 0; k < this.size; k++) this.place[this.heap[k]!] = -1;
    this.size = 0;
  }

  has(id: number): boolean {
    return id < this.place.length && this.place[id]! >= 0;
  }

  /** The id with the earliest time (the lowest id on ties), or -1 when empty. */
  peek(): number {
    return this.size > 0 ? this.heap[0]! : -1;
  }

  /** The earliest time, or Infinity when empty. */
  peekKey(): number {
    return this.size > 0 ? this.key[this.heap[0]!]! : Infinity;
  }

  /** Inserts `id` at time `t`, or moves it there if present. */
  set(id: number, t: number): void {
    if (id >= this.place.length) this.reserve(id + 1);
    this.key[id] = t;
    let k = this.place[id]!;
    if (k < 0) {
      if (this.size === this.heap.length) this.heap = grow(this.heap, this.size + 1);
      k = this.size++;
      this.heap[k] = id;
      this.place[id] = k;
    }
    this.down(this.up(k));
  }

  /** Removes `id` if present. */
  remove(id: number): void {
    if (!this.has(id)) return;
    const k = this.place[id]!;
    this.place[id] = -1;
    const last = this.heap[--this.size]!;
    if (k === this.size) return;
    this.heap[k] = last;
    this.place[last] = k;
    this.down(this.up(k));
  }

  private before(a: number, b: number): boolean {
    const ka = this.key[a]!;
    const kb = this.key[b]!;
    return ka < kb || (ka === kb && a < b);
  }

  private up(k: number): number {
    const id = this.heap[k]!;
    while (k > 0) {
      const parent = (k - 1) >>> 1;
      const p = this.heap[parent]!;
      if (!this.before(id, p)) break;
      this.heap[k] = p;
      this.place[p] = k;
      k = parent;
    }
    this.heap[k] = id;
    this.place[id] = k;
    return k;
  }

  private down(k: number): void {
    const id = this.heap[k]!;
    for (;;) {
      let child = 2 * k + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.before(this.heap[child + 1]!, this.heap[child]!)) child++;
      const c = this.heap[child]!;
      if (!this.before(c, id)) break;
      this.heap[k] = c;
      this.place[c] = k;
      k = child;
    }
    this.heap[k] = id;
    this.place[id] = k;
  }

  private reserve(n: number): void {
    const old = this.place.length;
    this.place = grow(this.place, n);
    this.place.fill(-1, old);
    this.key = grow(this.key, this.place.length);
  }

  /** Checks the heap order and the place index (for tests). */
  isValid(): boolean {
    for (let k = 0; k < this.size; k++) {
      if (this.place[this.heap[k]!] !== k) return false;
      if (k > 0 && this.before(this.heap[k]!, this.heap[(k - 1) >>> 1]!)) return false;
    }
    return true;
  }
}
