import { describe, expect, it } from "vitest";
import { resolveParams } from "../../src/config/resolve.js";
import { validateExperiment } from "../../src/config/load.js";
import { windowKpis } from "../../src/env/windowKpis.js";
import { load, run } from "../support/experiments.js";

const SLOT = 36;
const AGGREGATION = 30;

/**
 * One very fast prover and a mempool that is always congested: every block is proven at once (no
 * proof tree), and every batch aggregates exactly 4 consecutive blocks' proofs, verified on L1
 * 2 x AGGREGATION seconds (two merge levels) after it is sealed (when its 4th block is created).
 * Block k of a batch (k = 0 oldest) therefore waits (3 - k) x SLOT + 2 x AGGREGATION seconds.
 */
function batchedExperiment() {
  return validateExperiment({
    name: "batching-latency",
    horizonEpochs: 6,
    demand: { baseTps: 2, maxTxPerBlock: 1 },
    jobs: { baseWorkCoreSeconds: 0, workPerTxCoreSeconds: 1, circuitSeconds: 0, aggregationLatencySeconds: AGGREGATION },
    provers: { archetypes: [{ name: "fast", count: 1, computeCores: 1e9, costUsdPerCoreSecond: 1e-5, capitalUsd: 1e9, latencySigma: 0 }] },
    mechanism: {
      variant: "proposal",
      base: { minComputeCores: 16 },
      batching: { minSize: 4, maxSize: 4, congestionThreshold: 0.1, maxWaitSlots: 32 },
      emergency: { preemptiveThreshold: 10 },
    },
  });
}

describe("batch latency", () => {
  it("every block of a batch is timed from its own creation", () => {
    const exp = batchedExperiment();
    expect(resolveParams(exp)["batching.maxSize"]).toBe(4);
    const { rows, env } = run(exp, 1, "always-on");
    const batched = rows.filter((r) => r.batches > 0);
    expect(batched.length).toBeGreaterThan(3);
    for (const r of batched) expect(r.batchSizeMax).toBe(4);
    const lat = env.totals.latencies;
    const values = Array.from(lat.values.subarray(0, lat.n)).map((x) => Math.round(x - 2 * AGGREGATION));
    const counts = new Map<number, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    // blocks wait 3, 2, 1 and 0 slots for their batch to seal, equally often
    for (const wait of [0, 1, 2, 3].map((k) => k * SLOT)) expect(counts.get(wait)).toBeGreaterThan(10);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    expect(mean).toBeCloseTo(1.5 * SLOT, 0);
    // One L1 verification per batch (the last batch sealed may still wait for it at the end).
    const verifications = rows.reduce((s, r) => s + r.l1Gas - r.blocks * exp.l1.proposeGasPerBlock, 0) / exp.l1.verifyGas;
    const batches = rows.reduce((s, r) => s + r.batches, 0);
    expect(batches - Math.round(verifications)).toBeGreaterThanOrEqual(0);
    expect(batches - Math.round(verifications)).toBeLessThanOrEqual(1);
  });
});

describe("batching's response to congestion (batchResponseS)", () => {
  it("a mempool congested from the first block is answered when the first batch of 4 seals, 3 slots later, once", () => {
    const { rows } = run(batchedExperiment(), 1, "always-on");
    const answered = rows.filter((r) => r.batchResponses > 0);
    // Congestion never clears, so there is one onset (the first block) and one response.
    expect(answered).toHaveLength(1);
    expect(answered[0]!.batchResponses).toBe(1);
    expect(answered[0]!.batchResponseS).toBe(3 * SLOT);
    expect(windowKpis(rows).batchResponseMeanS).toBe(3 * SLOT);
  });

  it("with a wait cap of one slot the first batch goes out a slot after the onset; without congestion there is nothing to answer", () => {
    const capped = batchedExperiment();
    capped.mechanism.batching.maxWaitSlots = 1;
    expect(windowKpis(run(capped, 1, "always-on").rows).batchResponseMeanS).toBe(SLOT);
    const calm = batchedExperiment();
    // Blocks of 1,000 transactions at 2 TPS: the mempool never holds a tenth of a block.
    calm.demand.maxTxPerBlock = 1000;
    const rows = run(calm, 1, "always-on").rows;
    expect(rows.every((r) => r.batchResponses === 0 && Number.isNaN(r.batchResponseS))).toBe(true);
    expect(windowKpis(rows).batchResponseMeanS).toBeNaN();
  });
});

describe("mechanism.batchSignal: backlogAndGas", () => {
  it("batches through an L1 gas spike that leaves no backlog, trading delay for L1 cost per transaction", () => {
    const kpis = (signal: string) => windowKpis(run(load("l1-gas-spike", [`mechanism.batchSignal=${signal}`]), 1, "always-on").rows);
    const backlog = kpis("backlog");
    const gas = kpis("backlogAndGas");
    expect(gas.batches).toBeGreaterThan(5 * backlog.batches);
    expect(gas.l1CostPerTxUsd).toBeLessThan(0.8 * backlog.l1CostPerTxUsd);
    expect(gas.txDelayMeanS).toBeGreaterThan(backlog.txDelayMeanS);
  });

  it("changes nothing while gas stays at its base: a surge that batches gives the backlog rule's rows", () => {
    const rows = (signal: string) =>
      run(load("campaign-surge", ["l1.gas.volatilityPerSqrtHour=0", `mechanism.batchSignal=${signal}`]), 1, "always-on").rows;
    const backlog = rows("backlog");
    expect(windowKpis(backlog).batches).toBeGreaterThan(1000);
    expect(rows("backlogAndGas")).toEqual(backlog);
  });
});
