import { table } from "arquero";

export interface Column {
  key: string;
  label: string;
  /** Shown in the header as "label (unit)". */
  unit?: string;
  /** Left-aligned, for words; numbers are right-aligned. */
  words?: boolean;
}

export type Cell = string | number | null;

/** A report table, rendered once for each format. */
export interface Table {
  title: string;
  /** What the columns mean (units, intervals, marks), printed under the table. */
  note: string;
  markdown: string;
  html: string;
}

/** A table of preformatted cells: the first column and columns of words left-aligned, numbers right-aligned. */
export function makeTable(title: string, note: string, columns: readonly Column[], rows: readonly Record<string, Cell>[]): Table {
  const header = (c: Column) => (c.unit ? `${c.label} (${c.unit})` : c.label);
  const data = Object.fromEntries(columns.map((c) => [header(c), rows.map((r) => r[c.key] ?? "-")]));
  const t = table(data);
  const names = columns.map(header);
  const align = Object.fromEntries(columns.map((c, i) => [names[i], i === 0 || c.words ? "l" : "r"])) as Record<string, "l" | "r">;
  return { title, note, markdown: t.toMarkdown({ align }).trimEnd(), html: t.toHTML({ align }) };
}
