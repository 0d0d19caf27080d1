import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { bundlePayload, checkBundleData, checkJob, decodeJson, encodeJson, PayloadError } from "../../src/distributed/payload.js";
import { bundleFromData, loadBundle } from "../../src/tuning/bundle.js";
import { evaluateCalibration } from "../../src/tuning/evaluate.js";
import { ROOT } from "../support/cli.js";

describe("encodeJson / decodeJson", () => {
  it("keeps NaN, the infinities and -0, which JSON alone turns into null and 0", () => {
    const value = { a: NaN, b: [Infinity, -Infinity, -0, 0, 1.5e-300], c: { $n: 3 }, d: null };
    const back = decodeJson(encodeJson(value)) as typeof value;
    expect(back.a).toBeNaN();
    expect(back.b[0]).toBe(Infinity);
    expect(back.b[1]).toBe(-Infinity);
    expect(Object.is(back.b[2], -0)).toBe(true);
    expect(Object.is(back.b[3], 0)).toBe(true);
    expect(back.b[4]).toBe(1.5e-300);
    // An object that merely has a $n key of another kind is left as it is.
    expect(back.c).toEqual({ $n: 3 });
    expect(back.d).toBeNull();
  });
});

describe("job payloads", () => {
  const bundle = loadBundle(join(ROOT, "experiments", "quickstart.yaml"));
  const payload = bundlePayload(bundle);
  const task = { params: bundle.params, split: "train" as const, seeds: 1 };

  it("a bundle sent as a payload evaluates to the same result as the bundle it came from", () => {
    const job = checkJob("evaluate", { bundle: payload, task });
    const remote = bundleFromData(checkBundleData(job.bundle.data), "remote");
    const small = { ...task, params: { ...task.params } };
    expect(encodeJson(evaluateCalibration(remote, small.params, "train", 1))).toBe(
      encodeJson(evaluateCalibration(bundle, small.params, "train", 1)),
    );
    // The hash is of the text: the same data gives the same hash, so a worker's cache hits.
    expect(bundlePayload(remote).hash).toBe(payload.hash);
  }, 60_000);

  it("refuses payloads that a coordinator does not write, naming what is wrong", () => {
    const refused = (data: unknown, kind = "evaluate") => {
      try {
        checkJob(kind, data);
      } catch (err) {
        expect(err).toBeInstanceOf(PayloadError);
        return (err as Error).message;
      }
      return "accepted";
    };
    expect(refused(null)).toMatch(/^job payload refused: /);
    expect(refused({ bundle: payload, task: { ...task, split: "test" } })).toMatch(/task\.split/);
    expect(refused({ bundle: payload, task: { ...task, seeds: 0 } })).toMatch(/task\.seeds/);
    expect(refused({ bundle: payload, task: { ...task, params: { x: "1" } } })).toMatch(/task\.params\.x/);
    expect(refused({ bundle: payload, task, extra: 1 })).toMatch(/job payload refused/);
    expect(refused({ bundle: { ...payload, hash: "f".repeat(64) }, task })).toMatch(/does not match its hash/);
    expect(refused({ bundle: payload, task })).toBe("accepted");
    expect(refused({ bundle: payload, task }, "shell")).toMatch(/unknown kind of job 'shell'/);
    // An audit arm: seats per scenario, each with the learner's choices by name.
    const seats = { identities: 2, computeCores: 4096, fixedCostUsdPerEpoch: 10, capitalUsd: 1e5, actions: ["full", "withhold"] };
    const arm = { params: task.params, seats: [["mint-bursts", seats]], seeds: 2, warmup: 10 };
    expect(refused({ bundle: payload, task: arm }, "auditArm")).toBe("accepted");
    expect(refused({ bundle: payload, task: { ...arm, seats: [["mint-bursts", { ...seats, actions: ["rm -rf"] }]] } }, "auditArm")).toMatch(
      /task\.seats\.0\.1\.actions\.0/,
    );
    expect(refused({ bundle: payload, task: arm }, "evaluate")).toMatch(/job payload refused/);
    // A frozen controller (compare's controllers, train-controller's checkpoints) and the first episodes asked back.
    const state = {
      params: ["rewards.profitMargin"],
      everyEpochs: 3,
      rateLimit: 0.1,
      levels: 2,
      levelStep: 0.1,
      start: task.params,
      rewardMean: 0,
      rewardVariance: 1,
      rewardCount: 0,
      trainedEpisodes: 0,
    };
    const weights = [
      { shape: [2, 3], values: [1, 2, 3, 4, 5, 6] },
      { shape: [3], values: [0, 0, 0] },
    ];
    const controller = { hidden: [3], state, weights, backend: "wasm" };
    expect(refused({ bundle: payload, task: { ...task, controller, keepFirst: true } })).toBe("accepted");
    expect(refused({ bundle: payload, task: { ...task, controller: { ...controller, backend: "gpu" } } })).toMatch(
      /task\.controller\.backend/,
    );
    expect(
      refused({ bundle: payload, task: { ...task, controller: { ...controller, weights: [weights[0], { shape: [3], values: [0] }] } } }),
    ).toMatch(/task\.controller\.weights\.1: the values do not fill the shape/);
    expect(refused({ bundle: payload, task: { ...task, controller: { ...controller, state: { ...state, levels: 11 } } } })).toMatch(
      /task\.controller\.state\.levels/,
    );
    // A variant never travels as such: the job's bundle is the variant.
    expect(refused({ bundle: payload, task: { ...task, variant: { sets: [], heldOut: [] } } })).toMatch(/job payload refused/);
  });

  it("validates every experiment of a bundle against the schema", () => {
    const data = decodeJson(payload.data) as { experiment: { demand: { baseTps: unknown } } };
    data.experiment.demand.baseTps = "fast";
    expect(() => checkBundleData(encodeJson(data))).toThrow(/^job payload refused: experiment: demand\.baseTps/);
    expect(() => checkBundleData("{")).toThrow(/the bundle is not JSON/);
    expect(() => checkBundleData(encodeJson({ experiment: {}, train: [], heldOut: [] }))).toThrow(/bundle train/);
  });
});
