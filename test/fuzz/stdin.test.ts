import { spawnSync } from "node:child_process";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultParams, paramSpec } from "../../src/config/paramSpace.js";
import { BIN, ROOT } from "../support/cli.js";

/**
 * Seeded fuzzing of `evaluate --stdin`: one process reads thousands of generated lines (numbers out of
 * range or past 2^53, lone CRs, CRLF, NUL bytes, deep nesting, huge lines, JSON that is no object,
 * unknown keys) and must answer every non-blank line once, in order: either {"error"} of one short line
 * naming stdin, or a score with every figure finite. The process must end by itself with exit 0.
 */
const SEED = 20261130;
const EXPERIMENT = join(ROOT, "experiments", "aztec-1tps.yaml");
const NAMES = Object.keys(defaultParams());

const numberText = fc.oneof(
  fc.constantFrom("1e400", "-1e400", "1e-400", "9007199254740993", "-9007199254740993", "18446744073709551616", "-0", "0.1e1"),
  fc.constantFrom("NaN", "Infinity", "0x10", "1_000", ".5", "5.", "+1", "00"),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.integer({ min: -10, max: 1000 }).map(String),
);
const value = fc.oneof(
  { weight: 6, arbitrary: numberText },
  { weight: 1, arbitrary: fc.constantFrom("null", "true", '"2"', "[2]", '{"a": 2}', "[]", "{}") },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s)) },
);
const key = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...NAMES) },
  { weight: 1, arbitrary: fc.constantFrom("__proto__", "constructor", "emergency", "", "a\u0000b", "a\rb", "a\nb") },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
);
/** A parameter with a value within its bounds (the lines that should score). */
const fitting = fc.constantFrom(...NAMES).chain((name) => {
  const spec = paramSpec(name)!;
  const within = spec.integer
    ? fc.integer({ min: spec.lower, max: spec.upper })
    : fc.double({ min: spec.lower, max: spec.upper, noNaN: true });
  return fc.tuple(fc.constant(name), within.map(String));
});
const object = fc
  .array(fc.oneof({ weight: 3, arbitrary: fitting }, { weight: 4, arbitrary: fc.tuple(key, value) }), { maxLength: 3 })
  .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(", ")}}`);
/** One line as sent, without its ending; a lone CR, NUL, deep nesting or junk may be put in. */
const line = fc.oneof(
  { weight: 8, arbitrary: object },
  { weight: 1, arbitrary: fc.constantFrom("", "   ", "[]", "1", "null", '"x"', "true", "{", "}", "\u0000", "\uFEFF{}", "{}{}") },
  {
    weight: 1,
    arbitrary: fc.tuple(object, fc.nat()).map(([o, at]) => o.slice(0, at % (o.length + 1)) + "\r" + o.slice(at % (o.length + 1))),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(object, fc.nat()).map(([o, at]) => o.slice(0, at % (o.length + 1)) + "\u0000" + o.slice(at % (o.length + 1))),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 100_000 }).map((depth) => "[".repeat(depth) + "]".repeat(depth)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 50_000 }).map((depth) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth)) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
);
const ending = fc.constantFrom("\n", "\n", "\r\n");

/** What `evaluate --stdin` answers: every line but blank ones (a lone CR is not blank: it is refused). */
function answered(input: string): number {
  const pieces = input.split("\n");
  if (pieces.at(-1) === "") pieces.pop();
  return pieces.filter((p) => {
    const text = p.endsWith("\r") ? p.slice(0, -1) : p;
    return text.includes("\r") || text.trim() !== "";
  }).length;
}

describe("fuzzing evaluate --stdin (seeded)", () => {
  it("answers every line once: a one-line error naming stdin, or finite figures; never a crash or a hang", () => {
    const lines = fc.sample(fc.tuple(line, ending), { seed: SEED, numRuns: 5000 });
    const huge = [
      `{"emergency.raceWidth": 2${" ".repeat(3_000_000)}}`, // within the 4 MiB a line may take: answered
      `{"emergency.raceWidth": "${"x".repeat(5_000_000)}"}`, // over it: refused without being held
    ];
    const input = [...lines.map(([l, end]) => l + end), ...huge.map((l) => `${l}\n`), '{"emergency.raceWidth": 3}'].join("");
    const started = Date.now();
    const r = spawnSync(process.execPath, [BIN, "evaluate", EXPERIMENT, "--stdin", "--set", "horizonEpochs=2", "--seeds", "1"], {
      cwd: ROOT,
      input,
      encoding: "utf8",
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(r.signal, "the process hung").toBeNull();
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const answers = r.stdout.split("\n");
    expect(answers.pop()).toBe("");
    expect(answers).toHaveLength(answered(input));
    let errors = 0;
    let scored = 0;
    for (const text of answers) {
      const a = JSON.parse(text) as { error?: unknown; score?: unknown; kpis?: Record<string, unknown>; params?: Record<string, unknown> };
      if ("error" in a) {
        expect(typeof a.error).toBe("string");
        expect(a.error as string).toMatch(/^stdin[ :]/);
        expect((a.error as string).length).toBeLessThan(300);
        errors++;
        continue;
      }
      // An infeasible calibration's score is null (src/cli/evaluate.ts); a feasible one's is finite.
      expect(Number.isFinite(a.score) || (a.score === null && (a as { feasible?: unknown }).feasible === false), text).toBe(true);
      for (const v of Object.values(a.params!)) expect(Number.isFinite(v), text).toBe(true);
      const undefinedEpisodes = (a as { undefinedEpisodes?: Record<string, number> }).undefinedEpisodes ?? {};
      for (const [kpi, v] of Object.entries(a.kpis!))
        expect(Number.isFinite(v) || (v === null && kpi in undefinedEpisodes), kpi).toBe(true);
      scored++;
    }
    expect(JSON.parse(answers.at(-2)!).error).toMatch(/^stdin: a line over 4,194,304 characters/);
    expect(JSON.parse(answers.at(-1)!).params["emergency.raceWidth"]).toBe(3);
    console.log(
      `fuzz stdin: ${answers.length} lines answered (${errors} one-line errors, ${scored} scored with finite figures), ` +
        `0 crashes, 0 hangs, 0 non-finite figures, ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(errors).toBeGreaterThan(0);
    expect(scored).toBeGreaterThan(0);
  });
});
