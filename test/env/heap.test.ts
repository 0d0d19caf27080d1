import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IdHeap } from "../../src/env/heap.js";

type Op = { kind: "set"; id: number; t: number } | { kind: "remove"; id: number } | { kind: "clear" };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("set" as const), id: fc.nat(300), t: fc.integer({ min: 0, max: 20 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("remove" as const), id: fc.nat(300) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("clear" as const) }) },
);

/** The earliest (time, id) of a map, as a scan in id order finds it. */
function scan(model: Map<number, number>): [number, number] {
  let best = -1;
  let bestT = Infinity;
  for (const [id, t] of [...model].sort((a, b) => a[0] - b[0])) {
    if (t < bestT) {
      best = id;
      bestT = t;
    }
  }
  return [best, bestT];
}

describe("IdHeap", () => {
  it("keeps its order and index through any sequence of changes, and agrees with a scan (lowest id on ties)", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const heap = new IdHeap();
        const model = new Map<number, number>();
        for (const o of ops) {
          if (o.kind === "set") {
            heap.set(o.id, o.t);
            model.set(o.id, o.t);
          } else if (o.kind === "remove") {
            heap.remove(o.id);
            model.delete(o.id);
          } else {
            heap.clear();
            model.clear();
          }
          expect(heap.isValid()).toBe(true);
          expect(heap.size).toBe(model.size);
          const [id, t] = scan(model);
          expect(heap.peek()).toBe(id);
          expect(heap.peekKey()).toBe(t);
        }
        for (let id = 0; id <= 300; id++) expect(heap.has(id)).toBe(model.has(id));
      }),
      { seed: 29, numRuns: 300 },
    );
  });
});
