import { describe, expect, it } from "vitest";
import { load, run } from "../support/experiments.js";

/**
 * docs/MODEL.md, grounding table: aztec-1tps against the public figures of DOMAIN.md, each within 20 %.
 * Compute is priced at 3.6e-5 USD per core-second, the population's compute-weighted mean price.
 */
const PRICE = 3.6e-5;

function within(model: number, reference: number, band = 0.2): void {
  expect(Math.abs(model / reference - 1)).toBeLessThanOrEqual(band);
}

describe("grounding: aztec-1tps against DOMAIN.md", () => {
  it("a block of about 4 tx is proven in 419-604 s (ProverNet contest; within 20 % of the middle, 511.5 s)", () => {
    const { summary } = run(load("aztec-1tps", [`demand.baseTps=${4 / 36}`]));
    within(summary.latencyMeanS, 511.5);
  });

  it("proving costs about 0.30 USD per basic tx (Aztec fee notebook)", () => {
    const { rows, summary } = run(load("aztec-1tps"));
    const coreSeconds = rows.reduce((s, r) => s + r.usefulCoreS, 0);
    within((coreSeconds * PRICE) / summary.txProven, 0.3);
  });

  it("each block's proof is verified alone at 1 TPS: 3.6 M gas (FeeLib) plus its 300 k proposal, per block", () => {
    const { rows } = run(load("aztec-1tps"));
    const blocks = rows.reduce((s, r) => s + r.blocksProvenOnTime, 0);
    const gas = rows.reduce((s, r) => s + r.l1Gas, 0);
    within(gas / blocks, 3_900_000, 0.01);
  });
});
