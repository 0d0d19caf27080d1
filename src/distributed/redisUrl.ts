import { ConfigError } from "../config/errors.js";

/** Where a Redis server is: what ioredis needs, and the URL as it may be shown (password masked). */
export interface RedisTarget {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username?: string;
  readonly password?: string;
  readonly tls: boolean;
  /** The URL with its password replaced by `***`: the only form logs, manifests and messages show. */
  readonly shown: string;
}

const EXAMPLE = "give redis://[user:password@]HOST:PORT[/db] (rediss:// for TLS), e.g. redis://127.0.0.1:6379";

/**
 * Parses `redis://[user:password@]HOST:PORT[/db]` or `rediss://...`; anything else is a one-line
 * refusal naming `field`. The port is required (a server on a free port is the usual case here, and a
 * silent default of 6379 would reach some other server).
 */
export function parseRedisUrl(text: string, field: string): RedisTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(field, `${maskPassword(text)} is not a URL; ${EXAMPLE}`);
  }
  const shown = maskPassword(text);
  if (url.protocol !== "redis:" && url.protocol !== "rediss:")
    throw new ConfigError(field, `${shown}: the scheme must be redis:// or rediss://; ${EXAMPLE}`);
  if (url.hostname === "") throw new ConfigError(field, `${shown} has no host; ${EXAMPLE}`);
  if (url.port === "") throw new ConfigError(field, `${shown} has no port; ${EXAMPLE}`);
  if (url.search !== "" || url.hash !== "") throw new ConfigError(field, `${shown}: no query or fragment is read; ${EXAMPLE}`);
  const path = url.pathname.replace(/^\//, "");
  if (path !== "" && !/^\d+$/.test(path)) throw new ConfigError(field, `${shown}: the database must be a number (/0 to /15); ${EXAMPLE}`);
  const db = path === "" ? 0 : Number(path);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: Number(url.port),
    db,
    ...(url.username !== "" ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password !== "" ? { password: decodeURIComponent(url.password) } : {}),
    tls: url.protocol === "rediss:",
    shown,
  };
}

/** `--executor`: null when the flag is not given (local threads), else its Redis server, parsed. */
export function executorTarget(text: string | undefined): RedisTarget | null {
  return text === undefined ? null : parseRedisUrl(text, "--executor");
}

/**
 * The text with the password of its `scheme://user:password@host` authority replaced by `***`. The
 * user information ends at the authority's last `@`, as URL parsers read it, so a password holding a
 * raw `@` is masked whole.
 */
export function maskPassword(text: string): string {
  const start = text.indexOf("://");
  if (start < 0) return text;
  const from = start + 3;
  const slash = text.indexOf("/", from);
  const authority = slash < 0 ? text.slice(from) : text.slice(from, slash);
  const at = authority.lastIndexOf("@");
  const colon = authority.indexOf(":");
  if (at < 0 || colon < 0 || colon > at) return text;
  return `${text.slice(0, from + colon)}:***${text.slice(from + at)}`;
}
