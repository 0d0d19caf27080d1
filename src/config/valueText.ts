/**
 * A value as an error message shows it: short and never misleading. An integer past 2^53 - 1 is
 * not shown as the number it was rounded to, and an infinite number is one beyond the largest double
 * (how JSON's and YAML's 1e400 arrive); lists, sections and long text are named, not printed.
 */
export function valueText(value: unknown): string {
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return `a number beyond ${value > 0 ? "" : "-"}1.8e308`;
    // Below 1e21 such an integer prints in full, with digits that are not the ones given (1e21 and up print as 1e+21).
    if (!Number.isSafeInteger(value) && Number.isInteger(value) && Math.abs(value) < 1e21) {
      return `an integer past ${value > 0 ? "" : "-"}(2^53 - 1)`;
    }
    return String(value);
  }
  if (typeof value === "string") return value.length > 40 ? `text of ${value.length} characters` : JSON.stringify(value);
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  if (typeof value === "object") return "a section";
  return String(value);
}

/** True for a number no calculation can use: NaN or infinite. */
export const isNonFinite = (value: unknown): value is number => typeof value === "number" && !Number.isFinite(value);

/** A key as an error message shows it: control characters escaped (the message stays one line), at most 60 characters. */
export function keyText(key: string): string {
  const escaped = JSON.stringify(key).slice(1, -1);
  return escaped.length > 60 ? `${escaped.slice(0, 57)}...` : escaped;
}
