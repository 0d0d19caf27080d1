import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, ROOT, cli } from "../support/cli.js";

const EXPERIMENT = join(ROOT, "experiments", "aztec-1tps.yaml");
const SMALL = ["--set", "horizonEpochs=8", "--seeds", "1"];

function paramsFile(values: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), "proverlab-")), "p.json");
  writeFileSync(path, JSON.stringify(values));
  return path;
}

describe("proverlab evaluate", () => {
  it("--json prints score, feasibility, KPIs and the parameter vector; the same calibration scores the same", () => {
    const file = paramsFile({ "emergency.raceWidth": 2 });
    const a = cli(["evaluate", EXPERIMENT, "--params", file, "--json", ...SMALL]);
    expect(a.stderr).toBe("");
    expect(a.code).toBe(0);
    const out = JSON.parse(a.stdout);
    expect(Object.keys(out)).toEqual(["score", "feasible", "kpis", "undefinedEpisodes", "params"]);
    // A calm network has no congestion for batching to answer and no pre-emptive warning that comes true:
    // the response and the lead time are undefined in its one episode.
    expect(out.undefinedEpisodes).toEqual({ batchResponseMeanS: 1, preemptiveLeadMeanS: 1 });
    expect(out.kpis.batchResponseMeanS).toBeNull();
    expect(typeof out.score).toBe("number");
    expect(out.params["emergency.raceWidth"]).toBe(2);
    expect(out.kpis.liveness).toBeGreaterThan(0);
    expect(cli(["evaluate", EXPERIMENT, "--params", file, "--json", ...SMALL]).stdout).toBe(a.stdout);
    const other = JSON.parse(
      cli(["evaluate", EXPERIMENT, "--params", paramsFile({ "rewards.profitMargin": 0.5 }), "--json", ...SMALL]).stdout,
    );
    expect(other.kpis.rewardsPerTxUsd).toBeGreaterThan(out.kpis.rewardsPerTxUsd);
  });

  it("the text answer: each KPI the objective reads, to four significant digits with its unit", () => {
    const r = cli(["evaluate", EXPERIMENT, ...SMALL]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^aztec-1tps: training scenarios, 1 episode\nscore -?\d+\.\d{4} \(feasible\)\n/);
    expect(r.stdout).toMatch(/^ {2}txDelayMeanS +\d+(\.\d+)? s$/m);
    expect(r.stdout).toMatch(/^ {2}costPerServedTxUsd +0\.\d{1,4} USD\/tx$/m);
    expect(r.stdout).toMatch(/^ {2}liveness +[\d.]+ share of blocks$/m);
  });

  it("held-out episodes use other seeds than training ones", () => {
    const train = JSON.parse(cli(["evaluate", EXPERIMENT, "--json", ...SMALL]).stdout);
    const held = JSON.parse(cli(["evaluate", EXPERIMENT, "--json", "--held-out", ...SMALL]).stdout);
    expect(held.kpis.latencyMeanS).not.toBe(train.kpis.latencyMeanS);
  });

  it("--stdin answers each line as soon as it is read, errors included, without stopping", async () => {
    const child = spawn(process.execPath, [BIN, "evaluate", EXPERIMENT, "--stdin", ...SMALL], { cwd: ROOT });
    let buffer = "";
    const nextLine = () =>
      new Promise<string>((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`no answer; got ${buffer}`)), 30_000);
        const check = () => {
          const i = buffer.indexOf("\n");
          if (i < 0) return;
          clearTimeout(timer);
          child.stdout.off("data", onData);
          const line = buffer.slice(0, i);
          buffer = buffer.slice(i + 1);
          done(line);
        };
        const onData = (chunk: Buffer) => {
          buffer += chunk.toString();
          check();
        };
        child.stdout.on("data", onData);
        check();
      });
    // The second line is written only after the first answer arrived: answers stream, they are not batched at EOF.
    child.stdin.write('{"emergency.raceWidth": 2}\n');
    const first = JSON.parse(await nextLine());
    expect(first.params["emergency.raceWidth"]).toBe(2);
    child.stdin.write('{"emergency.raceWidth": 9}\n');
    expect(JSON.parse(await nextLine()).error).toMatch(/stdin emergency\.raceWidth: 9 is outside \[2, 5\]/);
    child.stdin.write("{oops\n");
    expect(JSON.parse(await nextLine()).error).toMatch(/invalid JSON/);
    child.stdin.write('{"emergency.raceWidth": 2}\n');
    expect(JSON.parse(await nextLine())).toEqual(first);
    child.stdin.end();
    const code = await new Promise<number | null>((done) => child.on("close", done));
    expect(code).toBe(0);
  });

  it("a bad --params file is one line naming the field, exit 2", () => {
    const cases: [unknown, RegExp][] = [
      [{ "emergency.nope": 1 }, /^proverlab: --params: unknown parameter 'emergency\.nope'/],
      [
        { "emergency.raceWidht": 3 },
        /^proverlab: --params: unknown parameter 'emergency\.raceWidht'; did you mean emergency\.raceWidth\?\n$/,
      ],
      [{ "emergency.raceWidth": 2.5 }, /^proverlab: --params emergency\.raceWidth: 2\.5 is not an integer/],
      [{ "base.topFraction": "high" }, /^proverlab: --params base\.topFraction: expected a number/],
      [[1, 2], /^proverlab: --params: expected a JSON object/],
    ];
    for (const [values, message] of cases) {
      const r = cli(["evaluate", EXPERIMENT, "--params", paramsFile(values), ...SMALL]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });

  it("--repair: params that break a relation are repaired as the tuner repairs them, and the answer says which", () => {
    const broken = { "batching.minSize": 8, "batching.maxSize": 4, "scaling.lowThreshold": 1, "scaling.highThreshold": 1 };
    const refused = cli(["evaluate", EXPERIMENT, "--params", paramsFile(broken), "--json", ...SMALL]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^proverlab: --params batching\.minSize: must not exceed batching\.maxSize/);
    const r = cli(["evaluate", EXPERIMENT, "--params", paramsFile(broken), "--json", "--repair", ...SMALL]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(["score", "feasible", "kpis", "undefinedEpisodes", "params", "repaired"]);
    // The lesser is lowered to fit (repairConsistency): to the greater, or just below it for a strict relation.
    expect(out.repaired).toEqual({ "scaling.lowThreshold": 1 - 1e-9, "batching.minSize": 4 });
    expect(out.params).toMatchObject({ "batching.minSize": 4, "batching.maxSize": 4, "scaling.highThreshold": 1 });
    const same = cli(["evaluate", EXPERIMENT, "--params", paramsFile({ ...broken, ...out.repaired }), "--json", ...SMALL]);
    expect(JSON.parse(same.stdout).score).toBe(out.score);
    expect(cli(["evaluate", EXPERIMENT, "--repair", ...SMALL]).stdout).not.toMatch(/repaired/);
  });

  it("--stdin --repair: every line is answered; a value out of bounds is still an error, never repaired into range", () => {
    const r = cli(
      ["evaluate", EXPERIMENT, "--stdin", "--repair", ...SMALL],
      '{"batching.minSize": 6, "batching.maxSize": 2}\n{"batching.minSize": 9, "batching.maxSize": 4}\n{"batching.maxSize": "x"}\n{"scaling.smoothin": 0.2}\n{"batching.minSize": 3}\n',
    );
    expect(r.code).toBe(0);
    const answers = r.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(answers).toHaveLength(5);
    expect(answers[0].repaired).toEqual({ "batching.minSize": 2 });
    expect(answers[0].params["batching.minSize"]).toBe(2);
    expect(answers.slice(1, 4)).toEqual([
      { error: "stdin batching.minSize: 9 is outside [1, 8]; use a value within the bounds" },
      { error: 'stdin batching.maxSize: expected a number, got "x"' },
      { error: "stdin: unknown parameter 'scaling.smoothin'; did you mean scaling.smoothing?" },
    ]);
    expect(answers[4].repaired).toBeUndefined();
    expect(answers[4].params["batching.minSize"]).toBe(3);
  });

  it("--stdin: a number out of range or past 2^53 - 1 is named as such; CRLF ends a line, a lone CR is refused (one answer)", () => {
    const r = cli(
      ["evaluate", EXPERIMENT, "--stdin", ...SMALL],
      '{"emergency.raceWidth": 1e400}\n{"emergency.raceWidth": 9007199254740993}\n{"emergency.raceWidth":\r2}\n{"emergency.raceWidth": 2}\r\n',
    );
    expect(r.code).toBe(0);
    const answers = r.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(answers.slice(0, 3)).toEqual([
      { error: "stdin emergency.raceWidth: a number beyond 1.8e308 is out of range; use a value within [2, 5]" },
      { error: "stdin emergency.raceWidth: an integer past (2^53 - 1) is outside [2, 5]; use a value within the bounds" },
      { error: "stdin: a carriage return (\\r) inside a line; end each params object with \\n or \\r\\n" },
    ]);
    expect(answers[3].params["emergency.raceWidth"]).toBe(2);
    expect(answers).toHaveLength(4);
    const seed = cli(["evaluate", EXPERIMENT, "--set", "seed=9007199254740993", ...SMALL]);
    expect(seed.stderr).toBe(
      "proverlab: seed: an integer past (2^53 - 1) is above the maximum 9007199254740991; use a value <= 9007199254740991\n",
    );
  });

  it("a KPI undefined in some episodes is averaged over the others, and the episodes left out are counted", () => {
    // Blocks too large for any prover: nothing is proven, so no episode has a cost per transaction.
    const r = cli(["evaluate", EXPERIMENT, "--json", "--set", "horizonEpochs=4", "--set", "jobs.workPerTxCoreSeconds=1e9", "--seeds", "2"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.kpis.rewardsPerTxUsd).toBeNull();
    expect(out.undefinedEpisodes.rewardsPerTxUsd).toBe(2);
    expect(out.feasible).toBe(false);
  });

  it("an infeasible calibration is printed as infeasible with the constraint it misses, never as a penalty score", () => {
    const impossible = ["--set", "objective.constraints=[{kpi: liveness, min: 1.5}]", ...SMALL];
    const json = cli(["evaluate", EXPERIMENT, "--json", ...impossible]);
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(Object.keys(out)).toEqual(["score", "feasible", "violations", "totalViolation", "kpis", "undefinedEpisodes", "params"]);
    expect(out.score).toBeNull();
    expect(out.violations).toEqual([{ kpi: "liveness", value: out.kpis.liveness, bound: 1.5, side: "min" }]);
    expect(out.totalViolation).toBeCloseTo(1.5 - out.kpis.liveness, 12);
    const text = cli(["evaluate", EXPERIMENT, ...impossible]);
    expect(text.stdout).toMatch(/^score: infeasible: liveness [\d.]+ < 1\.5$/m);
    expect(text.stdout + json.stdout).not.toMatch(/-1000000000|-1e\+?9/);
  });

  it("values that would overflow the arithmetic are refused at the edge, one line naming each field", () => {
    const cases: [string, RegExp][] = [
      [
        "objective.weights={liveness: 1e308, nakamotoProofsMean: 1e308}",
        /^proverlab: objective\.weights\.liveness: 1e\+308 is above the maximum/,
      ],
      ["l1.gas.reversionPerHour=5e-324", /^proverlab: l1\.gas\.reversionPerHour: 5e-324 is below the minimum 0\.001/],
      [
        "l1.gas.scheduledSpikes=[{startHour: 1, multiplier: 1e308}]",
        /^proverlab: l1\.gas\.scheduledSpikes\.0\.multiplier: 1e\+308 is above/,
      ],
      ["l1.blob.spikesPerDay=1e308", /^proverlab: l1\.blob\.spikesPerDay: 1e\+308 is above the maximum 1000/],
      ["economy.stakeCostPerYear=1e308", /^proverlab: economy\.stakeCostPerYear: 1e\+308 is above the maximum 10/],
      ["economy.feeUsdPerTx=1e308", /^proverlab: economy\.feeUsdPerTx: 1e\+308 is above/],
      ["economy.issuanceUsdPerEpoch=1e308", /^proverlab: economy\.issuanceUsdPerEpoch: 1e\+308 is above/],
    ];
    const seeds = cli(["evaluate", EXPERIMENT, "--json", "--seeds", "1e308"]);
    expect(seeds.code).toBe(2);
    expect(seeds.stderr).toMatch(/^proverlab: --seeds: 1e\+308 is not an integer from 1 to 1000/);
    for (const [set, message] of cases) {
      const r = cli(["evaluate", EXPERIMENT, "--json", "--set", set, ...SMALL]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(set.startsWith("objective.weights") ? 2 : 1);
    }
  });

  it("the largest schema-valid values give finite numbers", () => {
    const extremes = [
      "objective.weights={liveness: 1e6, nakamotoProofsMean: -1e6, rewardsPerTxUsd: 1e6}",
      "l1.gas.reversionPerHour=0.001",
      "l1.blob.spikesPerDay=1000",
      "l1.blob.spikeMultiplier=1e15",
      "l1.gas.spikesPerDay=1000",
      "l1.gas.spikeMultiplier=1e15",
      "l1.gas.scheduledSpikes=[{startHour: 0, multiplier: 1e15}, {startHour: 0.1, multiplier: 1e15}]",
      "economy.feeUsdPerTx=1e6",
      "economy.issuanceUsdPerEpoch=1e12",
      "economy.stakeCostPerYear=10",
      "l1.ethUsd=1e9",
    ];
    const r = cli(["evaluate", EXPERIMENT, "--json", ...extremes.flatMap((x) => ["--set", x]), ...SMALL]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Number.isFinite(out.score)).toBe(true);
    // Every KPI is finite, or null where no episode defines it (and then counted in undefinedEpisodes).
    for (const [kpi, v] of Object.entries(out.kpis))
      expect(Number.isFinite(v) || (v === null && kpi in out.undefinedEpisodes), kpi).toBe(true);
  });
});
