import { describe, expect, it } from "vitest";
import { load, run } from "../support/experiments.js";

/** Erlang C: probability an arrival waits in M/M/c with offered load a = lambda / mu. */
function erlangC(c: number, a: number): number {
  let sum = 0;
  let term = 1;
  for (let k = 0; k < c; k++) {
    sum += term;
    term *= a / (k + 1);
  }
  const top = (term * c) / (c - a);
  return top / (sum + top);
}

const PROVERS = 10;
const MU = 1; // 100 core-s of work on 100 cores: mean service 1 s

describe("queueing validation (stripped network = textbook queues)", () => {
  for (const rho of [0.5, 0.8]) {
    const lambda = rho * PROVERS * MU;

    it(`random assignment is ${PROVERS} independent M/M/1 queues at utilization ${rho}`, () => {
      const exp = load("queueing-validation", [`demand.baseTps=${lambda}`, "mechanism.base.maxQueuePerProver=1000", "horizonEpochs=400"]);
      const s = run(exp, 11, "always-on").summary;
      const perProver = lambda / PROVERS;
      const wq = perProver / (MU * (MU - perProver));
      expect(Math.abs(s.meanWaitS - wq) / wq).toBeLessThan(0.03);
      expect(Math.abs(s.meanSojournS - (wq + 1 / MU)) / (wq + 1 / MU)).toBeLessThan(0.03);
    });

    it(`a shared queue to the first free prover is M/M/${PROVERS} (Erlang C) at utilization ${rho}`, () => {
      const exp = load("queueing-validation", [`demand.baseTps=${lambda}`, "mechanism.base.maxQueuePerProver=1", "horizonEpochs=400"]);
      const s = run(exp, 11, "always-on").summary;
      const wq = erlangC(PROVERS, lambda / MU) / (PROVERS * MU - lambda);
      expect(Math.abs(s.meanWaitS - wq) / wq).toBeLessThan(0.03);
    });
  }

  it("the two disciplines differ by far more than the tolerance (the check can tell them apart)", () => {
    const shared = erlangC(PROVERS, 8) / (PROVERS - 8);
    const separate = 0.8 / (1 - 0.8);
    expect(separate / shared).toBeGreaterThan(10);
  });
});
