import { ArchetypePolicies } from "../../agents/prover/byArchetype.js";
import type { ProverPolicy } from "../../agents/prover/policy.js";
import { QLearningPolicy } from "../../agents/prover/qlearning.js";
import type { ParamValues } from "../config/paramSpace.js";
import { checkConsistent } from "../config/resolve.js";
import type { Archetype, Experiment } from "../config/schema.js";
import type { AuditOptions } from "./schema.js";
import type { Observation, ProverActions } from "../env/spaces.js";
import { Stream } from "../rng/streams.js";
import type { Bundle, Scenario } from "../tuning/bundle.js";
import { runEpisode } from "../tuning/episode.js";
import { episodeStream, warmupEnd } from "../tuning/evaluate.js";
import { meanInterval, pairedDifference, type MeanInterval } from "../tuning/stats.js";
import {
  ATTACKER,
  attackerTemplate,
  coalitionCopies,
  copiesOf,
  ADVERSARIAL_INDEX,
  attackerActions,
  splitInto,
  totalCompute,
  withAttackers,
  type AttackerSeats,
} from "./population.js";
import type { AuditStrategy } from "./strategies.js";
import { userCostPerTx } from "../tuning/pareto.js";

/**
 * One strategy in one setting: what the attackers gained over honest play, and what it cost the
 * network. The headline numbers are means over the paired episodes; `intervals` holds each with its
 * 95 % t interval.
 */
export interface StrategyResult {
  name: AuditStrategy;
  setting: "alone" | "coalition";
  /** The configured share of total compute (null alone). */
  coalitionShare: number | null;
  /** The attackers' actual share of total compute (whole copies of the attacker archetype), averaged over scenarios. */
  computeShare: number;
  /** Attacking provers in the adversarial arm (split: the identities); in the first scenario if scenarios differ. */
  identities: number;
  /** The attackers' profit (USD per epoch after the warm-up, summed over their provers) in the honest and the adversarial arm. */
  honestProfitUsd: number;
  adversarialProfitUsd: number;
  /** Adversarial - honest profit, USD per epoch, paired by episode (same seeds). */
  gainUsd: number;
  /** gainUsd / |honestProfitUsd| x 100 (null when the honest profit is 0). */
  gainPct: number | null;
  /** Liveness lost to the strategy: honest - adversarial, share of blocks (negative: liveness rose). */
  livenessCost: number;
  /** Change in what users pay per transaction (rewardsPerTxUsd + l1CostPerTxUsd): adversarial - honest, USD/tx. */
  costPerTxChange: number;
  /** Share of the attackers' decisions after the warm-up that took the adversarial action (null for split). */
  adversarialActionShare: number | null;
  /** The gain's interval lies above 0: the strategy pays. */
  exploit: boolean;
  intervals: {
    honestProfitUsd: MeanInterval;
    adversarialProfitUsd: MeanInterval;
    gainUsd: MeanInterval;
    livenessCost: MeanInterval;
    costPerTxChange: MeanInterval;
  };
}

export interface SkippedStrategy {
  name: AuditStrategy;
  setting: "alone" | "coalition";
  coalitionShare: number | null;
  reason: string;
}

/** audit.json. */
export interface AuditReport {
  experiment: string;
  /** The experiment's seed: audit episode k of scenario s runs on Stream(seed) / audit / s / k. */
  seed: number;
  calibration: { source: string; params: ParamValues };
  /** Held-out scenarios the episodes ran on. */
  scenarios: string[];
  /** Paired episodes per scenario and arm. */
  seeds: number;
  warmupEpochs: number;
  attacker: { archetype: string; computeCores: number };
  strategies: StrategyResult[];
  skipped: SkippedStrategy[];
}

/** One episode of one arm: the attackers' profit and the network's KPIs after the warm-up. */
export interface EpisodeOutcome {
  profit: number;
  liveness: number;
  costPerTx: number;
  /** Decisions after the warm-up, and how many took the arm's adversarial action. */
  decisions: number;
  adversarial: number;
}

/**
 * One arm of the audit as a task of its own (an executor may run it anywhere): the attackers' seats
 * per held-out scenario, in the bundle's scenario order, under a calibration.
 */
export interface AuditArmTask {
  params: ParamValues;
  seats: [scenario: string, seats: AttackerSeats][];
  seeds: number;
  warmup: number;
}

/** Runs audit arms: in this thread by default, or through an executor's workers. */
export type AuditArmRunner = (tasks: readonly AuditArmTask[]) => Promise<EpisodeOutcome[][]>;

/** An arm's episodes, every held-out scenario's `seeds` in turn: a pure function of the bundle and the task. */
export function runAuditArm(bundle: Bundle, task: AuditArmTask): EpisodeOutcome[] {
  const options = bundle.experiment.audit;
  const seats = new Map(task.seats);
  return bundle.heldOut.flatMap((s) => {
    const arm = seats.get(s.name);
    if (arm === undefined) throw new Error(`audit arm: no seats for scenario ${s.name}`);
    const template = attackerTemplate(s.experiment, bundle.experiment, options.attacker);
    return runArm(bundle, s, template, arm, task.params, options, task.seeds, task.warmup);
  });
}

/** The runner of a bundle's arms in this thread, one after the other. */
export function inlineArms(bundle: Bundle): AuditArmRunner {
  return (tasks) => Promise.resolve(tasks.map((t) => runAuditArm(bundle, t)));
}

/** The arm's attackers per scenario, by scenario name. */
type Arm = Map<string, AttackerSeats>;

/**
 * The exploit audit of a frozen calibration (docs/MODEL.md, section 19). For each strategy and
 * setting (one attacker; coalitions holding a share of total compute), attacking Q-learners are
 * appended to every held-out scenario's population and run on `audit.seeds` episodes per scenario
 * twice, with the same seeds (common random numbers): with the adversarial action added to their
 * choices, and with the honest choices only (split: as several identities, and as one). The gain is
 * the attackers' profit per epoch after the warm-up, adversarial minus honest, paired by episode;
 * the network's cost is the change in liveness and in cost per transaction. Every distinct arm is
 * planned first and run by `arms` in one batch (each arm once, however many strategies share it).
 */
export async function runAudit(
  bundle: Bundle,
  params: ParamValues,
  source: string,
  seedsOverride?: number,
  arms: AuditArmRunner = inlineArms(bundle),
): Promise<AuditReport> {
  checkConsistent(params);
  const main = bundle.experiment;
  const options = main.audit;
  const seeds = seedsOverride ?? options.seeds;
  const warmup = options.warmupEpochs ?? main.objective.warmupEpochs;
  const scenarios = bundle.heldOut;
  const templates = new Map(scenarios.map((s) => [s.name, attackerTemplate(s.experiment, main, options.attacker)]));
  const minCompute = params["base.minComputeCores"]!;
  // Arms shared by strategies (the honest arm of withhold and snipe; one identity alone) are planned once.
  const tasks: AuditArmTask[] = [];
  const planned = new Map<string, number>();
  const plan = (arm: Arm): number => {
    const seats = scenarios.map((s) => [s.name, arm.get(s.name)!] as [string, AttackerSeats]);
    const key = JSON.stringify(seats);
    let index = planned.get(key);
    if (index === undefined) {
      index = tasks.push({ params, seats, seeds, warmup }) - 1;
      planned.set(key, index);
    }
    return index;
  };

  const settings: { setting: "alone" | "coalition"; share: number | null }[] = [
    ...(options.alone ? [{ setting: "alone" as const, share: null }] : []),
    ...options.coalitionShares.map((share) => ({ setting: "coalition" as const, share })),
  ];
  const pending: {
    name: AuditStrategy;
    setting: "alone" | "coalition";
    share: number | null;
    computeShare: number;
    identities: number;
    base: number;
    other: number;
    actionShare: boolean;
  }[] = [];
  const skipped: SkippedStrategy[] = [];
  for (const { setting, share } of settings) {
    const copies = new Map(
      scenarios.map((s) => [s.name, share === null ? 1 : coalitionCopies(templates.get(s.name)!, s.experiment.provers.archetypes, share)]),
    );
    const arm = (seats: (t: Archetype, copies: number) => AttackerSeats): Arm =>
      new Map(scenarios.map((s) => [s.name, seats(templates.get(s.name)!, copies.get(s.name)!)]));
    const computeShare = mean(
      scenarios.map((s) => {
        const c = templates.get(s.name)!.computeCores * copies.get(s.name)!;
        return c / (c + totalCompute(s.experiment.provers.archetypes));
      }),
    );
    for (const name of options.strategies) {
      if (name === "split") {
        const identities = Math.min(
          ...scenarios.map((s) =>
            Math.min(options.identities, Math.floor((templates.get(s.name)!.computeCores * copies.get(s.name)!) / minCompute)),
          ),
        );
        if (identities < 2) {
          skipped.push({
            name,
            setting,
            coalitionShare: share,
            reason: `the attackers' compute cannot be split into 2 identities that each meet base.minComputeCores (${minCompute})`,
          });
          continue;
        }
        const one = plan(arm((t, c) => splitInto(t, c, 1, attackerActions(null))));
        const many = plan(arm((t, c) => splitInto(t, c, identities, attackerActions(null))));
        pending.push({ name, setting, share, computeShare, identities, base: one, other: many, actionShare: false });
      } else {
        const honest = plan(arm((t, c) => copiesOf(t, c, attackerActions(null))));
        const adversarial = plan(arm((t, c) => copiesOf(t, c, attackerActions(name))));
        const identities = copies.get(scenarios[0]!.name)!;
        pending.push({ name, setting, share, computeShare, identities, base: honest, other: adversarial, actionShare: true });
      }
    }
  }
  const outcomes = await arms(tasks);
  const strategies = pending.map((p) =>
    result(p.name, p.setting, p.share, p.computeShare, p.identities, outcomes[p.base]!, outcomes[p.other]!, p.actionShare),
  );
  const first = templates.get(scenarios[0]!.name)!;
  return {
    experiment: main.name,
    seed: main.seed,
    calibration: { source, params },
    scenarios: scenarios.map((s) => s.name),
    seeds,
    warmupEpochs: warmup,
    attacker: { archetype: first.name, computeCores: first.computeCores },
    strategies,
    skipped,
  };
}

function result(
  name: AuditStrategy,
  setting: "alone" | "coalition",
  share: number | null,
  computeShare: number,
  identities: number,
  honest: readonly EpisodeOutcome[],
  adversarial: readonly EpisodeOutcome[],
  actionShare: boolean,
): StrategyResult {
  const profitA = adversarial.map((o) => o.profit);
  const profitB = honest.map((o) => o.profit);
  const gain = pairedDifference(profitA, profitB);
  const honestProfit = meanInterval(profitB);
  const adversarialProfit = meanInterval(profitA);
  const livenessCost = pairedDifference(
    honest.map((o) => o.liveness),
    adversarial.map((o) => o.liveness),
  );
  const costPerTxChange = pairedDifference(
    adversarial.map((o) => o.costPerTx),
    honest.map((o) => o.costPerTx),
  );
  const decisions = adversarial.reduce((s, o) => s + o.decisions, 0);
  return {
    name,
    setting,
    coalitionShare: share,
    computeShare,
    identities,
    honestProfitUsd: honestProfit.mean,
    adversarialProfitUsd: adversarialProfit.mean,
    gainUsd: gain.mean,
    gainPct: honestProfit.mean !== 0 ? (gain.mean / Math.abs(honestProfit.mean)) * 100 : null,
    livenessCost: livenessCost.mean,
    costPerTxChange: costPerTxChange.mean,
    adversarialActionShare: actionShare && decisions > 0 ? adversarial.reduce((s, o) => s + o.adversarial, 0) / decisions : null,
    exploit: gain.n > 1 && gain.low > 0,
    intervals: { honestProfitUsd: honestProfit, adversarialProfitUsd: adversarialProfit, gainUsd: gain, livenessCost, costPerTxChange },
  };
}

function runArm(
  bundle: Bundle,
  scenario: Scenario,
  template: Archetype,
  seats: AttackerSeats,
  params: ParamValues,
  options: AuditOptions,
  seeds: number,
  warmup: number,
): EpisodeOutcome[] {
  const exp: Experiment = withAttackers(scenario.experiment, template, seats, options);
  const adversarialIndex = seats.actions[ADVERSARIAL_INDEX] !== "full" ? ADVERSARIAL_INDEX : -1;
  const policies = new ArchetypePolicies(exp);
  const learner = policies.policyFor(ATTACKER);
  if (!(learner instanceof QLearningPolicy)) throw new Error("the audit's attackers must be Q-learners");
  const window = warmupEnd(warmup, exp.horizonEpochs);
  const recorder = new AttackerRecorder(policies, learner, seats.identities, window, adversarialIndex);
  const outcomes: EpisodeOutcome[] = [];
  try {
    for (let k = 0; k < seeds; k++) {
      const kpis = runEpisode(exp, params, recorder, episodeStream(bundle, "audit", scenario, k), null, {
        recordRows: false,
        windowFrom: window,
      }).windowKpis;
      outcomes.push({
        profit: recorder.profit / Math.max(1, recorder.epochs),
        liveness: kpis.liveness,
        costPerTx: userCostPerTx(kpis),
        decisions: recorder.decisions,
        adversarial: recorder.adversarial,
      });
    }
  } finally {
    policies.dispose();
  }
  return outcomes;
}

function mean(values: readonly number[]): number {
  return values.reduce((s, x) => s + x, 0) / values.length;
}

/**
 * Runs the population's policies and records, after the warm-up, the attackers' summed profit per
 * epoch and how often they chose the adversarial action.
 */
class AttackerRecorder implements ProverPolicy {
  private first = 0;
  readonly name = "audit-recorder";
  profit = 0;
  epochs = 0;
  decisions = 0;
  adversarial = 0;
  private epoch = 0;

  constructor(
    private readonly inner: ProverPolicy,
    private readonly learner: QLearningPolicy,
    private readonly count: number,
    private readonly warmup: number,
    private readonly adversarialIndex: number,
  ) {}

  reset(n: number, stream: Stream): void {
    // The attackers are the last provers of the population.
    this.first = n - this.count;
    this.inner.reset(n, stream);
    this.profit = this.epochs = this.decisions = this.adversarial = this.epoch = 0;
  }

  act(obs: Observation, a: ProverActions): void {
    this.inner.act(obs, a);
    if (this.epoch < this.warmup) return;
    for (let i = this.first; i < this.first + this.count; i++) {
      this.decisions++;
      if (this.learner.lastActionOf(i) === this.adversarialIndex) this.adversarial++;
    }
  }

  observe(reward: Float64Array, obs: Observation, done: boolean): void {
    this.inner.observe?.(reward, obs, done);
    if (this.epoch >= this.warmup) {
      for (let i = this.first; i < this.first + this.count; i++) this.profit += reward[i]!;
      this.epochs++;
    }
    this.epoch++;
  }
}
