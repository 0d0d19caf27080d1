import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, ROOT, cli } from "../support/cli.js";

const EXPERIMENT = join(ROOT, "experiments", "aztec-1tps.yaml");
const COMMANDS = ["simulate", "params", "evaluate", "tune", "train", "export", "report", "compare", "train-controller", "audit", "schema"];

/** The lines of a help section ("Positionals:", "Options:", "Examples:"), up to the next blank line. */
function section(help: string, title: string): string[] {
  const start = help.indexOf(`${title}:\n`);
  if (start < 0) return [];
  const body = help.slice(start + title.length + 2);
  return body.slice(0, body.search(/\n\n|$/)).split("\n");
}

describe("help", () => {
  it("every command shows examples, and describes each positional without a misleading default", () => {
    for (const command of COMMANDS) {
      const r = cli([command, "--help"]);
      expect(r.code, command).toBe(0);
      expect(section(r.stdout, "Examples").filter((l) => l.includes(`proverlab ${command}`)).length, command).toBeGreaterThan(0);
      for (const line of section(r.stdout, "Positionals").filter((l) => /^ {2}\S/.test(l))) {
        // "  name  description  [type] [required]": a description between the name and the tags.
        expect(line, `${command}: ${line}`).toMatch(/^ {2}\S+ +[^[\s]/);
        expect(line, `${command}: ${line}`).not.toMatch(/\[default: \[\]\]/);
      }
    }
    expect(cli(["tune", "--help"]).stdout).toMatch(/experiment +experiment YAML file/);
    expect(section(cli(["compare", "--help"]).stdout, "Positionals").join(" ")).not.toMatch(/default/);
    expect(section(cli(["--help"]).stdout, "Examples").length).toBeGreaterThan(0);
  });
});

describe("errors name the near command or option and the command's own help", () => {
  it("an unknown command: did you mean, exit 2", () => {
    const r = cli(["simlate", EXPERIMENT]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("proverlab: unknown command 'simlate'; did you mean simulate? see 'proverlab --help'\n");
    expect(cli(["frobnicate"]).stderr).toBe("proverlab: unknown command 'frobnicate'; see 'proverlab --help'\n");
  });

  it("an unknown option: one line each, with the nearest of the command's own options", () => {
    const r = cli(["simulate", EXPERIMENT, "--sed", "3", "--jsno", "--bogus-flag"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      [
        "proverlab: --sed: unknown option; did you mean --seed? see 'proverlab simulate --help'",
        "proverlab: --jsno: unknown option; did you mean --json? see 'proverlab simulate --help'",
        "proverlab: --bogus-flag: unknown option; see 'proverlab simulate --help'",
        "",
      ].join("\n"),
    );
    // evaluate's own --seeds, not simulate's --seed.
    expect(cli(["evaluate", EXPERIMENT, "--sseds", "2"]).stderr).toMatch(/^proverlab: --sseds: unknown option; did you mean --seeds\?/);
  });

  it("a missing or extra argument points to the command's help", () => {
    const missing = cli(["evaluate"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^proverlab: Not enough non-option arguments.*; see 'proverlab evaluate --help'\n$/);
    const extra = cli(["params", EXPERIMENT, "surplus"]);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toBe("proverlab: unexpected argument 'surplus'; see 'proverlab params --help'\n");
  });
});

describe("a reader that closes the pipe early", () => {
  it("ends the command quietly with exit code 0 (evaluate --stdin | head -1)", async () => {
    const child = spawn(process.execPath, [BIN, "evaluate", EXPERIMENT, "--stdin", "--set", "horizonEpochs=2", "--seeds", "1"], {
      cwd: ROOT,
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const line = '{"emergency.raceWidth": 2}\n';
    child.stdin.write(line);
    await new Promise<void>((done) => child.stdout.once("data", () => done()));
    // What `head -1` does once it has its line: close the read end, while the writer has more to say.
    child.stdout.destroy();
    child.stdin.end(line.repeat(5));
    const code = await new Promise<number | null>((done) => child.on("close", done));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});
