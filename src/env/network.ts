import type { ParamValues } from "../config/paramSpace.js";
import type { Experiment } from "../config/schema.js";
import {
  aggregationLatency,
  aggregationWork,
  batchingOn,
  batchPressure,
  isCongested,
  needsRescue,
  sealsBatch,
} from "../mechanism/batching.js";
import { graceRequirements, isEligible } from "../mechanism/eligibility.js";
import {
  escalateOnFailure,
  isOverloaded,
  loadSignal,
  mayExit,
  minDurationServed,
  onlineShare,
  preemptiveTrigger,
  type EmergencySignals,
} from "../mechanism/emergency.js";
import { toMechanismParams, type MechanismParams } from "../mechanism/params.js";
import {
  onTimeShare,
  steadiness,
  updateOnTimeRate,
  updateProofTimeMoments,
  updateReputation,
  uptimeShare,
} from "../mechanism/reputation.js";
import {
  baseReward,
  isStressedEpoch,
  performanceBonus,
  speedBar,
  performanceWindow,
  proRataShare,
  raceCompensation,
  rollingProofSeconds,
  smoothedL1Cost,
  stabilizationPool,
} from "../mechanism/rewards.js";
import { demandSignal, forecastIndex, scaleRequirements, smoothIndex, type Requirements } from "../mechanism/scaling.js";
import { SelectionScratch, selectionWidth, selectProvers } from "../mechanism/selection.js";
import { slashAmount } from "../mechanism/slashing.js";
import { variantRules, type VariantRules } from "../mechanism/variants.js";
import { hashNormal, hashUniform, type JobDraw } from "../rng/hash.js";
import { Stream } from "../rng/streams.js";
import { DemandProcess } from "./demand.js";
import { BatchTable, MAX_BATCH } from "./batches.js";
import { DelayHistogram } from "./delayHistogram.js";
import { JobState, JobTable, SEGMENTS, TaskState, TaskTable } from "./jobs.js";
import { Mempool } from "./mempool.js";
import { acceptFactor, blockWork, treeDepth } from "./proofTree.js";
import { EpochCounters, epochRow, type EpochContext, type EpochRow } from "./kpis.js";
import { L1Market } from "./l1.js";
import { Ledger } from "./ledger.js";
import { SampleBuffer } from "./pool.js";
import {
  ProverTable,
  SCAN_BATCH_OPT_IN,
  SCAN_ELIGIBLE,
  SCAN_POOLED,
  SCAN_RACE_ONLY,
  SCAN_RACE_OPT_IN,
  SCAN_SKIP,
  UP_CORES,
  UP_ELIGIBLE,
  UP_ONLINE,
} from "./provers.js";
import { checkActions, createObservation, NF, PF, PROVER_FEATURES, type Observation, type ProverActions } from "./spaces.js";
import { hhi, nakamoto, shareGap, percentileSorted } from "./stats.js";
import { ProverQueues } from "./queues.js";
import { OutageProcess } from "./outages.js";
import { EpochShareBook } from "./epochShares.js";
import { WindowAccumulator } from "./windowKpis.js";

const YEAR_SECONDS = 365 * 24 * 3600;
const NOISE_SALT = 0x401;

/** Parameters that size per-episode state, so `setParams` cannot change them within an episode. */
export const FIXED_WITHIN_EPISODE: readonly string[] = ["rewards.performanceWindowEpochs"];

/** What settleEpoch's pass over the provers sums for the epoch's row. */
type ProverTotals = Pick<
  EpochContext,
  | "activeProvers"
  | "eligibleProvers"
  | "addedAgents"
  | "profitable"
  | "profitSum"
  | "costSum"
  | "smallEligible"
  | "smallProfitSum"
  | "smallCostSum"
>;

/** A job not yet proven (a block: not yet verified on L1): waiting, assigned, split into parts, or waiting for its batch. */
function isOpen(state: number): boolean {
  return state === JobState.Waiting || state === JobState.Assigned || state === JobState.Aggregating || state === JobState.Split;
}

/** Most parts a block is split into (distributed proving), and the key offset that gives each part its own draws. */
export const MAX_PARTS = 16;
const PART_KEY = 2 ** 36;
const GRACE_RING = 64;

/** What reset() tells beside the first observation. */
export interface ResetInfo {
  /** Provers: the observation's rows and the actions' length. */
  readonly provers: number;
  /** Epochs until the episode is truncated. */
  readonly horizonEpochs: number;
}

export interface ResetResult {
  readonly observation: Observation;
  readonly info: ResetInfo;
}

export interface StepResult {
  readonly observation: Observation;
  /** Each prover's accrual profit in the epoch just simulated (USD): a proof's compute is booked when it lands or is lost (docs/MODEL.md 8.5). */
  readonly reward: Float64Array;
  /** Always false: no state of the network ends an episode (provers may leave and join again). */
  readonly terminated: boolean;
  /** True after the experiment's last epoch (`horizonEpochs`): the episode is cut by time; reset() before stepping again. */
  readonly truncated: boolean;
  /** terminated or truncated. */
  readonly done: boolean;
  readonly info: EpochRow;
}

/** Totals over an episode, for conservation checks and the run summary. */
export interface EpisodeTotals {
  txArrived: number;
  txProven: number;
  txReorged: number;
  /** Transactions that left the mempool unincluded after the time-to-live. */
  txExpired: number;
  jobsCreated: number;
  blocksCreated: number;
  blocksProven: number;
  blocksReorged: number;
  /** Per-block proof latencies of the whole episode (seconds), kept only when the run records rows. */
  readonly latencies: SampleBuffer;
  /** The same latencies binned, when the run does not record rows (memory flat in the horizon). */
  readonly latencyHistogram: DelayHistogram;
  /** Transaction delays, arrival to verification on L1, of the whole episode. */
  readonly delays: DelayHistogram;
}

export interface EnvOptions {
  /**
   * Keep every epoch's row (`rows`) and every block's latency (default true). Off, memory stays flat
   * in the horizon: the run's window KPIs accumulate as it goes (`kpis`) and the summary's latency
   * quantiles come from a histogram.
   */
  recordRows?: boolean;
}

/**
 * The prover network as an environment: `reset(seed)` then `step(actions)` once per epoch.
 * Inside a step the network advances slot by slot; job completions, cancellations and, in
 * validation mode, transaction arrivals are handled at their exact continuous times.
 */
export class ProverNetworkEnv {
  readonly provers: ProverTable;
  private mechanism: MechanismParams;
  readonly rules: VariantRules;
  readonly ledger = new Ledger();
  readonly totals: EpisodeTotals;
  /** Every epoch's row so far, when recording (else empty). */
  readonly rows: EpochRow[] = [];
  readonly recordsRows: boolean;
  /** The window KPIs of every epoch so far. */
  kpis = new WindowAccumulator();

  private readonly exp: Experiment;
  private readonly slotSeconds: number;
  private readonly epochSeconds: number;
  private readonly demand: DemandProcess;
  private readonly l1: L1Market;
  private readonly jobs = new JobTable();
  private readonly tasks = new TaskTable();
  private readonly batches = new BatchTable();
  private readonly txPool = new Mempool();
  /** Each prover's proof-time factor at jobs.acceptQuantile: it accepts a job only if it finishes in time at that speed. */
  private readonly acceptFactor: Float64Array;
  private readonly ttlSeconds: number;
  /** demand.jobPerTransaction: every transaction is its own job, arriving at its own time (no blocks). */
  private readonly validationMode: boolean;
  private readonly counters = new EpochCounters();
  private readonly scratch: SelectionScratch;
  private readonly candidates: Int32Array;
  private readonly chosen: Int32Array;
  /** Per archetype: its pool's registered members' summed online compute and stake. */
  private readonly poolCompute: Float64Array;
  private readonly poolStake: Float64Array;
  /** Per archetype, in one assignment: the candidate slot of its pool's member, or -1. */
  private readonly poolSlot: Int32Array;
  private readonly statScratch: Float64Array;
  private readonly stakeView: Float64Array;
  /** Median compute of the whole population: the reference of the entry-barrier KPI. */
  private readonly medianCompute: number;
  /** How many provers are small: their own compute is below medianCompute (the small-prover KPIs). */
  private readonly smallProvers: number;
  /** Compute-weighted mean price of a core-second across the population: the price of wasted work. */
  private readonly meanCoreSecondUsd: number;
  private readonly observation: Observation;
  private readonly reward: Float64Array;
  private readonly requirementRing = new Float64Array(GRACE_RING * 2);
  private readonly latencyRing: Float64Array;
  /** mechanism.speedMetric percentile: this epoch's winning proof times, each window epoch's, and their sum (scratch). */
  private readonly percentileSpeed: boolean;
  private readonly proofTimes = new DelayHistogram();
  private readonly proofTimeRing: DelayHistogram[];
  private readonly proofTimeWindow = new DelayHistogram();
  /** windowQuantile's cache: the ratio it was read at (NaN: stale) and the quantile. */
  private quantileRatio = NaN;
  private quantileSeconds = NaN;
  private readonly latencyCountRing: Float64Array;
  private readonly queues: ProverQueues;
  private readonly outages: OutageProcess;
  private readonly shareBook: EpochShareBook;
  private readonly takeDownAt = (prover: number, t: number, until: number): void => this.takeDown(prover, t, until);
  private readonly failedJobs: number[] = [];
  private readonly prunedScratch: number[] = [];
  private assignAt = 0;
  private readonly stillWaiting = (job: number): boolean => !this.tryAssign(job, this.assignAt);
  private readonly isWaiting = (job: number): boolean => this.jobs.state[job] === JobState.Waiting;
  private readonly isLive = (job: number): boolean => this.jobs.state[job] !== JobState.Free;
  private proverFailed = false;
  private readonly signals: EmergencySignals = { load: 0, online: 0, forecast: 0 };
  private readonly upScratch = new Float64Array(3);
  /** The epoch's rewards and its registered provers' compute, by archetype (settleEpoch, for rewardComputeGap). */
  private readonly archetypeRewards: Float64Array;
  private readonly archetypeCompute: Float64Array;
  private readonly req: Requirements = { minCompute: 0, minStake: 0 };
  private readonly graceReq: Requirements = { minCompute: 0, minStake: 0 };
  private readonly selectionDraw: JobDraw = { seed: 0, key: 0 };
  private noiseSeed = 0;

  private streams!: {
    demand: Stream;
    arrivals: Stream;
  };
  private t = 0;
  private slot = 0;
  private epoch = 0;
  private outstandingWork = 0;
  private openBatch = -1;
  /** The backlog was congested at the last block; the time of the congestion onset not yet answered by a batch (-1: none). */
  private wasCongested = false;
  private congestedSince = -1;
  /** When the emergency in force was activated pre-emptively and has not turned out real yet (-1: not so). */
  private preemptedAt = -1;
  private demandIndex = 1;
  private prevDemandIndex = 1;
  private emergency = false;
  private emergencySince = 0;
  private emergencyStressed = false;
  private nextArrival = Infinity;
  private lambda = 0;
  private nextDeadlineCheck = Infinity;
  private rollingProofSeconds = 0;
  /** The L1 verification cost the base reward covers (rewards.l1CostSmoothingHours). */
  private l1CostEstimate = 0;

  constructor(exp: Experiment, params: ParamValues, options: EnvOptions = {}) {
    this.exp = exp;
    this.recordsRows = options.recordRows ?? true;
    this.mechanism = toMechanismParams(params);
    this.rules = variantRules(exp.mechanism.variant);
    this.slotSeconds = exp.time.slotSeconds;
    this.epochSeconds = exp.time.slotSeconds * exp.time.slotsPerEpoch;
    this.demand = new DemandProcess(exp.demand);
    this.l1 = new L1Market(exp.l1, this.slotSeconds);
    this.provers = new ProverTable(exp.provers.archetypes);
    const n = this.provers.n;
    this.scratch = new SelectionScratch(n);
    this.candidates = new Int32Array(n);
    this.chosen = new Int32Array(n);
    const archetypes = exp.provers.archetypes.length;
    this.poolCompute = new Float64Array(archetypes);
    this.poolStake = new Float64Array(archetypes);
    this.poolSlot = new Int32Array(archetypes);
    this.archetypeRewards = new Float64Array(archetypes);
    this.archetypeCompute = new Float64Array(archetypes);
    this.statScratch = new Float64Array(n);
    this.stakeView = new Float64Array(n);
    this.medianCompute = percentileSorted(Float64Array.from(this.provers.ownCompute).sort(), n, 0.5);
    this.smallProvers = this.provers.ownCompute.filter((c) => c < this.medianCompute).length;
    let cores = 0;
    let spend = 0;
    for (let i = 0; i < n; i++) {
      cores += this.provers.ownCompute[i]!;
      spend += this.provers.ownCompute[i]! * this.provers.costPerCoreSecond[i]!;
    }
    this.meanCoreSecondUsd = cores > 0 ? spend / cores : 0;
    this.observation = createObservation(n);
    this.reward = new Float64Array(n);
    this.acceptFactor = new Float64Array(n);
    for (let i = 0; i < n; i++) this.acceptFactor[i] = acceptFactor(exp.jobs.noise, this.provers.latencySigma[i]!, exp.jobs.acceptQuantile);
    this.ttlSeconds = exp.demand.txTimeToLiveHours * 3600;
    this.validationMode = exp.demand.jobPerTransaction;
    this.latencyRing = new Float64Array(performanceWindow(this.mechanism));
    this.latencyCountRing = new Float64Array(this.latencyRing.length);
    this.percentileSpeed = exp.mechanism.speedMetric === "percentile";
    this.proofTimeRing = this.percentileSpeed ? Array.from({ length: this.latencyRing.length }, () => new DelayHistogram()) : [];
    this.queues = new ProverQueues(this.provers, this.tasks, this.jobs);
    this.outages = new OutageProcess(exp.provers.correlatedOutages, this.slotSeconds, this.provers);
    this.shareBook = new EpochShareBook(n, exp.time.proofWindowEpochs);
    this.totals = {
      txArrived: 0,
      txProven: 0,
      txReorged: 0,
      txExpired: 0,
      jobsCreated: 0,
      blocksCreated: 0,
      blocksProven: 0,
      blocksReorged: 0,
      latencies: new SampleBuffer(),
      latencyHistogram: new DelayHistogram(),
      delays: new DelayHistogram(),
    };
  }

  get experiment(): Experiment {
    return this.exp;
  }

  get params(): MechanismParams {
    return this.mechanism;
  }

  /**
   * Changes the mechanism's parameters from the next slot on (an adaptive governance controller
   * calls it between epochs). The performance window sizes a ring buffer, so it cannot change.
   */
  setParams(params: ParamValues): void {
    const next = toMechanismParams(params);
    if (performanceWindow(next) !== this.latencyRing.length) {
      throw new Error("rewards.performanceWindowEpochs cannot change within an episode");
    }
    this.mechanism = next;
  }

  /** Starts an episode. Same seed (or stream), same episode, byte for byte. */
  reset(seed: number | Stream): ResetResult {
    const root = typeof seed === "number" ? Stream.root(seed).child("episode") : seed;
    this.streams = {
      demand: root.child("demand"),
      arrivals: root.child("arrivals"),
    };
    this.selectionDraw.seed = root.child("selection").int(2 ** 32);
    this.noiseSeed = root.child("noise").int(2 ** 32);
    this.demand.reset(this.streams.demand.child("regime"));
    this.l1.reset(root.child("l1-gas"), root.child("l1-blob"));
    this.l1CostEstimate = this.l1.verifyCostUsd();
    const P = this.provers;
    P.resetState();
    this.outages.reset(root.child("outages"), root.child("correlated-outages"));
    this.jobs.clear();
    this.tasks.clear();
    this.batches.clear();
    this.queues.clear();
    this.txPool.clear();
    this.ledger.reset(this.exp.economy.initialTreasuryUsd);
    this.counters.reset();
    this.rows.length = 0;
    this.kpis = new WindowAccumulator();
    const T = this.totals;
    T.txArrived = T.txProven = T.txReorged = T.txExpired = T.jobsCreated = T.blocksCreated = T.blocksProven = T.blocksReorged = 0;
    T.latencies.clear();
    T.latencyHistogram.clear();
    T.delays.clear();
    this.t = 0;
    this.slot = 0;
    this.epoch = 0;
    this.outstandingWork = 0;
    this.openBatch = -1;
    this.wasCongested = false;
    this.congestedSince = -1;
    this.preemptedAt = -1;
    this.demandIndex = this.prevDemandIndex = 1;
    this.emergency = false;
    this.emergencyStressed = false;
    this.proverFailed = false;
    this.failedJobs.length = 0;
    this.nextArrival = Infinity;
    this.nextDeadlineCheck = Infinity;
    this.rollingProofSeconds = 0;
    this.latencyRing.fill(0);
    this.quantileRatio = NaN;
    this.proofTimes.clear();
    this.proofTimeWindow.clear();
    for (const h of this.proofTimeRing) h.clear();
    this.latencyCountRing.fill(0);
    this.shareBook.reset();
    this.req.minCompute = this.params.base.minComputeCores;
    this.req.minStake = this.params.base.minStakeUsd;
    this.requirementRing.fill(0);
    this.reward.fill(0);
    for (let i = 0; i < P.n; i++) {
      if (!P.startActive[i]) continue;
      P.registered[i] = 1;
      P.capacity[i] = 1;
      P.raceOptIn[i] = 1;
      P.batchOptIn[i] = 1;
      P.stake[i] = Math.min(P.capital[i]!, 2 * this.req.minStake);
    }
    this.refreshEligibility();
    this.writeObservation();
    return { observation: this.observation, info: { provers: P.n, horizonEpochs: this.exp.horizonEpochs } };
  }

  /** Applies the provers' actions for the coming epoch and simulates it. */
  step(actions: ProverActions): StepResult {
    if (this.epoch >= this.exp.horizonEpochs) throw new Error("step() after the episode ended; call reset() first");
    const P = this.provers;
    checkActions(actions, P.n);
    this.counters.reset();
    P.resetEpochCounters();
    this.applyActions(actions);
    this.refreshEligibility();
    if (this.rules.preemptive) this.evaluatePreemptive();
    const slots = this.exp.time.slotsPerEpoch;
    for (let k = 0; k < slots; k++) this.runSlot();
    const row = this.closeEpoch();
    this.epoch++;
    this.writeObservation();
    const truncated = this.epoch >= this.exp.horizonEpochs;
    return { observation: this.observation, reward: this.reward, terminated: false, truncated, done: truncated, info: row };
  }

  // ---------------------------------------------------------------- epoch boundaries

  private applyActions(a: ProverActions): void {
    const P = this.provers;
    const C = this.counters;
    const t = this.t;
    const unbondSeconds = this.params.base.unbondingHours * 3600;
    const { registered, unbonding, unbondAt, stake, pendingAgents, pendingAt, extraAgents, withholding } = P;
    const { capacity, raceOptIn, batchOptIn, skipUnprofitable, raceOnly, pooled } = P;
    const { active, agents, withhold } = a;
    for (let i = 0, n = P.n; i < n; i++) {
      if (unbonding[i]! > 0 && t >= unbondAt[i]!) unbonding[i] = 0;
      const want = active[i] === 1;
      if (want && !registered[i]) {
        registered[i] = 1;
        C.joins++;
        unbonding[i] = 0;
      } else if (!want && registered[i]) {
        registered[i] = 0;
        C.exits++;
        unbonding[i]! += stake[i]!;
        unbondAt[i] = t + unbondSeconds;
        stake[i] = 0;
      }
      if (pendingAgents[i]! > 0 && t >= pendingAt[i]!) {
        P.setExtraAgents(i, extraAgents[i]! + pendingAgents[i]!);
        pendingAgents[i] = 0;
      }
      this.provision(i, agents[i]!);
      if (registered[i]) {
        stake[i] = Math.min(a.stake[i]!, P.freeCapital(i));
        capacity[i] = a.capacity[i]!;
        raceOptIn[i] = a.race[i]!;
        batchOptIn[i] = a.batch[i]!;
        skipUnprofitable[i] = a.skip[i]!;
        raceOnly[i] = a.raceOnly[i]!;
        pooled[i] = a.pool[i]!;
      }
      withholding[i] = registered[i] && withhold[i] ? 1 : 0;
    }
  }

  /**
   * Moves prover i towards `target` added agents (a whole number >= 0, as `step` checks): fewer are
   * released at once (orders first), more are ordered and prove after the archetype's lead time
   * (orders placed while one is pending join it and arrive with it, no sooner than the lead time). Orders are capped by the capital not slashed or bonded.
   */
  private provision(i: number, target: number): void {
    const P = this.provers;
    const held = P.extraAgents[i]! + P.pendingAgents[i]!;
    if (target === held) return;
    if (target < held) {
      const cancel = Math.min(P.pendingAgents[i]!, held - target);
      P.pendingAgents[i]! -= cancel;
      if (held - cancel > target) P.setExtraAgents(i, target - P.pendingAgents[i]!);
      return;
    }
    const price = P.agentCapital[i]!;
    const affordable = price > 0 ? Math.floor((P.freeCapital(i) - P.stake[i]!) / price) : Infinity;
    const order = Math.min(target - held, Math.max(0, affordable));
    if (order <= 0) return;
    if (P.agentLeadSeconds[i] === 0) {
      P.setExtraAgents(i, P.extraAgents[i]! + order);
      return;
    }
    P.pendingAgents[i]! += order;
    P.pendingAt[i] = this.t + P.agentLeadSeconds[i]!;
  }

  /** What `capital` tied in prover i's agents costs per epoch: their write-off over their life, and the cost of capital. */
  private agentCapitalCost(i: number, capital: number): number {
    return capital * (1 / this.provers.agentLifeYears[i]! + this.exp.economy.stakeCostPerYear) * (this.epochSeconds / YEAR_SECONDS);
  }

  /** Each prover's eligibility for the epoch, then the candidate scan's packed view of it (ProverTable.packScan). */
  private refreshEligibility(): void {
    const P = this.provers;
    if (this.rules.requirements) this.applyRequirements();
    else for (let i = 0; i < P.n; i++) P.eligible[i] = P.registered[i]! && P.capacity[i]! > 0 ? 1 : 0;
    P.packScan();
  }

  /** Eligibility against the requirements in force (and the grace rule), pools standing as one identity. */
  private applyRequirements(): void {
    const P = this.provers;
    const grace = this.rules.dynamicScaling ? this.params.scaling.graceEpochs : 0;
    graceRequirements(this.req, this.requirementRing, this.epoch, grace, this.graceReq);
    const { registered, pooled, archetype, compute: cores, capacity, stake, eligible } = P;
    const { poolCompute, poolStake, req, graceReq } = this;
    poolCompute.fill(0);
    poolStake.fill(0);
    for (let i = 0, n = P.n; i < n; i++) {
      if (!registered[i] || !pooled[i]) continue;
      poolCompute[archetype[i]!]! += cores[i]! * capacity[i]!;
      poolStake[archetype[i]!]! += stake[i]!;
    }
    for (let i = 0, n = P.n; i < n; i++) {
      const k = archetype[i]!;
      const compute = pooled[i] ? poolCompute[k]! : cores[i]! * capacity[i]!;
      const bonded = pooled[i] ? poolStake[k]! : stake[i]!;
      eligible[i] = registered[i] === 1 && capacity[i]! > 0 && isEligible(compute, bonded, eligible[i] === 1, req, graceReq) ? 1 : 0;
    }
  }

  private evaluatePreemptive(): void {
    this.measureSignals();
    if (!this.emergency && preemptiveTrigger(this.signals, this.params)) {
      this.activateEmergency();
      this.preemptedAt = this.t;
    }
  }

  /**
   * The emergency in force turns out real (a job hit, or an overload): a pre-emptive one's lead time,
   * from its activation to this moment, is counted once (preemptiveLeadS).
   */
  private markStressed(): void {
    if (!this.emergencyStressed && this.preemptedAt >= 0) {
      this.counters.preemptiveLeads++;
      this.counters.preemptiveLeadSum += this.t - this.preemptedAt;
    }
    this.emergencyStressed = true;
    this.preemptedAt = -1;
  }

  private activateEmergency(): void {
    this.emergency = true;
    this.emergencySince = this.epoch;
    this.emergencyStressed = false;
    this.counters.emergencyActivations++;
  }

  /** Ends the epoch: its phases in the order of docs/MODEL.md 1.1. */
  private closeEpoch(): EpochRow {
    this.chargeEpochCosts();
    this.issueTokens();
    if (this.rules.bonuses) this.payStabilizationPool();
    this.updateReputations();
    this.updateRollingProofTime();
    this.updateDemandAndRequirements();
    this.considerEmergencyExit();
    return this.settleEpoch();
  }

  /** Capital cost of stake, unbonding stake and added agents; fixed cost and identity fee of the registered. */
  private chargeEpochCosts(): void {
    const P = this.provers;
    const C = this.counters;
    const years = this.epochSeconds / YEAR_SECONDS;
    const fee = this.params.base.identityFeeUsdPerEpoch;
    const stakeCostPerYear = this.exp.economy.stakeCostPerYear;
    const { stake, unbonding, registered, fixedCostPerEpoch } = P;
    for (let i = 0, n = P.n; i < n; i++) {
      let cost = (stake[i]! + unbonding[i]!) * stakeCostPerYear * years;
      cost += this.agentCapitalCost(i, P.agentCapitalTied(i));
      if (registered[i]) {
        cost += fixedCostPerEpoch[i]!;
        if (fee > 0) {
          this.chargeProver(i, fee);
          this.ledger.collectRegistrationFee(fee);
          C.registrationFeesUsd += fee;
        }
      }
      this.chargeProver(i, cost);
    }
  }

  private issueTokens(): void {
    const issuance = this.exp.economy.issuanceUsdPerEpoch;
    this.ledger.issue(issuance);
    this.counters.issuanceUsd += issuance;
  }

  /** A stressed epoch's pool, shared by participation in races and batches. */
  private payStabilizationPool(): void {
    const P = this.provers;
    const C = this.counters;
    const p = this.params;
    const stressed = isStressedEpoch(this.emergency, C.emergencySlots, C.batches, this.demandIndex, p);
    const pool = stabilizationPool(C.baseRewardsUsd, stressed, p);
    let points = 0;
    for (let i = 0; i < P.n; i++) points += P.epochParticipation[i]!;
    if (pool > 0 && points > 0) {
      for (let i = 0; i < P.n; i++) {
        const share = proRataShare(pool, P.epochParticipation[i]!, points);
        if (share > 0) this.payProver(i, share);
      }
      C.stabilizationBonusUsd += pool;
    }
  }

  /**
   * Every prover's on-time rate and reputation from the epoch's deliveries, failures and down time.
   * Lost races and jobs pruned by another prover's miss are nobody's fault here: they count in neither.
   */
  private updateReputations(): void {
    const P = this.provers;
    const p = this.params;
    const epochSeconds = this.epochSeconds;
    const { epochOnTime, epochFailures, onTimeRate, reputation, epochDownSeconds } = P;
    for (let i = 0, n = P.n; i < n; i++) {
      const delivered = epochOnTime[i]!;
      const failed = epochFailures[i]!;
      const onTime = onTimeShare(delivered, failed, onTimeRate[i]!);
      onTimeRate[i] = updateOnTimeRate(onTimeRate[i]!, delivered, failed, p);
      reputation[i] = updateReputation(reputation[i]!, onTime, uptimeShare(epochDownSeconds[i]!, epochSeconds), p);
    }
  }

  /** The epoch's proof times join the performance bonus's window, replacing its oldest epoch's. */
  private updateRollingProofTime(): void {
    const slot = this.epoch % this.latencyRing.length;
    this.latencyRing[slot] = this.counters.proofSecondsSum;
    this.latencyCountRing[slot] = this.counters.proofCount;
    this.rollingProofSeconds = rollingProofSeconds(this.latencyRing, this.latencyCountRing);
    if (this.percentileSpeed) {
      // The epoch's proof times replace its window slot's; the window's quantile is read from their sum.
      const window = this.proofTimeRing;
      window[slot]!.clear();
      window[slot]!.addAll(this.proofTimes);
      this.proofTimes.clear();
      const all = this.proofTimeWindow;
      all.clear();
      for (const h of window) all.addAll(h);
      this.quantileRatio = NaN;
    }
  }

  /**
   * The window's performanceSpeedRatio-quantile of winning proof times (speedMetric percentile; NaN
   * otherwise), kept until the window or the ratio (which a controller may move) changes.
   */
  private windowQuantile(): number {
    if (!this.percentileSpeed) return NaN;
    const ratio = this.params.rewards.performanceSpeedRatio;
    if (ratio !== this.quantileRatio) {
      this.quantileRatio = ratio;
      this.quantileSeconds = this.proofTimeWindow.quantile(ratio);
    }
    return this.quantileSeconds;
  }

  /** The demand index takes the epoch's signal; the requirements in force are kept for the grace rule, then scaled. */
  private updateDemandAndRequirements(): void {
    const p = this.params;
    const scalingSignal = this.exp.mechanism.scalingSignal;
    const reference = this.exp.demand.baseTps * this.epochSeconds;
    // The proving load is measured here only for the signal that reads it (a pass over the provers).
    if (scalingSignal === "load") this.measureSignals();
    const signal = demandSignal(scalingSignal, this.counters.txArrived, this.txPool.total, reference, this.signals.load);
    this.prevDemandIndex = this.demandIndex;
    this.demandIndex = smoothIndex(this.demandIndex, signal, p.scaling.smoothing);
    this.requirementRing[(this.epoch % GRACE_RING) * 2] = this.req.minCompute;
    this.requirementRing[(this.epoch % GRACE_RING) * 2 + 1] = this.req.minStake;
    if (this.rules.dynamicScaling) {
      scaleRequirements(this.req, scalingSignal === "forecast" ? this.forecast() : this.demandIndex, p, this.req);
    }
  }

  /** In emergency: an overload at the close makes it a real one; it ends when the variant's exit rule holds. */
  private considerEmergencyExit(): void {
    const p = this.params;
    this.measureSignals();
    if (!this.emergency) return;
    if (isOverloaded(this.signals, p)) this.markStressed();
    const active = this.epoch + 1 - this.emergencySince;
    const exit = this.rules.thresholdEscalation ? mayExit(this.signals, active, p) : minDurationServed(active, p);
    if (exit) {
      if (!this.emergencyStressed) this.counters.falseAlarms++;
      this.emergency = false;
      this.preemptedAt = -1;
    }
  }

  /** Each prover's profit and step reward of the epoch, and the epoch's KPI row. */
  private settleEpoch(): EpochRow {
    const P = this.provers;
    let activeProvers = 0;
    let eligibleProvers = 0;
    let addedAgents = 0;
    let profitable = 0;
    let profitSum = 0;
    let costSum = 0;
    let smallEligible = 0;
    let smallProfitSum = 0;
    let smallCostSum = 0;
    const { epochRewards, epochCosts, epochSlashed, epochDeferredCost, registered, everRegistered, eligible, extraAgents, stake } = P;
    const { archetype, compute, capacity, ownCompute } = P;
    const medianCompute = this.medianCompute;
    const reward = this.reward;
    const stakeView = this.stakeView;
    // Rewards and registered compute by archetype, for rewardComputeGap.
    const archetypeRewards = this.archetypeRewards;
    const archetypeCompute = this.archetypeCompute;
    archetypeRewards.fill(0);
    archetypeCompute.fill(0);
    for (let i = 0, n = P.n; i < n; i++) {
      const profit = epochRewards[i]! - epochCosts[i]! - epochSlashed[i]!;
      reward[i] = profit + epochDeferredCost[i]!;
      const k = archetype[i]!;
      const small = ownCompute[i]! < medianCompute;
      archetypeRewards[k]! += epochRewards[i]!;
      if (registered[i]) {
        archetypeCompute[k]! += compute[i]! * capacity[i]!;
        everRegistered[i] = 1;
        activeProvers++;
        profitSum += profit;
        costSum += epochCosts[i]!;
        if (profit > 0) profitable++;
        if (small) {
          smallProfitSum += profit;
          smallCostSum += epochCosts[i]!;
        }
      }
      if (eligible[i]) {
        eligibleProvers++;
        if (small) smallEligible++;
      }
      addedAgents += extraAgents[i]!;
      stakeView[i] = stake[i]!;
    }
    return this.pushRow({
      activeProvers,
      eligibleProvers,
      addedAgents,
      profitable,
      profitSum,
      costSum,
      smallEligible,
      smallProfitSum,
      smallCostSum,
    });
  }

  private forecast(): number {
    return forecastIndex(this.demandIndex, this.prevDemandIndex, this.params.scaling.forecastLeadEpochs);
  }

  private measureSignals(): void {
    const up = this.upScratch;
    this.provers.countUp(this.t, up);
    const s = this.signals;
    s.load = loadSignal(this.outstandingWork, this.txPool.total, this.exp.jobs.workPerTxCoreSeconds, up[UP_CORES]!, this.epochSeconds);
    s.online = onlineShare(up[UP_ONLINE]!, up[UP_ELIGIBLE]!);
    s.forecast = this.forecast();
  }

  private pushRow(totals: ProverTotals): EpochRow {
    const P = this.provers;
    const requirements = this.rules.requirements;
    const row = epochRow(this.counters, {
      epoch: this.epoch,
      epochSeconds: this.epochSeconds,
      slotsPerEpoch: this.exp.time.slotsPerEpoch,
      backlogTx: this.txPool.total,
      waitingBlocks: this.jobs.waiting.size,
      ...totals,
      smallProvers: this.smallProvers,
      nakamotoProofs: nakamoto(P.epochWins, this.statScratch),
      hhiProofs: hhi(P.epochWins),
      rewardComputeGap: shareGap(this.archetypeRewards, this.archetypeCompute),
      nakamotoStake: nakamoto(this.stakeView, this.statScratch),
      hhiStake: hhi(this.stakeView),
      minComputeCores: requirements ? this.req.minCompute : null,
      minStakeUsd: requirements ? this.req.minStake : null,
      medianCompute: this.medianCompute,
      meanCoreSecondUsd: this.meanCoreSecondUsd,
      feeUsdPerTx: this.exp.economy.feeUsdPerTx,
      demandIndex: this.demandIndex,
      gasGwei: this.l1.gasGwei,
      blobGwei: this.l1.blobGwei,
      treasuryUsd: this.ledger.treasury,
    });
    const lat = this.counters.latencies;
    if (this.recordsRows) {
      for (let k = 0; k < lat.n; k++) this.totals.latencies.push(lat.values[k]!);
      this.rows.push(row);
    } else for (let k = 0; k < lat.n; k++) this.totals.latencyHistogram.add(lat.values[k]!, 1);
    this.totals.delays.addAll(this.counters.delays);
    this.kpis.add(row);
    return row;
  }

  private writeObservation(): void {
    const P = this.provers;
    const o = this.observation;
    const F = PROVER_FEATURES.length;
    let activeCompute = 0;
    let activeProfit = 0;
    let active = 0;
    // One pass over every prover, the columns in locals; the same values as P.held(), P.freeCapital(),
    // P.onlineCompute() and agentCapitalCost(), computed the same way.
    const op = o.prover;
    const registered = P.registered;
    const eligible = P.eligible;
    const compute = P.compute;
    const capacity = P.capacity;
    const stake = P.stake;
    const capital = P.capital;
    const slashed = P.slashed;
    const reputation = P.reputation;
    const onTimeRate = P.onTimeRate;
    const reward = this.reward;
    const epochRewards = P.epochRewards;
    const queueLen = P.queueLen;
    const parkedLen = P.parkedLen;
    const costPerCoreSecond = P.costPerCoreSecond;
    const fixedCostPerEpoch = P.fixedCostPerEpoch;
    const extraAgents = P.extraAgents;
    const pendingAgents = P.pendingAgents;
    const agentCores = P.agentCores;
    const agentCapital = P.agentCapital;
    const agentLifeYears = P.agentLifeYears;
    const pooled = P.pooled;
    const stakeCostPerYear = this.exp.economy.stakeCostPerYear;
    const epochYears = this.epochSeconds / YEAR_SECONDS;
    // The features' offsets as locals: a module constant read in the loop costs a context load and a hole check per use.
    const {
      registered: atRegistered,
      eligible: atEligible,
      computeCores: atComputeCores,
      capacity: atCapacity,
      stakeUsd: atStakeUsd,
      capitalUsd: atCapitalUsd,
      reputation: atReputation,
      onTimeRate: atOnTimeRate,
      epochProfitUsd: atEpochProfitUsd,
      epochRewardsUsd: atEpochRewardsUsd,
      queueLength: atQueueLength,
      costUsdPerCoreSecond: atCostUsdPerCoreSecond,
      fixedCostUsdPerEpoch: atFixedCostUsdPerEpoch,
      extraAgents: atExtraAgents,
      pendingAgents: atPendingAgents,
      agentCores: atAgentCores,
      agentCostUsdPerEpoch: atAgentCostUsdPerEpoch,
      freeCapitalUsd: atFreeCapitalUsd,
      pooled: atPooled,
    } = PF;
    for (let i = 0, nP = P.n; i < nP; i++) {
      const b = i * F;
      const isRegistered = registered[i]!;
      op[b + atRegistered] = isRegistered;
      op[b + atEligible] = eligible[i]!;
      op[b + atComputeCores] = compute[i]!;
      op[b + atCapacity] = capacity[i]!;
      op[b + atStakeUsd] = stake[i]!;
      op[b + atCapitalUsd] = Math.max(0, capital[i]! - slashed[i]!);
      op[b + atReputation] = reputation[i]!;
      op[b + atOnTimeRate] = onTimeRate[i]!;
      op[b + atEpochProfitUsd] = reward[i]!;
      op[b + atEpochRewardsUsd] = epochRewards[i]!;
      op[b + atQueueLength] = queueLen[i]! + parkedLen[i]!;
      op[b + atCostUsdPerCoreSecond] = costPerCoreSecond[i]!;
      op[b + atFixedCostUsdPerEpoch] = fixedCostPerEpoch[i]!;
      op[b + atExtraAgents] = extraAgents[i]!;
      op[b + atPendingAgents] = pendingAgents[i]!;
      op[b + atAgentCores] = agentCores[i]!;
      op[b + atAgentCostUsdPerEpoch] = agentCapital[i]! * (1 / agentLifeYears[i]! + stakeCostPerYear) * epochYears;
      op[b + atFreeCapitalUsd] = Math.max(0, capital[i]! - slashed[i]! - (extraAgents[i]! + pendingAgents[i]!) * agentCapital[i]!);
      op[b + atPooled] = pooled[i]!;
      if (isRegistered) {
        active++;
        activeCompute += compute[i]! * capacity[i]!;
        activeProfit += reward[i]!;
      }
    }
    const n = o.network;
    n[NF.epoch] = this.epoch;
    n[NF.demandIndex] = this.demandIndex;
    n[NF.backlogBlocks] = this.backlogBlocks();
    n[NF.minComputeCores] = this.rules.requirements ? this.req.minCompute : 0;
    n[NF.minStakeUsd] = this.rules.requirements ? this.req.minStake : 0;
    n[NF.emergency] = this.emergency ? 1 : 0;
    n[NF.gasGwei] = this.l1.gasGwei;
    n[NF.activeProvers] = active;
    n[NF.profitUsdPerCoreEpoch] = activeCompute > 0 ? activeProfit / activeCompute : 0;
    n[NF.treasuryUsd] = this.ledger.treasury;
    const r = this.params.rewards;
    n[NF.computePriceUsdPerCoreSecond] = r.computePriceUsdPerCoreSecond;
    n[NF.profitMargin] = r.profitMargin;
    n[NF.performanceBonusWeight] = this.rules.bonuses ? r.performanceBonusWeight : 0;
    n[NF.stabilizationPoolShare] = this.rules.bonuses ? r.stabilizationPoolShare : 0;
    n[NF.raceCompensationShare] = this.rules.bonuses ? r.raceCompensationShare : 0;
    n[NF.stakeWeighted] = this.params.base.stakeWeighted;
    n[NF.verifyCostUsd] = this.l1.verifyCostUsd();
    n[NF.l1CostEstimateUsd] = this.l1CostEstimate;
  }

  // ---------------------------------------------------------------- the slot loop

  /** One slot [t0, t1): its phases in the order of docs/MODEL.md section 1. */
  private runSlot(): void {
    const t0 = this.t;
    const t1 = t0 + this.slotSeconds;
    this.advanceL1(t1);
    this.outages.apply(t0, t1, this.takeDownAt);
    this.reassignFailed(t0);
    this.lambda = this.demand.rateAt(t0);
    this.expireTransactions(t0);
    this.admitArrivals(t0);
    this.assignWaiting(t0);
    if (this.validationMode) this.includeReturnedTransactions(t0);
    this.runEvents(t1);
    if (!this.validationMode) this.produceBlock(t1);
    this.t = t1;
    if (t1 >= this.nextDeadlineCheck) this.checkDeadlines(t1);
    this.rescueBatches(t1);
    if (this.rules.epochShares && this.isLastSlotOfEpoch()) this.payEpochShares(t1);
    this.countSlot();
  }

  /** L1 fees move to t1, and the reward's estimate of the verification cost follows them. */
  private advanceL1(t1: number): void {
    this.l1.advance(t1);
    this.l1CostEstimate = smoothedL1Cost(this.l1CostEstimate, this.l1.verifyCostUsd(), this.slotSeconds, this.params);
  }

  /** Transactions older than the time-to-live at t leave the mempool. */
  private expireTransactions(t: number): void {
    const expired = this.txPool.expire(t - this.ttlSeconds);
    this.counters.expiredTx += expired;
    this.totals.txExpired += expired;
  }

  /** Block mode: the slot's arrivals join the mempool as one cohort. Validation mode: the slot's first arrival is drawn. */
  private admitArrivals(t0: number): void {
    if (this.validationMode) {
      this.nextArrival = this.lambda > 0 ? t0 + this.streams.arrivals.exponential(1 / this.lambda) : Infinity;
      return;
    }
    const arrivals = this.streams.arrivals.poisson(this.lambda * this.slotSeconds);
    this.txPool.pushBack(t0 + 0.5 * this.slotSeconds, arrivals);
    this.counters.txArrived += arrivals;
    this.totals.txArrived += arrivals;
  }

  /** Validation mode: transactions a reorg returned to the mempool are included again at once, each as its own job. */
  private includeReturnedTransactions(t: number): void {
    while (this.txPool.total > 0) this.includeTransaction(t);
  }

  private isLastSlotOfEpoch(): boolean {
    return (this.slot + 1) % this.exp.time.slotsPerEpoch === 0;
  }

  /** Peak backlog and emergency slots; the slot ends. */
  private countSlot(): void {
    if (this.txPool.total > this.counters.peakBacklogTx) this.counters.peakBacklogTx = this.txPool.total;
    if (this.emergency) this.counters.emergencySlots++;
    this.slot++;
  }

  /** Core-phase ends, proofs landing, batch verifications and validation-mode arrivals, in time order up to t1. */
  private runEvents(t1: number): void {
    const T = this.tasks;
    for (;;) {
      const pc = this.queues.earliest();
      const tc = this.queues.earliestFinish();
      const landing = this.queues.earliestLanding();
      const tl = landing >= 0 ? T.finish[landing]! : Infinity;
      const batch = this.batches.scheduled.peek();
      const tv = this.batches.scheduled.peekKey();
      const ta = this.nextArrival;
      const first = Math.min(ta, tc, tl, tv);
      if (first > t1) return;
      if (ta === first) {
        this.transactionArrives(ta);
        const next = ta + this.streams.arrivals.exponential(1 / this.lambda);
        this.nextArrival = next < t1 ? next : Infinity;
      } else if (tc === first) {
        this.endCorePhase(pc);
        this.assignWaiting(tc);
      } else if (tl === first) {
        this.land(landing, tl);
        this.assignWaiting(tl);
      } else this.verifyBatch(batch, tv);
    }
  }

  private transactionArrives(t: number): void {
    this.counters.txArrived++;
    this.totals.txArrived++;
    this.txPool.pushBack(t, 1);
    this.includeTransaction(t);
  }

  /** Validation mode: a transaction becomes its own proof job. */
  private includeTransaction(t: number): void {
    this.counters.txIncluded++;
    this.counters.blocks++;
    this.dispatch(this.newJob(t, 1), t);
  }

  private produceBlock(t: number): void {
    const C = this.counters;
    const tx = Math.min(this.txPool.total, this.exp.demand.maxTxPerBlock);
    C.txIncluded += tx;
    C.blocks++;
    C.l1Gas += this.exp.l1.proposeGasPerBlock;
    C.l1DataCostUsd += this.l1.proposeCostUsd();
    const job = this.newJob(t, tx);
    const p = this.params;
    const backlog = batchPressure(this.backlogBlocks(), this.l1.gasGwei / this.exp.l1.gas.baseGwei, this.exp.mechanism.batchSignal);
    this.watchCongestion(backlog, t);
    if (this.rules.batching && batchingOn(this.emergency, backlog, p)) {
      if (this.openBatch < 0) this.openBatch = this.batches.alloc(t);
      const b = this.openBatch;
      this.batches.add(b, job);
      this.jobs.batch[job] = b;
      const size = this.batches.size[b]!;
      if (sealsBatch(size, backlog, t - this.batches.openedAt[b]!, this.slotSeconds, p) || size === MAX_BATCH) this.seal(b, t);
    } else if (this.openBatch >= 0) this.seal(this.openBatch, t);
    this.dispatch(job, t);
  }

  /**
   * Batching's responsiveness: a congestion onset (the backlog reaching batching.congestionThreshold
   * from below, at a block) is answered by the next batch of several blocks sealed; the time between
   * is its response. An onset whose congestion clears first is forgotten.
   */
  private watchCongestion(backlog: number, t: number): void {
    const congested = isCongested(backlog, this.params);
    if (congested && !this.wasCongested && this.congestedSince < 0) this.congestedSince = t;
    else if (!congested) this.congestedSince = -1;
    this.wasCongested = congested;
  }

  /** Backlog in blocks: the mempool in blocks of capacity, plus blocks waiting for a prover. */
  private backlogBlocks(): number {
    return this.txPool.total / this.exp.demand.maxTxPerBlock + this.jobs.waiting.size;
  }

  private newJob(t: number, txCount: number): number {
    const J = this.jobs;
    const X = this.exp.jobs;
    const id = J.alloc();
    const epochOfJob = Math.floor(t / this.epochSeconds - 1e-9);
    J.createdAt[id] = t;
    J.key[id] = this.totals.blocksCreated;
    J.epoch[id] = epochOfJob;
    J.deadline[id] = (epochOfJob + 1 + this.exp.time.proofWindowEpochs) * this.epochSeconds;
    J.txCount[id] = txCount;
    J.work[id] = blockWork(txCount, X.baseWorkCoreSeconds, X.workPerTxCoreSeconds);
    J.depthSeconds[id] = treeDepth(txCount, X.txCircuitLevels, X.blockCircuitLevels) * X.circuitSeconds;
    J.segments[id] = this.txPool.take(txCount, J.segTime, J.segCount, id * SEGMENTS, SEGMENTS);
    this.outstandingWork += J.work[id]!;
    this.totals.jobsCreated++;
    this.totals.blocksCreated++;
    if (this.rules.epochShares) {
      this.shareBook.recordBlock(epochOfJob, this.exp.economy.feeUsdPerTx * txCount * this.exp.mechanism.aztecCurrent.feeShare);
    }
    if (J.deadline[id]! < this.nextDeadlineCheck) this.nextDeadlineCheck = J.deadline[id]!;
    return id;
  }

  /** Assigns a new or failed job, or queues it until a prover that can finish it in time is free. */
  private dispatch(job: number, t: number): void {
    const J = this.jobs;
    if (this.tryAssign(job, t)) return;
    if (J.parent[job]! < 0 && !J.oversized[job] && this.idleFit(J.work[job]!, J.depthSeconds[job]!, J.deadline[job]!, t) === 0) {
      if (this.split(job, t)) return;
      J.oversized[job] = 1;
      this.counters.oversizedBlocks++;
    }
    J.state[job] = JobState.Waiting;
    J.waiting.push(job);
  }

  /**
   * Distributed proving: a block no eligible prover could finish in its window is split into the
   * fewest parts (2, 4, ... 16) of which some prover could finish one; each part is a job of its own,
   * with its share of the work and the block's whole critical path (the parts' sub-trees and the
   * merges above them). Returns false when even 16 parts are too large, or in aztec-current (every
   * prover proves whole blocks there).
   */
  private split(job: number, t: number): boolean {
    const J = this.jobs;
    if (this.rules.epochShares) return false;
    let k = 2;
    while (k <= MAX_PARTS && this.idleFit(J.work[job]! / k, J.depthSeconds[job]!, J.deadline[job]!, t) !== 1) k *= 2;
    if (k > MAX_PARTS) return false;
    J.state[job] = JobState.Split;
    J.partsLeft[job] = k;
    this.counters.splitBlocks++;
    for (let part = 0; part < k; part++) {
      const c = J.alloc();
      J.parent[c] = job;
      J.createdAt[c] = J.createdAt[job]!;
      J.key[c] = J.key[job]! + (part + 1) * PART_KEY;
      J.epoch[c] = J.epoch[job]!;
      J.deadline[c] = J.deadline[job]!;
      J.txCount[c] = 0;
      J.work[c] = J.work[job]! / k;
      J.depthSeconds[c] = J.depthSeconds[job]!;
      this.dispatch(c, t);
    }
    return true;
  }

  /** Tries every waiting job, oldest first; those assigned leave the queue. */
  private assignWaiting(t: number): void {
    if (this.jobs.waiting.size === 0) return;
    this.assignAt = t;
    this.jobs.waiting.filter(this.stillWaiting);
  }

  /** Whether prover i, from its queue's end, finishes the job by its deadline at its jobs.acceptQuantile speed. */
  private fits(i: number, job: number, t: number): boolean {
    const P = this.provers;
    const J = this.jobs;
    const start = P.queueLen[i]! > 0 && P.freeAt[i]! > t ? P.freeAt[i]! : t;
    return this.finishesBy(i, start, J.work[job]!, J.depthSeconds[job]!, J.deadline[job]!);
  }

  /** Whether prover i, starting at `start`, proves this work and critical path by `deadline` at its jobs.acceptQuantile speed. */
  private finishesBy(i: number, start: number, work: number, depthSeconds: number, deadline: number): boolean {
    const cores = this.provers.onlineCompute(i);
    return cores > 0 && start + (work / cores + depthSeconds) * this.acceptFactor[i]! <= deadline;
  }

  /**
   * Whether an idle eligible online prover could finish this much work and critical path by the
   * deadline: 1 if one could, 0 if provers are online but none could, -1 if none is online.
   */
  private idleFit(work: number, depthSeconds: number, deadline: number, t: number): number {
    const P = this.provers;
    let online = -1;
    for (let i = 0; i < P.n; i++) {
      if (!P.eligible[i] || P.downUntil[i]! > t || P.onlineCompute(i) <= 0) continue;
      online = 0;
      if (this.finishesBy(i, t, work, depthSeconds, deadline)) return 1;
    }
    return online;
  }

  private tryAssign(job: number, t: number): boolean {
    const P = this.provers;
    const J = this.jobs;
    const p = this.params;
    let n = 0;
    if (this.rules.epochShares) {
      // A withholding prover proves nothing here: no task at all (there is no assignment to sit on).
      for (let i = 0; i < P.n; i++) {
        if (P.eligible[i] && P.raceOptIn[i] && !P.withholding[i] && P.downUntil[i]! <= t && this.fits(i, job, t)) this.chosen[n++] = i;
      }
    } else {
      const racing = this.emergency || J.raced[job] === 1;
      const width = selectionWidth(racing, p);
      const maxQ = p.base.maxQueuePerProver;
      const root = J.parent[job]! >= 0 ? J.parent[job]! : job;
      const batch = J.batch[root]!;
      const batched = batch >= 0;
      // For provers that decline work that does not pay: the job's base reward and its expected part of
      // the L1 verification now, all of it for a whole block; for a batch's block or a block's part, one
      // member's share (the prover of the last member merges and verifies, and is paid the L1 part).
      const work = J.work[job]!;
      const share = work / J.work[root]! / (batched ? this.batches.size[batch]! : 1);
      const reward = baseReward(work, 0, p) + share * baseReward(0, this.l1CostEstimate, p);
      const l1Part = share * this.l1.verifyCostUsd();
      const m = this.scanCandidates(job, t, racing, batched, maxQ, work, reward, l1Part);
      this.selectionDraw.key = J.key[job]!;
      n = selectProvers(this.candidates, m, P.reputation, P.stake, width, p, this.selectionDraw, this.scratch, this.chosen);
      if (n > 1) J.raced[job] = 1;
    }
    if (n === 0) return false;
    J.state[job] = JobState.Assigned;
    for (let k = 0; k < n; k++) this.addTask(job, this.chosen[k]!, t);
    return true;
  }

  /**
   * tryAssign's scan over every prover (a method of its own, the hot loop of a large network): the
   * provers that may take the job into `candidates`, in prover order, pools standing as one identity,
   * those that opted out of races or batches only when nobody else can. Returns how many.
   */
  private scanCandidates(
    job: number,
    t: number,
    racing: boolean,
    batched: boolean,
    maxQ: number,
    work: number,
    reward: number,
    l1Part: number,
  ): number {
    let m = 0;
    let optedOut = 0;
    const poolSlot = this.poolSlot;
    poolSlot.fill(-1);
    // The scan over every prover, with the columns and the job's fields in locals (the hot loop of a
    // large network): the tests of held(), fits() and finishesBy(), in their order and arithmetic.
    const candidates = this.candidates;
    const P = this.provers;
    const nP = P.n;
    const scanCores = P.scanCores;
    const scanFlags = P.scanFlags;
    const downUntil = P.downUntil;
    const queueLen = P.queueLen;
    const parkedLen = P.parkedLen;
    const freeAt = P.freeAt;
    const acceptFactor = this.acceptFactor;
    const costPerCoreSecond = P.costPerCoreSecond;
    const archetype = P.archetype;
    const J = this.jobs;
    const depthSeconds = J.depthSeconds[job]!;
    const deadline = J.deadline[job]!;
    // The bits as locals (an imported constant read in the loop costs a cell load and a hole check per
    // use): the standing a prover needs (eligible, and not race-only outside a race), the opt-ins the job needs.
    const eligibleBit = SCAN_ELIGIBLE;
    const skipBit = SCAN_SKIP;
    const pooledBit = SCAN_POOLED;
    const standing = eligibleBit | (racing ? 0 : SCAN_RACE_ONLY);
    const needed = (racing ? SCAN_RACE_OPT_IN : 0) | (batched ? SCAN_BATCH_OPT_IN : 0);
    for (let i = 0; i < nP; i++) {
      // The epoch's standing first (one byte: the ineligible, a network's small provers, cost no
      // division), then the deadline test from t: a prover that cannot finish starting at t cannot
      // starting later either (start >= t, and the rounded sum is monotone in it), so this rejects
      // exactly a subset of what the test from the queue's end rejects.
      const flags = scanFlags[i]!;
      if ((flags & standing) !== eligibleBit) continue;
      const cores = scanCores[i]!;
      const busy = (work / cores + depthSeconds) * acceptFactor[i]!;
      if (!(cores > 0 && t + busy <= deadline) || downUntil[i]! > t) continue;
      const ql = queueLen[i]!;
      const held = ql + parkedLen[i]!;
      if (held >= maxQ) continue;
      if (ql > 0 && freeAt[i]! > t && !(freeAt[i]! + busy <= deadline)) continue;
      if ((flags & skipBit) !== 0 && reward < work * costPerCoreSecond[i]! + l1Part) continue;
      if ((flags & needed) !== needed) candidates[nP - 1 - optedOut++] = i;
      else if ((flags & pooledBit) !== 0) {
        // A pool is one identity: its member holding the least work stands for it.
        const k = archetype[i]!;
        const slot = poolSlot[k]!;
        if (slot < 0) {
          poolSlot[k] = m;
          candidates[m++] = i;
        } else if (held < queueLen[candidates[slot]!]! + parkedLen[candidates[slot]!]!) candidates[slot] = i;
      } else candidates[m++] = i;
    }
    // Nobody opted in to racing (or to batches): a single prover that opted out still takes the job. The
    // opted-out wait at the end, last found first: reversed there, then moved to the front, reading
    // ahead of writing (the two ranges overlap once more than half the provers opted out). The loops'
    // tests run on every call, so the optimized scan has their feedback (a test reached only when m is
    // 0 would deoptimize the scan each time it is).
    const fallback = m === 0 ? optedOut : 0;
    for (let a = nP - fallback, b = nP - 1; a < b; a++, b--) {
      const id = candidates[a]!;
      candidates[a] = candidates[b]!;
      candidates[b] = id;
    }
    for (let k = 0, from = nP - fallback; k < fallback; k++) candidates[k] = candidates[from + k]!;
    return m + fallback;
  }

  private addTask(job: number, prover: number, t: number): void {
    const J = this.jobs;
    if (this.provers.withholding[prover]) {
      // Withheld: accepted, never worked on; the job misses at its deadline unless a racer proves it.
      this.queues.park(job, prover, t);
      this.provers.withheld[prover]!++;
      return;
    }
    const cores = this.provers.onlineCompute(prover);
    const noise = this.serviceNoise(J.key[job]!, prover);
    const task = this.queues.enqueue(job, prover, t, (J.work[job]! / cores) * noise, J.depthSeconds[job]! * noise, cores);
    this.tasks.viaPool[task] = this.provers.pooled[prover]!;
  }

  /** Proof-time noise of this job on this prover (mean 1): a function of the job and prover only. */
  private serviceNoise(key: number, prover: number): number {
    if (this.exp.jobs.noise === "exponential") return -Math.log(hashUniform(this.noiseSeed, key, prover, NOISE_SALT));
    const sigma = this.provers.latencySigma[prover]!;
    if (sigma === 0) return 1;
    return Math.exp(sigma * hashNormal(this.noiseSeed, key, prover, NOISE_SALT) - 0.5 * sigma * sigma);
  }

  /** The prover's cores finished its head task: it is charged, and its proof lands after the critical path. */
  private endCorePhase(prover: number): void {
    const T = this.tasks;
    const task = this.queues.startLanding(prover);
    const cost = this.landingCost(task);
    this.chargeProver(prover, cost);
    this.provers.epochDeferredCost[prover]! += cost;
    this.provers.epochBusySeconds[prover]! += T.service[task]!;
  }

  /** A task's proof is complete at t. */
  private land(task: number, t: number): void {
    const P = this.provers;
    const T = this.tasks;
    const J = this.jobs;
    const prover = T.prover[task]!;
    const job = T.job[task]!;
    P.epochDeferredCost[prover]! -= this.landingCost(task);
    this.queues.complete(task);
    const coreSeconds = T.cores[task]! * T.service[task]!;
    const assignedAt = T.assignedAt[task]!;
    const start = T.start[task]!;
    const viaPool = T.viaPool[task] === 1;
    T.release(task);
    if (this.rules.epochShares) {
      this.countEpochProof(prover, job, t);
      if (J.state[job] === JobState.Assigned) {
        this.counters.usefulCoreS += coreSeconds;
        this.proveJob(job, prover, t, assignedAt, start, 0, viaPool);
      } else this.counters.duplicateCoreS += coreSeconds;
      this.releaseIfDone(job);
      return;
    }
    this.counters.usefulCoreS += coreSeconds;
    const block = J.parent[job]! < 0;
    const batch = J.batch[job]!;
    const verifies = block && batch < 0;
    if (verifies) this.payVerification(prover);
    const base = baseReward(J.work[job]!, verifies ? this.l1CostEstimate : 0, this.params);
    const raced = J.raced[job] === 1;
    this.proveJob(job, prover, t, assignedAt, start, base, viaPool);
    if (raced) P.epochParticipation[prover]! += this.participation(coreSeconds);
    // Losing racers stop now; those that had started are compensated (a withheld task never starts).
    let other = J.firstTask[job]!;
    while (other >= 0) {
      const nextOther = T.nextOfJob[other]!;
      const q = T.prover[other]!;
      const started = T.start[other]! < t;
      const ran = this.coreRun(other, t);
      const progress = ran / T.service[other]!;
      const otherViaPool = T.viaPool[other] === 1;
      this.counters.duplicateCoreS += T.cores[other]! * ran;
      this.cancelTask(other, t);
      if (started && this.rules.bonuses) {
        const comp = raceCompensation(base, progress, this.params);
        this.payProver(q, comp, otherViaPool);
        this.counters.raceCompensationUsd += comp;
        P.epochParticipation[q]! += this.participation(T.cores[other]! * ran);
      }
      other = nextOther;
    }
    if (block && batch >= 0) this.memberProven(batch, t);
    this.releaseIfDone(job);
  }

  /**
   * The consistency score the performance bonus gates on: the on-time rate (`onTimeRate`), or the
   * steadiness of the prover's proof times with this proof counted (`steadiness`).
   */
  private consistency(prover: number, proofSeconds: number): number {
    const P = this.provers;
    if (this.exp.mechanism.consistencyMetric === "onTimeRate") return P.onTimeRate[prover]!;
    updateProofTimeMoments(P.proofTimeMean, P.proofTimeSquare, prover, proofSeconds, this.params);
    return steadiness(P.proofTimeMean[prover]!, P.proofTimeSquare[prover]!);
  }

  /** Stabilization points for one act of help: one (`share`), or the core-seconds it took (`work`). */
  private participation(coreSeconds: number): number {
    return this.exp.mechanism.stabilizationMetric === "work" ? coreSeconds : 1;
  }

  /**
   * The prover that merges proofs (a batch's blocks, a split block's parts) does `work` core-seconds
   * of merging and pays one L1 verification, and is paid their base reward.
   */
  private payAggregation(prover: number, work: number): void {
    this.chargeProver(prover, this.provers.costPerCoreSecond[prover]! * work);
    this.counters.usefulCoreS += work;
    this.payVerification(prover);
    const base = baseReward(work, this.l1CostEstimate, this.params);
    this.counters.baseRewardsUsd += base;
    this.payProver(prover, base);
  }

  /** The prover pays one L1 verification now. */
  private payVerification(prover: number): void {
    const cost = this.l1.verifyCostUsd();
    this.chargeProver(prover, cost);
    this.counters.l1Gas += this.exp.l1.verifyGas;
    this.counters.l1VerifyCostUsd += cost;
  }

  /** A proven job's row is freed once it is verified and its last task (a racer still proving, in aztec-current) is gone. */
  private releaseIfDone(job: number): void {
    if (this.jobs.liveTasks[job] === 0 && this.jobs.state[job] === JobState.Proven) this.jobs.release(job);
  }

  /**
   * The job's proof by `prover` is complete at t: pays the base reward and bonus, then verifies it on
   * L1 at once, or holds it for its batch's aggregation.
   */
  private proveJob(job: number, prover: number, t: number, assignedAt: number, start: number, base: number, viaPool: boolean): void {
    const J = this.jobs;
    const P = this.provers;
    const C = this.counters;
    this.outstandingWork -= J.work[job]!;
    C.waitSum += start - J.createdAt[job]!;
    C.sojournSum += t - J.createdAt[job]!;
    C.waitCount++;
    C.proofSecondsSum += t - assignedAt;
    if (this.percentileSpeed) this.proofTimes.add(t - assignedAt, 1);
    C.proofCount++;
    P.epochWins[prover]!++;
    P.wins[prover]!++;
    P.epochOnTime[prover]!++;
    J.prover[job] = prover;
    J.provenAt[job] = t;
    if (base > 0) {
      let reward = base;
      C.baseRewardsUsd += base;
      if (this.rules.bonuses) {
        const bar = speedBar(this.rollingProofSeconds, this.windowQuantile(), this.percentileSpeed, this.params);
        const bonus = performanceBonus(base, t - assignedAt, bar, this.consistency(prover, t - assignedAt), this.params);
        reward += bonus;
        C.performanceBonusUsd += bonus;
      }
      this.payProver(prover, reward, viaPool);
    }
    if (J.parent[job]! >= 0) this.partProven(job, prover, t);
    else if (J.batch[job]! >= 0) J.state[job] = JobState.Aggregating;
    else this.verifyJob(job, t);
  }

  /**
   * A part of a split block is proven. With its last part the block is proven: the prover of that
   * part merges the parts and verifies the block on L1 (or hands it to its batch), and is paid the
   * verification's base reward.
   */
  private partProven(part: number, prover: number, t: number): void {
    const J = this.jobs;
    const block = J.parent[part]!;
    J.state[part] = JobState.Proven;
    J.workDone[block]! += J.work[part]!;
    if (--J.partsLeft[block]! > 0) return;
    J.prover[block] = prover;
    J.provenAt[block] = t;
    const batch = J.batch[block]!;
    if (batch >= 0) {
      J.state[block] = JobState.Aggregating;
      this.memberProven(batch, t);
      return;
    }
    this.payAggregation(prover, 0);
    this.verifyJob(block, t);
    this.releaseIfDone(block);
  }

  /** The block's proof is verified on L1 at t: its transactions are served. */
  private verifyJob(job: number, t: number): void {
    const J = this.jobs;
    const C = this.counters;
    J.state[job] = JobState.Proven;
    J.batch[job] = -1;
    const tx = J.txCount[job]!;
    C.txProven += tx;
    this.totals.txProven += tx;
    this.totals.blocksProven++;
    const fees = this.exp.economy.feeUsdPerTx * tx;
    this.ledger.collectFees(fees);
    C.feesUsd += fees;
    C.blocksProvenOnTime++;
    C.latencies.push(t - J.createdAt[job]!);
    const base = job * SEGMENTS;
    for (let k = 0; k < J.segments[job]!; k++) C.delays.add(t - J.segTime[base + k]!, J.segCount[base + k]!);
  }

  // ---------------------------------------------------------------- batches

  /** Closes the batch to new blocks; a batch of one is verified alone. */
  private seal(batch: number, t: number): void {
    const B = this.batches;
    if (batch === this.openBatch) this.openBatch = -1;
    B.sealed[batch] = 1;
    const size = B.size[batch]!;
    if (size > 1) {
      this.counters.batches++;
      this.counters.batchBlocks += size;
      if (this.congestedSince >= 0) {
        this.counters.batchResponses++;
        this.counters.batchResponseSum += t - this.congestedSince;
        this.congestedSince = -1;
      }
      if (size > this.counters.batchSizeMax) this.counters.batchSizeMax = size;
    }
    this.scheduleIfComplete(batch, t);
  }

  private memberProven(batch: number, t: number): void {
    if (this.batches.sealed[batch]) this.scheduleIfComplete(batch, t);
  }

  /** Once a sealed batch's blocks are all proven, its aggregated proof is verified after the aggregation latency. */
  private scheduleIfComplete(batch: number, t: number): void {
    const B = this.batches;
    const size = B.size[batch]!;
    if (size === 0) {
      B.release(batch);
      return;
    }
    for (let k = 0; k < size; k++) if (this.jobs.state[B.member(batch, k)] !== JobState.Aggregating) return;
    if (size === 1) {
      this.verifyPrefix(batch, 1, t);
      B.release(batch);
      return;
    }
    B.verifyAt[batch] = t + aggregationLatency(size, this.exp.jobs.aggregationLatencySeconds);
    B.scheduled.set(batch, B.verifyAt[batch]!);
  }

  private verifyBatch(batch: number, t: number): void {
    const B = this.batches;
    this.unschedule(batch);
    this.verifyPrefix(batch, B.size[batch]!, t);
    B.release(batch);
  }

  /**
   * Aggregates the batch's first n proven blocks into one proof and verifies it at t. The prover of the
   * last of them to be proven aggregates: it pays the aggregation work and the verification and earns
   * their base reward. Each block's prover earns stabilization participation when n > 1.
   */
  private verifyPrefix(batch: number, n: number, t: number): void {
    const B = this.batches;
    const J = this.jobs;
    const P = this.provers;
    let aggregator = -1;
    let last = -Infinity;
    for (let k = 0; k < n; k++) {
      const job = B.member(batch, k);
      if (J.provenAt[job]! > last) {
        last = J.provenAt[job]!;
        aggregator = J.prover[job]!;
      }
    }
    this.payAggregation(aggregator, aggregationWork(n, this.exp.jobs.aggregationWorkCoreSeconds));
    for (let k = 0; k < n; k++) {
      const job = B.member(batch, k);
      if (n > 1) P.epochParticipation[J.prover[job]!]! += this.participation(J.work[job]!);
      this.verifyJob(job, t);
      this.releaseIfDone(job);
    }
    B.dropFront(batch, n);
  }

  /**
   * A batch whose oldest block would miss its deadline waiting for the rest: the proven blocks at its
   * front are aggregated and verified now, and the batch goes on with the others.
   */
  private rescueBatches(t: number): void {
    const B = this.batches;
    const J = this.jobs;
    for (let b = 0; b < B.capacity; b++) {
      const size = B.size[b]!;
      if (size === 0) continue;
      if (!needsRescue(t, this.slotSeconds, J.deadline[B.member(b, 0)]!, B.verifyAt[b]!)) continue;
      let n = 0;
      while (n < size && J.state[B.member(b, n)] === JobState.Aggregating) n++;
      if (n === 0) continue;
      this.unschedule(b);
      this.verifyPrefix(b, n, t);
      if (B.size[b] === 0) {
        if (b === this.openBatch) this.openBatch = -1;
        B.release(b);
      }
    }
  }

  private unschedule(batch: number): void {
    const B = this.batches;
    if (B.verifyAt[batch] === Infinity) return;
    B.scheduled.remove(batch);
    B.verifyAt[batch] = Infinity;
  }

  private countEpochProof(prover: number, job: number, t: number): void {
    if (t <= this.jobs.deadline[job]!) this.shareBook.recordProof(prover, this.jobs.epoch[job]!, 1);
  }

  /** Seconds of core phase a task has run by t: all of it once landing, none for a withheld or not yet started one. */
  private coreRun(task: number, t: number): number {
    const T = this.tasks;
    if (T.state[task] === TaskState.Landing) return T.service[task]!;
    return T.start[task]! < t ? t - T.start[task]! : 0;
  }

  /** What a task's completed core phase was charged. */
  private landingCost(task: number): number {
    const T = this.tasks;
    return this.provers.costPerCoreSecond[T.prover[task]!]! * T.cores[task]! * T.service[task]!;
  }

  /** Removes a task at time t (race lost, job pruned, prover down) and charges the core work it did. */
  private cancelTask(task: number, t: number): void {
    const T = this.tasks;
    const prover = T.prover[task]!;
    const job = T.job[task]!;
    const cores = T.cores[task]!;
    if (T.state[task] === TaskState.Landing) this.provers.epochDeferredCost[prover]! -= this.landingCost(task);
    const ran = this.queues.cancel(task, t);
    if (ran > 0) {
      this.chargeProver(prover, this.provers.costPerCoreSecond[prover]! * cores * ran);
      this.provers.epochBusySeconds[prover]! += ran;
    }
    this.releaseIfDone(job);
  }

  // ---------------------------------------------------------------- failures

  /** The prover goes down at t until `until`; every task it holds fails and is slashed. */
  private takeDown(prover: number, t: number, until: number): void {
    const P = this.provers;
    const T = this.tasks;
    if (P.eligible[prover]) this.proverFailed = true;
    P.downUntil[prover] = Math.max(P.downUntil[prover]!, until);
    while (P.queueLen[prover]! > 0) {
      const task = P.queueHead[prover]!;
      this.failTask(task, this.coreRun(task, t), t);
    }
    // Proofs on their critical path fail too: the prover's agents are down.
    const landing = this.queues.landingTasks;
    for (let k = landing.length - 1; k >= 0; k--) {
      const task = landing[k]!;
      if (T.prover[task] === prover) this.failTask(task, this.coreRun(task, t), t);
    }
  }

  /** A task lost to its prover's outage after `ran` seconds of core work: wasted, a failure, and its job reassigned if nobody else holds it. */
  private failTask(task: number, ran: number, t: number): void {
    const T = this.tasks;
    const prover = T.prover[task]!;
    const job = T.job[task]!;
    this.counters.wastedCoreS += T.cores[task]! * ran;
    this.cancelTask(task, t);
    this.provers.epochFailures[prover]!++;
    this.slash(prover);
    if (this.jobs.state[job] === JobState.Assigned && this.jobs.liveTasks[job] === 0) this.failedJobs.push(job);
  }

  /** After prover failures: escalate to emergency mode when its conditions hold, then reassign failed jobs. */
  private reassignFailed(t: number): void {
    if (!this.proverFailed && this.failedJobs.length === 0) return;
    this.proverFailed = false;
    this.measureSignals();
    this.onFailure(this.failedJobs.length > 0);
    for (const job of this.failedJobs) {
      if (this.emergency) this.jobs.raced[job] = 1;
      this.dispatch(job, t);
    }
    this.failedJobs.length = 0;
  }

  /**
   * A failure (a prover down, a job lost or missed): escalates to emergency mode when its conditions
   * hold on the signals just measured (before any pruning). `jobHit` marks the current or new
   * emergency as a real one (not a false alarm).
   */
  private onFailure(jobHit: boolean): void {
    if (this.emergency) {
      if (jobHit) this.markStressed();
      return;
    }
    if (!this.rules.racing) return;
    if (this.rules.thresholdEscalation && !escalateOnFailure(this.signals, this.params)) return;
    this.activateEmergency();
    this.emergencyStressed = jobHit || isOverloaded(this.signals, this.params);
  }

  private slash(prover: number): void {
    const P = this.provers;
    const amount = this.rules.requirements ? slashAmount(P.stake[prover]!, this.params) : 0;
    if (amount <= 0) return;
    P.stake[prover]! -= amount;
    P.slashed[prover]! += amount;
    P.epochSlashed[prover]! += amount;
    this.ledger.collectSlash(amount);
    this.counters.slashedUsd += amount;
  }

  /**
   * Blocks past their deadline unverified are missed: the unproven chain from the oldest miss is
   * pruned (a reorg) and its transactions return to the mempool. Escalation reads the load as it
   * stood before the pruning.
   */
  private checkDeadlines(t: number): void {
    const J = this.jobs;
    let oldestMiss = Infinity;
    for (let id = 0; id < J.capacity; id++) {
      if (isOpen(J.state[id]!) && J.deadline[id]! <= t) oldestMiss = Math.min(oldestMiss, J.createdAt[id]!);
    }
    if (oldestMiss < Infinity) {
      this.counters.reorgs++;
      this.measureSignals();
      const pruned = this.prunedScratch;
      pruned.length = 0;
      for (let id = 0; id < J.capacity; id++) {
        if (isOpen(J.state[id]!) && J.createdAt[id]! >= oldestMiss) pruned.push(id);
      }
      // Newest first, so each block's transactions go back in front of the younger ones.
      pruned.sort((a, b) => J.createdAt[b]! - J.createdAt[a]!);
      for (const id of pruned) this.pruneJob(id, t, J.deadline[id]! <= t);
      J.waiting.filter(this.isWaiting);
      this.dropPrunedFromBatches(t);
      this.onFailure(true);
    }
    let next = Infinity;
    for (let id = 0; id < J.capacity; id++) {
      if (isOpen(J.state[id]!) && J.deadline[id]! < next) next = J.deadline[id]!;
    }
    this.nextDeadlineCheck = next;
  }

  private pruneJob(job: number, t: number, missed: boolean): void {
    const J = this.jobs;
    const P = this.provers;
    if (J.parent[job]! < 0) {
      const tx = J.txCount[job]!;
      const base = job * SEGMENTS;
      for (let k = J.segments[job]! - 1; k >= 0; k--) this.txPool.pushFront(J.segTime[base + k]!, J.segCount[base + k]!);
      this.counters.reorgedTx += tx;
      this.totals.txReorged += tx;
      this.totals.blocksReorged++;
      this.counters.reorgedBlocks++;
    }
    // A split block's work is in its parts: those proven are wasted, those open are pruned on their own.
    if (J.state[job] === JobState.Aggregating) this.counters.wastedCoreS += J.work[job]!;
    else if (J.state[job] === JobState.Split) this.counters.wastedCoreS += J.workDone[job]!;
    else this.outstandingWork -= J.work[job]!;
    let task = J.firstTask[job]!;
    while (task >= 0) {
      const next = this.tasks.nextOfJob[task]!;
      const prover = this.tasks.prover[task]!;
      this.counters.wastedCoreS += this.tasks.cores[task]! * this.coreRun(task, t);
      this.cancelTask(task, t);
      if (missed) {
        P.epochFailures[prover]!++;
        this.slash(prover);
      }
      task = next;
    }
    J.release(job);
  }

  /** After a reorg: pruned blocks leave their batches; what is left of a batch may now be complete. */
  private dropPrunedFromBatches(t: number): void {
    const B = this.batches;
    for (let b = 0; b < B.capacity; b++) {
      const before = B.size[b]!;
      if (before === 0) continue;
      B.retain(b, this.isLive);
      if (B.size[b] === before) continue;
      this.unschedule(b);
      if (b === this.openBatch) {
        if (B.size[b] === 0) {
          this.openBatch = -1;
          B.release(b);
        }
      } else if (B.sealed[b]) this.scheduleIfComplete(b, t);
    }
  }

  /** aztec-current: at an epoch's deadline, provers that proved all its blocks in time share its pool by booster shares. */
  private payEpochShares(t: number): void {
    const e = Math.round(t / this.epochSeconds) - 1 - this.exp.time.proofWindowEpochs;
    if (e < 0) return;
    const P = this.provers;
    const shares = this.statScratch;
    const pool = this.shareBook.settle(
      e,
      this.exp.economy.issuanceUsdPerEpoch,
      this.exp.mechanism.aztecCurrent.booster,
      P.boosterScore,
      shares,
    );
    const verifyCost = this.l1.verifyCostUsd();
    let totalShares = 0;
    for (let i = 0; i < P.n; i++) totalShares += shares[i]!;
    // Selective provers skip the epoch's submission when their share of the pool would not pay for it.
    let skipped = 0;
    for (let i = 0; i < P.n; i++) {
      if (shares[i]! > 0 && P.skipUnprofitable[i] && proRataShare(pool, shares[i]!, totalShares) < verifyCost) {
        skipped += shares[i]!;
        shares[i] = 0;
      }
    }
    totalShares -= skipped;
    for (let i = 0; i < P.n; i++) {
      if (shares[i] === 0) continue;
      this.chargeProver(i, verifyCost);
      this.counters.l1Gas += this.exp.l1.verifyGas;
      this.counters.l1VerifyCostUsd += verifyCost;
    }
    if (totalShares > 0) {
      for (let i = 0; i < P.n; i++) if (shares[i]! > 0) this.payProver(i, proRataShare(pool, shares[i]!, totalShares));
      this.counters.boosterPoolUsd += pool;
    }
  }

  // ---------------------------------------------------------------- money

  /** Pays a prover; a pool keeps its fee of what its members earn through it (by default: while pooled). */
  private payProver(prover: number, amount: number, viaPool = this.provers.pooled[prover] === 1): void {
    const P = this.provers;
    if (viaPool) this.chargeProver(prover, amount * this.exp.economy.poolFeeShare);
    this.ledger.payReward(amount);
    P.rewards[prover]! += amount;
    P.epochRewards[prover]! += amount;
    this.counters.rewardsUsd += amount;
  }

  private chargeProver(prover: number, amount: number): void {
    this.provers.costs[prover]! += amount;
    this.provers.epochCosts[prover]! += amount;
  }

  /**
   * Outstanding (unproven, unpruned) jobs and their transactions, proven jobs whose racers still run,
   * and the job rows in use, for conservation checks.
   */
  pendingWork(): { jobs: number; blocks: number; tx: number; provenRacing: number; rowsInUse: number } {
    const J = this.jobs;
    let jobs = 0;
    let blocks = 0;
    let tx = 0;
    let provenRacing = 0;
    for (let id = 0; id < J.capacity; id++) {
      if (isOpen(J.state[id]!)) {
        jobs++;
        if (J.parent[id]! >= 0) continue;
        blocks++;
        tx += J.txCount[id]!;
      } else if (J.state[id] === JobState.Proven && J.liveTasks[id]! > 0) provenRacing++;
    }
    return { jobs, blocks, tx, provenRacing, rowsInUse: J.inUse };
  }

  get mempoolTx(): number {
    return this.txPool.total;
  }
}
