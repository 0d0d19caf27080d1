import { loadExperiment } from "../src/config/load.js";
import type { Experiment } from "../src/config/schema.js";

/** One environment case, as the parent sends it to a measuring child. */
export interface EnvCase {
  label: string;
  file: string;
  sets: string[];
  /** Provers after scaling the archetype counts (null: the experiment's own). */
  provers: number | null;
  recordRows: boolean;
  /** Best of up to this many runs ... */
  maxRuns: number;
  /** ... stopping once the runs so far took this long (at least one run). */
  budgetMs: number;
  /**
   * An untimed episode of this many epochs first (the same network), so that every timed run is warm:
   * the JIT has compiled the hot path, as in a long run (the C has no warm-up to pay). 0: none.
   */
  warmupEpochs: number;
}

/** Demand that grows with the network: 1 TPS per 32 provers, at most 10 (a block holds 360 tx, 10 TPS x 36 s). */
export function scaledTps(provers: number): number {
  return Math.min(10, provers / 32);
}

/**
 * Archetype counts scaled to `total` provers in proportion, by largest remainder: 32 -> 12/12/4/2/2,
 * 1,000 -> 375/375/125/63/62, 10,000 -> 3750/3750/1250/625/625. The C reference takes the same counts.
 */
export function scaledCounts(counts: readonly number[], total: number): number[] {
  const sum = counts.reduce((s, c) => s + c, 0);
  const exact = counts.map((c) => (c * total) / sum);
  const out = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0, left = total - out.reduce((s, c) => s + c, 0); k < left; k++) out[order[k]![1]]!++;
  return out;
}

/**
 * The experiment of a case: loaded with its --set overrides, then (when `provers` is given) the
 * archetype counts scaled. A --set on the default archetypes cannot do it: the list is replaced whole.
 */
export function caseExperiment(c: Pick<EnvCase, "file" | "sets" | "provers">): Experiment {
  const exp = loadExperiment(c.file, c.sets);
  if (c.provers !== null) {
    const counts = scaledCounts(
      exp.provers.archetypes.map((a) => a.count),
      c.provers,
    );
    exp.provers.archetypes = exp.provers.archetypes.map((a, i) => ({ ...a, count: counts[i]! }));
  }
  return exp;
}

/** The grid: aztec-1tps at 32, 1,000 and 10,000 provers over 1 and 30 days, demand scaled with the provers. */
export function gridCase(provers: number, days: number): EnvCase {
  return {
    label: `aztec-1tps, ${provers.toLocaleString("en-US")} provers, ${days} day${days > 1 ? "s" : ""}`,
    file: "experiments/aztec-1tps.yaml",
    sets: [`horizonEpochs=${days * 75}`, `demand.baseTps=${scaledTps(provers)}`],
    provers,
    recordRows: true,
    maxRuns: 5,
    budgetMs: 4000,
    warmupEpochs: 75,
  };
}
