import { z } from "zod";
import { PolicyNetworkSchema } from "../../agents/prover/policyNetworkSchema.js";
import { PolicySchema } from "../../agents/prover/policySchema.js";
import { AuditSchema } from "../audit/schema.js";
import { ObjectiveSchema } from "../tuning/objectiveSchema.js";
import { TuneSchema } from "../tuning/tuneSchema.js";
import { PARAM_SPACE, type ParamGroup, type ParamSpec } from "./paramSpace.js";
import { MAX_SEEDS, nonNegative, positive, share } from "./schemaFields.js";

const TimeSchema = z
  .strictObject({
    // At most a day: event times are doubles, and a horizon of slots near 1e308 s ends at Infinity (a
    // slot that never ends); long before that, whole seconds no longer add to the clock.
    slotSeconds: positive().max(86_400).default(36).describe("Length of a slot (s, at most a day): one block is produced per slot"),
    slotsPerEpoch: z
      .int()
      .min(1)
      .max(1024)
      .default(32)
      .describe("Slots per epoch (an epoch is slotSeconds x slotsPerEpoch, 1,152 s at the defaults)"),
    proofWindowEpochs: z
      .int()
      .min(1)
      .max(16)
      .default(1)
      .describe(
        "Proof window (epochs): a block of epoch N must be verified on L1 by the end of epoch N + proofWindowEpochs, else it is reorged",
      ),
  })
  .prefault({})
  .describe("Slots, epochs and the proof window");

const ShockSchema = z.strictObject({
  name: z.string().min(1).describe("Name of the shock (for reading the experiment)"),
  startHour: nonNegative().describe("Start (hours from the episode start)"),
  durationHours: positive().describe("Duration (h), ramps included"),
  multiplier: positive().describe("Demand multiplier at full strength (x)"),
  rampHours: nonNegative()
    .default(0)
    .describe("Linear ramp in and out (h): the multiplier's weight rises from 0 over this long and falls back before the end"),
});

/** A value per demand regime; each field has its own default, so a partial object keeps the others. */
const perRegime = (d: { quiet: number; normal: number; busy: number; surge: number }, unit: string) =>
  z
    .strictObject({
      quiet: positive().default(d.quiet).describe(`In the quiet regime (${unit})`),
      normal: positive().default(d.normal).describe(`In the normal regime, where the chain starts (${unit})`),
      busy: positive().default(d.busy).describe(`In the busy regime (${unit})`),
      surge: positive().default(d.surge).describe(`In the surge regime (${unit})`),
    })
    .prefault({});

const RegimeSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe("Demand switches between quiet, normal, busy and surge regimes (a Markov chain); off: always normal, multiplier 1"),
    multipliers: perRegime({ quiet: 0.5, normal: 1, busy: 1.6, surge: 2.5 }, "x baseTps").describe("Demand multiplier of each regime (x)"),
    meanHours: perRegime({ quiet: 12, normal: 36, busy: 8, surge: 3 }, "h").describe(
      "Mean time the chain stays in each regime (h, exponential)",
    ),
  })
  .prefault({})
  .describe("Demand regimes (docs/MODEL.md section 2)");

const DemandSchema = z
  .strictObject({
    baseTps: nonNegative()
      .default(1)
      .describe("Nominal transaction rate (tx/s), before the daily cycle, regimes and shocks; also the demand index's reference"),
    maxTxPerBlock: z.int().min(1).default(360).describe("Most transactions in one block (tx); the rest wait in the mempool"),
    startHourUtc: z.number().min(0).max(24).default(0).describe("Hour of day (UTC) at the episode start; day 0 is a Monday"),
    daily: z
      .strictObject({
        amplitude: share()
          .default(0)
          .describe(
            "Amplitude of the daily cycle (share): demand swings between (1 - amplitude) and (1 + amplitude) x baseTps; 0: no cycle",
          ),
        peakHourUtc: z.number().min(0).max(24).default(15.5).describe("Hour of day (UTC) of the highest demand"),
        troughHourUtc: z.number().min(0).max(24).default(22).describe("Hour of day (UTC) of the lowest demand"),
        weekendFactor: positive().default(1).describe("Demand multiplier on Saturdays and Sundays (x)"),
      })
      .prefault({})
      .describe("Daily cycle of demand: two half cosines, mean 1 over a weekday"),
    regimes: RegimeSchema,
    shocks: z
      .array(ShockSchema)
      .default([])
      .describe("Demand shocks: each multiplies demand over a window, with linear ramps (a trapezoid); overlapping shocks multiply"),
    jobPerTransaction: z
      .boolean()
      .default(false)
      .describe("Validation mode: every transaction is its own proof job, arriving at its own time (no blocks)"),
    txTimeToLiveHours: positive()
      .default(1)
      .describe("A transaction not included in a block within this many hours leaves the mempool and counts as expired (h)"),
  })
  .prefault({})
  .describe("Transaction demand: baseTps x daily cycle x regime x shocks (docs/MODEL.md section 2)");

const FeeProcessSchema = (what: string, baseGwei: number, spikeMultiplier: number, reversionPerHour: number) =>
  z
    .strictObject({
      baseGwei: positive().max(1e6).default(baseGwei).describe(`Level the ${what} reverts to (gwei)`),
      // Bounded below: a reversion slower than one per 1,000 hours makes the process a random walk with no level.
      reversionPerHour: z
        .number()
        .min(1e-3)
        .max(1e3)
        .default(reversionPerHour)
        .describe("Mean reversion of the log fee to its level (1/h): a spike halves in ln 2 / reversionPerHour hours"),
      volatilityPerSqrtHour: nonNegative().max(10).default(0.15).describe("Volatility of the log fee (1/sqrt(h))"),
      spikesPerDay: nonNegative().max(1000).default(0).describe("Rate of random spikes (per day); 0: none"),
      spikeMultiplier: z.number().min(1).max(1e15).default(spikeMultiplier).describe("Factor a random spike multiplies the fee by (x)"),
      scheduledSpikes: z
        .array(
          z.strictObject({
            startHour: nonNegative().describe("When the spike hits (hours from the episode start)"),
            multiplier: z.number().min(1).max(1e15).describe("Factor it multiplies the fee by (x); it then decays at the reversion rate"),
          }),
        )
        .default([])
        .describe("Spikes at given hours"),
    })
    .prefault({})
    .describe(`The ${what}: a mean-reverting log process with jumps (docs/MODEL.md section 3)`);

const L1Schema = z
  .strictObject({
    ethUsd: positive().max(1e9).default(2638).describe("ETH price (USD)"),
    gas: FeeProcessSchema("L1 gas price", 1, 50, 0.5),
    blob: FeeProcessSchema("L1 blob fee", 1e-9, 5.85e11, 0.2),
    verifyGas: positive()
      .max(1e9)
      .default(3_600_000)
      .describe("Gas of one proof verification on L1, paid by the prover that verifies (gas)"),
    proposeGasPerBlock: nonNegative()
      .max(1e9)
      .default(300_000)
      .describe("Gas of proposing one block on L1, paid by the sequencer (gas; KPIs only)"),
    blobsPerBlock: z.int().min(0).default(3).describe("Blobs of L1 data per block (sequencer's cost; KPIs only)"),
    blobGasPerBlob: positive().default(131_072).describe("Blob gas of one blob (gas)"),
  })
  .prefault({})
  .describe("L1 fees and gas (docs/MODEL.md section 3)");

const JobsSchema = z
  .strictObject({
    baseWorkCoreSeconds: nonNegative()
      .default(188_000)
      .describe("Proving work of a block besides its transactions (core-s): merges, block root"),
    workPerTxCoreSeconds: nonNegative()
      .default(3_100)
      .describe("Proving work per transaction (core-s): its public-VM and base-rollup circuits"),
    circuitSeconds: nonNegative()
      .default(60)
      .describe("Time of one circuit, the critical path per level of a block's proof tree (s): no number of cores shortens it"),
    txCircuitLevels: z.int().min(0).default(2).describe("Proof-tree levels per transaction (public VM, base rollup)"),
    blockCircuitLevels: z.int().min(0).default(1).describe("Proof-tree levels above the merges (block root)"),
    noise: z
      .enum(["lognormal", "exponential"])
      .default("lognormal")
      .describe("Proof-time noise factor (mean 1): lognormal with each archetype's latencySigma, or exponential"),
    acceptQuantile: z
      .number()
      .min(0.5)
      .max(0.999999)
      .default(0.9999)
      .describe("A prover accepts a job only if it would finish before the deadline at this quantile of its proof time"),
    aggregationWorkCoreSeconds: nonNegative()
      .default(8_000)
      .describe("Work of one 2-to-1 merge when a batch's block proofs are aggregated (core-s)"),
    aggregationLatencySeconds: nonNegative().default(30).describe("Latency of one level of a batch's aggregation tree (s)"),
  })
  .prefault({})
  .describe(
    "Proof jobs: a block's work W = baseWork + workPerTx x tx, its critical path (tree depth x circuitSeconds) (docs/MODEL.md 4.1)",
  );

const ArchetypeSchema = z.strictObject({
  name: z.string().min(1).describe("Name of the archetype (outputs, audit.attacker)"),
  count: z.int().min(0).max(100_000).describe("Provers of this archetype, each identical"),
  computeCores: positive().max(1e9).describe("Cores of one prover (its own, before added agents)"),
  costUsdPerCoreSecond: nonNegative().max(1).describe("Compute cost (USD per core-second of proving)"),
  fixedCostUsdPerEpoch: nonNegative().max(1e9).default(0).describe("Fixed cost of a registered prover (USD/epoch)"),
  capitalUsd: nonNegative().max(1e15).describe("Capital of one prover (USD): the most it can bond as stake or tie in added agents"),
  mtbfHours: positive().default(1e9).describe("Mean time between failures (h, exponential); the default never fails"),
  mttrHours: positive().default(1).describe("Mean time to repair (h, exponential, rounded up to a slot)"),
  latencySigma: nonNegative().default(0.15).describe("Sigma of the lognormal proof-time noise (mean 1; 0: none)"),
  agentCores: positive()
    .max(1e6)
    .default(32)
    .describe("Cores of one prover agent: compute is added and released in agents (Aztec docs: 32 cores per agent)"),
  agentCapitalUsd: nonNegative()
    .max(1e9)
    .default(6_000)
    .describe("Price of one added agent (USD; hardware, or a cloud commitment), paid out of capital. An assumption (docs/MODEL.md 20.1)"),
  agentLeadHours: nonNegative().max(8760).default(24).describe("Hours from ordering an agent to its proving (h)"),
  agentLifeYears: positive()
    .max(100)
    .default(3)
    .describe(
      "Years an added agent is written off over: its cost per epoch is price x (1 / life + economy.stakeCostPerYear), pro rata (years)",
    ),
  startActive: z.boolean().default(true).describe("Registered at the episode start (false: joins only if its policy chooses to)"),
  policy: PolicySchema.default({ kind: "always-on" }).describe(
    "How each prover of the archetype acts once per epoch (kind: always-on, myopic, q-learning, policy-network)",
  ),
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

const ProversSchema = z
  .strictObject({
    archetypes: z
      .array(ArchetypeSchema)
      .min(1)
      .default(DEFAULT_ARCHETYPES)
      .describe(
        "The prover population: each archetype is `count` identical provers (default: home, professional, cloud, pool, operator; docs/MODEL.md 4.2)",
      ),
    policyNetwork: PolicyNetworkSchema,
    correlatedOutages: z
      .strictObject({
        perDay: nonNegative().default(0).describe("Rate of random correlated outages (per day); 0: none"),
        share: share().default(0.3).describe("Share of all provers a random outage takes down"),
        durationHours: positive().default(2).describe("Duration of a random outage (h)"),
        scheduled: z
          .array(
            z.strictObject({
              startHour: nonNegative().describe("Start (hours from the episode start)"),
              share: share().describe("Share of all provers taken down"),
              durationHours: positive().describe("Duration (h)"),
            }),
          )
          .default([])
          .describe("Correlated outages at given hours"),
      })
      .prefault({})
      .describe("Outages that take down a share of all provers at once (docs/MODEL.md 4.4)"),
  })
  .prefault({})
  .describe("The provers: archetypes, the shared policy network, correlated outages");

const EconomySchema = z
  .strictObject({
    feeUsdPerTx: nonNegative()
      .max(1e6)
      .default(0.5)
      .describe("Fee a user pays per transaction (USD), into the treasury when its block is verified"),
    issuanceUsdPerEpoch: nonNegative().max(1e12).default(1500).describe("Token issuance entering the treasury each epoch (USD/epoch)"),
    initialTreasuryUsd: z
      .number()
      .min(-1e15)
      .max(1e15)
      .default(0)
      .describe("Treasury balance at the start (USD); rewards are paid whatever the balance"),
    stakeCostPerYear: nonNegative().max(10).default(0.05).describe("Cost of capital locked in stake (share of the stake per year)"),
    poolFeeShare: share()
      .default(0.1)
      .describe("Share of a pooled prover's rewards its liquid proving pool keeps (an assumption, docs/MODEL.md 20.5)"),
  })
  .prefault({})
  .describe("Fees, issuance and the cost of capital");

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
    variant: z
      .enum(["proposal", "base-2023", "aztec-current"])
      .default("proposal")
      .describe("Which rules run: the proposal, the 2023 base mechanism alone, or Aztec's current permissionless design (docs/MODEL.md 5)"),
    scalingSignal: z
      .enum(["utilization", "backlog", "load", "forecast"])
      .default("utilization")
      .describe(
        "What drives the requirements: the demand index of arrivals (utilization), of arrivals plus the mempool (backlog) or of the proving load (load: epochs of work outstanding for the provers up, at most 10), or the utilization index's trend forecast (forecast)",
      ),
    speedMetric: z
      .enum(["mean", "percentile"])
      .default("mean")
      .describe(
        "The performance bonus's speed bar: performanceSpeedRatio x the window's mean proof time (mean), or the window's performanceSpeedRatio-quantile of proof times (percentile)",
      ),
    consistencyMetric: z
      .enum(["onTimeRate", "steadiness"])
      .default("onTimeRate")
      .describe(
        "What the performance bonus's consistency gate reads: the prover's on-time rate (onTimeRate), or 1 minus the coefficient of variation of its proof times (steadiness)",
      ),
    stabilizationMetric: z
      .enum(["share", "work"])
      .default("share")
      .describe(
        "How the stabilization pool is shared: one point per race won, compensated race and batched block (share), or the core-seconds each took (work)",
      ),
    batchSignal: z
      .enum(["backlog", "backlogAndGas"])
      .default("backlog")
      .describe(
        "What batching answers: the backlog in blocks (backlog), or the backlog plus one block per doubling of the L1 gas price over its base (backlogAndGas: dear verification batches even without a backlog)",
      ),
    base: groupSchema("base").describe("Requirements, selection, reputation, slashing, unbonding (see 'proverlab params --all')"),
    scaling: groupSchema("scaling").describe("Dynamic scaling of the requirements with the demand index (proposal)"),
    rewards: groupSchema("rewards").describe("Base reward, performance bonus, stabilization pool, race compensation"),
    emergency: groupSchema("emergency").describe("Escalation to emergency mode with proof racing, and its exit"),
    batching: groupSchema("batching").describe("Adaptive batching of block proofs into one L1 verification (proposal)"),
    aztecCurrent: z
      .strictObject({
        feeShare: share()
          .default(0.3)
          .describe("Share of transaction fees paid to provers through the epoch pools (the rest to sequencers)"),
        booster: z
          .strictObject({
            increment: positive().default(101_400).describe("Score a prover gains for an epoch it proved in full (points)"),
            maxScore: positive().default(367_500).describe("Cap of the booster score (points)"),
            a: positive().default(250_000).describe("Penalty of the score gap: shares = k - a x (maxScore - score)^2 / 1e10"),
            minimum: positive().default(10_000).describe("Fewest shares of a prover that proved its epoch"),
            k: positive().default(1_000_000).describe("Shares at the maximum score"),
            decayPerEpoch: nonNegative().default(100_000).describe("Score lost every epoch (points)"),
          })
          .prefault({})
          .describe("Reward-booster shares of the epoch pools (AZIP-5)"),
      })
      .prefault({})
      .describe("The aztec-current variant's epoch pools (docs/MODEL.md 11)"),
  })
  .prefault({})
  .describe("The mechanism: its variant and its parameters, by group (docs/MODEL.md 15)");

const ScenariosSchema = z
  .strictObject({
    train: z
      .array(z.string().min(1))
      .default([])
      .describe("Experiment files (relative to this one) whose environment candidates are scored on; none: this experiment"),
    heldOut: z
      .array(z.string().min(1))
      .default([])
      .describe("Experiment files for the held-out evaluation; none: this experiment on held-out seeds"),
    provers: z
      .enum(["scenario", "experiment"])
      .default("scenario")
      .describe("Whose provers the scenarios run: each scenario file's own, or this experiment's (one population everywhere)"),
  })
  .prefault({})
  .describe("The training and held-out scenarios of tune, evaluate, compare and audit");

/** The adaptive governance controller (`proverlab train-controller`) and its two-level curriculum. */
export const ControllerSchema = z
  .strictObject({
    params: z.array(z.string().min(1)).default([]).describe("Parameter names or groups the controller sets; empty: tune.params"),
    everyEpochs: z.int().min(1).max(1000).default(3).describe("Epochs between decisions"),
    rateLimit: z
      .number()
      .gt(0)
      .max(1)
      .default(0.1)
      .describe("Largest change per decision, as a share of each parameter's range (its unit-cube coordinate)"),
    levels: z
      .int()
      .min(1)
      .max(10)
      .default(2)
      .describe("Settings per parameter: offsets -levels .. +levels from the starting calibration, in steps of levelStep"),
    levelStep: z.number().gt(0).max(1).default(0.1).describe("Step between settings (share of the parameter's range, in its own scale)"),
    hidden: z
      .array(z.int().min(1).max(1024))
      .min(1)
      .max(4)
      .default([32, 32])
      .describe("Hidden layer widths of the controller's network (units)"),
    learningRate: z.number().gt(0).max(1).default(1e-3).describe("Adam learning rate"),
    passes: z.int().min(1).max(100).default(4).describe("Adam steps per PPO update"),
    episodesPerUpdate: z.int().min(1).max(1000).default(1).describe("Training episodes whose decisions make one PPO batch"),
    clip: z.number().gt(0).lt(1).default(0.2).describe("PPO clip range of the probability ratio"),
    valueWeight: nonNegative().default(0.5).describe("Weight of the value loss"),
    gamma: z.number().min(0).lt(1).default(0.5).describe("Discount per decision"),
    lambda: share().default(0.9).describe("GAE lambda of the advantages"),
    entropyStart: nonNegative()
      .default(0.01)
      .describe(
        "Entropy bonus at the first training episode, annealed linearly to entropyEnd: wide exploration first, so provers see a wide range of settings",
      ),
    entropyEnd: nonNegative().default(0.001).describe("Entropy bonus at the last training episode"),
    episodes: z
      .int()
      .min(1)
      .max(100_000)
      .default(60)
      .describe(
        "Training episodes. In every episode, level 1: fresh provers learn under the starting calibration for objective.warmupEpochs; level 2: the controller acts and learns while they keep adapting",
      ),
    constraintPenalty: nonNegative()
      .default(1000)
      .describe(
        "A decision's reward is what its window adds to the episode's objective, constraint violations x constraintPenalty included (points per unit of violation)",
      ),
    checkpointEvery: z
      .int()
      .min(1)
      .max(100_000)
      .default(50)
      .describe("Episodes between checkpoints; each is scored greedily on validation seeds, and the best one is kept"),
    validationSeeds: z
      .int()
      .min(2)
      .max(MAX_SEEDS)
      .default(20)
      .describe("Validation episodes per training scenario (seeds of their own, paired with the starting calibration)"),
  })
  .prefault({});

export const ExperimentSchema = z.strictObject({
  name: z
    .string()
    .max(100)
    .regex(/^[a-z0-9][a-z0-9-]*$/, "use lower-case letters, digits and dashes")
    .describe("Name of the experiment (lower-case letters, digits, dashes): names its results folders"),
  description: z.string().default("").describe("What the experiment is for (free text)"),
  seed: z
    .int()
    .min(0)
    .max(2 ** 31)
    .default(1)
    .describe("Seed of the episode's random streams (simulate; tune and evaluate derive their episodes' seeds from it)"),
  // At most 100,000 epochs (3.7 years): simulate keeps a row per epoch, and a longer run outgrows memory.
  horizonEpochs: z.int().min(1).max(100_000).default(72).describe("Epochs in an episode (72 epochs of 1,152 s = 23.04 h at the defaults)"),
  time: TimeSchema,
  demand: DemandSchema,
  l1: L1Schema,
  jobs: JobsSchema,
  provers: ProversSchema,
  economy: EconomySchema,
  mechanism: MechanismSchema,
  objective: ObjectiveSchema,
  scenarios: ScenariosSchema,
  tune: TuneSchema.describe("The search of `proverlab tune`: parameters, tuner, budget, seeds, aggregation over scenarios"),
  controller: ControllerSchema.describe(
    "The adaptive governance controller of `proverlab train-controller` and its curriculum (docs/MODEL.md 12.2)",
  ),
  audit: AuditSchema.describe("The exploit audit of `proverlab audit`, and of `tune` on its recommendation (docs/MODEL.md 19)"),
});

/** A validated experiment (every default filled in): what loadExperiment and validateExperiment return. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- named, so hovers and the API reference show "Experiment", not the whole inferred type
export interface Experiment extends z.infer<typeof ExperimentSchema> {}
export type Archetype = z.infer<typeof ArchetypeSchema>;
export type ControllerOptions = z.infer<typeof ControllerSchema>;
