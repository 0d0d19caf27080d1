import { z } from "zod";
import { TUNER_KINDS } from "../../agents/governance/tuner.js";
import { ACTION_NAMES, HONEST_ACTION_NAMES, type ActionName } from "../../agents/prover/actionTable.js";
import { FIRST_TRIES, STATE_SIGNALS } from "../../agents/prover/qlearning.js";
import { AUDIT_STRATEGIES } from "../audit/strategies.js";
import { WINDOW_KPIS } from "../env/summary.js";
import { PARAM_SPACE, type ParamGroup, type ParamSpec } from "./paramSpace.js";

/** The most episodes per scenario any split, audit or flag asks for. */
export const MAX_SEEDS = 1000;

const positive = () => z.number().positive();
const nonNegative = () => z.number().nonnegative();
const share = () => z.number().min(0).max(1);

const TimeSchema = z
  .strictObject({
    slotSeconds: positive().default(36),
    slotsPerEpoch: z.int().min(1).max(1024).default(32),
    proofWindowEpochs: z.int().min(1).max(16).default(1),
  })
  .prefault({});

const ShockSchema = z.strictObject({
  name: z.string().min(1),
  startHour: nonNegative(),
  durationHours: positive(),
  multiplier: positive(),
  rampHours: nonNegative().default(0),
});

/** A value per demand regime; each field has its own default, so a partial object keeps the others. */
const perRegime = (d: { quiet: number; normal: number; busy: number; surge: number }) =>
  z
    .strictObject({
      quiet: positive().default(d.quiet),
      normal: positive().default(d.normal),
      busy: positive().default(d.busy),
      surge: positive().default(d.surge),
    })
    .prefault({});

const RegimeSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    multipliers: perRegime({ quiet: 0.5, normal: 1, busy: 1.6, surge: 2.5 }),
    meanHours: perRegime({ quiet: 12, normal: 36, busy: 8, surge: 3 }),
  })
  .prefault({});

const DemandSchema = z
  .strictObject({
    baseTps: nonNegative().default(1),
    maxTxPerBlock: z.int().min(1).default(360),
    startHourUtc: z.number().min(0).max(24).default(0),
    daily: z
      .strictObject({
        amplitude: share().default(0),
        peakHourUtc: z.number().min(0).max(24).default(15.5),
        troughHourUtc: z.number().min(0).max(24).default(22),
        weekendFactor: positive().default(1),
      })
      .prefault({}),
    regimes: RegimeSchema,
    shocks: z.array(ShockSchema).default([]),
    /** Validation mode: every transaction is its own proof job, arriving at its own time. */
    jobPerTransaction: z.boolean().default(false),
    /** A transaction not included in a block within this many hours leaves the mempool and counts as expired (assumption). */
    txTimeToLiveHours: positive().default(1),
  })
  .prefault({});

const FeeProcessSchema = (baseGwei: number, spikeMultiplier: number, reversionPerHour: number) =>
  z
    .strictObject({
      baseGwei: positive().max(1e6).default(baseGwei),
      /** Bounded below: a reversion slower than one per 1,000 hours makes the process a random walk with no level. */
      reversionPerHour: z.number().min(1e-3).max(1e3).default(reversionPerHour),
      volatilityPerSqrtHour: nonNegative().max(10).default(0.15),
      spikesPerDay: nonNegative().max(1000).default(0),
      spikeMultiplier: z.number().min(1).max(1e15).default(spikeMultiplier),
      scheduledSpikes: z.array(z.strictObject({ startHour: nonNegative(), multiplier: z.number().min(1).max(1e15) })).default([]),
    })
    .prefault({});

const L1Schema = z
  .strictObject({
    ethUsd: positive().max(1e9).default(2638),
    gas: FeeProcessSchema(1, 50, 0.5),
    blob: FeeProcessSchema(1e-9, 5.85e11, 0.2),
    verifyGas: positive().max(1e9).default(3_600_000),
    proposeGasPerBlock: nonNegative().max(1e9).default(300_000),
    blobsPerBlock: z.int().min(0).default(3),
    blobGasPerBlob: positive().default(131_072),
  })
  .prefault({});

const JobsSchema = z
  .strictObject({
    /** Proving work of a block besides its transactions (core-seconds): merges, block root. */
    baseWorkCoreSeconds: nonNegative().default(188_000),
    /** Proving work per transaction (core-seconds): its public-VM and base-rollup circuits. */
    workPerTxCoreSeconds: nonNegative().default(3_100),
    /** Critical path per level of a block's proof tree (seconds): no number of cores shortens it. */
    circuitSeconds: nonNegative().default(60),
    /** Tree levels per transaction (public VM, base rollup). */
    txCircuitLevels: z.int().min(0).default(2),
    /** Tree levels above the merges (block root). */
    blockCircuitLevels: z.int().min(0).default(1),
    noise: z.enum(["lognormal", "exponential"]).default("lognormal"),
    /** A prover accepts a job only if it would finish before the deadline at this quantile of its proof time. */
    acceptQuantile: z.number().min(0.5).max(0.999999).default(0.9999),
    /** Work of one 2-to-1 merge when a batch's block proofs are aggregated (core-seconds). */
    aggregationWorkCoreSeconds: nonNegative().default(8_000),
    /** Latency of one level of a batch's aggregation tree (seconds). */
    aggregationLatencySeconds: nonNegative().default(30),
  })
  .prefault({});

/** A Q-learner's settings (QLearningOptions), with the defaults that differ between the provers' and the audit's learners. */
function qLearningFields(defaults: { gamma: number; decayEpochs: number }) {
  return {
    alpha: z.number().gt(0).max(1).default(0.1),
    gamma: z.number().min(0).lt(1).default(defaults.gamma),
    epsilonStart: share().default(0.5),
    epsilonEnd: share().default(0.02),
    decayEpochs: z.int().min(1).default(defaults.decayEpochs),
    /** Order of the first try of each action in a state: shuffled (each prover its own draw) or in-order (table order; all provers meeting a state together try leave first, in lockstep). */
    firstTries: z.enum(FIRST_TRIES).default("shuffled"),
  };
}

const PolicySchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("always-on") }),
  z.strictObject({
    kind: z.literal("myopic"),
    profitThresholdUsdPerEpoch: z.number().default(0),
    patienceEpochs: z.int().min(1).default(6),
  }),
  z.strictObject({
    kind: z.literal("q-learning"),
    ...qLearningFields({ gamma: 0.5, decayEpochs: 100 }),
    /** The discrete choices (default: the honest ones, agents/prover/actionTable.ts); withhold and snipe are adversarial (exploit audit). */
    actions: z
      .array(z.enum(ACTION_NAMES as [ActionName, ...ActionName[]]))
      .min(1)
      .optional(),
    /** Binary signals added to the learner's state: emergency, backlog (mempool not empty), holding (own queue not empty), l1-spike (L1 cost above what the reward covers), agents (holds added agents). */
    stateSignals: z.array(z.enum(STATE_SIGNALS)).optional(),
  }),
  z.strictObject({ kind: z.literal("policy-network") }),
]);

const ArchetypeSchema = z.strictObject({
  name: z.string().min(1),
  count: z.int().min(0).max(100_000),
  computeCores: positive().max(1e9),
  costUsdPerCoreSecond: nonNegative().max(1),
  fixedCostUsdPerEpoch: nonNegative().max(1e9).default(0),
  capitalUsd: nonNegative().max(1e15),
  mtbfHours: positive().default(1e9),
  mttrHours: positive().default(1),
  latencySigma: nonNegative().default(0.15),
  /** Cores of one prover agent: compute is added and released in agents (Aztec docs: 32 cores per agent). */
  agentCores: positive().max(1e6).default(32),
  /** Price of one added agent (hardware, or a cloud commitment), paid out of capital. An assumption (docs/MODEL.md). */
  agentCapitalUsd: nonNegative().max(1e9).default(6_000),
  /** Hours from ordering an agent to its proving. */
  agentLeadHours: nonNegative().max(8760).default(24),
  /** Years an added agent is written off over: its capital cost per epoch is price x (1 / life + economy.stakeCostPerYear). */
  agentLifeYears: positive().max(100).default(3),
  startActive: z.boolean().default(true),
  policy: PolicySchema.default({ kind: "always-on" }),
});

const DEFAULT_ARCHETYPES = [
  {
    name: "home",
    count: 12,
    computeCores: 512,
    costUsdPerCoreSecond: 3.0e-5,
    fixedCostUsdPerEpoch: 0.5,
    capitalUsd: 25_000,
    mtbfHours: 72,
    mttrHours: 4,
    latencySigma: 0.3,
  },
  {
    name: "professional",
    count: 12,
    computeCores: 1024,
    costUsdPerCoreSecond: 3.5e-5,
    fixedCostUsdPerEpoch: 2,
    capitalUsd: 200_000,
    mtbfHours: 240,
    mttrHours: 2,
    latencySigma: 0.15,
  },
  {
    name: "cloud",
    count: 4,
    computeCores: 4096,
    costUsdPerCoreSecond: 4.5e-5,
    fixedCostUsdPerEpoch: 4,
    capitalUsd: 1_000_000,
    mtbfHours: 720,
    mttrHours: 1,
    latencySigma: 0.1,
  },
  {
    name: "pool",
    count: 2,
    computeCores: 8192,
    costUsdPerCoreSecond: 3.8e-5,
    fixedCostUsdPerEpoch: 6,
    capitalUsd: 2_000_000,
    mtbfHours: 480,
    mttrHours: 2,
    latencySigma: 0.2,
  },
  {
    name: "operator",
    count: 2,
    computeCores: 16_384,
    costUsdPerCoreSecond: 3.6e-5,
    fixedCostUsdPerEpoch: 10,
    capitalUsd: 5_000_000,
    mtbfHours: 720,
    mttrHours: 1,
    latencySigma: 0.1,
  },
].map((a) => ArchetypeSchema.parse(a));

/** The one policy network shared by every archetype whose policy kind is `policy-network` (PPO). */
const PolicyNetworkSchema = z
  .strictObject({
    /** A policy saved by `proverlab train` (its model.json); relative to the experiment file. Empty: fresh seeded weights. */
    file: z.string().default(""),
    /** Keep training inside each episode (PPO); false runs the loaded policy frozen. */
    learn: z.boolean().default(true),
    /** The discrete choices of the softmax head (default: the honest ones, agents/prover/actionTable.ts). */
    actions: z
      .array(z.enum(ACTION_NAMES as [ActionName, ...ActionName[]]))
      .min(1)
      .default([...HONEST_ACTION_NAMES]),
    /** Hidden layer widths (ignored when a file gives the architecture). */
    hidden: z.array(z.int().min(1).max(1024)).min(1).max(4).default([32, 32]),
    learningRate: z.number().gt(0).max(1).default(3e-3),
    /** Epochs of experience per PPO update. */
    updateEpochs: z.int().min(1).default(8),
    /** Gradient passes over each update's batch. */
    passes: z.int().min(1).max(100).default(4),
    clip: z.number().gt(0).lt(1).default(0.2),
    gamma: z.number().min(0).lt(1).default(0.5),
    lambda: share().default(0.9),
    entropyStart: nonNegative().default(0.02),
    entropyEnd: nonNegative().default(0.002),
    /** Epochs over which the entropy bonus anneals linearly from start to end. */
    annealEpochs: z.int().min(1).default(100),
    valueWeight: nonNegative().default(0.5),
  })
  .prefault({});

const ProversSchema = z
  .strictObject({
    archetypes: z.array(ArchetypeSchema).min(1).default(DEFAULT_ARCHETYPES),
    policyNetwork: PolicyNetworkSchema,
    correlatedOutages: z
      .strictObject({
        perDay: nonNegative().default(0),
        share: share().default(0.3),
        durationHours: positive().default(2),
        scheduled: z.array(z.strictObject({ startHour: nonNegative(), share: share(), durationHours: positive() })).default([]),
      })
      .prefault({}),
  })
  .prefault({});

const EconomySchema = z
  .strictObject({
    feeUsdPerTx: nonNegative().max(1e6).default(0.5),
    issuanceUsdPerEpoch: nonNegative().max(1e12).default(1500),
    initialTreasuryUsd: z.number().min(-1e15).max(1e15).default(0),
    /** Cost of capital locked in stake, per year (share of the stake). */
    stakeCostPerYear: nonNegative().max(10).default(0.05),
    /** Share of a pooled prover's rewards its liquid proving pool keeps (an assumption, docs/MODEL.md 20.5). */
    poolFeeShare: share().default(0.1),
  })
  .prefault({});

function groupSchema(group: ParamGroup) {
  const shape: Record<string, z.ZodType> = {};
  for (const spec of PARAM_SPACE.filter((s) => s.group === group)) {
    shape[spec.name.slice(group.length + 1)] = paramValueSchema(spec).optional();
  }
  return z.strictObject(shape).prefault({});
}

function paramValueSchema(spec: ParamSpec) {
  const base = spec.integer ? z.int() : z.number();
  return base.min(spec.lower).max(spec.upper).describe(`${spec.description} (${spec.unit})`);
}

const MechanismSchema = z
  .strictObject({
    variant: z.enum(["proposal", "base-2023", "aztec-current"]).default("proposal"),
    scalingSignal: z.enum(["utilization", "backlog", "forecast"]).default("utilization"),
    base: groupSchema("base"),
    scaling: groupSchema("scaling"),
    rewards: groupSchema("rewards"),
    emergency: groupSchema("emergency"),
    batching: groupSchema("batching"),
    aztecCurrent: z
      .strictObject({
        feeShare: share().default(0.3),
        booster: z
          .strictObject({
            increment: positive().default(101_400),
            maxScore: positive().default(367_500),
            a: positive().default(250_000),
            minimum: positive().default(10_000),
            k: positive().default(1_000_000),
            decayPerEpoch: nonNegative().default(100_000),
          })
          .prefault({}),
      })
      .prefault({}),
  })
  .prefault({});

const KpiName = z.enum(WINDOW_KPIS);

/** The default objective's weights: user delay and cost, decentralisation and participation (liveness is a constraint). */
export const DEFAULT_WEIGHTS = {
  txDelayMeanS: -0.01,
  costPerServedTxUsd: -20,
  nakamotoProofsMean: 1,
  activeProversMean: 0.2,
} as const;

const ObjectiveSchema = z
  .strictObject({
    /**
     * score = sum of weight x KPI (KPIs averaged over episodes, after the warm-up); bounded so that a
     * weighted sum of finite KPIs stays finite. The default values what the proposal is for, at
     * exchange rates of 100 s of mean transaction delay = 0.05 USD per served transaction = one
     * prover more in the Nakamoto coefficient of proofs = five active provers more (docs/MODEL.md 20.4).
     */
    weights: z.partialRecord(KpiName, z.number().min(-1e6).max(1e6)).default({ ...DEFAULT_WEIGHTS }),
    constraints: z
      .array(z.strictObject({ kpi: KpiName, min: z.number().optional(), max: z.number().optional() }))
      .default([{ kpi: "liveness", min: 0.999 }]),
    warmupEpochs: z.int().min(0).default(0),
  })
  .prefault({});

const ScenariosSchema = z
  .strictObject({
    /** Experiment files (relative to this one) whose environment candidates are scored on; none: this experiment. */
    train: z.array(z.string().min(1)).default([]),
    /** Experiment files for the held-out evaluation; none: this experiment on held-out seeds. */
    heldOut: z.array(z.string().min(1)).default([]),
    /** Whose provers the scenarios run: each scenario file's own, or this experiment's (one population everywhere). */
    provers: z.enum(["scenario", "experiment"]).default("scenario"),
  })
  .prefault({});

const TuneSchema = z
  .strictObject({
    /** Parameter names or whole groups (base, scaling, rewards, emergency, batching). */
    params: z.array(z.string().min(1)).min(1).default(["scaling", "rewards", "emergency", "batching"]),
    tuner: z.enum(TUNER_KINDS).default("cmaes"),
    /** Candidate evaluations. */
    budget: z.int().min(1).max(1_000_000).default(100),
    /** Candidates per generation; default: the tuner's own. */
    batch: z.int().min(2).max(10_000).optional(),
    /**
     * The first step of CMA-ES and cross-entropy around the experiment's values, as a share of each
     * parameter's range in its own scale (CMA-ES's sigma0; default: the tuner's own, 0.25 and 0.3).
     * Small steps refine a calibration already good (the proposal's defaults); large ones explore.
     */
    sigma0: z.number().gt(0).max(1).optional(),
    seeds: z
      .strictObject({
        train: z.int().min(1).max(MAX_SEEDS).default(3),
        /** Episodes per training scenario on which the finalists are scored again, on seeds of their own. */
        validation: z.int().min(1).max(MAX_SEEDS).default(4),
        heldOut: z.int().min(1).max(MAX_SEEDS).default(5),
      })
      .prefault({}),
    /**
     * The best trials by training score, and trial 0 (the experiment's values), scored again on fresh
     * seeds of the training scenarios: the recommendation is chosen among them by that score, so a
     * trial that ranked first by the luck of its training episodes does not win on it.
     */
    finalists: z.int().min(1).max(1000).default(8),
    /**
     * How a split's scenarios combine into its score: `mean` (the KPIs pooled over every episode),
     * `worst` (the lowest scenario score) or `cvar` (the mean of the lowest cvarAlpha share of scenario
     * scores); with `worst` and `cvar` every scenario must meet the constraints on its own.
     */
    aggregate: z.enum(["mean", "worst", "cvar"]).default("mean"),
    cvarAlpha: z.number().gt(0).max(1).default(0.5),
  })
  .prefault({});

/** The adaptive governance controller (`proverlab train-controller`) and its two-level curriculum. */
const ControllerSchema = z
  .strictObject({
    /** Parameter names or groups it sets; empty: tune.params. */
    params: z.array(z.string().min(1)).default([]),
    /** Epochs between decisions. */
    everyEpochs: z.int().min(1).max(1000).default(3),
    /** Largest change per decision, as a share of each parameter's range (its unit-cube coordinate). */
    rateLimit: z.number().gt(0).max(1).default(0.1),
    /** Settings per parameter: offsets -levels .. +levels from the starting calibration, in steps of levelStep (share of the range). */
    levels: z.int().min(1).max(10).default(2),
    levelStep: z.number().gt(0).max(1).default(0.1),
    hidden: z.array(z.int().min(1).max(1024)).min(1).max(4).default([32, 32]),
    learningRate: z.number().gt(0).max(1).default(1e-3),
    passes: z.int().min(1).max(100).default(4),
    /** Training episodes whose decisions make one PPO batch. */
    episodesPerUpdate: z.int().min(1).max(1000).default(1),
    clip: z.number().gt(0).lt(1).default(0.2),
    valueWeight: nonNegative().default(0.5),
    gamma: z.number().min(0).lt(1).default(0.5),
    lambda: share().default(0.9),
    /** Entropy bonus, annealed linearly over the training episodes: wide exploration first, so provers see a wide range of settings. */
    entropyStart: nonNegative().default(0.01),
    entropyEnd: nonNegative().default(0.001),
    /**
     * Training episodes (one PPO update each). In every episode, level 1: fresh provers learn under the
     * starting calibration for objective.warmupEpochs; level 2: the controller acts and learns while they keep adapting.
     */
    episodes: z.int().min(1).max(100_000).default(60),
    /** A decision's reward: what its window adds to the episode's objective, constraint violations x constraintPenalty included. */
    constraintPenalty: nonNegative().default(1000),
    /** Episodes between checkpoints; each is scored greedily on validation seeds, and the best one is kept. */
    checkpointEvery: z.int().min(1).max(100_000).default(50),
    /** Validation episodes per training scenario (seeds of their own, paired with the starting calibration). */
    validationSeeds: z.int().min(2).max(MAX_SEEDS).default(20),
  })
  .prefault({});

/** The exploit audit (`proverlab audit`, and `tune` on its recommendation): docs/MODEL.md, section 19. */
const AuditSchema = z
  .strictObject({
    /** `tune` audits its recommendation after the held-out scoring. */
    enabled: z.boolean().default(true),
    strategies: z
      .array(z.enum(AUDIT_STRATEGIES))
      .min(1)
      .default([...AUDIT_STRATEGIES]),
    /** Audit one attacking prover (a copy of `attacker`). */
    alone: z.boolean().default(true),
    /** Coalitions of copies of `attacker`, each holding this share of the total compute (attackers included). */
    coalitionShares: z.array(z.number().gt(0).lt(1)).default([0.1]),
    /** Archetype the attackers copy (compute, costs, capital, outages); empty: the archetype of the median prover by compute. */
    attacker: z.string().default(""),
    /** Identities `split` divides the attackers' compute into (fewer if base.minComputeCores allows fewer). */
    identities: z.int().min(2).max(64).default(4),
    /** Paired episodes per scenario (held-out scenarios, seeds of their own). */
    seeds: z.int().min(2).max(MAX_SEEDS).default(16),
    /** `tune` audits its best finalists in validation-score order, at most this many, and recommends the first with no exploit. */
    candidates: z.int().min(1).max(100).default(3),
    /** Profits and KPIs are taken after this many epochs; default objective.warmupEpochs. */
    warmupEpochs: z.int().min(0).optional(),
    /**
     * The attackers' Q-learning; the honest arm's seats learn with the same settings. Far-sighted by
     * default (gamma 0.8): a withheld proof misses at its deadline, and what follows comes epochs later.
     */
    learner: z.strictObject(qLearningFields({ gamma: 0.8, decayEpochs: 40 })).prefault({}),
  })
  .prefault({});

export const ExperimentSchema = z.strictObject({
  name: z
    .string()
    .max(100)
    .regex(/^[a-z0-9][a-z0-9-]*$/, "use lower-case letters, digits and dashes"),
  description: z.string().default(""),
  seed: z
    .int()
    .min(0)
    .max(2 ** 31)
    .default(1),
  /** At most 100,000 epochs (3.7 years): simulate keeps a row per epoch, and a longer run outgrows memory. */
  horizonEpochs: z.int().min(1).max(100_000).default(72),
  time: TimeSchema,
  demand: DemandSchema,
  l1: L1Schema,
  jobs: JobsSchema,
  provers: ProversSchema,
  economy: EconomySchema,
  mechanism: MechanismSchema,
  objective: ObjectiveSchema,
  scenarios: ScenariosSchema,
  tune: TuneSchema,
  controller: ControllerSchema,
  audit: AuditSchema,
});

export type Experiment = z.infer<typeof ExperimentSchema>;
export type AuditOptions = z.infer<typeof AuditSchema>;
export type Archetype = z.infer<typeof ArchetypeSchema>;
export type PolicyNetworkOptions = z.infer<typeof PolicyNetworkSchema>;
export type ControllerOptions = z.infer<typeof ControllerSchema>;
