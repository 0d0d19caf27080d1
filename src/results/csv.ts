/** CSV of rows with the given columns; empty cells for non-finite numbers. */
export function toCsv<T extends object>(rows: readonly T[], columns: readonly (keyof T)[]): string {
  const lines = [columns.join(",")];
  for (const row of rows) {
    lines.push(columns.map((c) => cell(row[c])).join(","));
  }
  return lines.join("\n") + "\n";
}

function cell(v: unknown): string {
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  if (typeof v === "string") return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  return v === undefined || v === null ? "" : String(v);
}
