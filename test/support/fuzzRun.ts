import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { cli, tmp } from "./cli.js";

/**
 * The fuzz suites' experiment and tune run: 3 epochs, a budget of 4, 2 audit and validation seeds and
 * one controller episode, so that any command a fuzzed input lets through ends in a second or two.
 */
export function fuzzRun(): { experiment: string; run: string; params: string } {
  const dir = tmp();
  const experiment = join(dir, "fuzz.yaml");
  writeFileSync(
    experiment,
    [
      "name: fuzz",
      "horizonEpochs: 3",
      "tune: { budget: 4, batch: 2, seeds: { train: 1, heldOut: 2 } }",
      "audit: { seeds: 2 }",
      "controller: { episodes: 1, checkpointEvery: 1, validationSeeds: 2 }",
      "",
    ].join("\n"),
  );
  const params = join(dir, "params.json");
  writeFileSync(params, JSON.stringify({ "emergency.raceWidth": 3 }));
  const run = join(dir, "run");
  expect(cli(["tune", experiment, "--out", run]).code).toBe(0);
  return { experiment, run, params };
}

/**
 * A CLI outcome as the fuzz suites require it: a refusal of one `proverlab: ...` line per problem with exit 2, or a
 * result without NaN or Infinity.
 */
export function expectCleanOutcome(r: { code: number | null; stdout: string; stderr: string }, what: string): "refused" | "ran" {
  expect(r.stderr, `${what}: a stack trace`).not.toMatch(/^\s+at /m);
  if (r.code === 2) {
    expect(r.stderr, `${what}: not one line per problem`).toMatch(/^(proverlab: [^\n]+\n)+$/);
    return "refused";
  }
  // 3 and 4: a tune run that finished with a warning (src/cli/exitCodes.ts).
  expect([0, 3, 4], `${what}: exit ${r.code}; ${r.stderr.slice(0, 300)}`).toContain(r.code);
  expect(r.stdout, `${what}: a non-finite figure`).not.toMatch(/\bNaN\b|\bInfinity\b/);
  return "ran";
}
