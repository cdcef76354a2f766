// Threefry-2x32 (20 rounds), the counter-based generator JAX uses. The CPU reference and the
// WGSL kernels compute exactly this, so the same key gives the same numbers on every backend.
// Element i of a random array uses counter (i, 0) and keeps word 0.

const ROTATIONS = [
  [13, 15, 26, 6],
  [17, 29, 16, 24],
] as const;

const rotl = (x: number, r: number) => ((x << r) | (x >>> (32 - r))) >>> 0;

/** Returns the two output words as unsigned 32-bit integers. */
export function threefry2x32(key0: number, key1: number, c0: number, c1: number): [number, number] {
  const ks = [key0 >>> 0, key1 >>> 0, (key0 ^ key1 ^ 0x1bd11bda) >>> 0];
  let x0 = (c0 + ks[0]!) >>> 0;
  let x1 = (c1 + ks[1]!) >>> 0;
  for (let i = 0; i < 5; i++) {
    for (const r of ROTATIONS[i % 2]!) {
      x0 = (x0 + x1) >>> 0;
      x1 = rotl(x1, r);
      x1 = (x1 ^ x0) >>> 0;
    }
    x0 = (x0 + ks[(i + 1) % 3]!) >>> 0;
    x1 = (x1 + ks[(i + 2) % 3]! + i + 1) >>> 0;
  }
  return [x0, x1];
}

/** Uniform float in [0, 1) from 32 random bits: 23 mantissa bits, as JAX does. */
export function bitsToUniform(bits: number): number {
  return (bits >>> 9) / 8388608; // 2^23
}

/** Raw bits for element i, as the int32 bit pattern `random_bits` stores. */
export function randomBitsAt(key0: number, key1: number, i: number): number {
  return threefry2x32(key0, key1, i, 0)[0] | 0;
}
