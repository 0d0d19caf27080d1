import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeReport } from "../../src/report/document.js";
import { RunDir } from "../../src/results/runDir.js";
import { buildStudyReport } from "../../src/study/report.js";
import { studyPlan, type Plan, type StudyResult } from "../../src/study/run.js";
import { loadStudy } from "../../src/study/spec.js";
import { ROOT, tmp } from "../support/cli.js";

/** The published study: `npm run study:docs` writes it (proverlab study experiments/study --workers 2 --out docs/study). */
const DOCS = join(ROOT, "docs", "study");
const json = <T>(...parts: string[]) => JSON.parse(readFileSync(join(DOCS, ...parts), "utf8")) as T;

describe("docs/study", () => {
  it("was run from the study files as they are now, at the study's own budget (not --quick)", () => {
    expect(json<Plan>("plan.json")).toEqual(studyPlan(loadStudy(join(ROOT, "experiments", "study")), false, null));
  });

  it("ran in under 30 minutes on the machine its manifest names", () => {
    const m = json<{ status: string; workers: number; timingsMs: Record<string, number> }>("manifest.json");
    expect(m.status).toBe("complete");
    const total = Object.values(m.timingsMs).reduce((s, x) => s + x, 0);
    expect(total).toBeLessThan(30 * 60_000);
  });

  it("report/ is what the study command renders from study.json, file for file and byte for byte", async () => {
    const doc = await buildStudyReport(json<StudyResult>("study.json"));
    const out = RunDir.at(join(tmp(), "report"), "--out");
    writeReport(out, doc);
    out.commit();
    const files = (dir: string) => ["report.md", "report.html", ...readdirSync(join(dir, "figures")).map((f) => join("figures", f))].sort();
    expect(files(out.path)).toEqual(files(join(DOCS, "report")));
    for (const f of files(out.path)) expect(readFileSync(join(out.path, f)).equals(readFileSync(join(DOCS, "report", f))), f).toBe(true);
  });
});
