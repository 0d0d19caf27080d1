import type { Readable } from "node:stream";
import { ConfigError } from "../config/errors.js";
import { MAX_INPUT_BYTES } from "../config/inputFile.js";

/**
 * The lines of `evaluate --stdin`, as soon as each is read. A line ends at "\n" (a "\r" before it is
 * dropped, so CRLF works); a lone "\r" is no line break (readline's would split one line into two
 * answers): such a line is refused, and so is one longer than `maxChars` (skipped without being
 * held in memory). A refused line is a ConfigError in its place, so every line gets one answer.
 */
export async function* stdinLines(input: Readable, maxChars = MAX_INPUT_BYTES): AsyncGenerator<string | ConfigError> {
  input.setEncoding("utf8");
  let buffer = "";
  let tooLong = false;
  for await (const chunk of input as AsyncIterable<string>) {
    buffer += chunk;
    for (let end = buffer.indexOf("\n"); end >= 0; end = buffer.indexOf("\n")) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 1);
      yield tooLong || line.length > maxChars ? longLine(maxChars) : checked(line);
      tooLong = false;
    }
    if (buffer.length > maxChars) {
      tooLong = true;
      buffer = "";
    }
  }
  if (tooLong) yield longLine(maxChars);
  else if (buffer !== "") yield checked(buffer);
}

function checked(line: string): string | ConfigError {
  const text = line.endsWith("\r") ? line.slice(0, -1) : line;
  if (text.includes("\r")) {
    return new ConfigError("stdin", "a carriage return (\\r) inside a line; end each params object with \\n or \\r\\n");
  }
  return text;
}

const longLine = (maxChars: number) =>
  new ConfigError("stdin", `a line over ${maxChars.toLocaleString("en-US")} characters; send one params object per line`);
