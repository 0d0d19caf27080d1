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
  const doc = parseDocument(text, { logLevel: "silent" });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const what = (problem.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
    throw new YamlProblem(what, problem.linePos ? problem.linePos[0].line : null);
  }
  try {
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (err) {
    throw new YamlProblem((err as Error).message.split("\n")[0] ?? "unreadable", null);
  }
}
