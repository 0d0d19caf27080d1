import type { Archetype } from "../config/schema.js";

const HOUR = 3600;

/** Where ProverTable.countUp writes each count. */
export const UP_ELIGIBLE = 0;
export const UP_ONLINE = 1;
export const UP_CORES = 2;

/** Bits of ProverTable.scanFlags: the epoch's standing of each prover that the candidate scan tests. */
export const SCAN_ELIGIBLE = 1;
export const SCAN_SKIP = 2;
export const SCAN_RACE_ONLY = 4;
export const SCAN_RACE_OPT_IN = 8;
export const SCAN_BATCH_OPT_IN = 16;
export const SCAN_POOLED = 32;

/** The prover population as columns: static traits from archetypes, plus per-run state. */
export class ProverTable {
  readonly n: number;
  readonly archetypeNames: readonly string[];
  readonly archetype: Uint16Array;
  /** The archetype's own cores. */
  readonly ownCompute: Float64Array;
  readonly agentCores: Float64Array;
  readonly agentCapital: Float64Array;
  readonly agentLeadSeconds: Float64Array;
  readonly agentLifeYears: Float64Array;
  readonly costPerCoreSecond: Float64Array;
  readonly fixedCostPerEpoch: Float64Array;
  readonly capital: Float64Array;
  readonly mtbfSeconds: Float64Array;
  readonly mttrSeconds: Float64Array;
  readonly latencySigma: Float64Array;
  readonly startActive: Uint8Array;

  // State, reset per episode.
  /** Cores provisioned: the archetype's own plus the added agents'. */
  readonly compute: Float64Array;
  /** Agents added on top of the archetype's, proving. */
  readonly extraAgents: Float64Array;
  /** Agents ordered, not yet proving; they arrive together at pendingAt. */
  readonly pendingAgents: Float64Array;
  readonly pendingAt: Float64Array;
  readonly batchOptIn: Uint8Array;
  readonly skipUnprofitable: Uint8Array;
  readonly raceOnly: Uint8Array;
  /** 1 while the prover proves through its archetype's pool. */
  readonly pooled: Uint8Array;
  readonly registered: Uint8Array;
  readonly capacity: Float64Array;
  readonly raceOptIn: Uint8Array;
  readonly stake: Float64Array;
  readonly unbonding: Float64Array;
  readonly unbondAt: Float64Array;
  readonly reputation: Float64Array;
  readonly onTimeRate: Float64Array;
  /** Exponential averages of each prover's proof times and their squares (mechanism.consistencyMetric: steadiness). */
  readonly proofTimeMean: Float64Array;
  readonly proofTimeSquare: Float64Array;
  readonly downUntil: Float64Array;
  readonly nextFailAt: Float64Array;
  readonly queueHead: Int32Array;
  readonly queueTail: Int32Array;
  readonly queueLen: Int32Array;
  readonly freeAt: Float64Array;
  readonly eligible: Uint8Array;
  readonly boosterScore: Float64Array;
  /** 1 while the prover withholds its proofs (the epoch's `withhold` action). */
  readonly withholding: Uint8Array;
  /** Withheld tasks the prover holds: assigned, never worked on, outside its FIFO queue. */
  readonly parkedLen: Int32Array;

  // Running totals over the episode (USD unless named otherwise).
  readonly rewards: Float64Array;
  readonly costs: Float64Array;
  readonly slashed: Float64Array;
  readonly wins: Float64Array;
  /** Assignments withheld over the episode. */
  readonly withheld: Float64Array;
  readonly everRegistered: Uint8Array;

  // Per-epoch counters, zeroed at each epoch start.
  readonly epochRewards: Float64Array;
  readonly epochCosts: Float64Array;
  readonly epochSlashed: Float64Array;
  readonly epochOnTime: Float64Array;
  readonly epochFailures: Float64Array;
  readonly epochWins: Float64Array;
  readonly epochDownSeconds: Float64Array;
  readonly epochParticipation: Float64Array;
  readonly epochBusySeconds: Float64Array;
  /**
   * Core cost charged this epoch for proofs still on their critical path at its close, less the charge
   * of earlier proofs that landed or were lost in it: what turns the epoch's cash profit into the
   * learners' accrual profit (a proof's cost booked with its outcome).
   */
  readonly epochDeferredCost: Float64Array;

  // The candidate scan's view of the epoch (packScan): what it reads of each prover, in two columns
  // rather than seven, since every one of them changes only at the epoch's start.
  /** compute x capacity: the cores online when up. */
  readonly scanCores: Float64Array;
  /** SCAN_* bits: eligible, skips unprofitable work, races only, opted in to races, to batches, pooled. */
  readonly scanFlags: Uint8Array;

  constructor(archetypes: readonly Archetype[]) {
    const n = archetypes.reduce((s, a) => s + a.count, 0);
    this.n = n;
    this.archetypeNames = archetypes.map((a) => a.name);
    const f = () => new Float64Array(n);
    this.archetype = new Uint16Array(n);
    this.ownCompute = f();
    this.agentCores = f();
    this.agentCapital = f();
    this.agentLeadSeconds = f();
    this.agentLifeYears = f();
    this.compute = f();
    this.costPerCoreSecond = f();
    this.fixedCostPerEpoch = f();
    this.capital = f();
    this.mtbfSeconds = f();
    this.mttrSeconds = f();
    this.latencySigma = f();
    this.startActive = new Uint8Array(n);
    let i = 0;
    archetypes.forEach((a, k) => {
      for (let c = 0; c < a.count; c++, i++) {
        this.archetype[i] = k;
        this.ownCompute[i] = a.computeCores;
        this.agentCores[i] = a.agentCores;
        this.agentCapital[i] = a.agentCapitalUsd;
        this.agentLeadSeconds[i] = a.agentLeadHours * HOUR;
        this.agentLifeYears[i] = a.agentLifeYears;
        this.costPerCoreSecond[i] = a.costUsdPerCoreSecond;
        this.fixedCostPerEpoch[i] = a.fixedCostUsdPerEpoch;
        this.capital[i] = a.capitalUsd;
        this.mtbfSeconds[i] = a.mtbfHours * HOUR;
        this.mttrSeconds[i] = a.mttrHours * HOUR;
        this.latencySigma[i] = a.latencySigma;
        this.startActive[i] = a.startActive ? 1 : 0;
      }
    });
    this.extraAgents = f();
    this.pendingAgents = f();
    this.pendingAt = f();
    this.batchOptIn = new Uint8Array(n);
    this.skipUnprofitable = new Uint8Array(n);
    this.raceOnly = new Uint8Array(n);
    this.pooled = new Uint8Array(n);
    this.registered = new Uint8Array(n);
    this.capacity = f();
    this.raceOptIn = new Uint8Array(n);
    this.stake = f();
    this.unbonding = f();
    this.unbondAt = f();
    this.reputation = f();
    this.onTimeRate = f();
    this.proofTimeMean = f();
    this.proofTimeSquare = f();
    this.downUntil = f();
    this.nextFailAt = f();
    this.queueHead = new Int32Array(n);
    this.queueTail = new Int32Array(n);
    this.queueLen = new Int32Array(n);
    this.freeAt = f();
    this.eligible = new Uint8Array(n);
    this.boosterScore = f();
    this.withholding = new Uint8Array(n);
    this.parkedLen = new Int32Array(n);
    this.rewards = f();
    this.costs = f();
    this.slashed = f();
    this.wins = f();
    this.withheld = f();
    this.everRegistered = new Uint8Array(n);
    this.epochRewards = f();
    this.epochCosts = f();
    this.epochSlashed = f();
    this.epochOnTime = f();
    this.epochFailures = f();
    this.epochWins = f();
    this.epochDownSeconds = f();
    this.epochParticipation = f();
    this.epochBusySeconds = f();
    this.epochDeferredCost = f();
    this.scanCores = f();
    this.scanFlags = new Uint8Array(n);
  }

  /** Writes scanCores and scanFlags from the epoch's compute, capacity, eligibility and opt-ins (after refreshing eligibility). */
  packScan(): void {
    const { compute, capacity, eligible, skipUnprofitable, raceOnly, raceOptIn, batchOptIn, pooled, scanCores, scanFlags } = this;
    for (let i = 0, n = this.n; i < n; i++) {
      scanCores[i] = compute[i]! * capacity[i]!;
      scanFlags[i] =
        (eligible[i] ? SCAN_ELIGIBLE : 0) |
        (skipUnprofitable[i] ? SCAN_SKIP : 0) |
        (raceOnly[i] ? SCAN_RACE_ONLY : 0) |
        (raceOptIn[i] ? SCAN_RACE_OPT_IN : 0) |
        (batchOptIn[i] ? SCAN_BATCH_OPT_IN : 0) |
        (pooled[i] ? SCAN_POOLED : 0);
    }
  }

  /** Cores a prover has online now. */
  onlineCompute(i: number): number {
    return this.compute[i]! * this.capacity[i]!;
  }

  /** Added agents held, proving or ordered: what they tie up of the prover's capital. */
  agentCapitalTied(i: number): number {
    return (this.extraAgents[i]! + this.pendingAgents[i]!) * this.agentCapital[i]!;
  }

  /** Capital neither slashed nor tied in agents: what can be bonded as stake. */
  freeCapital(i: number): number {
    return Math.max(0, this.capital[i]! - this.slashed[i]! - this.agentCapitalTied(i));
  }

  /** Sets the agents proving on top of the archetype's own, and the cores they make. */
  setExtraAgents(i: number, agents: number): void {
    this.extraAgents[i] = agents;
    this.compute[i] = Math.max(0, this.ownCompute[i]! + agents * this.agentCores[i]!);
  }

  /**
   * The eligible provers at time t, those of them up, and the cores those online: into
   * out[UP_ELIGIBLE], out[UP_ONLINE] and out[UP_CORES]. A method of its own, so this scan over every
   * prover (each epoch, and each slot in which one went down) is compiled whole.
   */
  countUp(t: number, out: Float64Array): void {
    const { eligible, downUntil, compute, capacity } = this;
    let nEligible = 0;
    let online = 0;
    let cores = 0;
    for (let i = 0, n = this.n; i < n; i++) {
      if (!eligible[i]) continue;
      nEligible++;
      if (downUntil[i]! > t) continue;
      online++;
      cores += compute[i]! * capacity[i]!;
    }
    out[UP_ELIGIBLE] = nEligible;
    out[UP_ONLINE] = online;
    out[UP_CORES] = cores;
  }

  /** Tasks a prover holds: queued, and parked (withheld). */
  held(i: number): number {
    return this.queueLen[i]! + this.parkedLen[i]!;
  }

  resetState(): void {
    for (const arr of [
      this.extraAgents,
      this.pendingAgents,
      this.pendingAt,
      this.batchOptIn,
      this.skipUnprofitable,
      this.raceOnly,
      this.pooled,
      this.registered,
      this.capacity,
      this.raceOptIn,
      this.stake,
      this.unbonding,
      this.unbondAt,
      this.downUntil,
      this.nextFailAt,
      this.queueLen,
      this.freeAt,
      this.eligible,
      this.boosterScore,
      this.withholding,
      this.parkedLen,
      this.rewards,
      this.costs,
      this.slashed,
      this.wins,
      this.withheld,
      this.everRegistered,
      this.proofTimeMean,
      this.proofTimeSquare,
    ])
      arr.fill(0);
    this.compute.set(this.ownCompute);
    this.reputation.fill(1);
    this.onTimeRate.fill(1);
    this.queueHead.fill(-1);
    this.queueTail.fill(-1);
    this.resetEpochCounters();
  }

  resetEpochCounters(): void {
    for (const arr of [
      this.epochRewards,
      this.epochCosts,
      this.epochSlashed,
      this.epochOnTime,
      this.epochFailures,
      this.epochWins,
      this.epochDownSeconds,
      this.epochParticipation,
      this.epochBusySeconds,
      this.epochDeferredCost,
    ])
      arr.fill(0);
  }
}
