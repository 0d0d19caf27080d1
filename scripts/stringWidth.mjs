/**
 * What the CLI bundle gives yargs, cliui and wrap-ansi for `string-width` (scripts/bundle.mjs): the same
 * widths, with the real package loaded only for a string that is not plain printable ASCII. Loading
 * string-width compiles Unicode emoji regular expressions (about 30 ms of every command's start-up on 2
 * cores) that ProverLab's own help text never needs.
 */
import { createRequire } from "node:module";
import stripAnsi from "strip-ansi";

const require = createRequire(import.meta.url);
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
let full;

export default function stringWidth(text, options = {}) {
  if (typeof text !== "string" || text.length === 0) return 0;
  const visible = options.countAnsiEscapeCodes ? text : stripAnsi(text);
  if (PRINTABLE_ASCII.test(visible)) return visible.length;
  full ??= require("string-width").default;
  return full(text, options);
}
