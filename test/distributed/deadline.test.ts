import { stat } from "node:fs";
import { describe, expect, it } from "vitest";
import { TimeoutError, within } from "../../src/distributed/deadline.js";

/** Blocks the thread, as a training episode between checkpoints does. */
function busy(ms: number): void {
  for (const until = Date.now() + ms; Date.now() < until;);
}

describe("within", () => {
  it("an answer that came in while the process was busy past the deadline wins over the deadline", async () => {
    // From the check phase: after the block, the next turn's timers (the deadline) run before its I/O (the answer).
    const { raced } = await new Promise<{ raced: Promise<string> }>((started) =>
      setImmediate(() => {
        const call = new Promise<string>((answer) => stat(import.meta.filename, () => answer("answered")));
        const r = within(call, 50);
        r.catch(() => undefined);
        busy(800);
        started({ raced: r });
      }),
    );
    await expect(raced).resolves.toBe("answered");
  });

  it("a call that never answers is a TimeoutError after the deadline", async () => {
    const t0 = performance.now();
    await expect(within(new Promise(() => undefined), 50)).rejects.toBeInstanceOf(TimeoutError);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
  });
});
