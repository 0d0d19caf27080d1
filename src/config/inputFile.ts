import { readFileSync, statSync } from "node:fs";
import { ConfigError } from "./errors.js";

/** The largest experiment or params file read (bytes): far above any real one, far below what exhausts memory. */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024;

/**
 * Reads a user's input file as text: it must be a regular file of at most `maxBytes`. Errors name
 * `field` and end with `hint` (what to give instead).
 */
export function readInputFile(path: string, field: string, hint: string, maxBytes = MAX_INPUT_BYTES): string {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new ConfigError(field, `${path} is not a regular file; ${hint}`);
    size = st.size;
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(field, `cannot read ${path}; ${hint}`);
  }
  if (size > maxBytes) {
    throw new ConfigError(
      field,
      `${path} is ${size.toLocaleString("en-US")} bytes, over the ${maxBytes.toLocaleString("en-US")} read; ${hint}`,
    );
  }
  try {
    return readFileSync(path, "utf8");
  } catch {
    throw new ConfigError(field, `cannot read ${path}; ${hint}`);
  }
}
