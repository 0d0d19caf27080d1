import { describe, expect, it } from "vitest";
import { createTuner, restoreTuner, TUNER_KINDS } from "../../../agents/governance/registry.js";
import type { TunerKind, TunerState } from "../../../agents/governance/tuner.js";
import { Stream } from "../../../src/rng/streams.js";
import { optimise } from "../../support/tuners.js";

type Objective = (x: readonly number[]) => number;

const tuner = (kind: TunerKind, dim: number, seed: string, batch?: number) =>
  createTuner(kind, dim, Stream.root(seed).child("tuner"), batch ? { batch } : {});

const OPT5 = [0.21, 0.73, 0.44, 0.9, 0.35];
const sphere: Objective = (x) => -x.reduce((s, v, i) => s + (v - OPT5[i]!) ** 2, 0);
const distance = (x: readonly number[], opt: readonly number[]) => Math.hypot(...x.map((v, i) => v - opt[i]!));

describe("CMA-ES on known optima", () => {
  it("finds the optimum of a shifted sphere in 5 dimensions", () => {
    const best = optimise(tuner("cmaes", 5, "sphere"), sphere, 800).best()!;
    expect(distance(best.point, OPT5)).toBeLessThan(1e-3);
  });

  it("learns the valley of Rosenbrock's function (4-d, optimum at 0.75 in every coordinate)", () => {
    const rosen: Objective = (x) => {
      const y = x.map((v) => 4 * v - 2);
      let s = 0;
      for (let i = 0; i < y.length - 1; i++) s += 100 * (y[i + 1]! - y[i]! ** 2) ** 2 + (1 - y[i]!) ** 2;
      return -s;
    };
    const best = optimise(tuner("cmaes", 4, "rosen"), rosen, 6000).best()!;
    expect(distance(best.point, [0.75, 0.75, 0.75, 0.75])).toBeLessThan(0.01);
  });

  it("adapts its covariance to an ill-conditioned, rotated ellipsoid (condition 1e4)", () => {
    const c = Math.SQRT1_2;
    const ellipsoid: Objective = (x) => {
      const a = x[0]! - 0.4;
      const b = x[1]! - 0.6;
      const u = c * a + c * b;
      const v = -c * a + c * b;
      return -(u * u + 1e4 * v * v);
    };
    const best = optimise(tuner("cmaes", 2, "ellipse"), ellipsoid, 1200).best()!;
    expect(-best.score).toBeLessThan(1e-10);
  });

  it("reaches an optimum on the boundary of the cube (bounds by repair)", () => {
    const corner: Objective = (x) => -((x[0]! - 1.3) ** 2) - (x[1]! + 0.2) ** 2 - (x[2]! - 0.5) ** 2;
    const best = optimise(tuner("cmaes", 3, "corner"), corner, 600).best()!;
    expect(best.point[0]).toBe(1);
    expect(best.point[1]).toBe(0);
    expect(best.point[2]).toBeCloseTo(0.5, 4);
  });

  it("beats random search and Latin hypercubes at the same budget", () => {
    const budget = 400;
    const cma = optimise(tuner("cmaes", 5, "race"), sphere, budget).best()!.score;
    const rnd = optimise(tuner("random", 5, "race"), sphere, budget).best()!.score;
    const lhs = optimise(tuner("lhs", 5, "race"), sphere, budget).best()!.score;
    expect(cma).toBeGreaterThan(rnd);
    expect(cma).toBeGreaterThan(lhs);
    expect(-cma).toBeLessThan(-rnd / 100);
  });
});

describe("baseline tuners", () => {
  it("cross-entropy concentrates on the optimum of a sphere", () => {
    const best = optimise(tuner("cross-entropy", 5, "ce"), sphere, 2000).best()!;
    expect(distance(best.point, OPT5)).toBeLessThan(1e-3);
  });

  it("a Latin hypercube puts exactly one point in each stratum of every axis", () => {
    const t = tuner("lhs", 4, "strata", 10);
    for (let g = 0; g < 3; g++) {
      const points = t.ask();
      expect(points).toHaveLength(10);
      for (let d = 0; d < 4; d++) {
        const strata = points.map((p) => Math.floor(p[d]! * 10)).sort((a, b) => a - b);
        expect(strata).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      }
      t.tell(
        points,
        points.map(() => 0),
      );
    }
  });
});

describe("every tuner", () => {
  for (const kind of TUNER_KINDS) {
    it(`${kind}: asks points inside the unit cube, keeps the best, is deterministic`, () => {
      const a = tuner(kind, 3, "det");
      const b = tuner(kind, 3, "det");
      const told: { point: number[]; score: number }[] = [];
      for (let g = 0; g < 5; g++) {
        const pa = a.ask();
        expect(b.ask()).toEqual(pa);
        for (const p of pa) for (const v of p) expect(v >= 0 && v <= 1).toBe(true);
        const scores = pa.map((p) => -p.reduce((s, v) => s + (v - 0.3) ** 2, 0));
        a.tell(pa, scores);
        b.tell(pa, scores);
        pa.forEach((point, i) => told.push({ point, score: scores[i]! }));
      }
      const top = told.reduce((m, x) => (x.score > m.score ? x : m));
      expect(a.best()).toEqual(top);
      expect(tuner(kind, 3, "other").ask()).not.toEqual(tuner(kind, 3, "det").ask());
    });

    it(`${kind}: a run resumed from a JSON checkpoint continues exactly like an uninterrupted one`, () => {
      const f: Objective = (x) => -x.reduce((s, v, i) => s + (v - 0.2 - 0.1 * i) ** 2, 0);
      const straight = tuner(kind, 3, "resume");
      const interrupted = tuner(kind, 3, "resume");
      optimise(straight, f, 60);
      optimise(interrupted, f, 60);
      const saved = JSON.parse(JSON.stringify(interrupted.state())) as TunerState;
      const resumed = restoreTuner(saved);
      for (let g = 0; g < 6; g++) {
        const p = straight.ask();
        expect(resumed.ask()).toEqual(p);
        const s = p.map((x) => f(x));
        straight.tell(p, s);
        resumed.tell(p, s);
      }
      expect(resumed.best()).toEqual(straight.best());
    });

    it(`${kind}: tell rejects mismatched input with a clear message`, () => {
      const t = tuner(kind, 2, "bad");
      const p = t.ask();
      expect(() => t.tell(p, [])).toThrow(/points but 0 scores/);
      expect(() => t.tell([[0.5]], [1])).toThrow(/1 coordinates, expected 2/);
      expect(() => t.tell([[0.5, 0.5]], [NaN])).toThrow(/NaN/);
    });
  }
});
