import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, cli, tmp } from "../support/cli.js";

const SCRIPT = join(ROOT, "examples", "optuna_evaluate.py");
/**
 * The first Python that imports Optuna: python3 on the PATH, else Debian's /usr/bin/python3, where
 * python3-optuna installs when another python3 (pyenv, a venv) comes first on the PATH.
 */
const PYTHON = ["python3", "/usr/bin/python3"].find((p) => spawnSync(p, ["-c", "import optuna"]).status === 0);
if (PYTHON === undefined) {
  console.log(
    "test/python/optuna.test.ts skipped: neither python3 nor /usr/bin/python3 imports optuna (bash scripts/install-python-optuna.sh)",
  );
}

describe.runIf(PYTHON)("examples/optuna_evaluate.py", () => {
  it("Optuna drives evaluate --stdin over the quickstart's full tuned space: 8 answers, no error line, each a score or an explicit infeasible", () => {
    const answersFile = join(tmp(), "answers.jsonl");
    const t0 = performance.now();
    const r = spawnSync(PYTHON!, [SCRIPT, "--trials", "8", "--seeds", "1", "--answers", answersFile], { cwd: ROOT, encoding: "utf8" });
    const seconds = (performance.now() - t0) / 1000;
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.match(/^trial \d+: (score -?\d|infeasible \()/gm)).toHaveLength(8);
    expect(r.stdout).toMatch(/^best: trial \d+, score -?\d/m);
    const answers = readFileSync(answersFile, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(answers).toHaveLength(8);
    for (const a of answers) {
      expect(a).not.toHaveProperty("error");
      if (a.feasible === true) expect(Number.isFinite(a.score)).toBe(true);
      else {
        expect(a).toMatchObject({ score: null, feasible: false });
        expect(a.violations.length).toBeGreaterThan(0);
        // The misses summed; null only when a constrained KPI is undefined (no episode measured it).
        const undefinedKpi = a.violations.some((v: { value: number | null }) => v.value === null);
        expect(undefinedKpi ? a.totalViolation === null : Number.isFinite(a.totalViolation)).toBe(true);
      }
    }
    // Every tuned parameter was sampled: each takes more than one value over the trials.
    const space = JSON.parse(cli(["params", join(ROOT, "experiments", "quickstart.yaml")]).stdout) as { name: string }[];
    expect(space.length).toBe(13);
    for (const { name } of space) expect(new Set(answers.map((a) => a.params[name])).size, name).toBeGreaterThan(1);
    console.log(`optuna test: ${PYTHON} ran 8 trials in ${seconds.toFixed(1)} s`);
  });
});
