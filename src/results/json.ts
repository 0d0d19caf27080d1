/** JSON cannot hold NaN or Infinity: they are written as null. */
function finiteOrNull(_key: string, v: unknown): unknown {
  return typeof v === "number" && !Number.isFinite(v) ? null : v;
}

/** Stable JSON for results: two-space indent, trailing newline. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, finiteOrNull, 2) + "\n";
}

/** One-line JSON (a line of a stream), with a trailing newline. */
export function toJsonLine(value: unknown): string {
  return JSON.stringify(value, finiteOrNull) + "\n";
}
