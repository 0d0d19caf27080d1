/** Stable JSON for results: non-finite numbers become null, two-space indent, trailing newline. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2) + "\n";
}
