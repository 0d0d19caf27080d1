import { basename } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadExperiment } from "../../src/config/load.js";
import { initTensorflow } from "../../src/ml/tensorflow.js";
import { EXPERIMENTS_DIR, experimentFiles, run } from "../support/experiments.js";

const HORIZON: Record<string, number> = { "queueing-validation": 10 };

describe("token and job conservation in every scenario", () => {
  // network-provers.yaml runs on the shared policy network.
  beforeAll(() => initTensorflow("wasm"));
  for (const file of experimentFiles()) {
    const name = basename(file, ".yaml");
    for (const variant of ["proposal", "base-2023", "aztec-current"] as const) {
      if (name === "queueing-validation" && variant !== "base-2023") continue;
      it(`${name} (${variant})`, () => {
        const sets = [`mechanism.variant=${variant}`];
        if (HORIZON[name]) sets.push(`horizonEpochs=${HORIZON[name]}`);
        const exp = loadExperiment(file, sets);
        const { env, summary } = run(exp);
        const L = env.ledger;
        // fees + issuance + slashed = rewards paid + treasury change
        const scale = Math.max(1, L.fees + L.issuance + L.slashed + L.rewards);
        expect(Math.abs(L.imbalance()) / scale).toBeLessThan(1e-9);
        // every reward paid reached a prover, every slash came from one
        const P = env.provers;
        const paid = P.rewards.reduce((s, x) => s + x, 0);
        const slashed = P.slashed.reduce((s, x) => s + x, 0);
        expect(Math.abs(paid - L.rewards) / scale).toBeLessThan(1e-9);
        expect(Math.abs(slashed - L.slashed) / scale).toBeLessThan(1e-9);
        // per-epoch rows add up to the ledger
        const rowRewards = env.rows.reduce((s, r) => s + r.rewardsUsd, 0);
        expect(Math.abs(rowRewards - L.rewards) / scale).toBeLessThan(1e-9);
        // jobs: every block created is proven, pruned by a reorg, or still pending
        const T = env.totals;
        const pending = env.pendingWork();
        expect(T.blocksCreated).toBe(T.blocksProven + T.blocksReorged + pending.blocks);
        // transactions: every arrival is proven, expired, back in or still in the mempool, or in a pending job
        expect(T.txArrived).toBe(T.txProven + T.txExpired + env.mempoolTx + pending.tx);
        // no job row leaks: every row in use is an open job or a proven job whose racers still run
        expect(pending.rowsInUse).toBe(pending.jobs + pending.provenRacing);
        expect(summary.txProven).toBeGreaterThan(0);
      });
    }
  }
});

describe("validation mode under reorgs", () => {
  it("re-includes pruned transactions as new jobs, so the mempool drains and every transaction is accounted for", () => {
    // Provers too slow for the proof window: jobs miss and reorgs return their transactions.
    const exp = loadExperiment(`${EXPERIMENTS_DIR}/queueing-validation.yaml`, [
      "horizonEpochs=6",
      "demand.baseTps=2",
      "jobs.workPerTxCoreSeconds=300000",
      "mechanism.base.maxQueuePerProver=1",
    ]);
    const { env, rows } = run(exp, 1, "always-on");
    const T = env.totals;
    expect(rows.filter((r) => r.reorgedTx > 0).length).toBeGreaterThan(1);
    // only transactions pruned in an epoch's last deadline check can still wait at its end
    for (const r of rows) expect(r.backlogTx).toBeLessThanOrEqual(r.reorgedTx);
    const pending = env.pendingWork();
    expect(T.txArrived).toBe(T.txProven + T.txExpired + env.mempoolTx + pending.tx);
  });
});
