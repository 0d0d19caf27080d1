import { IdHeap } from "./heap.js";
import { grow } from "./pool.js";

/** The largest batch the parameter space allows (batching.maxSize's upper bound). */
export const MAX_BATCH = 32;

/**
 * Batches as aggregation: consecutive blocks whose proofs, each made by its own prover, are merged
 * into one L1 verification. Members are kept in creation order (oldest first).
 */
export class BatchTable {
  members = new Int32Array(0);
  size = new Int32Array(0);
  sealed = new Uint8Array(0);
  openedAt = new Float64Array(0);
  /** When the aggregated proof is verified on L1 (Infinity until every member is proven and the batch sealed). */
  verifyAt = new Float64Array(0);
  private free: number[] = [];
  private count = 0;
  /** Batches waiting for their verification, by verification time. */
  readonly scheduled = new IdHeap();

  clear(): void {
    this.free.length = 0;
    this.count = 0;
    this.scheduled.clear();
  }

  alloc(t: number): number {
    const id = this.free.length > 0 ? this.free.pop()! : this.count++;
    if (id >= this.size.length) {
      const n = id + 1;
      this.size = grow(this.size, n);
      this.members = grow(this.members, this.size.length * MAX_BATCH);
      this.sealed = grow(this.sealed, n);
      this.openedAt = grow(this.openedAt, n);
      this.verifyAt = grow(this.verifyAt, n);
    }
    this.size[id] = 0;
    this.sealed[id] = 0;
    this.openedAt[id] = t;
    this.verifyAt[id] = Infinity;
    return id;
  }

  release(id: number): void {
    this.size[id] = 0;
    this.verifyAt[id] = Infinity;
    this.scheduled.remove(id);
    this.free.push(id);
  }

  /** Rows ever allocated (live or free). */
  get capacity(): number {
    return this.count;
  }

  add(batch: number, job: number): void {
    this.members[batch * MAX_BATCH + this.size[batch]!] = job;
    this.size[batch]!++;
  }

  member(batch: number, k: number): number {
    return this.members[batch * MAX_BATCH + k]!;
  }

  /** Drops the members that `keep` rejects, keeping the others' order. */
  retain(batch: number, keep: (job: number) => boolean): void {
    const base = batch * MAX_BATCH;
    let kept = 0;
    for (let k = 0; k < this.size[batch]!; k++) {
      const job = this.members[base + k]!;
      if (keep(job)) this.members[base + kept++] = job;
    }
    this.size[batch] = kept;
  }

  /** Removes the first `n` members (verified on their own). */
  dropFront(batch: number, n: number): void {
    const base = batch * MAX_BATCH;
    const size = this.size[batch]!;
    this.members.copyWithin(base, base + n, base + size);
    this.size[batch] = size - n;
  }
}
