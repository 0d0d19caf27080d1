import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, tmp } from "../support/cli.js";
import { expectCleanOutcome, fuzzRun } from "../support/fuzzRun.js";

/**
 * Seeded fuzzing of the command line: each case is a subcommand with random flag words and values
 * (its own flags, other commands' flags, unknown ones; numbers, junk, paths of every kind). It must end
 * within a minute in a one-line `proverlab: ...` refusal (exit 2) or a result without NaN or Infinity,
 * never a stack trace. Each case is a process (about 1.5 s), so the cases are few and run two at a time.
 */
const SEED = 20261131;
const CASES = 20;

const COMMANDS: Record<string, string[]> = {
  simulate: ["seed", "set", "out", "json"],
  params: ["set", "all"],
  evaluate: ["params", "seeds", "held-out", "set", "json", "stdin", "controller"],
  tune: ["budget", "workers", "out", "resume", "set"],
  train: ["episodes", "out", "set"],
  export: ["format", "out", "force"],
  report: ["out"],
  compare: ["experiment", "scenarios", "seeds", "baseline", "out", "set"],
  "train-controller": ["start", "out", "set"],
  audit: ["experiment", "seeds", "out", "force", "set"],
  schema: [],
};
const NUMBERS = ["0", "1", "2", "3", "-1", "2.5", "1e308", "1e400", "9007199254740993", "", "abc", "0x10", " 2", "NaN", "Infinity", "-0"];
const SETS = ["horizonEpochs=2", "seed=9007199254740993", "tune.budget=1e308", "bogus", "=", "a..b=1", "audit.seeds=2", "__proto__.x=1"];
const WORDS = ["json", "yaml", "md", "xml", "", "held-out", "train", "nope", "proposal-defaults", "base-2023", "-", "--", "-x"];

describe("fuzzing the command line (seeded)", () => {
  let fixture: ReturnType<typeof fuzzRun>;
  beforeAll(() => {
    fixture = fuzzRun();
  });

  it("every flag combination ends in a one-line refusal or a finite result, never a stack trace or a hang", async () => {
    const work = tmp();
    mkdirSync(join(work, "full"));
    writeFileSync(join(work, "full", "x"), "x");
    writeFileSync(join(work, "file.txt"), "not json");
    const paths = [fixture.experiment, fixture.params, fixture.run, join(work, "missing"), join(work, "full"), join(work, "file.txt")];
    const pathPool = [...paths, "/dev/null", "/dev/zero", "/proc/x", "", ".", join(work, "no", "dir", "x.json")];
    /** The positional a command takes: a tune run folder, or an experiment. */
    const fitting = (command: string) => (["export", "report", "audit", "compare"].includes(command) ? fixture.run : fixture.experiment);
    const flag = (names: string[]) =>
      fc
        .oneof(
          { weight: 4, arbitrary: names.length > 0 ? fc.constantFrom(...names) : fc.constant("set") },
          { weight: 1, arbitrary: fc.constantFrom("set", "seeds", "out", "bogus", "help", "force") },
        )
        .chain((name) => {
          const value =
            name === "set"
              ? fc.constantFrom(...SETS)
              : ["seed", "seeds", "budget", "workers", "episodes"].includes(name)
                ? fc.oneof(fc.constantFrom("1", "2"), fc.constantFrom(...NUMBERS))
                : ["json", "stdin", "held-out", "all", "force"].includes(name)
                  ? fc.constantFrom(null, "true", "false", "maybe", "1")
                  : fc.oneof(fc.constantFrom(...WORDS), fc.constantFrom(...pathPool), fc.constant("fresh"));
          return fc.tuple(fc.constant(name), value, fc.boolean());
        });
    const command = fc.constantFrom(...Object.keys(COMMANDS)).chain((name) =>
      fc.tuple(
        fc.constant(name),
        fc.option(fc.oneof({ weight: 3, arbitrary: fc.constant(fitting(name)) }, fc.constantFrom(...pathPool, "proposal-defaults")), {
          nil: undefined,
          freq: 8,
        }),
        fc.array(flag(COMMANDS[name]!), { maxLength: 3 }),
      ),
    );
    const cases = fc.sample(command, { seed: SEED, numRuns: CASES });

    const tally = { refused: 0, ran: 0 };
    const started = Date.now();
    const runCase = async (k: number) => {
      const [name, positional, flags] = cases[k]!;
      const cwd = join(work, `case-${k}`);
      mkdirSync(cwd);
      const args = [name, ...(positional === undefined ? [] : [positional])];
      for (const [flagName, value, inline] of flags) {
        const v = value === "fresh" ? join(cwd, "out") : value;
        if (v === null) args.push(`--${flagName}`);
        else if (inline) args.push(`--${flagName}=${v}`);
        else args.push(`--${flagName}`, v);
      }
      const r = await new Promise<{ code: number | null; stdout: string; stderr: string; signal: string | null }>((done) => {
        const child = spawn(process.execPath, [BIN, ...args], { cwd, timeout: 60_000, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("close", (code, signal) => done({ code, signal, stdout, stderr }));
      });
      const what = `proverlab ${args.map((a) => JSON.stringify(a)).join(" ")}`;
      expect(r.signal, `${what}: hung`).toBeNull();
      tally[expectCleanOutcome(r, what)]++;
    };
    // Two at a time: the machine has two cores.
    for (let k = 0; k < cases.length; k += 2) await Promise.all([runCase(k), ...(k + 1 < cases.length ? [runCase(k + 1)] : [])]);
    console.log(
      `fuzz flags: ${cases.length} command lines, ${tally.refused} one-line refusals, ${tally.ran} finite results, ` +
        `0 stack traces, 0 hangs, ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(tally.refused + tally.ran).toBe(CASES);
  });
});
