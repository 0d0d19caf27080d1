import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runAudit, type AuditReport, type StrategyResult } from "../../src/audit/audit.js";
import { auditTable } from "../../src/audit/format.js";
import { attackerTemplate, coalitionCopies, splitInto, totalCompute } from "../../src/audit/population.js";
import { toJson } from "../../src/results/json.js";
import { loadBundle } from "../../src/tuning/bundle.js";
import { applyParams } from "../../src/tuning/paramsInput.js";
import { load } from "../support/experiments.js";

/** test/fixtures/audit-exploitable.yaml: a withheld proof's reorg escalates to an emergency that never ends, and a stabilization pool of 100 % of base rewards pays every stressed epoch after. */
const EXPLOITABLE = join(import.meta.dirname, "..", "fixtures", "audit-exploitable.yaml");

function audit(overrides: Record<string, number> = {}, sets: string[] = []): Promise<AuditReport> {
  const bundle = loadBundle(EXPLOITABLE, sets);
  return runAudit(bundle, applyParams(overrides, bundle.params, "test"), "test");
}

function find(r: AuditReport, name: string, setting: "alone" | "coalition"): StrategyResult {
  const s = r.strategies.find((x) => x.name === name && x.setting === setting);
  if (!s) throw new Error(`no ${name} ${setting} in the audit`);
  return s;
}

describe("exploit audit", () => {
  it("finds the exploit of a deliberately exploitable calibration: withholding to trigger stressed epochs pays", async () => {
    const r = await audit();
    const coalition = find(r, "withhold", "coalition");
    // Two attackers (a third of the compute) learn to withhold: their profit rises well above honest play.
    expect(coalition.identities).toBe(2);
    expect(coalition.exploit).toBe(true);
    expect(coalition.intervals.gainUsd.low).toBeGreaterThan(0);
    expect(coalition.gainPct!).toBeGreaterThan(25);
    // A few withheld proofs suffice: the first miss starts an emergency that never ends (3 % of epochs measured).
    expect(coalition.adversarialActionShare!).toBeGreaterThan(0.01);
    // And the network pays for it: blocks reorged, more paid per transaction.
    expect(coalition.intervals.livenessCost.low).toBeGreaterThan(0);
    expect(coalition.intervals.costPerTxChange.low).toBeGreaterThan(0);
    // Alone, withholding pays as well (one attacker, a fifth of the compute).
    const alone = find(r, "withhold", "alone");
    expect(alone.gainUsd).toBeGreaterThan(0);
    expect(auditTable(r)).toMatch(/exploits found: withhold \(alone\), withhold \(coalition 33 %\)/);
  });

  it("does not mark withholding where it does not pay: the same network without the pool", async () => {
    const r = await audit({ "rewards.stabilizationPoolShare": 0 });
    for (const setting of ["alone", "coalition"] as const) {
      const s = find(r, "withhold", setting);
      expect(s.exploit).toBe(false);
      expect(s.gainUsd).toBeLessThan(0);
      expect(s.intervals.gainUsd.high).toBeLessThan(0);
    }
    expect(auditTable(r)).toMatch(/no exploit found/);
  });

  it("the same seeds give the same audit.json, to the byte; other seeds other numbers", async () => {
    const short = ["horizonEpochs=40", "objective.warmupEpochs=10", "audit.seeds=3", "audit.strategies=[withhold,snipe,split]"];
    const a = toJson(await audit({}, short));
    expect(toJson(await audit({}, short))).toBe(a);
    expect(toJson(await audit({}, [...short, "seed=4"]))).not.toBe(a);
  });

  it("reports every strategy and setting, with paired intervals over scenarios x seeds, and skips a split that cannot be made", async () => {
    const r = await audit({}, [
      "horizonEpochs=30",
      "objective.warmupEpochs=10",
      "audit.seeds=2",
      "audit.strategies=[withhold,snipe,split]",
      "audit.identities=3",
    ]);
    expect(r.strategies.map((s) => `${s.name} ${s.setting}`)).toEqual([
      "withhold alone",
      "snipe alone",
      "split alone",
      "withhold coalition",
      "snipe coalition",
      "split coalition",
    ]);
    for (const s of r.strategies) {
      expect(s.intervals.gainUsd.n).toBe(2);
      expect(s.gainUsd).toBeCloseTo(s.adversarialProfitUsd - s.honestProfitUsd, 9);
    }
    // 4096 cores split into 3 identities of 1365 cores, each above the 1024-core floor.
    expect(find(r, "split", "alone").identities).toBe(3);
    expect(find(r, "split", "alone").adversarialActionShare).toBeNull();
    // With a floor of 4096 cores a single attacker cannot split.
    const floor = await audit({ "base.minComputeCores": 4096 }, ["horizonEpochs=30", "audit.seeds=2", "audit.strategies=[split]"]);
    expect(floor.strategies.map((s) => s.setting)).toEqual(["coalition"]);
    expect(floor.skipped).toEqual([
      {
        name: "split",
        setting: "alone",
        coalitionShare: null,
        reason: "the attackers' compute cannot be split into 2 identities that each meet base.minComputeCores (4096)",
      },
    ]);
  });

  it("snipe acts for an attacker at the compute floor: it takes races only, and its profit moves (here it loses)", async () => {
    // Races 5 wide in the emergencies the fixture's reorgs bring, a losing racer paid its whole
    // progress, the whole pool shared by participation; the floor is the attacker's own 4096 cores.
    const built = { "base.minComputeCores": 4096, "emergency.raceWidth": 5, "rewards.raceCompensationShare": 1 };
    const r = await audit(built, ["horizonEpochs=60", "objective.warmupEpochs=20", "audit.seeds=12", "audit.strategies=[snipe]"]);
    for (const setting of ["alone", "coalition"] as const) {
      const s = find(r, "snipe", setting);
      // Learners that value honest work try sniping and mostly drop it (4-5 % of epochs measured).
      expect(s.adversarialActionShare!).toBeGreaterThan(0.02);
      // Idle outside races, it forgoes the ordinary work honest play earns from.
      expect(s.intervals.gainUsd.high).toBeLessThan(0);
    }
  });

  it("split acts, and a fee per identity turns it from gain to loss", async () => {
    const sets = ["horizonEpochs=60", "objective.warmupEpochs=20", "audit.seeds=6", "audit.strategies=[split]", "audit.identities=3"];
    const free = find(await audit({}, sets), "split", "coalition");
    const fee = find(await audit({ "base.identityFeeUsdPerEpoch": 50 }, sets), "split", "coalition");
    expect(fee.gainUsd).toBeLessThan(free.gainUsd);
    expect(fee.intervals.gainUsd.high).toBeLessThan(0);
  });

  it("builds the attackers from the population: the median prover, coalitions by compute share, splits that conserve compute", () => {
    const exp = load("quickstart");
    const template = attackerTemplate(exp, exp, "");
    expect(template.name).toBe("professional");
    // 10 % of the total once added: 0.1 / 0.9 x 83,968 cores = 9,330 cores, 9 professionals.
    expect(totalCompute(exp.provers.archetypes)).toBe(83_968);
    expect(coalitionCopies(template, exp.provers.archetypes, 0.1)).toBe(9);
    const split = splitInto(template, 9, 4, ["leave", "half", "full", "stake-up", "full"]);
    expect(split.computeCores * 4).toBe(9 * 1024);
    expect(split.capitalUsd * 4).toBe(9 * template.capitalUsd);
    expect(split.fixedCostUsdPerEpoch * 4).toBeCloseTo(9 * template.fixedCostUsdPerEpoch, 12);
    expect(() => attackerTemplate(exp, exp, "nobody")).toThrow(/audit.attacker: no archetype named 'nobody'/);
  });
});
