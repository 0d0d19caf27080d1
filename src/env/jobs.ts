import { grow, IdQueue } from "./pool.js";

/**
 * Aggregating: proven, waiting for the rest of its batch to be aggregated and verified on L1.
 * Split: a block too large for any one prover, proven in parts (distributed proving).
 */
export const JobState = { Free: 0, Waiting: 1, Assigned: 2, Aggregating: 3, Proven: 4, Split: 5 } as const;
/**
 * Live: in its prover's FIFO queue (the core phase, which occupies the prover's cores). Landing: the
 * cores are done and the proof tree's critical path finishes (the prover already works on its next
 * task). Parked: a withheld task, held outside its prover's queue and never worked on.
 */
export const TaskState = { Free: 0, Live: 1, Parked: 2, Landing: 3 } as const;

/** (arrival time, count) segments kept per job for the transaction-delay KPI. */
export const SEGMENTS = 4;

/**
 * Proof jobs (one block each) and the tasks that assign them to provers.
 * Rows are recycled through free lists; arrays grow by doubling when a run needs more.
 */
export class JobTable {
  state = new Uint8Array(0);
  createdAt = new Float64Array(0);
  deadline = new Float64Array(0);
  epoch = new Int32Array(0);
  txCount = new Int32Array(0);
  work = new Float64Array(0);
  /** Critical path of the block's proof tree (seconds, before the prover's noise). */
  depthSeconds = new Float64Array(0);
  /** The batch the block's proof is aggregated in, or -1 (verified alone). */
  batch = new Int32Array(0);
  /** The prover whose proof was kept, once proven. */
  prover = new Int32Array(0);
  provenAt = new Float64Array(0);
  /** The block a part belongs to (distributed proving), or -1 for a block. */
  parent = new Int32Array(0);
  /** A split block's parts still unproven. */
  partsLeft = new Int32Array(0);
  /** A split block's work already proven in its parts (core-s). */
  workDone = new Float64Array(0);
  /** 1 once counted as larger than any eligible prover could finish in its window. */
  oversized = new Uint8Array(0);
  /** The transactions' arrival times, as SEGMENTS (time, count) pairs per job. */
  segTime = new Float64Array(0);
  segCount = new Float64Array(0);
  segments = new Uint8Array(0);
  liveTasks = new Int32Array(0);
  raced = new Uint8Array(0);
  /** Stable identity for the job's random draws: the sequence number of its first block. */
  key = new Float64Array(0);
  /** Head of the job's list of live tasks (linked through TaskTable.nextOfJob), or -1. */
  firstTask = new Int32Array(0);
  private free: number[] = [];
  private count = 0;
  readonly waiting = new IdQueue();

  clear(): void {
    this.state.fill(0);
    this.free.length = 0;
    this.count = 0;
    this.waiting.clear();
  }

  get capacity(): number {
    return this.count;
  }

  /** Rows currently allocated. */
  get inUse(): number {
    return this.count - this.free.length;
  }

  alloc(): number {
    const id = this.free.length > 0 ? this.free.pop()! : this.count++;
    if (id >= this.state.length) {
      const n = id + 1;
      this.state = grow(this.state, n);
      this.createdAt = grow(this.createdAt, n);
      this.deadline = grow(this.deadline, n);
      this.epoch = grow(this.epoch, n);
      this.txCount = grow(this.txCount, n);
      this.work = grow(this.work, n);
      this.depthSeconds = grow(this.depthSeconds, n);
      this.batch = grow(this.batch, n);
      this.prover = grow(this.prover, n);
      this.provenAt = grow(this.provenAt, n);
      this.oversized = grow(this.oversized, n);
      this.parent = grow(this.parent, n);
      this.partsLeft = grow(this.partsLeft, n);
      this.workDone = grow(this.workDone, n);
      this.segTime = grow(this.segTime, this.state.length * SEGMENTS);
      this.segCount = grow(this.segCount, this.state.length * SEGMENTS);
      this.segments = grow(this.segments, n);
      this.liveTasks = grow(this.liveTasks, n);
      this.raced = grow(this.raced, n);
      this.key = grow(this.key, n);
      this.firstTask = grow(this.firstTask, n);
    }
    this.liveTasks[id] = 0;
    this.raced[id] = 0;
    this.firstTask[id] = -1;
    this.batch[id] = -1;
    this.prover[id] = -1;
    this.oversized[id] = 0;
    this.segments[id] = 0;
    this.parent[id] = -1;
    this.partsLeft[id] = 0;
    this.workDone[id] = 0;
    return id;
  }

  release(id: number): void {
    this.state[id] = JobState.Free;
    this.free.push(id);
  }
}

export class TaskTable {
  state = new Uint8Array(0);
  job = new Int32Array(0);
  prover = new Int32Array(0);
  assignedAt = new Float64Array(0);
  start = new Float64Array(0);
  /** End of the core phase (the prover's cores are free again). */
  finish = new Float64Array(0);
  service = new Float64Array(0);
  /** Critical-path time after the core phase, until the proof is complete. */
  tail = new Float64Array(0);
  cores = new Float64Array(0);
  /** 1: assigned through the prover's pool, which keeps its fee of what the task earns. */
  viaPool = new Uint8Array(0);
  /** Next task in the prover's FIFO queue. */
  next = new Int32Array(0);
  /** Next task of the same job. */
  nextOfJob = new Int32Array(0);
  private free: number[] = [];
  private count = 0;

  clear(): void {
    this.state.fill(0);
    this.free.length = 0;
    this.count = 0;
  }

  alloc(): number {
    const id = this.free.length > 0 ? this.free.pop()! : this.count++;
    if (id >= this.state.length) {
      const n = id + 1;
      this.state = grow(this.state, n);
      this.job = grow(this.job, n);
      this.prover = grow(this.prover, n);
      this.assignedAt = grow(this.assignedAt, n);
      this.start = grow(this.start, n);
      this.finish = grow(this.finish, n);
      this.service = grow(this.service, n);
      this.tail = grow(this.tail, n);
      this.next = grow(this.next, n);
      this.cores = grow(this.cores, n);
      this.viaPool = grow(this.viaPool, n);
      this.nextOfJob = grow(this.nextOfJob, n);
    }
    this.state[id] = TaskState.Live;
    this.next[id] = -1;
    this.nextOfJob[id] = -1;
    return id;
  }

  release(id: number): void {
    this.state[id] = TaskState.Free;
    this.free.push(id);
  }
}
