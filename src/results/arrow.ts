import { bool, float64, int32, tableFromArrays, tableToIPC, utf8 } from "@uwdata/flechette/dist/flechette.mjs";

/** How a column is stored: float64 (the default), int32, bool or UTF-8 text. */
export type ArrowKind = "float" | "int" | "bool" | "text";

const TYPES = { float: float64, int: int32, bool: bool, text: utf8 } as const;

function value(kind: ArrowKind, v: unknown): number | boolean | string | null {
  if (v === null || v === undefined) return null;
  if (kind === "bool") return Boolean(v);
  if (kind === "text") return String(v);
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/**
 * An Arrow IPC file (Feather v2: what `pyarrow.feather.read_table` and polars' `read_ipc` read) of
 * the rows, with the given columns in order, each float64 unless `kinds` says otherwise; as in the
 * CSV, a non-finite number, null or undefined is a missing value (null). The schema is declared, not
 * inferred, so every run of a table has the same schema, and the same rows give the same bytes.
 */
export function toArrow<T extends object>(
  rows: readonly T[],
  columns: readonly (keyof T & string)[],
  kinds: Partial<Record<keyof T & string, ArrowKind>> = {},
): Uint8Array {
  const kind = (c: keyof T & string): ArrowKind => kinds[c] ?? "float";
  const table = tableFromArrays(
    columns.map((c): [string, unknown[]] => [c, rows.map((row) => value(kind(c), row[c]))]),
    { types: Object.fromEntries(columns.map((c) => [c, TYPES[kind(c)]()])) },
  );
  return tableToIPC(table, { format: "file" })!;
}
