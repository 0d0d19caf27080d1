import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createTuner } from "../../agents/governance/registry.js";
import type { TunerKind } from "../../agents/governance/tuner.js";
import { paramSpec } from "../../src/config/paramSpace.js";
import { Stream } from "../../src/rng/streams.js";
import { loadBundle } from "../../src/tuning/bundle.js";
import { evaluateCalibration } from "../../src/tuning/evaluate.js";
import { EXPERIMENTS_DIR } from "../support/experiments.js";
import { optimise } from "../support/tuners.js";

/**
 * CMA-ES on the real environment against an optimum found by exhaustive search: a 31 x 31 grid of
 * the experiment's two tuned parameters (961 calibrations) versus a tuning budget of 48 evaluations.
 * "Within a few percent" means: grid best - tuner best <= 3 % of (grid best - worst feasible grid score).
 */
const GRID = 31;
const TOLERANCE = 0.03;
const TUNER_SEEDS = [1, 2, 3, 4, 5, 6];
const PRICE = "rewards.computePriceUsdPerCoreSecond";

const bundle = loadBundle(join(EXPERIMENTS_DIR, "tuning-known-optimum.yaml"));
const { budget, seeds } = bundle.experiment.tune;
const start = [...bundle.space.encode(bundle.params)];

const evaluate = (point: readonly number[]) => evaluateCalibration(bundle, bundle.space.decode(point, bundle.params), "train", seeds.train);

/** Each seed's best score and how many evaluations it took, started where `proverlab tune` starts: the experiment's values. */
function bestScores(kind: TunerKind): { best: number[]; used: number[] } {
  const best: number[] = [];
  const used: number[] = [];
  for (const seed of TUNER_SEEDS) {
    let evaluations = 0;
    const score = (point: readonly number[]) => {
      evaluations++;
      return evaluate(point).score;
    };
    const tuner = createTuner(kind, bundle.space.dim, Stream.root(seed).child("tuner"), { initial: start });
    best.push(optimise(tuner, score, budget).best()!.score);
    used.push(evaluations);
  }
  return { best, used };
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe(`tuning ${bundle.experiment.name}: ${bundle.space.specs.map((s) => s.name).join(" x ")}`, () => {
  const grid: { point: number[]; score: number; feasible: boolean }[] = [];
  let best: (typeof grid)[number];
  let worst: number;
  let cmaes: ReturnType<typeof bestScores>;
  let random: ReturnType<typeof bestScores>;

  beforeAll(() => {
    for (let i = 0; i < GRID; i++) {
      for (let j = 0; j < GRID; j++) {
        const point = [i / (GRID - 1), j / (GRID - 1)];
        const { score, feasible } = evaluate(point);
        grid.push({ point, score, feasible });
      }
    }
    const feasible = grid.filter((g) => g.feasible);
    best = feasible.reduce((b, g) => (g.score > b.score ? g : b));
    worst = Math.min(...feasible.map((g) => g.score));
    cmaes = bestScores("cmaes");
    random = bestScores("random");
  });

  it("has a landscape worth searching: a liveness cliff, an interior optimum in price, a start far below it", () => {
    const range = best.score - worst;
    expect(grid.some((g) => !g.feasible)).toBe(true);
    expect(range).toBeGreaterThan(0.1 * Math.abs(best.score));
    const price = paramSpec(PRICE)!;
    const optimum = bundle.space.decode(best.point, bundle.params)[PRICE]!;
    expect(optimum).toBeGreaterThan(price.lower);
    expect(optimum).toBeLessThan(price.upper);
    expect(best.score - evaluate(start).score).toBeGreaterThan(5 * TOLERANCE * range);
  });

  it(`CMA-ES finds a feasible calibration within ${TOLERANCE * 100} % of the grid's score range of its optimum`, () => {
    expect(budget * 10).toBeLessThan(grid.length);
    expect(cmaes.used).toEqual(TUNER_SEEDS.map(() => budget));
    for (const b of cmaes.best) expect(best.score - b).toBeLessThanOrEqual(TOLERANCE * (best.score - worst));
  });

  it("CMA-ES beats random search at the same budget, on average over tuner seeds", () => {
    expect(random.used).toEqual(cmaes.used);
    expect(mean(cmaes.best)).toBeGreaterThan(mean(random.best));
  });
});
