import { tableFromIPC } from "@uwdata/flechette";
import { describe, expect, it } from "vitest";
import { toArrow } from "../../src/results/arrow.js";
import { arrowTypes } from "../support/arrow.js";

describe("toArrow", () => {
  const rows = [
    { n: 1, x: 0.1, ok: 1, note: "a, b" },
    { n: 2, x: NaN, ok: 0, note: "" },
    { n: 3, x: Infinity, ok: 1, note: null },
    { n: 4, x: null, ok: null, note: "d" },
  ];
  const kinds = { n: "int", ok: "bool", note: "text" } as const;

  it("writes an IPC file with the declared types; non-finite numbers, null and undefined are nulls", () => {
    const bytes = toArrow(rows, ["n", "x", "ok", "note"], kinds);
    // The IPC file format (Feather v2) begins and ends with its magic.
    expect(new TextDecoder().decode(bytes.subarray(0, 6))).toBe("ARROW1");
    expect(new TextDecoder().decode(bytes.subarray(-6))).toBe("ARROW1");
    const table = tableFromIPC(bytes);
    expect(arrowTypes(bytes)).toEqual({ n: "int32", x: "float64", ok: "bool", note: "utf8" });
    expect(table.toArray().map((r) => ({ ...r }))).toEqual([
      { n: 1, x: 0.1, ok: true, note: "a, b" },
      { n: 2, x: null, ok: false, note: "" },
      { n: 3, x: null, ok: true, note: null },
      { n: 4, x: null, ok: null, note: "d" },
    ]);
  });

  it("the schema does not depend on the values, and the same rows give the same bytes", () => {
    expect(arrowTypes(toArrow([{ x: null }, { x: NaN }], ["x"]))).toEqual({ x: "float64" });
    expect(toArrow(rows, ["n", "x", "ok", "note"], kinds)).toEqual(toArrow(rows.map((r) => ({ ...r })), ["n", "x", "ok", "note"], kinds));
    expect(toArrow(rows, ["n", "x"], kinds)).not.toEqual(toArrow(rows, ["x", "n"], kinds));
  });
});
