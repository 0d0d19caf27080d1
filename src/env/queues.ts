import { IdHeap } from "./heap.js";
import { TaskState, type JobTable, type TaskTable } from "./jobs.js";
import type { ProverTable } from "./provers.js";

/**
 * Per-prover FIFO proof queues with exact continuous times: a task's core phase starts when it is
 * assigned or when the prover's previous core phase ends, whichever is later. After its core phase
 * a task lands: its proof tree's critical path runs on few agents while the prover's cores start the
 * next task (pipelining). Tasks are also linked per job, so a race can find every prover on a job.
 */
export class ProverQueues {
  /** Tasks in their landing phase (few at a time: about the critical path over the block time). */
  private readonly landing: number[] = [];
  /** Provers with a queued task, by the end of their head task's core phase. */
  private readonly heads = new IdHeap();
  /** The landing tasks by completion time. */
  private readonly landings = new IdHeap();

  /** The tasks in their landing phase (read-only view; cancelling one swaps the last into its place). */
  get landingTasks(): readonly number[] {
    return this.landing;
  }

  constructor(
    private readonly provers: ProverTable,
    private readonly tasks: TaskTable,
    private readonly jobs: JobTable,
  ) {}

  /** Appends a task for `job` to `prover`'s queue at time t; returns the task's id. */
  enqueue(job: number, prover: number, t: number, service: number, tail: number, cores: number): number {
    const P = this.provers;
    const T = this.tasks;
    const id = T.alloc();
    T.job[id] = job;
    T.prover[id] = prover;
    T.assignedAt[id] = t;
    T.cores[id] = cores;
    T.service[id] = service;
    T.tail[id] = tail;
    const start = Math.max(t, P.queueLen[prover]! > 0 ? P.freeAt[prover]! : t);
    T.start[id] = start;
    T.finish[id] = start + service;
    P.freeAt[prover] = T.finish[id]!;
    if (P.queueLen[prover] === 0) {
      P.queueHead[prover] = id;
      this.heads.set(prover, T.finish[id]!);
    } else T.next[P.queueTail[prover]!] = id;
    P.queueTail[prover] = id;
    P.queueLen[prover]!++;
    T.nextOfJob[id] = this.jobs.firstTask[job]!;
    this.jobs.firstTask[job] = id;
    this.jobs.liveTasks[job]!++;
    return id;
  }

  /**
   * A withheld assignment: the task is linked to its job (so a race or a deadline finds it) but kept
   * out of the prover's FIFO queue, never started, never finished. Returns the task's id.
   */
  park(job: number, prover: number, t: number): number {
    const T = this.tasks;
    const id = T.alloc();
    T.job[id] = job;
    T.prover[id] = prover;
    T.assignedAt[id] = t;
    T.cores[id] = 0;
    T.service[id] = Infinity;
    T.tail[id] = 0;
    T.start[id] = Infinity;
    T.finish[id] = Infinity;
    T.state[id] = TaskState.Parked;
    this.provers.parkedLen[prover]!++;
    T.nextOfJob[id] = this.jobs.firstTask[job]!;
    this.jobs.firstTask[job] = id;
    this.jobs.liveTasks[job]!++;
    return id;
  }

  /** The prover whose running task finishes first (the lowest index on ties), or -1 when all queues are empty. */
  earliest(): number {
    return this.heads.peek();
  }

  /** When the earliest running task's core phase ends (Infinity when all queues are empty). */
  earliestFinish(): number {
    return this.heads.peekKey();
  }

  /** Takes the head task off `prover`'s queue at the end of its core phase; it lands after its tail. Returns it. */
  startLanding(prover: number): number {
    const P = this.provers;
    const T = this.tasks;
    const task = P.queueHead[prover]!;
    P.queueHead[prover] = T.next[task]!;
    P.queueLen[prover]!--;
    if (P.queueLen[prover] === 0) P.queueTail[prover] = -1;
    this.updateHead(prover);
    T.state[task] = TaskState.Landing;
    T.finish[task]! += T.tail[task]!;
    this.landing.push(task);
    this.landings.set(task, T.finish[task]!);
    return task;
  }

  /** The landing task that completes first (the lowest id on ties), or -1. */
  earliestLanding(): number {
    return this.landings.peek();
  }

  /** A landing task completed: off the landing list and its job's list; the caller reads, then releases it. */
  complete(task: number): void {
    this.removeLanding(task);
    this.unlinkFromJob(task);
  }

  clear(): void {
    this.landing.length = 0;
    this.heads.clear();
    this.landings.clear();
  }

  /** Keys the prover by its head task's core-phase end, or drops it when its queue is empty. */
  private updateHead(prover: number): void {
    if (this.provers.queueLen[prover] === 0) this.heads.remove(prover);
    else this.heads.set(prover, this.tasks.finish[this.provers.queueHead[prover]!]!);
  }

  private removeLanding(task: number): void {
    // Swap-remove: takeDown walks this list, and its order is the order failures are counted and reassigned in.
    const k = this.landing.indexOf(task);
    this.landing[k] = this.landing[this.landing.length - 1]!;
    this.landing.pop();
    this.landings.remove(task);
  }

  /**
   * Removes a task at time t and releases it; later tasks of its prover move up. Returns the seconds
   * its core phase had run and not yet been charged (0 for a withheld or landing task).
   */
  cancel(task: number, t: number): number {
    const P = this.provers;
    const T = this.tasks;
    const prover = T.prover[task]!;
    if (T.state[task] === TaskState.Parked || T.state[task] === TaskState.Landing) {
      if (T.state[task] === TaskState.Parked) P.parkedLen[prover]!--;
      else this.removeLanding(task);
      this.unlinkFromJob(task);
      T.release(task);
      return 0;
    }
    const ran = T.start[task]! < t ? Math.min(t, T.finish[task]!) - T.start[task]! : 0;
    let cur = P.queueHead[prover]!;
    let prev = -1;
    while (cur !== task) {
      prev = cur;
      cur = T.next[cur]!;
    }
    if (prev < 0) P.queueHead[prover] = T.next[task]!;
    else T.next[prev] = T.next[task]!;
    if (P.queueTail[prover] === task) P.queueTail[prover] = prev;
    P.queueLen[prover]!--;
    this.unlinkFromJob(task);
    T.release(task);
    this.rechain(prover, t);
    this.updateHead(prover);
    return ran;
  }

  private unlinkFromJob(task: number): void {
    const T = this.tasks;
    const job = T.job[task]!;
    let cur = this.jobs.firstTask[job]!;
    let prev = -1;
    while (cur >= 0 && cur !== task) {
      prev = cur;
      cur = T.nextOfJob[cur]!;
    }
    if (cur >= 0) {
      if (prev < 0) this.jobs.firstTask[job] = T.nextOfJob[cur]!;
      else T.nextOfJob[prev] = T.nextOfJob[cur]!;
    }
    this.jobs.liveTasks[job]!--;
  }

  /** Recomputes start and finish of a prover's queued tasks after one was removed at time t. */
  private rechain(prover: number, t: number): void {
    const P = this.provers;
    const T = this.tasks;
    let prevFinish = t;
    for (let cur = P.queueHead[prover]!, k = 0; k < P.queueLen[prover]!; k++, cur = T.next[cur]!) {
      if (T.start[cur]! < t) {
        prevFinish = T.finish[cur]!;
        continue;
      }
      T.start[cur] = Math.max(T.assignedAt[cur]!, prevFinish);
      T.finish[cur] = T.start[cur]! + T.service[cur]!;
      prevFinish = T.finish[cur]!;
    }
    P.freeAt[prover] = prevFinish;
  }
}
