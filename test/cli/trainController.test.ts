import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, cli, read, tmp } from "../support/cli.js";
import { MOVING_CONTROLLER_RUN } from "../support/controllerRun.js";

const EXPERIMENT = join(ROOT, "experiments", "controller-daily.yaml");
const SMALL = ["--set", "horizonEpochs=30", "--set", "objective.warmupEpochs=6", "--set", "tune.seeds.heldOut=2"];

describe("proverlab train-controller", () => {
  it("trains, compares on held-out seeds, saves a controller that evaluate --controller scores the same", () => {
    const out = join(tmp(), "run");
    const r = cli([
      "train-controller",
      EXPERIMENT,
      "--out",
      out,
      "--set",
      "controller.episodes=3",
      "--set",
      "controller.checkpointEvery=2",
      "--set",
      "controller.episodesPerUpdate=1",
      "--set",
      "controller.validationSeeds=4",
      ...SMALL,
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/episode 3 \(controller-daily\): controller reward -?\d/);
    expect(r.stdout).toMatch(/objective difference, controller - start calibration: -?\d.*2 paired episodes/);
    expect(read(out, "training.csv").trim().split("\n")).toHaveLength(4);
    const evaluation = JSON.parse(read(out, "evaluation.json"));
    expect(evaluation.versusStart.n).toBe(2);
    // Checkpoints after 0, 2 and 3 episodes; the untrained one is the start itself (gain exactly 0);
    // the kept one has the highest lower bound, and its weights are the ones saved.
    const checkpoints = read(out, "checkpoints.csv")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(",").map(Number));
    expect(checkpoints.map((c) => c[0])).toEqual([0, 2, 3]);
    expect(checkpoints[0]!.slice(1)).toEqual([0, 0, 0, 1]);
    const best = Math.max(...checkpoints.map((c) => c[2]!));
    expect(evaluation.checkpoint.validation.low).toBe(best);
    expect(checkpoints.find((c) => c[2] === best)![0]).toBe(evaluation.checkpoint.episode);
    expect(r.stdout).toMatch(new RegExp(`kept the checkpoint after ${evaluation.checkpoint.episode} training episodes`));
    expect(read(out, "controller/summary.md")).toMatch(/^\| signal \| level \| value \| `rewards\.computePriceUsdPerCoreSecond` \|/);
    const model = JSON.parse(read(out, "controller/model.json"));
    expect(model.proverlab.controller.params).toEqual(["rewards.computePriceUsdPerCoreSecond", "rewards.profitMargin"]);
    expect(model.proverlab.controller.trainedEpisodes).toBe(evaluation.checkpoint.episode);
    expect(JSON.parse(read(out, "manifest.json")).tfBackend).toBe("wasm");

    const e = cli(["evaluate", EXPERIMENT, "--controller", join(out, "controller", "model.json"), "--held-out", "--json", ...SMALL]);
    expect(e.code).toBe(0);
    expect(JSON.parse(e.stdout).score).toBe(evaluation.controller.score);

    // compare takes the run folder as a policy, on the same held-out seeds.
    const cmp = join(tmp(), "compare");
    const c = cli(["compare", "proposal-defaults", out, "--experiment", EXPERIMENT, "--seeds", "2", "--out", cmp, ...SMALL]);
    expect(c.code).toBe(0);
    const policies = JSON.parse(read(cmp, "compare.json")).policies as { name: string; kind: string; score: number }[];
    expect(policies[1]).toMatchObject({ name: "run", kind: "controller", score: evaluation.controller.score });
  });

  it("with --workers 2, checkpoints validated on threads while training goes on, writes the same files as in one thread", () => {
    const args = MOVING_CONTROLLER_RUN;
    const one = join(tmp(), "one");
    const two = join(tmp(), "two");
    const r1 = cli([...args, "--out", one]);
    expect(r1.code).toBe(0);
    const r2 = cli([...args, "--out", two, "--workers", "2"]);
    expect(r2.code).toBe(0);
    for (const f of [
      "training.csv",
      "checkpoints.csv",
      "evaluation.json",
      "config.json",
      "controller/model.json",
      "controller/summary.json",
    ]) {
      expect(read(two, f), f).toBe(read(one, f));
    }
    expect(readFileSync(join(two, "controller", "weights.bin")).equals(readFileSync(join(one, "controller", "weights.bin")))).toBe(true);
    const gains = read(one, "checkpoints.csv")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => Number(l.split(",")[1]));
    expect(gains.some((g) => g !== 0)).toBe(true);
    // Progress lines come in checkpoint order whatever thread finishes first.
    const order = (err: string) => [...err.matchAll(/checkpoint after (\d+) episodes/g)].map((m) => Number(m[1]));
    expect(order(r2.stderr)).toEqual([0, 4, 8]);
    expect(order(r1.stderr)).toEqual([0, 4, 8]);
  });

  it("refuses bad input with one line, exit 2 and no folder", () => {
    const out = join(tmp(), "never");
    const missing = cli(["train-controller", EXPERIMENT, "--out", out, "--start", "no/such/run", ...SMALL]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^proverlab: --start: cannot read no\/such\/run/);
    const both = cli(["evaluate", EXPERIMENT, "--controller", "x/model.json", "--params", "p.json", ...SMALL]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^proverlab: --controller: a controller starts from its own calibration; drop --params/);
    const noWorkers = cli(["train-controller", EXPERIMENT, "--out", out, "--workers", "1.5", ...SMALL]);
    expect(noWorkers.code).toBe(2);
    expect(noWorkers.stderr).toMatch(/^proverlab: --workers: 1\.5 is not a positive integer; give e\.g\. --workers 2\n$/);
    const badUrl = cli(["train-controller", EXPERIMENT, "--out", out, "--executor", "redis://:secret@", ...SMALL]);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/^proverlab: --executor: /);
    expect(badUrl.stderr).not.toMatch(/secret/);
    const notController = cli(["evaluate", EXPERIMENT, "--controller", join(ROOT, "package.json"), ...SMALL]);
    expect(notController.code).toBe(2);
    expect(notController.stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });
});
