import { parseDocument } from "yaml";

/** A YAML problem: what is wrong, and the line it is on when known. */
export class YamlProblem extends Error {
  constructor(
    readonly what: string,
    readonly line: number | null,
  ) {
    super(line === null ? what : `${what} at line ${line}`);
  }
}

/**
 * Parses YAML text strictly: a syntax error, a warning (an unknown directive or tag, which the parser
 * would otherwise print and ignore) or an alias without its anchor is thrown as a YamlProblem.
 */
export function parseYamlStrict(text: string): unknown {
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { logLevel: "silent" });
  } catch (err) {
    throw new YamlProblem(readable((err as Error).message), null);
  }
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const what = (problem.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
    throw new YamlProblem(readable(what), problem.linePos ? problem.linePos[0].line : null);
  }
  try {
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (err) {
    throw new YamlProblem(readable((err as Error).message.split("\n")[0] ?? "unreadable"), null);
  }
}

/** The parser's message, except a stack overflow, which is the file's nesting, said as such. */
function readable(message: string): string {
  return /call stack/i.test(message)
    ? "lists or maps nested deeper than the reader can follow (keep nesting to a few hundred levels)"
    : message;
}
