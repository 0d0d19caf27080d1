/**
 * Counter-based randomness: a uniform that is a pure function of (seed, key, index, salt). Draws
 * tied to a job (the VRF-like selection draw, proof-time noise) come from here rather than from a
 * sequential stream, so they do not depend on the order in which a calibration happens to make
 * them: every calibration sees the same draw for the same block and prover (common random numbers).
 */

/**
 * lowbias32 (C. Wellons' hash-prospector): a 32-bit integer mixer with near-ideal avalanche. It
 * returns the signed reading of the 32 bits, which XOR and the shifts below read the same as the
 * unsigned one: a small integer to V8, never a boxed number, even where the call is not inlined.
 */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x21f0aaad);
  x ^= x >>> 15;
  x = Math.imul(x, 0x735a2d97);
  return x ^ (x >>> 15);
}

/**
 * One 32-bit hash of the four arguments (signed reading); `lane` selects an independent chain. A key
 * may pass 2^32 (a block's parts add multiples of 2^36 to its key): its high part enters the salt,
 * where XOR alone would drop it; below 2^32 the draws are those of the 32-bit key.
 */
function hash32(seed: number, key: number, index: number, salt: number, lane: number): number {
  const high = key > 0xffffffff ? mix32(Math.floor(key / 4294967296)) : 0;
  return mix32(seed ^ mix32(key ^ mix32(index ^ mix32(salt + lane + high))));
}

/** A uniform in (0, 1) on a 2^-53 grid: 27 high bits and 26 low bits from two independent hash chains. */
export function hashUniform(seed: number, key: number, index: number, salt: number): number {
  const hi = hash32(seed, key, index, salt, 0x9e3779b9) >>> 5;
  const lo = hash32(seed, key, index, salt, 0x7f4a7c15) >>> 6;
  return (hi * 67108864 + lo + 0.5) / 9007199254740992;
}

/**
 * hashUniform(seed, key, ids[i], salt) -> out[i] for i in [from, to), bit for bit: the two chains'
 * innermost mixes (of salt, lane and the key's high part) are the same for every id, so they are
 * made once per call rather than once per draw.
 */
export function hashUniforms(seed: number, key: number, ids: Int32Array, from: number, to: number, salt: number, out: Float64Array): void {
  const high = key > 0xffffffff ? mix32(Math.floor(key / 4294967296)) : 0;
  const innerHi = mix32(salt + 0x9e3779b9 + high);
  const innerLo = mix32(salt + 0x7f4a7c15 + high);
  const k32 = key | 0;
  for (let i = from; i < to; i++) {
    const index = ids[i]!;
    const hi = mix32(seed ^ mix32(k32 ^ mix32(index ^ innerHi))) >>> 5;
    const lo = mix32(seed ^ mix32(k32 ^ mix32(index ^ innerLo))) >>> 6;
    out[i] = (hi * 67108864 + lo + 0.5) / 9007199254740992;
  }
}

/** Standard normal from two hashed uniforms (Box-Muller). */
export function hashNormal(seed: number, key: number, index: number, salt: number): number {
  const u1 = hashUniform(seed, key, index, salt);
  const u2 = hashUniform(seed, key, index, salt + 1);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Where a job's draws come from: the episode's seed and the job's stable key (its first block's sequence number). */
export interface JobDraw {
  seed: number;
  key: number;
}
