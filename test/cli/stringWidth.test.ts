import fc from "fast-check";
import realStringWidth from "string-width";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain ES module of the build (scripts/bundle.mjs puts it in the CLI bundle), no declarations
import stringWidth from "../../scripts/stringWidth.mjs";

const width = stringWidth as (text: unknown, options?: { countAnsiEscapeCodes?: boolean; ambiguousIsNarrow?: boolean }) => number;

describe("the CLI bundle's string-width", () => {
  it("gives string-width's widths: plain ASCII, colours, accents, CJK, tabs, emoji and their sequences", () => {
    const cases = ["", "abc", "--seed <n>", "\u001b[31mred\u001b[39m", "héllo", "日本語", "a\tb", "👍", "👨‍👩‍👧", "e\u0301", "±1.5 %"];
    for (const text of cases) expect(width(text), JSON.stringify(text)).toBe(realStringWidth(text));
    expect(width("\u001b[31mred\u001b[39m", { countAnsiEscapeCodes: true })).toBe(
      realStringWidth("\u001b[31mred\u001b[39m", { countAnsiEscapeCodes: true }),
    );
    expect(width("±", { ambiguousIsNarrow: false })).toBe(realStringWidth("±", { ambiguousIsNarrow: false }));
    expect(width(undefined)).toBe(0);
  });

  it("agrees with string-width on any string", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" })), (text) => {
        expect(width(text)).toBe(realStringWidth(text));
      }),
      { seed: 3, numRuns: 2000 },
    );
  });
});
