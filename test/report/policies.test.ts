import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolvePolicies } from "../../src/report/policies.js";
import { loadBundle } from "../../src/tuning/bundle.js";
import { EXPERIMENTS_DIR } from "../support/experiments.js";

const EXPERIMENT = join(EXPERIMENTS_DIR, "aztec-1tps.yaml");
const tmp = () => mkdtempSync(join(tmpdir(), "proverlab-policies-"));

/** A finished tune run folder, as far as compare reads it. */
function fakeRun(params: Record<string, number>): string {
  const dir = join(tmp(), "my-run");
  mkdirSync(dir);
  const write = (name: string, value: unknown) => writeFileSync(join(dir, name), JSON.stringify(value));
  write("manifest.json", { status: "complete" });
  write("config.json", { experimentPath: EXPERIMENT, sets: ["horizonEpochs=8"], experiment: { mechanism: { variant: "base-2023" } } });
  write("recommendation.json", { params, tuned: params, presets: [], heldOut: { kpiDifferences: {} } });
  return dir;
}

describe("resolvePolicies", () => {
  const bundle = loadBundle(EXPERIMENT);

  it("names the built-in policies by their mechanism variant, on the experiment's calibration", () => {
    const [defaults, base, aztec] = resolvePolicies(["proposal-defaults", "base-2023", "aztec-current"]);
    expect(defaults!.sets).toEqual(["mechanism.variant=proposal"]);
    expect(base!.sets).toEqual(["mechanism.variant=base-2023"]);
    expect(aztec!.sets).toEqual(["mechanism.variant=aztec-current"]);
    expect(defaults!.kind).toBe("built-in");
    expect(defaults!.instantiate(bundle)).toEqual({ params: bundle.params, controller: null });
  });

  it("reads a tune run's recommendation, variant and experiment, and a params file's values", () => {
    const run = fakeRun({ "emergency.raceWidth": 4 });
    const file = join(tmp(), "wide-race.yaml");
    writeFileSync(file, "emergency.raceWidth: 5\n");
    const [tuned, fromFile] = resolvePolicies([run, file]);
    expect(tuned).toMatchObject({ name: "my-run", kind: "tune-run", sets: ["mechanism.variant=base-2023"] });
    expect(tuned!.experiment).toEqual({ path: EXPERIMENT, sets: ["horizonEpochs=8"] });
    expect(tuned!.instantiate(bundle).params).toEqual({ ...bundle.params, "emergency.raceWidth": 4 });
    expect(fromFile).toMatchObject({ name: "wide-race", kind: "params-file", sets: [] });
    expect(fromFile!.instantiate(bundle).params["emergency.raceWidth"]).toBe(5);
  });

  it("numbers repeated names, and refuses what it does not know in one line", () => {
    expect(resolvePolicies(["base-2023", "base-2023", "base-2023"]).map((p) => p.name)).toEqual([
      "base-2023",
      "base-2023 (2)",
      "base-2023 (3)",
    ]);
    expect(() => resolvePolicies(["base-2024"])).toThrow(
      "policy: 'base-2024' is neither a built-in policy (proposal-defaults, base-2023, aztec-current), a tune run, a train-controller run nor a params file",
    );
    expect(() => resolvePolicies([tmp()])).toThrow(/^policy: .*manifest\.json is missing or unreadable; give the folder of a tune run$/);
  });
});
