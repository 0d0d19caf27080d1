import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { audit } from "../../src/cli/audit.js";
import { exportRun } from "../../src/cli/export.js";
import { runReport } from "../../src/cli/report.js";
import { ConfigError } from "../../src/config/errors.js";
import { fileSystemRefusal } from "../../src/results/runDir.js";
import { tune } from "../../src/tuning/tune.js";
import { tmp } from "../support/cli.js";
import { fuzzRun } from "../support/fuzzRun.js";

/**
 * Seeded fuzzing of run folders read back: a finished tune run with files damaged, replaced or added
 * (deleted, truncated, a field set to a value of another type or out of range, a folder, a link to a
 * device, foreign and half-written files) is given to export, report, audit and tune --resume, in this
 * process. Each must finish with text free of NaN and Infinity, or throw a one-line ConfigError (the
 * CLI prints it as `proverlab: ...`, exit 2); any other exception would be a stack trace.
 */
const SEED = 20261132;
const FILES = ["config.json", "manifest.json", "checkpoint.json", "recommendation.json", "audit.json", "trials.csv"];
const JUNK = ["null", "[]", "{}", "5", '"x"', "1e400", "-1", "NaN", "9007199254740993", "[[[[]]]]", '{"__proto__": {"x": 1}}', ""];

/** Every path to a value of a JSON document, so a damage can reach any field. */
function paths(node: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  out.push(prefix);
  if (node !== null && typeof node === "object" && out.length < 2000) {
    for (const [k, v] of Object.entries(node)) paths(v, [...prefix, k], out);
  }
  return out;
}

/** The JSON text of `doc` with the value at `path` replaced by the raw text `value` (which may be no valid JSON value). */
function withValue(doc: unknown, path: string[], value: string): string {
  if (path.length === 0) return value;
  const marker = "\u0000HERE\u0000";
  const copy = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
  const parent = path.slice(0, -1).reduce((n, k) => (n as Record<string, unknown>)[k], copy as unknown) as Record<string, unknown>;
  parent[path.at(-1)!] = marker;
  return JSON.stringify(copy).replace(JSON.stringify(marker), value);
}

type Damage =
  | { kind: "delete" | "folder" | "device"; file: string }
  | { kind: "truncate"; file: string; at: number }
  | { kind: "value"; file: string; pick: number; value: string }
  | { kind: "foreign"; name: string };

const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constantFrom("delete", "folder", "device"), file: fc.constantFrom(...FILES) }),
  fc.record({ kind: fc.constant("truncate"), file: fc.constantFrom(...FILES), at: fc.nat() }),
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant("value"), file: fc.constantFrom(...FILES), pick: fc.nat(), value: fc.constantFrom(...JUNK) }),
  },
  fc.record({
    kind: fc.constant("foreign"),
    name: fc.constantFrom("foo.json", ".checkpoint.json.partial-999999999", ".x.partial-1", "report", "trials.csv.partial-999999999"),
  }),
) as fc.Arbitrary<Damage>;

function apply(dir: string, d: Damage): void {
  if (d.kind === "foreign") {
    writeFileSync(join(dir, d.name), "{}");
    return;
  }
  const path = join(dir, d.file);
  if (!existsSync(path) || !lstatSync(path).isFile()) return; // an earlier damage took it
  const text = readFileSync(path, "utf8");
  rmSync(path);
  if (d.kind === "delete") return;
  if (d.kind === "folder") mkdirSync(path);
  else if (d.kind === "device") symlinkSync("/dev/zero", path);
  else if (d.kind === "truncate") writeFileSync(path, text.slice(0, d.at % (text.length + 1)));
  else if (d.kind === "value") {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      // trials.csv, or a file an earlier damage left no JSON: a cell of it.
      const cells = text.split("\n").map((line) => line.split(","));
      const row = cells[d.pick % cells.length]!;
      row[Math.floor(d.pick / cells.length) % row.length] = d.value;
      writeFileSync(path, cells.map((r) => r.join(",")).join("\n"));
      return;
    }
    const all = paths(doc);
    writeFileSync(path, withValue(doc, all[d.pick % all.length]!, d.value));
  }
}

describe("fuzzing run folders read back (seeded)", () => {
  let fixture: ReturnType<typeof fuzzRun>;
  beforeAll(() => {
    fixture = fuzzRun();
  });

  it("damaged or foreign files end in a one-line refusal or a finite result, for export, report, audit and tune --resume", async () => {
    const tally = { inputs: 0, refused: 0, ran: 0 };
    const started = Date.now();
    const commands = ["export", "export", "audit", "resume", "report"] as const;
    await fc.assert(
      fc.asyncProperty(fc.array(damage, { minLength: 1, maxLength: 2 }), fc.constantFrom(...commands), async (damages, command) => {
        tally.inputs++;
        const dir = join(tmp(), "run");
        cpSync(fixture.run, dir, { recursive: true });
        for (const d of damages) apply(dir, d);
        let text = "";
        const write = (t: string) => void (text += t);
        try {
          if (command === "export") exportRun({ run: dir, format: "json", force: false }, write);
          else if (command === "report") await runReport({ run: dir, out: join(tmp(), "report") }, write);
          else if (command === "audit") await audit({ target: dir, set: [], out: join(tmp(), "audit.json"), force: false }, write);
          else {
            const quiet = { started() {}, start() {}, update() {}, stop() {}, phase() {} };
            const { dir: done } = await tune({ experiment: fixture.experiment, set: [], workers: 1, resume: dir }, quiet);
            text = readFileSync(join(done, "recommendation.json"), "utf8");
          }
        } catch (thrown) {
          // What the CLI prints in one line (src/cli/main.ts); anything else would be a stack trace.
          const err = thrown instanceof ConfigError ? thrown : fileSystemRefusal(thrown);
          if (!err) throw new Error(`${command} of ${JSON.stringify(damages)}: ${String(thrown)}`);
          expect(err.message).not.toContain("\n");
          tally.refused++;
          return;
        }
        expect(text, `${command} of ${JSON.stringify(damages)}`).not.toMatch(/\bNaN\b|\bInfinity\b/);
        tally.ran++;
      }),
      { seed: SEED, numRuns: 100 },
    );
    console.log(
      `fuzz run folders: ${tally.inputs} damaged folders, ${tally.refused} one-line refusals, ${tally.ran} finite results, ` +
        `0 crashes, ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(tally.refused + tally.ran).toBe(tally.inputs);
    expect(tally.refused).toBeGreaterThan(0);
    expect(tally.ran).toBeGreaterThan(0);
  });
});
