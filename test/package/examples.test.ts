import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");

describe("examples/customPolicy.ts", () => {
  it("checks the environment with its policy and runs it beside always-on provers", () => {
    const out = execFileSync(process.execPath, ["--import", "tsx", "examples/customPolicy.ts"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    const [check, header, ...rows] = out.trim().split("\n");
    expect(check).toBe("checkEnvironment(daily-cycle, demand-follower): no problems");
    expect(header!.split(/\s{2,}/)).toEqual(["policy", "liveness", "tx delay s", "profit USD", "margin"]);
    const table = rows.map((r) => r.trim().split(/\s+/));
    expect(table.map((r) => r[0])).toEqual(["always-on", "demand-follower"]);
    const [alwaysOn, follower] = table.map((r) => r.slice(1).map(Number));
    for (const liveness of [alwaysOn![0]!, follower![0]!]) expect(liveness).toBeGreaterThan(0.9);
    // daily-cycle's nights are quiet: half the compute then changes what the provers earn.
    expect(follower![2]).not.toBe(alwaysOn![2]);
  });
});
