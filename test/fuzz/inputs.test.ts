import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AlwaysOnPolicy } from "../../agents/prover/scripted.js";
import { ConfigError } from "../../src/config/errors.js";
import { applySet, loadExperiment, validateExperiment } from "../../src/config/load.js";
import { defaultParams } from "../../src/config/paramSpace.js";
import { resolveParams } from "../../src/config/resolve.js";
import type { Experiment } from "../../src/config/schema.js";
import { runEpisode } from "../../src/tuning/episode.js";
import { applyParams } from "../../src/tuning/paramsInput.js";
import { EXPERIMENTS_DIR } from "../support/experiments.js";

/**
 * Seeded fuzzing of every input the edge reads: `--set` overrides, whole experiment documents and
 * params objects. Each input must end in a ConfigError of one line that names a field, or in an
 * experiment that runs (shortened to 2 epochs and at most 64 provers, to keep the suite fast) with
 * every money figure and liveness finite. Anything else (another exception, a NaN or Infinity) fails.
 */
const SEED = 20261129;
const QUICKSTART = `${EXPERIMENTS_DIR}/quickstart.yaml`;

const tally = { inputs: 0, clean: 0, ran: 0, accepted: 0 };

/** Every leaf path of the resolved quickstart experiment: the fields a user can set. */
function leafPaths(node: unknown, prefix: string[] = [], out: string[] = []): string[] {
  if (node !== null && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) leafPaths(v, [...prefix, k], out);
  } else out.push(prefix.join("."));
  return out;
}
const PATHS = leafPaths(loadExperiment(QUICKSTART));

const NUMBERS = [0, -0, 1, -1, 0.5, 2, 1e-300, 5e-324, 1e308, -1e308, 2 ** 53 + 2, 1e6, 255, 65536, 1e9];
const scalar = fc.oneof(
  fc.constantFrom(...NUMBERS),
  fc.double({ noNaN: true }),
  fc.integer(),
  fc.boolean(),
  fc.constantFrom("", "nan", ".inf", "-.inf", "null", "~", "__proto__", "[", "{", "a: b", "1e400", "0x10", "yes"),
  fc.string({ maxLength: 12 }),
);
const yamlValue = fc.oneof(
  { weight: 4, arbitrary: scalar.map((v) => (typeof v === "string" ? v : String(v))) },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }).map((a) => JSON.stringify(a)) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), scalar, { maxKeys: 3 }).map((o) => JSON.stringify(o)) },
);
const key = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...PATHS) },
  { weight: 2, arbitrary: fc.constantFrom(...PATHS).map((p) => p.split(".").slice(0, -1).join(".") || p) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("__proto__.x", "constructor", "a..b", "provers.archetypes.length", "provers.archetypes.99.count"),
  },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 10 }) },
);

/** The outcome of one input: a clean refusal, or a short run with finite figures. */
function check(load: () => Experiment): void {
  tally.inputs++;
  let exp: Experiment;
  try {
    exp = load();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    expect(err.message.split("\n")).toHaveLength(1);
    expect(err.field.length + err.fix.length).toBeGreaterThan(0);
    tally.clean++;
    return;
  }
  exp.horizonEpochs = Math.min(exp.horizonEpochs, 2);
  let budget = 64;
  exp.provers.archetypes = exp.provers.archetypes.map((a) => {
    const count = Math.min(a.count, budget);
    budget -= count;
    return { ...a, count };
  });
  if (exp.provers.archetypes.every((a) => a.count === 0)) exp.provers.archetypes[0]!.count = 1;
  const { summary } = runEpisode(exp, resolveParams(exp), new AlwaysOnPolicy(), exp.seed);
  for (const k of [
    "liveness",
    "rewardsUsd",
    "feesUsd",
    "issuanceUsd",
    "proverProfitUsd",
    "treasuryChangeUsd",
    "ledgerImbalanceUsd",
  ] as const) {
    expect(Number.isFinite(summary[k]), k).toBe(true);
  }
  tally.ran++;
}

describe("fuzzing the inputs (seeded)", () => {
  it("--set overrides: a clean one-line refusal or a run with finite figures", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(key, yamlValue), { minLength: 1, maxLength: 3 }), (sets) => {
        check(() =>
          loadExperiment(
            QUICKSTART,
            sets.map(([k, v]) => `${k}=${v}`),
          ),
        );
      }),
      { seed: SEED, numRuns: 6000 },
    );
  });

  it("experiment documents: a clean one-line refusal or a run with finite figures", () => {
    const base = () => JSON.parse(JSON.stringify(loadExperiment(QUICKSTART))) as Record<string, unknown>;
    fc.assert(
      fc.property(fc.array(fc.tuple(key, scalar), { maxLength: 4 }), fc.boolean(), (edits, strip) => {
        const doc = strip ? { name: "fuzz" } : base();
        check(() => {
          for (const [k, v] of edits) applySet(doc as Parameters<typeof applySet>[0], `${k}=${JSON.stringify(v)}`);
          return validateExperiment(doc);
        });
      }),
      { seed: SEED + 1, numRuns: 3000 },
    );
  });

  it("params objects: a clean one-line refusal or values within the parameter space's bounds", () => {
    const names = Object.keys(defaultParams());
    fc.assert(
      fc.property(fc.dictionary(fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 8 })), scalar, { maxKeys: 4 }), (input) => {
        tally.inputs++;
        try {
          const out = applyParams(input, defaultParams(), "--params");
          for (const v of Object.values(out)) expect(Number.isFinite(v)).toBe(true);
          tally.accepted++;
        } catch (err) {
          if (!(err instanceof ConfigError)) throw err;
          expect(err.message.split("\n")).toHaveLength(1);
          tally.clean++;
        }
      }),
      { seed: SEED + 2, numRuns: 2000 },
    );
  });

  it("counts", () => {
    // The suite's figures, for the record: every input ended cleanly (the properties above fail otherwise).
    console.log(
      `fuzz: ${tally.inputs} inputs, ${tally.clean} clean refusals, ${tally.ran} runs with finite figures, ${tally.accepted} params accepted, 0 crashes`,
    );
    expect(tally.inputs).toBeGreaterThanOrEqual(10_000);
    expect(tally.clean + tally.ran + tally.accepted).toBe(tally.inputs);
  });
});
