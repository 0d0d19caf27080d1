import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, ROOT, tmp, TUNE_FINISHED } from "../support/cli.js";

const FIXTURE = join(ROOT, "test", "fixtures", "audit-exploitable.yaml");
const SHORT = ["--set", "horizonEpochs=30", "--set", "objective.warmupEpochs=10"];
const SMALL_TUNE = ["--set", "horizonEpochs=10", "--set", "tune.seeds.train=1", "--set", "tune.seeds.heldOut=2", "--set", "tune.batch=4"];

function paramsFile(content: string): string {
  const path = join(tmp(), "params.json");
  writeFileSync(path, content);
  return path;
}

describe("proverlab audit", () => {
  it("audits a params file against an experiment: prints the table, writes audit.json; the same seeds give the same bytes", () => {
    const params = paramsFile(JSON.stringify({ "rewards.stabilizationPoolShare": 1 }));
    const dir = tmp();
    const args = (out: string) => ["audit", params, "--experiment", FIXTURE, "--seeds", "2", "--out", out, ...SHORT];
    const r = cli(args(join(dir, "a.json")));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^exploit audit of .*params\.json \(audit-exploitable\): attackers copy 'attacker' \(4096 cores\)/);
    expect(r.stdout).toMatch(/withhold +alone +1 +20\.0 %/);
    expect(r.stdout).toMatch(/withhold +coalition 33 % +2 +33\.3 %/);
    const audit = JSON.parse(readFileSync(join(dir, "a.json"), "utf8"));
    expect(audit.calibration.params["rewards.stabilizationPoolShare"]).toBe(1);
    expect(audit.seeds).toBe(2);
    expect(audit.strategies.map((s: { name: string; setting: string }) => `${s.name} ${s.setting}`)).toEqual([
      "withhold alone",
      "withhold coalition",
    ]);
    for (const key of ["name", "coalitionShare", "gainUsd", "gainPct", "livenessCost", "costPerTxChange", "exploit", "intervals"]) {
      expect(Object.keys(audit.strategies[0])).toContain(key);
    }
    // A folder as --out holds audit.json.
    expect(cli(args(join(dir, "folder"))).code).toBe(0);
    expect(readFileSync(join(dir, "folder", "audit.json"), "utf8")).toBe(readFileSync(join(dir, "a.json"), "utf8"));
    // An existing --out file is refused before the audit runs, and replaced with --force.
    writeFileSync(join(dir, "a.json"), "mine");
    for (const out of [join(dir, "a.json"), join(dir, "folder")]) {
      const refused = cli(args(out));
      expect(refused.code).toBe(2);
      expect(refused.stdout).toBe("");
      expect(refused.stderr).toMatch(/^proverlab: --out: .*json exists; give a new file, or add --force to replace it\n$/);
    }
    expect(readFileSync(join(dir, "a.json"), "utf8")).toBe("mine");
    expect(cli([...args(join(dir, "a.json")), "--force"]).code).toBe(0);
    expect(readFileSync(join(dir, "a.json"), "utf8")).toBe(readFileSync(join(dir, "folder", "audit.json"), "utf8"));
  });

  it("tune audits its recommendation; `audit <run>` re-creates the run's audit.json to the byte", () => {
    const run = join(tmp(), "run");
    const tuned = cli(["tune", FIXTURE, "--budget", "4", "--out", run, ...SMALL_TUNE, "--set", "audit.seeds=2"]);
    expect(TUNE_FINISHED).toContain(tuned.code);
    expect(tuned.stdout).toMatch(/exploit audit of recommendation\.json \(audit-exploitable\)/);
    const written = readFileSync(join(run, "audit.json"), "utf8");
    const audit = JSON.parse(written);
    const recommendation = JSON.parse(readFileSync(join(run, "recommendation.json"), "utf8"));
    expect(audit.calibration).toEqual({ source: "recommendation.json", params: recommendation.params });
    expect(JSON.parse(readFileSync(join(run, "manifest.json"), "utf8")).timingsMs.audit).toBeGreaterThanOrEqual(0);
    const again = cli(["audit", run]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`audit: ${join(run, "audit.json")}`);
    expect(readFileSync(join(run, "audit.json"), "utf8")).toBe(written);
    // audit.enabled: false skips it.
    const skipped = join(tmp(), "run");
    expect(cli(["tune", FIXTURE, "--budget", "4", "--out", skipped, ...SMALL_TUNE, "--set", "audit.enabled=false"]).code).toBe(0);
    expect(existsSync(join(skipped, "audit.json"))).toBe(false);
  });

  it("rejects bad input in one line naming the field and the fix, exit 2, and writes nothing", () => {
    const dir = tmp();
    const out = join(dir, "audit.json");
    const good = paramsFile("{}");
    const running = tmp();
    writeFileSync(join(running, "manifest.json"), JSON.stringify({ status: "running" }));
    const cases: [string[], RegExp][] = [
      [
        ["audit", good, "--out", out],
        /^proverlab: --experiment: a params file needs the experiment it calibrates; give --experiment FILE\n$/,
      ],
      [
        ["audit", join(dir, "nothing.json"), "--out", out],
        /^proverlab: run-or-params: .*nothing\.json does not exist; give a tune run folder or a params file\n$/,
      ],
      [
        ["audit", good, "--experiment", FIXTURE, "--seeds", "1", "--out", out],
        /^proverlab: --seeds: 1 is not an integer from 2 to 1000; .*\n$/,
      ],
      [
        ["audit", good, "--experiment", FIXTURE, "--seeds", "1e308", "--out", out],
        /^proverlab: --seeds: 1e\+308 is not an integer from 2 to 1000; .*\n$/,
      ],
      [
        ["audit", paramsFile('{"rewards.bogus": 1}'), "--experiment", FIXTURE, "--out", out],
        /^proverlab: run-or-params: unknown parameter 'rewards\.bogus'; see 'proverlab params <experiment> --all'\n$/,
      ],
      [
        ["audit", good, "--experiment", FIXTURE, "--out", out, "--set", "audit.coalitionShares=[1.5]"],
        /^proverlab: audit\.coalitionShares\.0: .*\n$/,
      ],
      [
        ["audit", good, "--experiment", FIXTURE, "--out", out, "--set", "audit.attacker=nobody"],
        /^proverlab: audit\.attacker: no archetype named 'nobody'; .*\n$/,
      ],
      [["audit", running, "--out", out], /^proverlab: run-or-params: .* is an incomplete tune run; finish it with .*\n$/],
    ];
    for (const [args, message] of cases) {
      const r = cli(args);
      expect(r.stderr, args.join(" ")).toMatch(message);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(existsSync(out)).toBe(false);
    }
  });
});
