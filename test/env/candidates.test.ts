import { describe, expect, it } from "vitest";
import { AlwaysOnPolicy } from "../../agents/prover/scripted.js";
import { validateExperiment } from "../../src/config/load.js";
import { resolveParams } from "../../src/config/resolve.js";
import { ProverNetworkEnv } from "../../src/env/network.js";
import { createActions } from "../../src/env/spaces.js";

/** The candidate scan, reached from a test: the provers that may take a job, written to `candidates`. */
interface Scan {
  jobs: ProverNetworkEnv["jobs"];
  scanCandidates: ProverNetworkEnv["scanCandidates"];
  candidates: ProverNetworkEnv["candidates"];
}

/** `n` equal, reliable provers after one epoch, those in `optIn` opted in to races; a job with room to spare. */
function network(n: number, optIn: number[]) {
  const exp = validateExperiment({
    name: "candidates",
    horizonEpochs: 4,
    demand: { baseTps: 0.1 },
    provers: {
      archetypes: [{ name: "p", count: n, computeCores: 16_384, costUsdPerCoreSecond: 3.5e-5, capitalUsd: 200_000, mtbfHours: 1e9 }],
    },
  });
  const env = new ProverNetworkEnv(exp, resolveParams(exp));
  const obs = env.reset(3).observation;
  const actions = createActions(n);
  new AlwaysOnPolicy().act(obs, actions);
  actions.race.fill(0);
  for (const i of optIn) actions.race[i] = 1;
  env.step(actions);
  const scan = env as unknown as Scan;
  const job = scan.jobs.alloc();
  scan.jobs.work[job] = 1;
  scan.jobs.depthSeconds[job] = 1;
  scan.jobs.deadline[job] = 1e12;
  const race = (): number[] => Array.from(scan.candidates.subarray(0, scan.scanCandidates(job, 0, true, false, 1e9, 1, 1e9, 0)));
  return { env, race };
}

describe("the candidate scan", () => {
  it("a race goes to the provers that opted in to races, in prover order", () => {
    expect(network(5, [1, 3]).race()).toEqual([1, 3]);
  });

  it("when nobody opted in, every prover that opted out stands, once each and in prover order", () => {
    // The opted-out provers wait at the end of the buffer; moved to its front, the two ranges overlap
    // once more than half the buffer opted out, and a copy in the wrong order would lose some.
    for (const n of [1, 2, 3, 4, 7, 8]) expect(network(n, []).race()).toEqual(Array.from({ length: n }, (_, i) => i));
  });
});
