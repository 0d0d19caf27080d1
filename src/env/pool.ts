/** Grows a typed array to at least `need` elements, doubling; amortised, never per step in steady state. */
export function grow<T extends Float64Array | Int32Array | Uint8Array>(arr: T, need: number): T {
  if (arr.length >= need) return arr;
  let size = Math.max(16, arr.length);
  while (size < need) size *= 2;
  const next = new (arr.constructor as new (n: number) => T)(size);
  next.set(arr);
  return next;
}

/** A growable list of float samples (latencies), reused across epochs. */
export class SampleBuffer {
  values = new Float64Array(256);
  n = 0;

  push(x: number): void {
    this.values = grow(this.values, this.n + 1);
    this.values[this.n++] = x;
  }

  clear(): void {
    this.n = 0;
  }

  /** The samples, sorted ascending in place. */
  sorted(): Float64Array {
    return this.values.subarray(0, this.n).sort();
  }
}

/** A FIFO ring of int32 ids. */
export class IdQueue {
  private buf = new Int32Array(64);
  private head = 0;
  size = 0;

  push(id: number): void {
    if (this.size === this.buf.length) {
      const next = new Int32Array(this.buf.length * 2);
      for (let i = 0; i < this.size; i++) next[i] = this.buf[(this.head + i) % this.buf.length]!;
      this.buf = next;
      this.head = 0;
    }
    this.buf[(this.head + this.size) % this.buf.length] = id;
    this.size++;
  }

  peek(): number {
    return this.buf[this.head]!;
  }

  shift(): number {
    const id = this.buf[this.head]!;
    this.head = (this.head + 1) % this.buf.length;
    this.size--;
    return id;
  }

  /** Keeps only the ids for which `keep` is true, in order. */
  filter(keep: (id: number) => boolean): void {
    let kept = 0;
    const n = this.size;
    for (let i = 0; i < n; i++) {
      const id = this.buf[(this.head + i) % this.buf.length]!;
      if (keep(id)) this.buf[(this.head + kept++) % this.buf.length] = id;
    }
    this.size = kept;
  }

  clear(): void {
    this.head = 0;
    this.size = 0;
  }
}
