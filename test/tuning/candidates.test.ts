import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AuditReport, StrategyResult } from "../../src/audit/audit.js";
import type { ParamValues } from "../../src/config/paramSpace.js";
import { WINDOW_KPIS, type WindowKpis } from "../../src/env/windowKpis.js";
import { loadBundle } from "../../src/tuning/bundle.js";
import { rankCandidates, repairText, selectCandidate } from "../../src/tuning/candidates.js";
import type { Trial } from "../../src/tuning/trial.js";
import { EXPERIMENTS_DIR } from "../support/experiments.js";
import { FakeExecutor } from "../support/fakeExecutor.js";

const bundle = loadBundle(join(EXPERIMENTS_DIR, "aztec-1tps.yaml"), [
  "tune.params=[rewards.profitMargin, emergency.raceWidth]",
  "objective.weights={rewardsPerTxUsd: -10}",
  "objective.constraints=[]",
  "audit.candidates=3",
]);
// Every calibration costs users what its margin says: each parameter matters, none is reverted.
const executor = new FakeExecutor(bundle, 3, (p, k) => ({
  rewardsPerTxUsd: p["rewards.profitMargin"]! + 0.1 * p["emergency.raceWidth"]! + 0.001 * k,
}));

function trial(id: number, margin: number, raceWidth: number, score: number): Trial {
  const params = { "rewards.profitMargin": margin, "emergency.raceWidth": raceWidth };
  const point = [...bundle.space.encode({ ...bundle.params, ...params })];
  const kpis = Object.fromEntries(WINDOW_KPIS.map((k) => [k, 0])) as WindowKpis;
  return { trial: id, generation: 0, point, params, score, feasible: true, violations: [], kpis };
}

/** An audit where `withhold` by a coalition pays against the calibrations `exploitable` accepts. */
function audit(exploitable: (p: ParamValues) => boolean) {
  const audited: number[] = [];
  const run = (params: ParamValues): Promise<AuditReport> => {
    audited.push(params["rewards.profitMargin"]!);
    const pays = exploitable(params);
    const gain = { mean: pays ? 5 : -1, low: pays ? 2 : -3, high: pays ? 8 : 1, n: 8 };
    const strategy = { name: "withhold", setting: "coalition", coalitionShare: 0.1, exploit: pays, intervals: { gainUsd: gain } };
    return Promise.resolve({ strategies: [strategy as unknown as StrategyResult] } as AuditReport);
  };
  return { run, audited };
}

const trials = [trial(0, 0.3, 3, 90), trial(1, 0.5, 4, 95), trial(2, 0.5, 4, 95), trial(3, 0.2, 2, 93), trial(4, 0.1, 2, 91)];

describe("rankCandidates", () => {
  it("takes the best distinct calibrations by training score, the earliest on ties", () => {
    expect(rankCandidates(trials, 3).map((t) => t.trial)).toEqual([1, 3, 4]);
  });
});

describe("selectCandidate", () => {
  // The fake network scores -10 x (margin + 0.1 x race width): on the validation seeds the finalists
  // rank 4 (-3), 3 (-4), 0 (-6), 1 (-9), whatever their training scores said.
  it("audits the finalists in validation-score order, and recommends the next when the best one is exploitable", async () => {
    const { run, audited } = audit((p) => p["rewards.profitMargin"] === 0.1);
    const s = await selectCandidate(bundle, trials, executor, run);
    expect(audited).toEqual([0.1, 0.2]);
    expect(s.trial.trial).toBe(3);
    expect(s.exploitable).toBe(false);
    expect(s.candidates.map((c) => [c.trial, c.outcome])).toEqual([
      [4, "exploitable"],
      [3, "recommended"],
      [0, "not reached"],
    ]);
    expect(s.candidates.map((c) => Math.round(c.validation.score!))).toEqual([-3, -4, -6]);
    expect(s.candidates[0]!.exploits).toEqual([
      { strategy: "withhold", setting: "coalition", coalitionShare: 0.1, gainUsd: { mean: 5, low: 2, high: 8, n: 8 } },
    ]);
    expect(s.inert.params["rewards.profitMargin"]).toBe(0.2);
  });

  it("a trial first by the luck of its training episodes does not win: trial 1 ranks first on training and last on validation", async () => {
    expect(rankCandidates(trials, 1)[0]!.trial).toBe(1);
    const off = await selectCandidate(bundle, trials, executor, null);
    expect([off.trial.trial, off.exploitable, off.audit, off.candidates.length]).toEqual([4, false, null, 1]);
  });

  it("recommends the best, flagged exploitable, when no candidate survives", async () => {
    const { run, audited } = audit(() => true);
    const s = await selectCandidate(bundle, trials, executor, run);
    expect(audited).toEqual([0.1, 0.2, 0.3]);
    expect(s.trial.trial).toBe(4);
    expect(s.exploitable).toBe(true);
    expect(s.candidates.map((c) => c.outcome)).toEqual(["recommended, exploitable", "exploitable", "exploitable"]);
  });

  it("trial 0 with the experiment's values is always a finalist: recommended when no searched trial beats it on validation", async () => {
    const defaults = { margin: bundle.params["rewards.profitMargin"]!, width: bundle.params["emergency.raceWidth"]! };
    // Eight searched trials, each better than the baseline on training and worse on validation.
    const searched = Array.from({ length: 8 }, (_, i) => trial(i + 1, defaults.margin + 0.05 * (i + 1), defaults.width, 100 + i));
    const all = [trial(0, defaults.margin, defaults.width, 50), ...searched];
    expect(rankCandidates(all, 8).map((t) => t.trial)).not.toContain(0);
    const s = await selectCandidate(bundle, all, executor, null);
    expect(s.trial.trial).toBe(0);
    expect(s.inert.effects).toEqual([]);
  });
});

describe("selectCandidate against identity splitting", () => {
  // The fee is tuned; liveness falls with it (provers leave), below the constraint past 10 USD/epoch.
  const fee = "base.identityFeeUsdPerEpoch";
  const feeBundle = loadBundle(join(EXPERIMENTS_DIR, "aztec-1tps.yaml"), [
    `tune.params=[rewards.profitMargin, ${fee}]`,
    "objective.weights={rewardsPerTxUsd: -10}",
    "objective.constraints=[{kpi: liveness, min: 0.99}]",
    "audit.candidates=2",
  ]);
  const feeExecutor = new FakeExecutor(feeBundle, 3, (p) => ({
    rewardsPerTxUsd: p["rewards.profitMargin"]!,
    liveness: p[fee]! > 10 ? 0.9 : 1,
    // Every KPI the objective reads moves with each parameter: neither is inert.
    activeProversMean: 10 - p[fee]!,
  }));
  const feeTrials = [0.3, 0.2].map((margin, i) => {
    const params = { "rewards.profitMargin": margin, [fee]: 0 };
    const point = [...feeBundle.space.encode({ ...feeBundle.params, ...params })];
    const kpis = Object.fromEntries(WINDOW_KPIS.map((k) => [k, 0])) as WindowKpis;
    return { trial: i, generation: 0, point, params, score: 10 - i, feasible: true, violations: [], kpis } satisfies Trial;
  });
  /** Splitting into 4 identities gains `gain(fee)` USD/epoch, +-3. */
  function splitAudit(gain: (fee: number) => number) {
    const fees: number[] = [];
    const run = (params: ParamValues): Promise<AuditReport> => {
      fees.push(params[fee]!);
      const g = gain(params[fee]!);
      const strategy = { name: "split", setting: "coalition", coalitionShare: 0.1, identities: 4, exploit: g - 3 > 0 };
      return Promise.resolve({
        strategies: [{ ...strategy, intervals: { gainUsd: { mean: g, low: g - 3, high: g + 3, n: 8 } } } as unknown as StrategyResult],
      } as AuditReport);
    };
    return { run, fees };
  }

  it("raises the per-identity fee to the split's gain over the identities it adds, and recommends the repaired candidate", async () => {
    // Gain 21 - 3 x fee: at fee 0 its interval's top is 24, over 3 added identities 8 USD/epoch each.
    const { run, fees } = splitAudit((f) => 21 - 3 * f);
    const s = await selectCandidate(feeBundle, feeTrials, feeExecutor, run);
    expect(fees).toEqual([0, 8]);
    expect(s.exploitable).toBe(false);
    expect(s.inert.params[fee]).toBe(8);
    expect(s.candidates[0]!.outcome).toBe("recommended");
    expect(s.candidates[0]!.repairs.map((r) => [r.from, r.to, r.feasible])).toEqual([[0, 8, true]]);
    expect(repairText(s.candidates[0]!)).toBe(`, after raising ${fee} 0 -> 8 USD/epoch`);
  });

  it("does not keep a fee that breaks a constraint: the candidate stays exploitable and the next is audited", async () => {
    // Gain 45 - 3 x fee needs 16 USD/epoch per identity: liveness fails past 10.
    const { run, fees } = splitAudit((f) => 45 - 3 * f);
    const s = await selectCandidate(feeBundle, feeTrials, feeExecutor, run);
    expect(fees).toEqual([0, 0]);
    expect(s.exploitable).toBe(true);
    expect(s.candidates.map((c) => c.repairs.map((r) => [r.to, r.feasible]))).toEqual([[[16, false]], [[16, false]]]);
    expect(repairText(s.candidates[0]!)).toBe(`, infeasible on training with it at 16`);
  });

  it("repairs nothing when the fee is not tuned", async () => {
    const { run, fees } = splitAudit((f) => 21 - 3 * f);
    const s = await selectCandidate(bundle, trials, executor, run);
    expect(fees).toEqual([0, 0, 0]);
    expect(s.candidates.every((c) => c.repairs.length === 0)).toBe(true);
  });
});
