import { existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, ROOT, TUNE_FINISHED } from "../support/cli.js";

/** Debian's Chromium: scripts/install-chromium.sh installs it (CI runs that script before the tests). */
const CHROMIUM = "/usr/bin/chromium";
// Without the background-networking flags Chromium keeps dialling out, which this network refuses.
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const EXPERIMENT = join(ROOT, "experiments", "aztec-1tps.yaml");
const SMALL = ["--set", "horizonEpochs=10", "--set", "tune.seeds.train=1", "--set", "tune.seeds.heldOut=3", "--set", "tune.batch=6"];

function run(args: string[]): void {
  const r = cli(args);
  if (!(args[0] === "tune" ? TUNE_FINISHED : [0]).includes(r.code!)) throw new Error(`proverlab ${args.join(" ")} failed: ${r.stderr}`);
}

interface PageCheck {
  charts: number;
  /** Per chart: its id and how many of its data marks have a visible size. */
  drawn: { id: string; marks: number }[];
  errors: string[];
  requests: string[];
}

describe("report.html in headless Chromium", () => {
  let context: BrowserContext;
  let dir: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run 'bash scripts/install-chromium.sh' first`);
    dir = mkdtempSync(join(tmpdir(), "proverlab-browser-"));
    run(["tune", EXPERIMENT, "--budget", "12", "--out", join(dir, "run"), ...SMALL]);
    run(["report", join(dir, "run")]);
    run(["compare", "proposal-defaults", "aztec-current", join(dir, "run"), "--out", join(dir, "compare")]);
    context = await chromium.launchPersistentContext(join(dir, "profile"), {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1100, height: 900 },
    });
  });

  afterAll(async () => {
    await context?.close();
  });

  /** Opens a page, waits for it, counts each chart's visible data marks; collects console errors and every request. */
  async function check(html: string, screenshot: string): Promise<PageCheck> {
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(html).href, { waitUntil: "load" });
    const drawn = await page.$$eval("figure.chart", (figures) =>
      figures.map((f) => {
        const marks = [...f.querySelectorAll("svg g.role-mark > *")].filter((el) => {
          // SVG elements in the page; the test itself is compiled without the DOM typings.
          const box = (el as unknown as { getBBox(): { width: number; height: number } }).getBBox();
          return box.width > 0 || box.height > 0;
        });
        return { id: f.id, marks: marks.length };
      }),
    );
    await page.screenshot({ path: screenshot, fullPage: true });
    await page.close();
    return { charts: drawn.length, drawn, errors, requests };
  }

  const figureCount = (folder: string) => readdirSync(join(folder, "figures")).filter((f) => f.endsWith(".svg")).length;

  it.each([
    ["the tune report", ["run", "report"]],
    ["the comparison report", ["compare"]],
    ["the published study (docs/study)", null],
  ])("%s: every chart drawn with visible marks, no console error, nothing fetched; screenshot saved", async (name, parts) => {
    const folder = parts === null ? join(ROOT, "docs", "study", "report") : join(dir, ...parts);
    const shot = join(dir, `${name.replace(/[^a-z]+/g, "-")}.png`);
    const r = await check(join(folder, "report.html"), shot);
    expect(r.errors).toEqual([]);
    expect(r.charts).toBe(figureCount(folder));
    for (const c of r.drawn) expect(c.marks, c.id).toBeGreaterThan(0);
    expect(r.requests).toEqual([pathToFileURL(join(folder, "report.html")).href]);
    expect(statSync(shot).size).toBeGreaterThan(50_000);
  });
});
