import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gitCommit } from "../../src/results/manifest.js";
import { ROOT } from "../support/cli.js";

const A = "0123456789abcdef0123456789abcdef01234567";
const B = "fedcba9876543210fedcba9876543210fedcba98";

/** A checkout whose .git holds `files` (paths relative to .git). */
function checkout(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "proverlab-git-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, ".git", path, ".."), { recursive: true });
    writeFileSync(join(root, ".git", path), text);
  }
  return root;
}

describe("the manifest's commit, read from .git without starting git", () => {
  it("follows HEAD to a loose ref, to a packed ref, or reads a detached HEAD", () => {
    expect(gitCommit(checkout({ HEAD: "ref: refs/heads/main\n", "refs/heads/main": `${A}\n` }))).toBe(A);
    expect(gitCommit(checkout({ HEAD: "ref: refs/heads/main\n", "packed-refs": `# pack-refs\n${B} refs/heads/other\n${A} refs/heads/main\n` }))).toBe(A);
    expect(gitCommit(checkout({ HEAD: `${B}\n` }))).toBe(B);
  });

  it("is null without a commit to read, and agrees with git on this checkout", () => {
    expect(gitCommit(mkdtempSync(join(tmpdir(), "proverlab-nogit-")))).toBeNull();
    expect(gitCommit(checkout({ HEAD: "ref: refs/heads/none\n" }))).toBeNull();
    expect(gitCommit(checkout({ HEAD: "not a commit\n" }))).toBeNull();
    expect(gitCommit(ROOT)).toBe(execFileSync("git", ["rev-parse", "HEAD"], { cwd: ROOT }).toString().trim());
  });
});
