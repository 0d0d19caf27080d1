import { describe, expect, it } from "vitest";
import { makeTable } from "../../src/report/tables.js";

describe("makeTable", () => {
  const t = makeTable(
    "Title",
    "Note",
    [
      { key: "kpi", label: "KPI" },
      { key: "unit", label: "unit", words: true },
      { key: "value", label: "value", unit: "USD/tx" },
    ],
    [
      { kpi: "rewardsPerTxUsd", unit: "USD/tx", value: "0.5 [0.4, 0.6]" },
      { kpi: "a|b", unit: "<tx>", value: null },
    ],
  );

  it("puts units in the headers, aligns words left and numbers right, and shows missing cells as -", () => {
    const lines = t.markdown.split("\n");
    expect(lines[0]).toBe("|KPI|unit|value (USD/tx)|");
    expect(lines[1]).toBe("|:-|:-|-:|");
    expect(lines[2]).toBe("|rewardsPerTxUsd|USD/tx|0.5 [0.4, 0.6]|");
    expect(lines[3]).toBe("|a\\|b|<tx>|-|");
  });

  it("escapes HTML", () => {
    expect(t.html).toContain("&lt;tx&gt;");
    expect(t.html).toContain("value (USD/tx)");
    expect(t.html).not.toContain("<tx>");
  });
});
