import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const COMMITTED = join(ROOT, "docs", "api");

/** Every file under dir, as paths relative to it, sorted. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

describe("docs/api", () => {
  const out = mkdtempSync(join(tmpdir(), "proverlab-api-"));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("is what `npm run docs` generates from the public API now (run it and commit docs/api when this fails)", () => {
    execFileSync(join(ROOT, "node_modules", ".bin", "typedoc"), ["--out", out, "--logLevel", "Warn"], { cwd: ROOT, stdio: "pipe" });
    const generated = files(out);
    expect(files(COMMITTED)).toEqual(generated);
    for (const f of generated) expect(readFileSync(join(COMMITTED, f), "utf8"), f).toBe(readFileSync(join(out, f), "utf8"));
  }, 120_000);
});
