import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/errors.js";
import { maskPassword, parseRedisUrl } from "../../src/distributed/redisUrl.js";

describe("parseRedisUrl", () => {
  it("reads host, port, database, user, password and TLS", () => {
    expect(parseRedisUrl("redis://127.0.0.1:6379", "--executor")).toEqual({
      host: "127.0.0.1",
      port: 6379,
      db: 0,
      tls: false,
      shown: "redis://127.0.0.1:6379",
    });
    const t = parseRedisUrl("rediss://ops:p%40ss@redis.internal:6380/3", "--executor");
    expect(t).toEqual({
      host: "redis.internal",
      port: 6380,
      db: 3,
      username: "ops",
      password: "p@ss",
      tls: true,
      shown: "rediss://ops:***@redis.internal:6380/3",
    });
    expect(parseRedisUrl("redis://:secret@[::1]:7000", "--redis")).toMatchObject({
      host: "::1",
      port: 7000,
      password: "secret",
      shown: "redis://:***@[::1]:7000",
    });
  });

  it("refuses in one line naming the flag, and never shows the password", () => {
    const cases: [string, RegExp][] = [
      ["127.0.0.1:6379", /^--executor: 127\.0\.0\.1:6379 is not a URL; give redis:\/\//],
      ["localhost:6379", /^--executor: localhost:6379: the scheme must be redis:\/\/ or rediss:\/\//],
      ["http://127.0.0.1:6379", /the scheme must be redis/],
      ["redis://:hunter2@127.0.0.1", /^--executor: redis:\/\/:\*\*\*@127\.0\.0\.1 has no port/],
      ["redis://:hunter2@127.0.0.1:6379/cache", /the database must be a number/],
      ["redis://127.0.0.1:6379?db=2", /no query or fragment is read/],
      ["not a url", /is not a URL/],
    ];
    for (const [text, message] of cases) {
      let err: unknown;
      try {
        parseRedisUrl(text, "--executor");
      } catch (e) {
        err = e;
      }
      expect(err, text).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).message, text).toMatch(message);
      expect((err as ConfigError).message).not.toContain("hunter2");
      expect((err as ConfigError).message.split("\n")).toHaveLength(1);
    }
  });
});

describe("maskPassword", () => {
  it("masks the whole password, even one holding a raw @ or :, and leaves other text alone", () => {
    expect(maskPassword("redis://u:pa@ss:wd@host:1/2")).toBe("redis://u:***@host:1/2");
    expect(maskPassword("--executor=redis://:x@h:1")).toBe("--executor=redis://:***@h:1");
    expect(maskPassword("redis://host:6379")).toBe("redis://host:6379");
    expect(maskPassword("redis://user@host:6379")).toBe("redis://user@host:6379");
    expect(maskPassword("experiments/quickstart.yaml")).toBe("experiments/quickstart.yaml");
  });
});
