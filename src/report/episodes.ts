import { ArchetypePolicies } from "../../agents/prover/byArchetype.js";
import type { ParamValues } from "../config/paramSpace.js";
import type { EpochRow } from "../env/kpis.js";
import type { Bundle, Scenario } from "../tuning/bundle.js";
import { runEpisode, type Governor } from "../tuning/episode.js";
import { firstEpisodeOf, type FirstEpisode } from "../tuning/evaluationTask.js";
import { episodeStream } from "../tuning/evaluate.js";
import { fmt } from "./format.js";
import { lorenzFigure, timeSeriesFigure, type Figure, type Row, type SeriesPanel } from "./charts.js";

/** One policy's episode on one scenario, kept for time series and the spread of rewards. */
export interface Showcase extends FirstEpisode {
  policy: string;
}

/**
 * The first held-out episode of a scenario (the episode evaluateCalibration scores first on that
 * split), so every policy shown sees the same draws.
 */
export function showcaseEpisode(
  bundle: Bundle,
  scenario: Scenario,
  policy: string,
  params: ParamValues,
  governor: Governor | null = null,
): Showcase {
  const provers = new ArchetypePolicies(scenario.experiment);
  try {
    const stream = episodeStream(bundle, "heldOut", scenario, 0);
    return { policy, ...firstEpisodeOf(runEpisode(scenario.experiment, params, provers, stream, governor)) };
  } finally {
    provers.dispose();
  }
}

/** The quantities a time series of an episode shows, one panel each. */
export const SERIES_PANELS: readonly SeriesPanel[] = [
  { field: "demandTps", title: ["demand", "(tx/s)"] },
  { field: "backlogTx", title: ["mempool backlog", "(tx)"] },
  { field: "minComputeCores", title: ["min compute", "(cores)"] },
  { field: "minStakeUsd", title: ["min stake", "(USD)"] },
  { field: "batchSizeMean", title: ["mean batch", "(blocks)"] },
  { field: "activeProvers", title: ["active provers", "(count)"] },
  { field: "latencyP95S", title: ["p95 latency", "(s)"] },
];

/** Time series of each policy's showcase episode on a scenario, one panel per quantity, emergency epochs shaded. */
export function timeSeriesOf(scenario: Scenario, shows: readonly Showcase[], file: string): Figure {
  const time = scenario.experiment.time;
  const epochHours = (time.slotSeconds * time.slotsPerEpoch) / 3600;
  const data: Row[] = shows.flatMap((s) =>
    s.rows.map((r) => ({
      policy: s.policy,
      epoch: r.epoch,
      hourStart: r.hour - epochHours,
      hour: r.hour,
      emergencyShare: r.emergencyShare,
      ...Object.fromEntries(SERIES_PANELS.map((p) => [p.field, r[p.field as keyof EpochRow]])),
    })),
  );
  const peaks = shows.map((s) => `${s.policy} ${fmt(Math.max(...s.rows.map((r) => r.backlogTx)))} tx`).join(", ");
  const emergency = shows
    .map((s) => `${s.policy} ${fmt((100 * s.rows.reduce((a, r) => a + r.emergencyShare, 0)) / s.rows.length)} %`)
    .join(", ");
  return timeSeriesFigure({
    name: file,
    title: `${scenario.name}: ${shows.map((s) => s.policy).join(" vs ")}, first held-out episode`,
    caption:
      `One episode of ${scenario.name} per policy on the same seed (the same demand and outages). ` +
      `Peak mempool backlog: ${peaks}. Time in emergency mode: ${emergency}. Latency is missing in epochs that proved nothing.` +
      (shows.some((s) => s.rows.every((r) => r.minComputeCores === 0)) ? " Requirements are 0 where the variant sets none." : ""),
    policies: shows.map((s) => s.policy),
    panels: SERIES_PANELS,
    data,
    columns: ["policy", "epoch", "hourStart", "hour", "emergencyShare", ...SERIES_PANELS.map((p) => p.field)],
  });
}

/** The Lorenz curve of rewards over provers: (share of provers, share of rewards), least rewarded first, from (0, 0). */
export function lorenzPoints(rewards: readonly number[]): { proverShare: number; rewardShare: number }[] {
  const sorted = [...rewards].sort((a, b) => a - b);
  const total = sorted.reduce((s, x) => s + x, 0);
  let acc = 0;
  return [
    { proverShare: 0, rewardShare: 0 },
    ...sorted.map((x, k) => {
      acc += x;
      return { proverShare: (k + 1) / sorted.length, rewardShare: total > 0 ? acc / total : 0 };
    }),
  ];
}

export function lorenzOf(scenario: Scenario, shows: readonly Showcase[], file: string): Figure {
  const ginis = shows.map((s) => `${s.policy} ${s.gini.toFixed(3)}`).join(", ");
  return lorenzFigure({
    name: file,
    title: `How rewards spread over provers: ${scenario.name}`,
    subtitle: `Gini: ${ginis} (0: equal rewards, 1: one prover takes all)`,
    caption:
      `Lorenz curves of the rewards paid to each prover that took part in the first held-out episode of ${scenario.name}. ` +
      `The further a curve sags below the dashed line of equality, the more rewards concentrate. Gini: ${ginis}.`,
    policies: shows.map((s) => s.policy),
    data: shows.flatMap((s) => lorenzPoints(s.rewards).map((p) => ({ policy: s.policy, ...p }))),
  });
}
