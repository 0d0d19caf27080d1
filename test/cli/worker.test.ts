import { describe, expect, it } from "vitest";
import { cli } from "../support/cli.js";

describe("proverlab worker", () => {
  it("bad input is one line naming the flag, exit 2, and the password never shows", () => {
    const cases: [string[], RegExp][] = [
      [[], /^proverlab: --redis: give the server's URL, e\.g\. --redis redis:\/\/127\.0\.0\.1:6379$/],
      [
        ["--redis", "http://:hunter2@10.0.0.5:6379"],
        /^proverlab: --redis: http:\/\/:\*\*\*@10\.0\.0\.5:6379: the scheme must be redis:\/\/ or rediss:\/\//,
      ],
      [["--redis", "redis://:hunter2@10.0.0.5"], /^proverlab: --redis: redis:\/\/:\*\*\*@10\.0\.0\.5 has no port/],
      [["--redis", "redis://127.0.0.1:6379", "--concurrency", "0"], /^proverlab: --concurrency: 0 is not an integer from 1 to 256/],
      [["--redis", "redis://127.0.0.1:6379", "--lock-seconds", "0.5"], /^proverlab: --lock-seconds: 0\.5 is not from 1 to 3600/],
    ];
    for (const [args, message] of cases) {
      const r = cli(["worker", ...args]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(message);
      expect(r.stderr + r.stdout).not.toContain("hunter2");
    }
  });

  it("tune --executor refuses a URL that is not Redis's in one line, before writing anything", () => {
    const r = cli(["tune", "experiments/quickstart.yaml", "--executor", "redis://:hunter2@localhost", "--out", "/nonexistent/never-made"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      "proverlab: --executor: redis://:***@localhost has no port; give redis://[user:password@]HOST:PORT[/db] (rediss:// for TLS), e.g. redis://127.0.0.1:6379",
    );
  });
});
