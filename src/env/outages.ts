import type { Experiment } from "../config/schema.js";
import type { Stream } from "../rng/streams.js";
import { IdHeap } from "./heap.js";
import type { ProverTable } from "./provers.js";

/** Called when a prover goes down at time t until `until`. */
export type TakeDown = (prover: number, t: number, until: number) => void;

/**
 * Prover outages: independent failures (exponential time between failures and to repair) and
 * correlated outages (scheduled, or at random) that take a share of all provers down at once.
 * Outages start and end on slot boundaries.
 */
export class OutageProcess {
  private readonly scheduled: readonly { at: number; share: number; duration: number }[];
  private readonly correlatedSlotProb: number;
  private readonly order: Int32Array;
  /** Every prover by its next independent failure time. */
  private readonly failures = new IdHeap();
  /** Provers whose failure falls in the current slot, then in index order. */
  private readonly due: Int32Array;
  /** Provers down at some point of the current slot or later: the only ones with downtime to add. */
  private readonly down: Int32Array;
  private readonly isDown: Uint8Array;
  private downCount = 0;
  private independent!: Stream;
  private correlated!: Stream;
  private nextScheduled = 0;

  constructor(
    private readonly cfg: Experiment["provers"]["correlatedOutages"],
    private readonly slotSeconds: number,
    private readonly provers: ProverTable,
  ) {
    this.scheduled = cfg.scheduled
      .map((o) => ({ at: o.startHour * 3600, share: o.share, duration: o.durationHours * 3600 }))
      .sort((a, b) => a.at - b.at);
    this.correlatedSlotProb = 1 - Math.exp((-cfg.perDay * slotSeconds) / 86_400);
    this.order = new Int32Array(provers.n);
    this.due = new Int32Array(provers.n);
    this.down = new Int32Array(provers.n);
    this.isDown = new Uint8Array(provers.n);
  }

  /** Starts an episode: draws every prover's first failure time. */
  reset(independent: Stream, correlated: Stream): void {
    this.independent = independent;
    this.correlated = correlated;
    this.nextScheduled = 0;
    this.failures.clear();
    this.isDown.fill(0);
    this.downCount = 0;
    const P = this.provers;
    for (let i = 0; i < P.n; i++) {
      P.nextFailAt[i] = independent.exponential(P.mtbfSeconds[i]!);
      this.failures.set(i, P.nextFailAt[i]!);
    }
  }

  /** Applies the outages of the slot [t0, t1) and adds each prover's downtime in it. */
  apply(t0: number, t1: number, takeDown: TakeDown): void {
    const P = this.provers;
    // The provers failing in this slot, in index order (the order their repair and next failure are drawn in).
    let due = 0;
    while (this.failures.size > 0 && this.failures.peekKey() < t1) {
      const i = this.failures.peek();
      this.failures.remove(i);
      this.due[due++] = i;
    }
    for (let k = 1; k < due; k++) {
      // Insertion sort: a slot has few failures, and this allocates nothing.
      const i = this.due[k]!;
      let j = k - 1;
      for (; j >= 0 && this.due[j]! > i; j--) this.due[j + 1] = this.due[j]!;
      this.due[j + 1] = i;
    }
    for (let k = 0; k < due; k++) {
      const i = this.due[k]!;
      // A prover still down fails once it is up again, its failure time kept.
      if (P.downUntil[i]! <= t0) {
        this.goDown(i, t0, this.ceilToSlot(t0 + this.independent.exponential(P.mttrSeconds[i]!)), takeDown);
        P.nextFailAt[i] = P.downUntil[i]! + this.independent.exponential(P.mtbfSeconds[i]!);
      }
      this.failures.set(i, P.nextFailAt[i]!);
    }
    while (this.nextScheduled < this.scheduled.length && this.scheduled[this.nextScheduled]!.at < t1) {
      const o = this.scheduled[this.nextScheduled++]!;
      this.correlatedOutage(t0, o.share, o.duration, takeDown);
    }
    if (this.correlatedSlotProb > 0 && this.correlated.uniform() < this.correlatedSlotProb) {
      this.correlatedOutage(t0, this.cfg.share, this.cfg.durationHours * 3600, takeDown);
    }
    for (let k = this.downCount - 1; k >= 0; k--) {
      const i = this.down[k]!;
      const down = Math.min(t1, P.downUntil[i]!) - t0;
      if (down > 0) P.epochDownSeconds[i]! += down;
      if (P.downUntil[i]! <= t1) {
        this.isDown[i] = 0;
        this.down[k] = this.down[--this.downCount]!;
      }
    }
  }

  private goDown(i: number, t: number, until: number, takeDown: TakeDown): void {
    takeDown(i, t, until);
    if (this.isDown[i]) return;
    this.isDown[i] = 1;
    this.down[this.downCount++] = i;
  }

  private correlatedOutage(t: number, share: number, duration: number, takeDown: TakeDown): void {
    const P = this.provers;
    const hit = Math.round(share * P.n);
    // A partial Fisher-Yates shuffle picks `hit` distinct provers.
    for (let i = 0; i < P.n; i++) this.order[i] = i;
    for (let k = 0; k < hit; k++) {
      const j = k + this.correlated.int(P.n - k);
      const pick = this.order[j]!;
      this.order[j] = this.order[k]!;
      this.order[k] = pick;
      this.goDown(pick, t, Math.max(P.downUntil[pick]!, this.ceilToSlot(t + duration)), takeDown);
      P.nextFailAt[pick] = P.downUntil[pick]! + this.correlated.exponential(P.mtbfSeconds[pick]!);
      this.failures.set(pick, P.nextFailAt[pick]!);
    }
  }

  private ceilToSlot(t: number): number {
    return Math.ceil(t / this.slotSeconds - 1e-9) * this.slotSeconds;
  }
}
