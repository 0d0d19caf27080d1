import fc from "fast-check";
import { describe, it, expect } from "vitest";
import type { MechanismParams } from "../../src/mechanism/params.js";
import { paramsWith } from "../support/params.js";
import { SelectionScratch, selectionWidth, selectProvers } from "../../src/mechanism/selection.js";
import { hashUniform, type JobDraw } from "../../src/rng/hash.js";

const BASE = {
  "base.topFraction": 0.25,
  "base.stakeWeighted": 0,
};

const params = paramsWith(BASE);

const POPULATION = 16;
/** Candidate ids are a scattered subset of the population, so id != position. */
const IDS = [10, 3, 7, 0, 12, 5, 9, 1];

interface World {
  candidates: Int32Array;
  reputation: Float64Array;
  stake: Float64Array;
}

/** reps[i] and stakes[i] belong to candidate IDS[i]; non-candidates get the highest reputation and stake. */
function world(reps: number[], stakes: number[] = IDS.map(() => 1)): World {
  const reputation = new Float64Array(POPULATION).fill(99);
  const stake = new Float64Array(POPULATION).fill(1e9);
  IDS.forEach((id, i) => {
    reputation[id] = reps[i]!;
    stake[id] = stakes[i]!;
  });
  return { candidates: Int32Array.from(IDS), reputation, stake };
}

/** A sequence of jobs' draws: each selection uses the next job key. */
function draws(name: string): JobDraw {
  let seed = 0;
  for (const ch of name) seed = (Math.imul(seed, 31) + ch.charCodeAt(0)) >>> 0;
  return { seed, key: 0 };
}

function select(w: World, width: number, p: MechanismParams, draw: JobDraw, n = w.candidates.length): number[] {
  const out = new Int32Array(POPULATION).fill(-1);
  const scratch = new SelectionScratch(POPULATION);
  const chosen = selectProvers(w.candidates, n, w.reputation, w.stake, width, p, draw, scratch, out);
  draw.key++;
  return Array.from(out.subarray(0, chosen));
}

/** How often each id was drawn over `count` single-prover selections (one job each). */
function frequencies(w: World, p: MechanismParams, count: number, seed: string): Map<number, number> {
  const draw = draws(seed);
  const out = new Int32Array(1);
  const scratch = new SelectionScratch(POPULATION);
  const counts = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const n = selectProvers(w.candidates, w.candidates.length, w.reputation, w.stake, 1, p, draw, scratch, out);
    draw.key++;
    if (n !== 1) throw new Error(`expected one prover, got ${n}`);
    counts.set(out[0]!, (counts.get(out[0]!) ?? 0) + 1);
  }
  return counts;
}

const DISTINCT_REPS = [0.5, 0.9, 0.1, 0.7, 0.95, 0.3, 0.2, 0.6]; // top 2: ids 12 (0.95) and 3 (0.9)

describe("selectProvers: top fraction", () => {
  it("topFraction 0.25 of 8 candidates draws only among the top 2 by reputation, and both of them", () => {
    const counts = frequencies(world(DISTINCT_REPS), params(), 4000, "top2");
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([3, 12]);
    // Uniform within the pool.
    expect(Math.abs(counts.get(3)! / 4000 - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / 4000));
  });

  it("ties at the cut share the places left by a draw of their own: the pool stays at the top fraction", () => {
    // Top: id 3 at 0.9; ids 10, 0, 9 tie at 0.8 for the 2nd place of a pool of 2.
    const reps = [0.8, 0.9, 0.1, 0.8, 0.5, 0.3, 0.8, 0.6];
    const n = 8000;
    const counts = frequencies(world(reps), params(), n, "ties");
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([0, 3, 9, 10]);
    // id 3 is in every pool of 2, so it wins half the jobs (a pool of all four ties would give it a quarter);
    // each tie wins a sixth.
    expect(Math.abs(counts.get(3)! / n - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / n));
    for (const id of [0, 9, 10]) expect(Math.abs(counts.get(id)! / n - 1 / 6)).toBeLessThan(4 * Math.sqrt(((1 / 6) * (5 / 6)) / n));
  });

  it("a tiny topFraction still keeps at least the single best candidate", () => {
    const counts = frequencies(world(DISTINCT_REPS), params({ "base.topFraction": 0.05 }), 500, "tiny");
    expect([...counts.keys()]).toEqual([12]);
  });

  it("a fractional top count rounds up (0.3 x 8 = 2.4 -> top 3)", () => {
    const counts = frequencies(world(DISTINCT_REPS), params({ "base.topFraction": 0.3 }), 6000, "round-up");
    // Top 3: 12 (0.95), 3 (0.9), 0 (0.7).
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([0, 3, 12]);
  });

  it("topFraction 0.5 draws among the top 4", () => {
    const counts = frequencies(world(DISTINCT_REPS), params({ "base.topFraction": 0.5 }), 8000, "half");
    // Top 4: 12 (0.95), 3 (0.9), 0 (0.7), 1 (0.6).
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([0, 1, 3, 12]);
  });

  it("only the first nCandidates entries are candidates", () => {
    const w = world(DISTINCT_REPS);
    const p = params({ "base.topFraction": 1 });
    const seen = new Set<number>();
    const jobs = draws("prefix");
    for (let i = 0; i < 2000; i++) for (const id of select(w, 1, p, jobs, 3)) seen.add(id);
    expect([...seen].sort((a, b) => a - b)).toEqual([3, 7, 10]);
  });
});

describe("selectProvers: width", () => {
  it("width 3 gives 3 distinct candidates", () => {
    const w = world(DISTINCT_REPS);
    const p = params({ "base.topFraction": 1 });
    const jobs = draws("width3");
    for (let i = 0; i < 2000; i++) {
      const picked = select(w, 3, p, jobs);
      expect(picked).toHaveLength(3);
      expect(new Set(picked).size).toBe(3);
      for (const id of picked) expect(IDS).toContain(id);
    }
  });

  it("width 3 with topFraction 0.5 draws 3 distinct provers from the top 4 only", () => {
    const w = world(DISTINCT_REPS);
    const p = params({ "base.topFraction": 0.5 });
    const jobs = draws("width3top4");
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const picked = select(w, 3, p, jobs);
      expect(new Set(picked).size).toBe(3);
      for (const id of picked) {
        expect([0, 1, 3, 12]).toContain(id);
        seen.add(id);
      }
    }
    expect(seen.size).toBe(4);
  });

  it("width 3 stake-weighted still gives 3 distinct provers", () => {
    const w = world(DISTINCT_REPS, [100, 1, 1, 1, 1, 1, 1, 1]);
    const p = params({ "base.topFraction": 1, "base.stakeWeighted": 1 });
    const jobs = draws("width3w");
    for (let i = 0; i < 2000; i++) {
      const picked = select(w, 3, p, jobs);
      expect(new Set(picked).size).toBe(3);
    }
  });

  it("a width larger than the top fraction widens the pool to the best `width` provers by reputation, once each", () => {
    const w = world(DISTINCT_REPS);
    const picked = select(w, 5, params(), draws("wide"));
    const best5 = Array.from(w.candidates)
      .sort((a, b) => w.reputation[b]! - w.reputation[a]!)
      .slice(0, 5);
    expect(picked.sort((a, b) => a - b)).toEqual(best5.sort((a, b) => a - b));
  });

  it("returns 0 and writes nothing with no candidates", () => {
    const out = new Int32Array(4).fill(-1);
    const n = selectProvers(
      new Int32Array(0),
      0,
      new Float64Array(4),
      new Float64Array(4),
      3,
      params(),
      draws("empty"),
      new SelectionScratch(4),
      out,
    );
    expect(n).toBe(0);
    expect(Array.from(out)).toEqual([-1, -1, -1, -1]);
  });

  it("is deterministic for a given seed and sequence of jobs", () => {
    const w = world(DISTINCT_REPS);
    const p = params({ "base.topFraction": 1 });
    const a = draws("det");
    const b = draws("det");
    for (let i = 0; i < 100; i++) expect(select(w, 3, p, a)).toEqual(select(w, 3, p, b));
  });
});

describe("selectProvers: common random numbers", () => {
  it("depends on the job and the candidate set, not on the candidates' order or on earlier selections", () => {
    const w = world(IDS.map(() => 0.5));
    const p = params({ "base.topFraction": 1 });
    const reversed: World = { ...w, candidates: Int32Array.from([...IDS].reverse()) };
    for (let key = 0; key < 200; key++) {
      const a = select(w, 3, p, { seed: 7, key });
      const b = select(reversed, 3, p, { seed: 7, key });
      expect(b).toEqual(a);
    }
  });

  it("other seeds give other draws", () => {
    const w = world(IDS.map(() => 0.5));
    const p = params({ "base.topFraction": 1 });
    let differ = 0;
    for (let key = 0; key < 100; key++) if (select(w, 1, p, { seed: 1, key })[0] !== select(w, 1, p, { seed: 2, key })[0]) differ++;
    expect(differ).toBeGreaterThan(70);
  });
});

describe("selectProvers: draw distribution", () => {
  it("topFraction 1 with equal reputations draws uniformly (chi-square)", () => {
    const N = 80_000;
    const counts = frequencies(world(IDS.map(() => 0.5)), params({ "base.topFraction": 1 }), N, "uniform");
    expect(counts.size).toBe(8);
    const e = N / 8;
    let chi2 = 0;
    for (const id of IDS) {
      const o = counts.get(id) ?? 0;
      chi2 += ((o - e) * (o - e)) / e;
    }
    // 99.9th percentile of chi-square with 7 degrees of freedom.
    expect(chi2).toBeLessThan(24.32);
  });

  it("stakeWeighted = 1 draws in proportion to stake", () => {
    const N = 80_000;
    const stakes = [1, 2, 3, 4, 5, 6, 7, 12];
    const total = stakes.reduce((s, x) => s + x, 0);
    const counts = frequencies(
      world(
        IDS.map(() => 0.5),
        stakes,
      ),
      params({ "base.topFraction": 1, "base.stakeWeighted": 1 }),
      N,
      "stake",
    );
    let chi2 = 0;
    IDS.forEach((id, i) => {
      const pr = stakes[i]! / total;
      const f = (counts.get(id) ?? 0) / N;
      expect(Math.abs(f - pr)).toBeLessThan(4 * Math.sqrt((pr * (1 - pr)) / N));
      chi2 += (N * (f - pr) ** 2) / pr;
    });
    expect(chi2).toBeLessThan(24.32);
  });

  it("stake weighting applies only within the top fraction", () => {
    // The richest candidate (id 7) has the lowest reputation, so it is never drawn.
    const stakes = [1, 1, 1000, 1, 3, 1, 1, 1];
    const counts = frequencies(
      world(DISTINCT_REPS, stakes),
      params({ "base.topFraction": 0.25, "base.stakeWeighted": 1 }),
      20_000,
      "stake-top",
    );
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([3, 12]);
    // Among the top 2, id 12 (stake 3) vs id 3 (stake 1): 3/4 vs 1/4.
    expect(Math.abs(counts.get(12)! / 20_000 - 0.75)).toBeLessThan(4 * Math.sqrt((0.75 * 0.25) / 20_000));
  });

  it("a zero-stake candidate is (practically) never drawn under stake weighting", () => {
    const stakes = [0, 1, 1, 1, 1, 1, 1, 1];
    const counts = frequencies(
      world(
        IDS.map(() => 0.5),
        stakes,
      ),
      params({ "base.topFraction": 1, "base.stakeWeighted": 1 }),
      20_000,
      "zero-stake",
    );
    expect(counts.get(10) ?? 0).toBe(0);
    expect(counts.size).toBe(7);
  });

  it("stakeWeighted = 0 ignores stake", () => {
    const N = 40_000;
    const counts = frequencies(
      world(
        IDS.map(() => 0.5),
        [1, 1, 1, 1, 1, 1, 1, 1000],
      ),
      params({ "base.topFraction": 1, "base.stakeWeighted": 0 }),
      N,
      "unweighted",
    );
    const f = (counts.get(1) ?? 0) / N;
    expect(Math.abs(f - 1 / 8)).toBeLessThan(4 * Math.sqrt(((1 / 8) * (7 / 8)) / N));
  });
});

/**
 * The rule of docs/MODEL.md section 6.3 written with full sorts: rank by reputation, ties at the cut
 * by their own draw, keep k; then the `width` smallest selection keys, in order.
 */
function sortedReference(
  candidates: number[],
  reputation: Float64Array,
  stake: Float64Array,
  width: number,
  p: MechanismParams,
  draw: JobDraw,
): number[] {
  const k = Math.max(1, width, Math.ceil(p.base.topFraction * candidates.length));
  let pool = candidates;
  if (k < candidates.length) {
    const cut = [...candidates].sort((a, b) => reputation[b]! - reputation[a]!).map((c) => reputation[c]!)[k - 1]!;
    const above = candidates.filter((c) => reputation[c]! > cut);
    const tieDraw = (c: number) => hashUniform(draw.seed, draw.key, c, 0x71e);
    const ties = candidates.filter((c) => reputation[c] === cut).sort((a, b) => tieDraw(a) - tieDraw(b));
    pool = [...above, ...ties.slice(0, k - above.length)];
  }
  const u = (c: number) => hashUniform(draw.seed, draw.key, c, 0x5e1ec7);
  const key = (c: number) => (p.base.stakeWeighted >= 0.5 ? -Math.log(u(c)) / Math.max(stake[c]!, 1e-9) : u(c));
  return [...pool].sort((a, b) => key(a) - key(b)).slice(0, Math.min(width, pool.length));
}

describe("selectProvers: the partial sorts give the fully sorted rule", () => {
  it("equals a sort-based reference on random populations with many tied reputations (seeded)", () => {
    const population = 400;
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.nat(population - 1), { minLength: 1, maxLength: population }),
        fc.array(fc.constantFrom(0, 0.5, 0.9, 0.95, 1), { minLength: population, maxLength: population }),
        fc.integer({ min: 1, max: 5 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.boolean(),
        fc.nat(),
        (candidates, reps, width, topFraction, weighted, key) => {
          const reputation = Float64Array.from(reps);
          const stake = Float64Array.from(reps, (_, i) => (i * 7919) % 1000);
          const p = params({ "base.topFraction": topFraction, "base.stakeWeighted": weighted ? 1 : 0 });
          const draw = { seed: 12345, key };
          const out = new Int32Array(population);
          const n = selectProvers(
            Int32Array.from(candidates),
            candidates.length,
            reputation,
            stake,
            width,
            p,
            draw,
            new SelectionScratch(population),
            out,
          );
          expect(Array.from(out.subarray(0, n))).toEqual(sortedReference(candidates, reputation, stake, width, p, draw));
        },
      ),
      { seed: 41, numRuns: 500 },
    );
  });
});

describe("selectionWidth", () => {
  it("is round(raceWidth) for a racing job and 1 otherwise", () => {
    expect(selectionWidth(true, params({ "emergency.raceWidth": 3 }))).toBe(3);
    expect(selectionWidth(true, params({ "emergency.raceWidth": 2.6 }))).toBe(3);
    expect(selectionWidth(true, params({ "emergency.raceWidth": 2.4 }))).toBe(2);
    expect(selectionWidth(false, params({ "emergency.raceWidth": 5 }))).toBe(1);
  });
});
