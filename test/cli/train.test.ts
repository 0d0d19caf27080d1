import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, TUNE_FINISHED, cli, read, tmp } from "../support/cli.js";

const EXPERIMENT = join(ROOT, "experiments", "network-provers.yaml");
const SHORT = ["--set", "horizonEpochs=30"];

describe("proverlab train", () => {
  it("trains the shared network over episodes, saves it, and the saved policy loads back into simulate", () => {
    const out = join(tmp(), "run");
    const r = cli(["train", EXPERIMENT, "--episodes", "2", "--out", out, ...SHORT]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/episode 2\/2: liveness/);
    const rows = read(out, "training.csv").trim().split("\n");
    expect(rows).toHaveLength(3);
    expect(rows[2]!.split(",")[1]).toBe("60");
    expect(JSON.parse(read(out, "manifest.json")).tfBackend).toBe("wasm");
    const model = JSON.parse(read(out, "policy/model.json")) as { format: string; proverlab: { trainedEpochs: number } };
    expect(model.format).toBe("layers-model");
    expect(model.proverlab.trainedEpochs).toBe(60);

    // Frozen, the loaded policy plays the same episode twice; a fresh network plays another.
    const policy = join(out, "policy", "model.json");
    const frozen = [...SHORT, "--set", `provers.policyNetwork.file=${policy}`, "--set", "provers.policyNetwork.learn=false", "--json"];
    const a = cli(["simulate", EXPERIMENT, "--out", join(tmp(), "a"), ...frozen]);
    const b = cli(["simulate", EXPERIMENT, "--out", join(tmp(), "b"), ...frozen]);
    const fresh = cli(["simulate", EXPERIMENT, "--out", join(tmp(), "c"), ...SHORT, "--json"]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(fresh.stdout).not.toBe(a.stdout);
  });

  it("gives the same bytes on the same seed", () => {
    const one = join(tmp(), "one");
    const two = join(tmp(), "two");
    expect(cli(["train", EXPERIMENT, "--episodes", "1", "--out", one, ...SHORT]).code).toBe(0);
    expect(cli(["train", EXPERIMENT, "--episodes", "1", "--out", two, ...SHORT]).code).toBe(0);
    expect(readFileSync(join(two, "policy", "weights.bin")).equals(readFileSync(join(one, "policy", "weights.bin")))).toBe(true);
    expect(read(two, "training.csv")).toBe(read(one, "training.csv"));
  });

  it("refuses bad input with one line, exit 2 and no folder", () => {
    const out = join(tmp(), "never");
    const cases: [string[], Record<string, string>, RegExp][] = [
      [["--episodes", "0"], {}, /^proverlab: --episodes: 0 is not an integer from 1 to 100000/],
      [["--episodes", "1e12"], {}, /^proverlab: --episodes: 1000000000000 is not an integer from 1 to 100000/],
      [
        ["--set", "provers.policyNetwork.file=missing/model.json"],
        {},
        /^proverlab: provers\.policyNetwork\.file: .*missing\/model\.json does not exist/,
      ],
      [[], { PROVERLAB_TF_BACKEND: "gpu" }, /^proverlab: PROVERLAB_TF_BACKEND: 'gpu' is not a backend; use one of auto, native, wasm, cpu/],
    ];
    for (const [args, env, message] of cases) {
      const r = cli(["train", EXPERIMENT, "--out", out, ...SHORT, ...args], undefined, env);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    const scripted = cli(["train", join(ROOT, "experiments", "aztec-1tps.yaml"), "--out", out]);
    expect(scripted.code).toBe(2);
    expect(scripted.stderr).toMatch(/^proverlab: provers\.archetypes: no archetype has policy kind policy-network/);
    expect(() => readFileSync(join(out, "manifest.json"))).toThrow();
  });
});

describe("tune with policy-network provers", () => {
  it("gives the same bytes with 1 or 2 worker threads and records the backend", () => {
    const small = [
      ...SHORT,
      "--set",
      "tune.seeds.train=1",
      "--set",
      "tune.seeds.heldOut=2",
      "--set",
      "tune.batch=4",
      "--set",
      "audit.enabled=false",
      "--budget",
      "4",
    ];
    const one = join(tmp(), "one");
    const two = join(tmp(), "two");
    expect(TUNE_FINISHED).toContain(cli(["tune", EXPERIMENT, "--workers", "1", "--out", one, ...small]).code);
    expect(TUNE_FINISHED).toContain(cli(["tune", EXPERIMENT, "--workers", "2", "--out", two, ...small]).code);
    for (const f of ["trials.csv", "recommendation.json"]) expect(read(two, f)).toBe(read(one, f));
    expect(JSON.parse(read(two, "manifest.json")).tfBackend).toBe("wasm");
  });
});
