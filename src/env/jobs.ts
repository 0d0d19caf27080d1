import { grow, IdQueue } from "./pool.js";

export const JobState = { Free: 0, Waiting: 1, Assigned: 2, Buffered: 3, Proven: 4 } as const;
/** Parked: a withheld task, held outside its prover's queue and never worked on. */
export const TaskState = { Free: 0, Live: 1, Parked: 2 } as const;

/**
 * Proof jobs (a block, or a batch of blocks) and the tasks that assign them to provers.
 * Rows are recycled through free lists; arrays grow by doubling when a run needs more.
 */
export class JobTable {
  state = new Uint8Array(0);
  createdAt = new Float64Array(0);
  /** Creation time of the job's last block (a batch's blocks are consecutive, one per slot). */
  lastCreatedAt = new Float64Array(0);
  deadline = new Float64Array(0);
  epoch = new Int32Array(0);
  txCount = new Int32Array(0);
  blocks = new Int32Array(0);
  work = new Float64Array(0);
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
      this.lastCreatedAt = grow(this.lastCreatedAt, n);
      this.deadline = grow(this.deadline, n);
      this.epoch = grow(this.epoch, n);
      this.txCount = grow(this.txCount, n);
      this.blocks = grow(this.blocks, n);
      this.work = grow(this.work, n);
      this.liveTasks = grow(this.liveTasks, n);
      this.raced = grow(this.raced, n);
      this.key = grow(this.key, n);
      this.firstTask = grow(this.firstTask, n);
    }
    this.liveTasks[id] = 0;
    this.raced[id] = 0;
    this.firstTask[id] = -1;
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
  finish = new Float64Array(0);
  service = new Float64Array(0);
  cores = new Float64Array(0);
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
      this.next = grow(this.next, n);
      this.cores = grow(this.cores, n);
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
