import { tableFromIPC, Type, type DataType } from "@uwdata/flechette";
import { toCsv } from "../../src/results/csv.js";

/**
 * An Arrow file's table written as the run's CSV is written (booleans as 1 and 0, nulls blank): the
 * same text as the CSV beside it when both hold the same columns and values.
 */
export function arrowAsCsv(bytes: Uint8Array): string {
  const table = tableFromIPC(bytes);
  const names = table.schema.fields.map((f) => f.name);
  const rows = table
    .toArray()
    .map((row) => Object.fromEntries(names.map((n) => [n, typeof row[n] === "boolean" ? Number(row[n]) : row[n]])));
  return toCsv(rows, names);
}

/** The column types of an Arrow file, by name: "int32", "float64", "bool", "utf8". */
export function arrowTypes(bytes: Uint8Array): Record<string, string> {
  return Object.fromEntries(tableFromIPC(bytes).schema.fields.map((f) => [f.name, typeText(f.type)]));
}

function typeText(t: DataType): string {
  if (t.typeId === Type.Int) return `int${t.bitWidth}`;
  if (t.typeId === Type.Float) return `float${16 << t.precision}`;
  if (t.typeId === Type.Bool) return "bool";
  if (t.typeId === Type.Utf8) return "utf8";
  return `Arrow type ${t.typeId}`;
}
