import { hashUniforms, type JobDraw } from "../rng/hash.js";
import { nthElement, nthValue } from "./nthElement.js";
import type { MechanismParams } from "./params.js";

/** Reusable buffers for selection, sized to the population once per episode. */
export class SelectionScratch {
  readonly reps: Float64Array;
  readonly pool: Int32Array;
  readonly weights: Float64Array;
  constructor(n: number) {
    this.reps = new Float64Array(n);
    this.pool = new Int32Array(n);
    this.weights = new Float64Array(n);
  }
}

const SELECTION_SALT = 0x5e1ec7;
const TIE_SALT = 0x71e;

/** Provers a job is given to: round(raceWidth) when it races (emergency, or a job marked raced), else 1. */
export function selectionWidth(racing: boolean, p: MechanismParams): number {
  return racing ? Math.round(p.emergency.raceWidth) : 1;
}

/**
 * The 2023 proposal's selection: a VRF-like draw among the top fraction of candidates by reputation
 * (exactly ceil(fraction x candidates) of them: ties at the cut are broken by a draw of their own, so
 * equal reputations narrow the pool as much as distinct ones), uniform or weighted by bonded stake, `width` provers without
 * replacement. Each candidate's draw is a hash of (seed, job key, prover), and the `width` smallest
 * keys win: u for a uniform draw, -log(u) / stake for a stake-weighted one (Efraimidis-Spirakis),
 * so the result depends on the job and the candidate set, not on their order or on earlier draws.
 * Writes the chosen prover ids to `out` and returns how many were chosen.
 */
export function selectProvers(
  candidates: Int32Array,
  nCandidates: number,
  reputation: Float64Array,
  stake: Float64Array,
  width: number,
  p: MechanismParams,
  draw: JobDraw,
  scratch: SelectionScratch,
  out: Int32Array,
): number {
  if (nCandidates === 0) return 0;
  // The pool holds at least `width` provers, so a race is as wide as the candidates allow.
  const k = Math.max(1, width, Math.ceil(p.base.topFraction * nCandidates));
  const pool = scratch.pool;
  const weights = scratch.weights;
  let m = 0;
  if (k >= nCandidates) {
    for (let i = 0; i < nCandidates; i++) pool[m++] = candidates[i]!;
  } else {
    const cut = kthLargest(candidates, nCandidates, reputation, k, scratch);
    for (let i = 0; i < nCandidates; i++) {
      const c = candidates[i]!;
      if (reputation[c]! > cut) pool[m++] = c;
    }
    const ties = m;
    for (let i = 0; i < nCandidates; i++) {
      const c = candidates[i]!;
      if (reputation[c] === cut) pool[m++] = c;
    }
    drawUniforms(pool, ties, m, draw, TIE_SALT, weights);
    // Keep the k - (above the cut) ties with the smallest draws: they move to [ties, k).
    nthElement(weights, pool, ties, m, k - 1);
    m = k;
  }
  const chosen = Math.min(width, m);
  const weighted = p.base.stakeWeighted >= 0.5;
  drawUniforms(pool, 0, m, draw, SELECTION_SALT, weights);
  if (weighted) {
    for (let i = 0; i < m; i++) weights[i] = -Math.log(weights[i]!) / Math.max(stake[pool[i]!]!, 1e-9);
  }
  for (let j = 0; j < chosen; j++) {
    let best = 0;
    let bestW = weights[0]!;
    for (let i = 1; i < m; i++) {
      const w = weights[i]!;
      if (w < bestW) {
        best = i;
        bestW = w;
      }
    }
    out[j] = pool[best]!;
    m--;
    pool[best] = pool[m]!;
    weights[best] = weights[m]!;
  }
  return chosen;
}

/**
 * Each prover's draw for this job, ids[i] -> out[i] over [from, to). A loop of its own, so the draw
 * is inlined here and lands in the typed array without a boxed number per call.
 */
function drawUniforms(ids: Int32Array, from: number, to: number, draw: JobDraw, salt: number, out: Float64Array): void {
  hashUniforms(draw.seed, draw.key, ids, from, to, salt, out);
}

/** The k-th largest reputation among the candidates: a selection on their negated reputations in scratch (expected linear). */
function kthLargest(candidates: Int32Array, n: number, reputation: Float64Array, k: number, scratch: SelectionScratch): number {
  const reps = scratch.reps;
  for (let i = 0; i < n; i++) reps[i] = -reputation[candidates[i]!]!;
  return -nthValue(reps, 0, n, k - 1);
}
