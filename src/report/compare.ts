import { MAX_SEEDS } from "../config/schemaFields.js";
import type { ParameterEffect } from "../tuning/inert.js";
import { resolve } from "node:path";
import { ConfigError } from "../config/errors.js";
import type { ParamValues } from "../config/paramSpace.js";
import { WINDOW_KPI_UNITS, WINDOW_KPIS, type WindowKpi } from "../env/windowKpis.js";
import { toCsv } from "../results/csv.js";
import { Stream } from "../rng/streams.js";
import { initTensorflow } from "../ml/tensorflow.js";
import { allScenarios, type Bundle, type Scenario } from "../tuning/bundle.js";
import { BundleVariants } from "../tuning/bundleVariants.js";
import { combineScenarios, type Evaluation } from "../tuning/evaluate.js";
import type { EvaluationTask, TaskResult } from "../tuning/evaluationTask.js";
import { createExecutor, executorChoice, type ExecutorChoice } from "../tuning/executor.js";
import { verdict, type Verdict } from "../tuning/objective.js";
import { nonDominated, userCostPerTx } from "../tuning/pareto.js";
import { bootstrapInterval, differences, UNDEFINED_INTERVAL as UNDEFINED, type MeanInterval } from "../tuning/stats.js";
import { objectiveText, scoreText } from "./calibration.js";
import { intervalsFigure, renderFigure, tradeOffFigure, type RenderedFigure, type Row } from "./charts.js";
import { figure, list, tableBlock, text, type Block, type ReportDocument, type Section } from "./document.js";
import { lorenzOf, timeSeriesOf, type Showcase } from "./episodes.js";
import { difference, fmt, interval, percent, withSignificance, type Difference } from "./format.js";
import { betterDirection, kpiOrder } from "./kpis.js";
import { resolvePolicies, type ComparedPolicy } from "./policies.js";
import { makeTable } from "./tables.js";

/** Bootstrap resamples behind every interval of a comparison. */
const RESAMPLES = 2000;

export interface CompareArgs {
  policies: readonly string[];
  experiment?: string | undefined;
  set: readonly string[];
  /** Scenario names, comma-separated lists of them, or the splits `held-out` and `train`; default held-out. */
  scenarios?: readonly string[] | undefined;
  seeds?: number | undefined;
  baseline?: string | undefined;
  /** Worker threads evaluating the policies (default 1: in this thread). */
  workers?: number | undefined;
  /** redis://... : evaluate on that server's `proverlab worker`s. */
  executor?: string | undefined;
}

export interface KpiComparison {
  /** Mean over episodes with a 95 % bootstrap interval (episodes where the KPI is defined). */
  mean: MeanInterval;
  /** Policy minus baseline, paired by episode, 95 % bootstrap interval; significant when it excludes 0. */
  difference: Difference;
  /** Share of paired episodes where the policy is better than the baseline (ties count half); null when no direction is better. */
  winRate: number | null;
}

export interface PolicyComparison extends Verdict {
  name: string;
  kind: ComparedPolicy["kind"];
  source: string;
  sets: readonly string[];
  /** Where each episode starts. */
  params: ParamValues;
  /** Per episode, the objective's weighted sum (constraints aside): mean with a bootstrap interval. */
  utility: MeanInterval;
  utilityDifference: Difference;
  utilityWinRate: number;
  kpis: Record<WindowKpi, KpiComparison>;
  /** A tune run's changed parameters and their effects on training (recommendation.json), to say why a KPI is worse. */
  effects?: readonly ParameterEffect[];
}

/** What `compare` writes as compare.json. */
export interface Comparison {
  experiment: string;
  experimentPath: string;
  sets: string[];
  objective: Bundle["experiment"]["objective"];
  scenarios: string[];
  seeds: number;
  episodes: number;
  baseline: string;
  resamples: number;
  policies: PolicyComparison[];
}

interface Evaluated {
  policy: ComparedPolicy;
  evaluation: Evaluation;
  shows: Showcase[];
}

/**
 * Every policy on the same scenarios and held-out seeds (common random numbers: episode k of a
 * scenario has the same draws for every policy), then per KPI a bootstrap interval of the mean and of
 * the paired difference against the baseline, and a win rate.
 */
export async function comparePolicies(
  args: CompareArgs,
): Promise<{ comparison: Comparison; doc: ReportDocument; episodesCsv: string; seed: number; ran: ExecutorChoice }> {
  if (args.policies.length === 0) throw new ConfigError("policy", "name at least one policy, e.g. proposal-defaults base-2023");
  const choice = executorChoice(args.workers, args.executor);
  const policies = resolvePolicies(args.policies);
  const baseline = args.baseline ?? policies[0]!.name;
  if (!policies.some((p) => p.name === baseline)) {
    throw new ConfigError("--baseline", `'${baseline}' is not among the compared policies (${policies.map((p) => p.name).join(", ")})`);
  }
  const fromRun = policies.find((p) => p.experiment)?.experiment;
  if (args.experiment === undefined && !fromRun) {
    throw new ConfigError("--experiment", "no tune run among the policies to take the experiment from; give --experiment FILE");
  }
  const experimentPath = args.experiment === undefined ? fromRun!.path : resolve(args.experiment);
  const sets = [...(args.experiment === undefined ? fromRun!.sets : []), ...args.set];
  const variants = new BundleVariants(experimentPath, sets);
  const first = variants.base;
  const scenarios = pickScenarios(first, args.scenarios);
  const seeds = args.seeds ?? first.experiment.tune.seeds.heldOut;
  if (!Number.isInteger(seeds) || seeds < 1 || seeds > MAX_SEEDS) {
    throw new ConfigError("--seeds", `${seeds} is not an integer from 1 to ${MAX_SEEDS}; give e.g. --seeds 10`);
  }
  // One task per policy and scenario, all at once: the more workers, the more of them run together.
  const tasks: EvaluationTask[] = [];
  const bundles: Bundle[] = [];
  for (const policy of policies) {
    const variant = { sets: policy.sets, heldOut: scenarios.map((sc) => sc.name) };
    if (policy.kind === "controller") await initTensorflow();
    const bundle = variants.get(variant);
    bundles.push(bundle);
    const { params, controller } = policy.instantiate(bundle);
    for (const sc of scenarios) {
      // Each scenario's first held-out episode is also its showcase: kept rather than run again.
      const task = { params, split: "heldOut" as const, seeds, variant: { ...variant, heldOut: [sc.name] }, keepFirst: true };
      tasks.push(controller ? { ...task, controller } : task);
    }
  }
  const executor = await createExecutor(variants, choice);
  let results: TaskResult[];
  try {
    results = await executor.evaluateAll(tasks);
  } finally {
    await executor.close();
  }
  const evaluated: Evaluated[] = policies.map((policy, i) => {
    const parts = results.slice(i * scenarios.length, (i + 1) * scenarios.length);
    const shows = parts.flatMap((p) => p.firstEpisodes!.map((f) => ({ policy: policy.name, ...f })));
    return { policy, evaluation: combineScenarios(bundles[i]!, parts), shows };
  });
  const comparison = summarise(first, experimentPath, sets, scenarios, seeds, baseline, evaluated);
  return {
    comparison,
    doc: await document(comparison, scenarios, evaluated),
    episodesCsv: episodesCsv(evaluated, scenarios, seeds),
    seed: first.experiment.seed,
    ran: choice,
  };
}

/** The scenarios named (or the splits `held-out`, `train`), each once; the held-out split by default. */
function pickScenarios(bundle: Bundle, names: readonly string[] | undefined): Scenario[] {
  const wanted = (names ?? ["held-out"]).flatMap((n) => n.split(",")).map((n) => n.trim());
  const known = allScenarios(bundle).map((s) => s.name);
  const picked = wanted.flatMap((n) => {
    if (n === "held-out") return bundle.heldOut.map((s) => s.name);
    if (n === "train") return bundle.train.map((s) => s.name);
    if (!known.includes(n))
      throw new ConfigError("--scenarios", `unknown scenario '${n}'; choose from held-out, train, ${known.join(", ")}`);
    return [n];
  });
  return [...new Set(picked)].map((n) => allScenarios(bundle).find((s) => s.name === n)!);
}

/** Episodes where both values are defined (a KPI such as latency is undefined when nothing was proven). */
function definedPairs(a: readonly number[], b: readonly number[]): [number[], number[]] {
  const keep = a.map((x, i) => Number.isFinite(x) && Number.isFinite(b[i]!));
  return [a.filter((_, i) => keep[i]), b.filter((_, i) => keep[i])];
}

/** Share of pairs where `better` * (a - b) > 0, ties counting half. */
function winRate(a: readonly number[], b: readonly number[], better: 1 | -1): number {
  const wins = a.reduce((s, x, i) => s + (better * (x - b[i]!) > 0 ? 1 : x === b[i] ? 0.5 : 0), 0);
  return wins / a.length;
}

function summarise(
  bundle: Bundle,
  experimentPath: string,
  sets: string[],
  scenarios: readonly Scenario[],
  seeds: number,
  baseline: string,
  evaluated: readonly Evaluated[],
): Comparison {
  const objective = bundle.experiment.objective;
  const base = evaluated.find((x) => x.policy.name === baseline)!.evaluation;
  const root = Stream.root(bundle.experiment.seed).child("compare");
  const interval = (values: readonly number[], stream: Stream) =>
    values.length > 0 ? bootstrapInterval(values, stream, RESAMPLES) : UNDEFINED;
  return {
    experiment: bundle.experiment.name,
    experimentPath,
    sets,
    objective,
    scenarios: scenarios.map((s) => s.name),
    seeds,
    episodes: base.episodes,
    baseline,
    resamples: RESAMPLES,
    policies: evaluated.map(({ policy, evaluation: e }) => {
      const stream = root.child(policy.name);
      const kpis = Object.fromEntries(
        WINDOW_KPIS.map((k) => {
          const [a, b] = definedPairs(
            e.episodeKpis.map((x) => x[k]),
            base.episodeKpis.map((x) => x[k]),
          );
          const better = betterDirection(k, objective);
          const comparison: KpiComparison = {
            mean: interval(e.episodeKpis.map((x) => x[k]).filter(Number.isFinite), stream.child(k)),
            difference: withSignificance(a.length > 0 ? interval(differences(a, b), stream.child(k).child("difference")) : UNDEFINED),
            winRate: better === 0 || a.length === 0 ? null : winRate(a, b, better),
          };
          return [k, comparison];
        }),
      ) as Record<WindowKpi, KpiComparison>;
      return {
        name: policy.name,
        kind: policy.kind,
        source: policy.source,
        sets: policy.sets,
        params: e.params,
        ...verdict(e),
        utility: interval(e.episodeUtilities, stream.child("utility")),
        utilityDifference: withSignificance(
          interval(differences(e.episodeUtilities, base.episodeUtilities), stream.child("utility").child("difference")),
        ),
        utilityWinRate: winRate(e.episodeUtilities, base.episodeUtilities, 1),
        kpis,
        ...(policy.effects ? { effects: policy.effects } : {}),
      };
    }),
  };
}

function episodesCsv(evaluated: readonly Evaluated[], scenarios: readonly Scenario[], seeds: number): string {
  const rows = evaluated.flatMap(({ policy, evaluation: e }) =>
    e.episodeKpis.map((k, i) => ({
      policy: policy.name,
      scenario: scenarios[Math.floor(i / seeds)]!.name,
      episode: i % seeds,
      utility: e.episodeUtilities[i]!,
      ...k,
    })),
  );
  return toCsv(rows, ["policy", "scenario", "episode", "utility", ...WINDOW_KPIS]);
}

async function document(c: Comparison, scenarios: readonly Scenario[], evaluated: readonly Evaluated[]): Promise<ReportDocument> {
  const names = c.policies.map((p) => p.name);
  const others = c.policies.filter((p) => p.name !== c.baseline);
  const { weights, constraints } = objectiveText(c.objective);
  const best = [...c.policies].sort((a, b) => Number(b.feasible) - Number(a.feasible) || b.utility.mean - a.utility.mean)[0]!;
  const lead = [
    `Which of ${names.join(", ")} does best on ${c.scenarios.join(", ")}? Each policy ran the same ${c.episodes} episodes ` +
      `(${c.seeds} held-out seed(s) per scenario, common random numbers: the same demand, fees, outages and prover draws), ` +
      `with provers adapting in every episode.`,
    `Score = ${weights}${constraints.length > 0 ? `, feasible when ${constraints.join(" and ")} (on the mean over episodes)` : ""}; higher is better. ` +
      `Best: ${best.name} (${scoreText(best)}). Intervals are 95 % percentile bootstrap intervals (${c.resamples} resamples of the ` +
      `episodes, seeded); differences are against ${c.baseline}, paired by episode, * when the interval excludes 0.`,
  ];
  const sections: Section[] = [
    policiesSection(c),
    await objectiveSection(c, others),
    kpiSection(c, others),
    await tradeOffSection(c, evaluated),
    ...(await episodeSections(scenarios, evaluated)),
  ];
  return { title: `${c.experiment}: ${names.length} policies compared`, lead, sections };
}

function policiesSection(c: Comparison): Section {
  return {
    title: "Policies",
    blocks: [
      tableBlock(
        makeTable(
          "Compared policies",
          "Score: the objective on the mean KPIs over all episodes (objective units); infeasible: the constraints missed, by how much in the KPI's unit.",
          [
            { key: "name", label: "policy" },
            { key: "kind", label: "kind", words: true },
            { key: "source", label: "what it is", words: true },
            { key: "score", label: "score" },
          ],
          c.policies.map((p) => ({ name: p.name, kind: p.kind, source: p.source, score: scoreText(p) })),
        ),
      ),
    ],
  };
}

async function objectiveSection(c: Comparison, others: readonly PolicyComparison[]): Promise<Section> {
  const blocks: Block[] = [];
  if (others.length > 0) {
    const chart = await renderFigure(
      intervalsFigure({
        name: "objective-differences",
        title: `Objective against ${c.baseline}, paired by episode`,
        subtitle: `Mean difference in the weighted KPI sum per episode, with its 95 % bootstrap interval; right of 0: better than ${c.baseline}`,
        caption: others
          .map((p) => `${p.name}: ${difference(p.utilityDifference)}, better in ${percent(p.utilityWinRate)} of episodes`)
          .join("; ")
          .concat("."),
        category: { field: "policy", title: null, domain: others.map((p) => p.name) },
        colorDomain: c.policies.map((p) => p.name),
        x: { title: `score difference against ${c.baseline} (objective units)` },
        data: others.map((p) => ({ policy: p.name, ...p.utilityDifference })),
      }),
    );
    blocks.push(figure(chart));
  }
  blocks.push(
    tableBlock(
      makeTable(
        "Objective per episode",
        `Weighted KPI sum per episode, constraints aside (objective units): mean [95 % bootstrap interval]; difference: policy - ${c.baseline}, * when its interval excludes 0; win rate: share of episodes where the policy scores higher (ties half).`,
        [
          { key: "name", label: "policy" },
          { key: "utility", label: "score per episode" },
          { key: "difference", label: `difference to ${c.baseline}` },
          { key: "win", label: "win rate", unit: "%" },
        ],
        c.policies.map((p) => ({
          name: p.name,
          utility: interval(p.utility),
          difference: p.name === c.baseline ? "(baseline)" : difference(p.utilityDifference),
          win: p.name === c.baseline ? "-" : fmt(p.utilityWinRate * 100),
        })),
      ),
    ),
  );
  return { title: "Objective", blocks };
}

/**
 * Why a tune run's recommendation is worse on `kpi`: the changed parameters whose return to the
 * default improved that KPI on training, beyond noise (recommendation.json's effects), largest first.
 * Effects are measured against the proposal's defaults, and only for the KPIs the objective reads.
 */
export function whyWorse(p: Pick<PolicyComparison, "name" | "effects">, kpi: WindowKpi, objective: Comparison["objective"]): string {
  if (!p.effects) return "";
  const direction = betterDirection(kpi, objective);
  const causes = p.effects
    .map((e) => ({ e, d: e.kpis[kpi] }))
    .filter(({ d }) => d !== undefined && (d.low > 0 || d.high < 0) && direction * d.mean > 0)
    .sort((a, b) => Math.abs(b.d!.mean) - Math.abs(a.d!.mean))
    .slice(0, 3);
  if (!p.effects.some((e) => e.kpis[kpi] !== undefined))
    return `The tune run measured no parameter's effect on ${kpi} (it does so only for the KPIs its objective reads).`;
  if (causes.length === 0)
    return `No single changed parameter of ${p.name} accounts for its ${kpi} on training (they act together, or the difference is the mechanism's own).`;
  const text = causes.map(
    ({ e, d }) =>
      `${e.name} at ${fmt(e.value)} (default ${fmt(e.default)}; back at the default ${kpi} moves ${difference({ ...d!, significant: false })})`,
  );
  return `Its ${kpi} comes from ${text.join(", ")}, on the training episodes.`;
}

function kpiSection(c: Comparison, others: readonly PolicyComparison[]): Section {
  const order = kpiOrder(c.objective);
  const readings = others.map((p) => {
    const moved = (sign: 1 | -1) =>
      order.filter((k) => {
        const d = p.kpis[k].difference;
        return d.significant && betterDirection(k, c.objective) * Math.sign(d.mean) === sign;
      });
    const better = moved(1);
    const worse = moved(-1);
    const reading = `${p.name} against ${c.baseline}: significantly better on ${better.length > 0 ? better.join(", ") : "nothing"}; worse on ${worse.length > 0 ? worse.join(", ") : "nothing"}.`;
    return [reading, ...worse.map((k) => whyWorse(p, k, c.objective))].join(" ");
  });
  const means = makeTable(
    "KPIs per policy",
    "Mean over episodes [95 % bootstrap interval], in the unit given; - where the KPI was never defined (e.g. latency with nothing proven).",
    [{ key: "kpi", label: "KPI" }, { key: "unit", label: "unit", words: true }, ...c.policies.map((p) => ({ key: p.name, label: p.name }))],
    order.map((k) => ({
      kpi: k,
      unit: WINDOW_KPI_UNITS[k],
      ...Object.fromEntries(c.policies.map((p) => [p.name, interval(p.kpis[k].mean)])),
    })),
  );
  const diffs = makeTable(
    `KPI differences against ${c.baseline}`,
    `Policy - ${c.baseline}, paired by episode, mean [95 % bootstrap interval] in the KPI's unit; * the interval excludes 0. ` +
      "Win: share of episodes where the policy is better (ties half), for KPIs where better has a direction: the objective's weight, its constraint, or the KPI's nature.",
    [
      { key: "kpi", label: "KPI" },
      { key: "unit", label: "unit" },
      { key: "better", label: "better" },
      ...others.map((p) => ({ key: p.name, label: p.name })),
    ],
    order.map((k) => {
      const better = betterDirection(k, c.objective);
      return {
        kpi: k,
        unit: WINDOW_KPI_UNITS[k],
        better: better === 1 ? "higher" : better === -1 ? "lower" : "-",
        ...Object.fromEntries(
          others.map((p) => {
            const x = p.kpis[k];
            return [p.name, `${difference(x.difference)}${x.winRate === null ? "" : ` (win ${fmt(x.winRate * 100)} %)`}`];
          }),
        ),
      };
    }),
  );
  return { title: "KPIs", blocks: [list(readings), tableBlock(means), ...(others.length > 0 ? [tableBlock(diffs)] : [])] };
}

async function tradeOffSection(c: Comparison, evaluated: readonly Evaluated[]): Promise<Section> {
  const names = c.policies.map((p) => p.name);
  const make = async (name: string, field: "liveness" | "nakamotoProofsMean", yTitle: string, what: string, format?: string) => {
    const means = c.policies.map((p, i) => ({
      trial: i,
      name: p.name,
      cost: p.kpis.rewardsPerTxUsd.mean.mean + p.kpis.l1CostPerTxUsd.mean.mean,
      y: p.kpis[field].mean.mean,
    }));
    const front = nonDominated(
      means.filter((m) => Number.isFinite(m.cost) && Number.isFinite(m.y)),
      (m) => m.y,
      (m) => m.cost,
    );
    const data: Row[] = [
      ...evaluated.flatMap(({ policy, evaluation }) =>
        evaluation.episodeKpis.map((k) => ({
          series: policy.name,
          costPerTxUsd: userCostPerTx(k),
          [field]: k[field],
          front: false,
          label: null,
        })),
      ),
      ...means.map((m) => ({ series: m.name, costPerTxUsd: m.cost, [field]: m.y, front: front.includes(m), label: m.name })),
    ];
    return renderFigure(
      tradeOffFigure({
        name,
        title: `${what[0]!.toUpperCase()}${what.slice(1)} against cost per transaction, per policy`,
        subtitle: "Small dots: single episodes; diamonds: each policy's mean; dashed: means no other policy beats on both",
        caption:
          `Policies on the dashed line are the efficient choices between ${what} and cost: ${front.map((m) => m.name).join(", ")}. ` +
          "The spread of a policy's dots is its episode-to-episode variability under the same draws as the others.",
        x: { field: "costPerTxUsd", title: "cost to users per transaction: rewards + L1 (USD/tx)" },
        y: { field, title: yTitle, ...(format ? { format } : {}) },
        series: names,
        labels: false,
        data,
        columns: ["series", "costPerTxUsd", field, "front", "label"],
      }),
    );
  };
  return {
    title: "Trade-offs",
    blocks: [
      figure(await make("pareto-liveness-cost", "liveness", "liveness (share of blocks proven in time, %)", "liveness", ".1%")),
      figure(
        await make("pareto-decentralization-cost", "nakamotoProofsMean", "Nakamoto coefficient of proofs (provers)", "decentralization"),
      ),
    ],
  };
}

async function episodeSections(scenarios: readonly Scenario[], evaluated: readonly Evaluated[]): Promise<Section[]> {
  const series: RenderedFigure[] = [];
  const lorenz: RenderedFigure[] = [];
  for (const [i, scenario] of scenarios.entries()) {
    const shows = evaluated.map((x) => x.shows[i]!);
    series.push(await renderFigure(timeSeriesOf(scenario, shows, `timeseries-${i + 1}`)));
    lorenz.push(await renderFigure(lorenzOf(scenario, shows, `lorenz-${i + 1}`)));
  }
  return [
    {
      title: "Time series",
      blocks: [text("The first episode of every scenario, once per policy on the same seed, overlaid."), ...series.map(figure)],
    },
    { title: "How rewards spread over provers", blocks: lorenz.map(figure) },
  ];
}
