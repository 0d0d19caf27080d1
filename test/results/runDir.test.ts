import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/errors.js";
import { checkOutFolder, claimFolder, makeDirs, RunDir } from "../../src/results/runDir.js";
import { tmp } from "../support/cli.js";

describe("run folders never collide and never delete another run", () => {
  it("two runs with the same default name land in two folders, each with its own files", () => {
    const base = join(tmp(), "results", "x", "simulate-seed1-20261129-230000");
    const a = RunDir.unique(base);
    const b = RunDir.unique(base);
    a.write("who.txt", "a");
    b.write("who.txt", "b");
    a.commit();
    b.commit();
    expect(a.path).toBe(base);
    expect(b.path).toBe(`${base}-2`);
    expect(readFileSync(join(a.path, "who.txt"), "utf8")).toBe("a");
    expect(readFileSync(join(b.path, "who.txt"), "utf8")).toBe("b");
  });

  it("claimFolder takes the first free name", () => {
    const base = join(tmp(), "run");
    expect(claimFolder(base)).toBe(base);
    expect(claimFolder(base)).toBe(`${base}-2`);
    expect(claimFolder(base)).toBe(`${base}-3`);
  });

  it("an --out folder filled by another process before commit is left as it is; nothing is written", () => {
    const out = join(tmp(), "out");
    const dir = RunDir.at(out, "--out");
    dir.write("mine.txt", "mine");
    mkdirSync(out);
    writeFileSync(join(out, "theirs.txt"), "theirs");
    expect(() => dir.commit()).toThrow(ConfigError);
    expect(readdirSync(out)).toEqual(["theirs.txt"]);
    expect(readdirSync(join(out, "..")).filter((f) => f.includes("partial"))).toEqual([]);
  });

  it("an empty --out folder is filled; a report folder is replaced", () => {
    const out = join(tmp(), "empty");
    mkdirSync(out);
    const dir = RunDir.at(out, "--out");
    dir.write("a.txt", "a");
    dir.commit();
    expect(readdirSync(out)).toEqual(["a.txt"]);
    const report = RunDir.replacing(out);
    report.write("b.txt", "b");
    report.commit();
    expect(readdirSync(out)).toEqual(["b.txt"]);
    expect(existsSync(join(out, "a.txt"))).toBe(false);
  });
});

describe("what killed runs left behind", () => {
  it("a commit removes the staged folders and half-written files of processes that no longer run, and keeps live ones", () => {
    const parent = join(tmp(), "results", "x");
    mkdirSync(join(parent, ".old.partial-999999999-1"), { recursive: true });
    writeFileSync(join(parent, "checkpoint.json.partial-999999998"), "{");
    mkdirSync(join(parent, `.mine.partial-${process.pid}-77`));
    const dir = RunDir.unique(join(parent, "run"));
    dir.write("a.txt", "a");
    dir.commit();
    expect(readdirSync(parent).sort()).toEqual([`.mine.partial-${process.pid}-77`, "run"]);
  });
});

describe("an --out folder is checked before anything runs", () => {
  it("refuses empty text, a file, a symbolic link (dangling or not) and a non-empty folder", () => {
    const root = tmp();
    writeFileSync(join(root, "file"), "");
    mkdirSync(join(root, "real"));
    writeFileSync(join(root, "real", "x"), "");
    symlinkSync(join(root, "real"), join(root, "link"));
    symlinkSync(join(root, "nowhere"), join(root, "dangling"));
    expect(() => checkOutFolder(" ", "--out")).toThrow(/^--out: is empty/);
    expect(() => checkOutFolder(join(root, "file"), "--out")).toThrow(/is a file; give a folder/);
    expect(() => checkOutFolder(join(root, "link"), "--out")).toThrow(/is a symbolic link/);
    expect(() => checkOutFolder(join(root, "dangling"), "--out")).toThrow(/is a symbolic link/);
    expect(() => checkOutFolder(join(root, "real"), "--out")).toThrow(/exists and is not empty/);
    expect(checkOutFolder(join(root, "new", "run"), "--out")).toBe(join(root, "new", "run"));
  });

  it("makeDirs creates missing parents, and fails at once where a parent refuses children", () => {
    const path = join(tmp(), "a", "b", "c");
    makeDirs(path);
    expect(existsSync(path)).toBe(true);
    expect(() => makeDirs("/proc/no/such/run")).toThrow(/ENOENT/);
  });
});
