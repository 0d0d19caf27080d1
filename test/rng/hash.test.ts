import { describe, expect, it } from "vitest";
import { hashNormal, hashUniform, hashUniforms } from "../../src/rng/hash.js";

describe("hashUniform", () => {
  it("is a pure function of its arguments, in (0, 1)", () => {
    expect(hashUniform(1, 2, 3, 4)).toBe(hashUniform(1, 2, 3, 4));
    expect(hashUniform(1, 2, 3, 4)).not.toBe(hashUniform(1, 2, 3, 5));
    expect(hashUniform(1, 2, 3, 4)).not.toBe(hashUniform(1, 2, 4, 4));
    expect(hashUniform(1, 2, 3, 4)).not.toBe(hashUniform(1, 3, 3, 4));
    expect(hashUniform(1, 2, 3, 4)).not.toBe(hashUniform(2, 2, 3, 4));
    for (let k = 0; k < 10_000; k++) {
      const u = hashUniform(0, k, 0, 0);
      expect(u).toBeGreaterThan(0);
      expect(u).toBeLessThan(1);
    }
  });

  it("keys past 2^32 (a block's parts: the key plus k x 2^36) draw on their own; keys below keep their draws", () => {
    for (let key = 0; key < 1000; key += 37) {
      const parts = [0, 1, 2, 3].map((k) => hashUniform(5, key + k * 2 ** 36, 9, 11));
      expect(new Set(parts).size).toBe(4);
    }
    // The 32-bit reference: what every key below 2^32 drew before keys could pass it.
    const mix = (x: number) => {
      x ^= x >>> 16;
      x = Math.imul(x, 0x21f0aaad);
      x ^= x >>> 15;
      x = Math.imul(x, 0x735a2d97);
      return x ^ (x >>> 15);
    };
    const h = (seed: number, key: number, index: number, salt: number, lane: number) =>
      mix(seed ^ mix(key ^ mix(index ^ mix(salt + lane))));
    const reference = (seed: number, key: number, index: number, salt: number) =>
      ((h(seed, key, index, salt, 0x9e3779b9) >>> 5) * 67108864 + (h(seed, key, index, salt, 0x7f4a7c15) >>> 6) + 0.5) / 9007199254740992;
    for (const key of [0, 1, 12_345, 2 ** 31, 2 ** 32 - 1]) expect(hashUniform(3, key, 7, 2)).toBe(reference(3, key, 7, 2));
  });

  it("is uniform over consecutive keys (mean, variance, 20-bin chi-square)", () => {
    const N = 200_000;
    const bins = new Float64Array(20);
    let sum = 0;
    let sq = 0;
    for (let k = 0; k < N; k++) {
      const u = hashUniform(42, k, k % 30, 7);
      sum += u;
      sq += u * u;
      bins[Math.floor(u * 20)]!++;
    }
    const mean = sum / N;
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / N));
    expect(Math.abs(sq / N - mean * mean - 1 / 12)).toBeLessThan(0.002);
    const e = N / 20;
    const chi2 = bins.reduce((s, o) => s + ((o - e) * (o - e)) / e, 0);
    expect(chi2).toBeLessThan(43.8); // 99.9th percentile, 19 degrees of freedom
  });

  it("neighbouring keys are uncorrelated", () => {
    const N = 100_000;
    let cov = 0;
    for (let k = 0; k < N; k++) cov += (hashUniform(3, k, 1, 0) - 0.5) * (hashUniform(3, k + 1, 1, 0) - 0.5);
    expect(Math.abs(cov / N)).toBeLessThan((4 * (1 / 12)) / Math.sqrt(N));
  });
});

describe("hashNormal", () => {
  it("has mean 0 and variance 1", () => {
    const N = 200_000;
    let sum = 0;
    let sq = 0;
    for (let k = 0; k < N; k++) {
      const z = hashNormal(9, k, 2, 11);
      sum += z;
      sq += z * z;
    }
    expect(Math.abs(sum / N)).toBeLessThan(4 / Math.sqrt(N));
    expect(Math.abs(sq / N - 1)).toBeLessThan(4 * Math.sqrt(2 / N));
  });
});

describe("hashUniforms", () => {
  it("writes hashUniform of each id, bit for bit, keys past 2^32 included", () => {
    const ids = Int32Array.from({ length: 300 }, (_, i) => i * 37);
    const out = new Float64Array(ids.length);
    for (const [seed, key, salt] of [
      [0, 0, 0],
      [4_000_000_000, 123, 0x5e1ec7],
      [77, 2 ** 36 * 3 + 5, 0x71e],
      [1, 2 ** 32 + 9, 0x401],
    ] as const) {
      out.fill(-1);
      hashUniforms(seed, key, ids, 10, 290, salt, out);
      for (let i = 0; i < ids.length; i++) expect(out[i]).toBe(i < 10 || i >= 290 ? -1 : hashUniform(seed, key, ids[i]!, salt));
    }
  });
});
