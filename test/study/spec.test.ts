import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { ConfigError } from "../../src/config/errors.js";
import { loadStudy } from "../../src/study/spec.js";
import { ROOT } from "../support/cli.js";

const STUDY = join(ROOT, "experiments", "study");

interface StudyDoc {
  questions: { id: string; kpis: string[]; kpi?: string[]; options: { set: string[] }[]; tradeOff: { lever: string }; showcase?: string }[];
}

/** A copy of the shipped study in a folder of its own, with study.yaml changed by `edit`. */
function studyWith(edit: (doc: StudyDoc) => void): string {
  const dir = mkdtempSync(join(tmpdir(), "proverlab-study-"));
  cpSync(join(ROOT, "experiments"), join(dir, "experiments"), { recursive: true });
  const file = join(dir, "experiments", "study", "study.yaml");
  const doc = parse(readFileSync(file, "utf8")) as StudyDoc;
  edit(doc);
  writeFileSync(file, stringify(doc));
  return join(dir, "experiments", "study");
}

function problems(dir: string): string[] {
  try {
    loadStudy(dir);
  } catch (err) {
    if (err instanceof ConfigError) return err.lines;
    throw err;
  }
  return [];
}

describe("loadStudy", () => {
  it("loads the shipped study: four questions, each experiment found", () => {
    const s = loadStudy(STUDY);
    expect(s.spec.questions.map((q) => q.id)).toEqual(["q1-scaling", "q2-bonuses", "q3-emergency", "q4-batching"]);
    expect(s.experiments.map((p) => p.endsWith(".yaml"))).toEqual([true, true, true, true]);
    expect(s.spec.questions[0]!.options.map((o) => o.name)).toEqual(["backlog", "load", "forecast"]);
  });

  it("refuses a folder without study.yaml in one line", () => {
    expect(problems(join(ROOT, "experiments"))).toEqual([expect.stringMatching(/^study: .*holds no study\.yaml; give a study folder/)]);
  });

  it("names a misspelt key with the nearest one", () => {
    const lines = problems(studyWith((d) => (d.questions[0]!.kpi = d.questions[0]!.kpis)));
    expect(lines).toEqual([expect.stringMatching(/^study\.yaml: questions\.0\.kpi: unknown key kpi; did you mean questions\.0\.kpis\?/)]);
  });

  it("reports every problem at once: a bad KPI, an option that breaks its experiment, a trade-off lever not tuned, a repeated id", () => {
    const lines = problems(
      studyWith((d) => {
        d.questions[1]!.kpis = ["bonusShare", "speed"];
        d.questions[0]!.options[0]!.set = ["mechanism.scalingSignal=fill"];
        d.questions[2]!.tradeOff.lever = "batching.maxSize";
        d.questions[3]!.id = "q1-scaling";
      }),
    );
    expect(lines.some((l) => /^study\.yaml: questions\.1\.kpis\.1: .*speed.*not allowed/.test(l))).toBe(true);
    // Schema problems come first; the rest (loading the experiments) is checked once the file itself is valid.
    const fixed = problems(
      studyWith((d) => {
        d.questions[0]!.options[0]!.set = ["mechanism.scalingSignal=fill"];
        d.questions[2]!.tradeOff.lever = "batching.maxSize";
        d.questions[3]!.id = "q1-scaling";
      }),
    );
    expect(fixed).toEqual([
      expect.stringMatching(
        /^study\.yaml: questions\.0\.options\.0\.set: q1-scaling\.yaml: mechanism\.scalingSignal: "fill" is not allowed; use one of "utilization"/,
      ),
      expect.stringMatching(
        /^study\.yaml: questions\.2\.tradeOff\.lever: batching\.maxSize is not among the experiment's levers; use one of emergency\./,
      ),
      "study.yaml: questions.3.id: 'q1-scaling' is used twice; give each question its own id",
    ]);
  });

  it("refuses a showcase that is not a held-out scenario, naming the ones there are", () => {
    const lines = problems(studyWith((d) => (d.questions[3]!.showcase = "campaign-surge")));
    expect(lines).toEqual([
      "study.yaml: questions.3.showcase: campaign-surge is not a held-out scenario of the experiment; use one of mint-bursts, l1-gas-spike",
    ]);
  });
});
