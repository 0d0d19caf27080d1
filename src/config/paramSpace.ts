/**
 * Every calibrated parameter of the mechanism, in one table. Tuners, exports and reports read
 * bounds from here; nothing else hard-codes one. Defaults are the proposal's hand-set values or,
 * where it published none, the assumptions documented in docs/MODEL.md.
 */
export type ParamGroup = "base" | "scaling" | "rewards" | "emergency" | "batching";
export type ParamScale = "linear" | "log";

export interface ParamSpec {
  readonly name: string;
  readonly group: ParamGroup;
  readonly unit: string;
  readonly default: number;
  readonly lower: number;
  readonly upper: number;
  readonly scale: ParamScale;
  readonly integer: boolean;
  readonly description: string;
}

function p(
  name: string,
  unit: string,
  def: number,
  lower: number,
  upper: number,
  description: string,
  opts: { scale?: ParamScale; integer?: boolean } = {},
): ParamSpec {
  const group = name.split(".")[0] as ParamGroup;
  return {
    name,
    group,
    unit,
    default: def,
    lower,
    upper,
    scale: opts.scale ?? "linear",
    integer: opts.integer ?? false,
    description,
  };
}

export const PARAM_SPACE: readonly ParamSpec[] = [
  p("base.minComputeCores", "cores", 1024, 16, 8192, "Compute floor at demand index 1", { scale: "log", integer: true }),
  p("base.minStakeUsd", "USD", 10_000, 500, 1_000_000, "Stake floor at demand index 1", { scale: "log" }),
  p("base.topFraction", "share", 0.25, 0.05, 1, "Selection draws among this top share of available provers by reputation"),
  p("base.stakeWeighted", "flag", 0, 0, 1, "1: selection weighted by bonded stake", { integer: true }),
  p("base.reputationAlpha", "1/epoch", 0.1, 0.01, 0.5, "EMA weight of the latest epoch in reputation", { scale: "log" }),
  p("base.reputationUptimeWeight", "share", 0.3, 0, 1, "Weight of uptime (rest: on-time delivery) in reputation"),
  p("base.slashFraction", "share of stake", 0.05, 0, 0.5, "Stake slashed per failed assignment"),
  p("base.unbondingHours", "h", 168, 1, 720, "Stake withdrawable this long after exit", { scale: "log" }),
  p("base.maxQueuePerProver", "jobs", 1, 1, 1000, "Outstanding jobs a prover may hold before it stops being drawn", {
    scale: "log",
    integer: true,
  }),
  p(
    "base.identityFeeUsdPerEpoch",
    "USD/epoch",
    0,
    0,
    50,
    "Fee every registered identity pays the treasury per epoch: a cost per identity against splitting one operator into many",
  ),
  p("scaling.smoothing", "1/epoch", 0.3, 0.02, 1, "EMA weight of the latest epoch in the demand index", { scale: "log" }),
  p(
    "scaling.lowThreshold",
    "demand index",
    0.6,
    0.02,
    1,
    "Requirements fall while the demand index is below this (the load signal sits near 0.05 at light load)",
  ),
  p("scaling.highThreshold", "demand index", 1.5, 1, 5, "Requirements rise while the demand index is above this"),
  p("scaling.downFactor", "x/epoch", 0.9, 0.5, 1, "Multiplier applied to requirements per low-demand epoch"),
  p("scaling.upFactor", "x/epoch", 1.25, 1, 2, "Multiplier applied to requirements per high-demand epoch"),
  p("scaling.maxChangePerEpoch", "share", 0.25, 0.01, 1, "Largest relative change of a requirement in one epoch", {
    scale: "log",
  }),
  p("scaling.floorRatio", "x base", 0.5, 0.1, 1, "Requirements never fall below this multiple of the base floor"),
  p("scaling.ceilingRatio", "x base", 2, 1, 16, "Requirements never rise above this multiple of the base floor", {
    scale: "log",
  }),
  p(
    "scaling.graceEpochs",
    "epochs",
    3,
    0,
    48,
    "Incumbents that meet a requirement in force up to this many epochs ago stay eligible; newcomers get no grace",
    {
      integer: true,
    },
  ),
  p("scaling.forecastLeadEpochs", "epochs", 3, 0, 24, "Lead of the trend forecast (forecast signal and pre-emption)"),
  p("rewards.computePriceUsdPerCoreSecond", "USD/core-s", 4e-5, 5e-6, 2e-4, "Reference compute price in the base reward", {
    scale: "log",
  }),
  p("rewards.profitMargin", "share", 0.1, 0, 1, "Margin on compute and L1 cost in the base reward"),
  p(
    "rewards.l1CostSmoothingHours",
    "h",
    1,
    0,
    24,
    "Time constant of the L1 verification cost the base reward covers (0: the cost at verification); the prover pays the cost at verification",
  ),
  p("rewards.performanceBonusWeight", "x base", 0.1, 0, 1, "Performance bonus as a share of the base reward"),
  p(
    "rewards.performanceSpeedRatio",
    "x rolling latency",
    0.9,
    0.3,
    1,
    "Proofs at most this share of the rolling mean latency earn the bonus",
  ),
  p("rewards.performanceWindowEpochs", "epochs", 12, 1, 200, "Window of the rolling mean latency", { scale: "log", integer: true }),
  p("rewards.consistencyGate", "on-time rate", 0.95, 0.5, 1, "On-time rate (EMA) a prover needs for the performance bonus"),
  p("rewards.stabilizationPoolShare", "x base", 0.2, 0, 1, "Stabilization pool per stressed epoch, as a share of its base rewards"),
  p(
    "rewards.raceCompensationShare",
    "x base",
    0.3,
    0,
    1,
    "Share of the base reward paid to a losing racer, pro rata to its progress on the proof",
  ),
  p(
    "emergency.loadThreshold",
    "epochs of work",
    0.8,
    0.1,
    4,
    "Proving load (outstanding work / available compute) that escalates a failure",
    {
      scale: "log",
    },
  ),
  p(
    "emergency.minOnlineShare",
    "share of eligible",
    0.8,
    0.05,
    1,
    "A failure while fewer eligible provers than this share are online escalates",
  ),
  p("emergency.preemptiveThreshold", "demand index", 2, 1, 10, "Forecast demand index that activates emergency mode pre-emptively", {
    scale: "log",
  }),
  p("emergency.hysteresis", "share", 0.8, 0.3, 1, "Exit once every trigger is below this share of its threshold"),
  p("emergency.minDurationEpochs", "epochs", 2, 1, 48, "Emergency mode lasts at least this long", { scale: "log", integer: true }),
  p("emergency.raceWidth", "provers", 3, 2, 5, "Provers racing each job in emergency mode", { integer: true }),
  p("batching.minSize", "blocks", 2, 1, 8, "Batch size at the onset of congestion", { integer: true }),
  p("batching.maxSize", "blocks", 8, 1, 32, "Largest batch", { scale: "log", integer: true }),
  p(
    "batching.slope",
    "blocks per block of backlog",
    1,
    0,
    8,
    "Batch size added per block of backlog (mempool in blocks of capacity, plus blocks waiting for a prover)",
  ),
  p(
    "batching.congestionThreshold",
    "blocks of backlog",
    1,
    0.1,
    20,
    "Backlog in blocks (mempool over block capacity, plus blocks waiting for a prover) that counts as congestion",
    {
      scale: "log",
    },
  ),
  p("batching.maxWaitSlots", "slots", 4, 0, 32, "A partial batch is sealed once its oldest block waited this long", {
    integer: true,
  }),
];

const BY_NAME = new Map(PARAM_SPACE.map((s) => [s.name, s]));

export function paramSpec(name: string): ParamSpec | undefined {
  return BY_NAME.get(name);
}

/** A flat name -> value map of every parameter. */
export type ParamValues = Record<string, number>;

export function defaultParams(): ParamValues {
  return Object.fromEntries(PARAM_SPACE.map((s) => [s.name, s.default]));
}
