// Bluestein's algorithm: a DFT of prime length n (which the four-step split cannot divide, and
// whose n×n matrix would take n² floats: 400 MB at n = 10,007) as a convolution, done by
// power-of-two transforms. With jk = (j² + k² − (k − j)²)/2 and the chirp c_j = e^{∓πi·j²/n}:
//   X_k = c_k · Σ_j (x_j·c_j) · conj(c_{k−j}),
// a circular convolution of length m ≥ 2n − 1 (a power of two) of a = x·c, zero-padded, with h,
// the conjugate chirp laid out circularly. Its transform H is computed on the host in float64
// (with 1/m folded in), so a call is two transforms of length m and three pointwise products.

import { Complex } from "../trace/complexValue.js";
import type { Tracer } from "../trace/core.js";
import { pad } from "../np/pad.js";
import { slice_in_dim } from "../lax/structural.js";
import * as cm from "./complexMath.js";
import type { Parts } from "./complexMath.js";
import { cachedConstant } from "./dftTables.js";

/** e^{sign·πi·(j² mod 2n)/n} for j < n (the reduction keeps the angle exact in float64). */
function chirp(n: number, sign: number): [Float64Array, Float64Array] {
  const re = new Float64Array(n),
    im = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const a = (sign * Math.PI * ((j * j) % (2 * n))) / n;
    re[j] = Math.cos(a);
    im[j] = Math.sin(a);
  }
  return [re, im];
}

/** An in-place radix-2 FFT in float64 (forward, unscaled) of length a power of two. */
function hostFft(re: Float64Array, im: Float64Array): void {
  const m = re.length;
  for (let i = 1, j = 0; i < m; i++) {
    let bit = m >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= m; len <<= 1) {
    const a = (-2 * Math.PI) / len;
    for (let i = 0; i < m; i += len)
      for (let k = 0; k < len / 2; k++) {
        const [wr, wi] = [Math.cos(a * k), Math.sin(a * k)];
        const [p, q] = [i + k, i + k + len / 2];
        const tr = re[q]! * wr - im[q]! * wi;
        const ti = re[q]! * wi + im[q]! * wr;
        re[q] = re[p]! - tr;
        im[q] = im[p]! - ti;
        re[p] = re[p]! + tr;
        im[p] = im[p]! + ti;
      }
  }
}

const f32 = (v: Float64Array): Float32Array => Float32Array.from(v);

/** H = FFT_m(h) / m, with h_d = conj(c_d) at d and at m − d (d < n) and zeros between. */
function transformedChirp(n: number, m: number, sign: number): [Float64Array, Float64Array] {
  const [cr, ci] = chirp(n, sign);
  const hr = new Float64Array(m),
    hi = new Float64Array(m);
  for (let d = 0; d < n; d++) {
    hr[d] = cr[d]!;
    hi[d] = -ci[d]!;
    if (d > 0) {
      hr[m - d] = cr[d]!;
      hi[m - d] = -ci[d]!;
    }
  }
  hostFft(hr, hi);
  for (let i = 0; i < m; i++) {
    hr[i]! /= m;
    hi[i]! /= m;
  }
  return [hr, hi];
}

/** The transform of prime length n along the last axis, `pow2` transforming length m. */
export function chirpTransform(
  x: Parts,
  n: number,
  inverse: boolean,
  pow2: (p: Parts, inverse: boolean) => Complex,
): Complex {
  const m = 2 ** Math.ceil(Math.log2(2 * n - 1));
  const sign = inverse ? 1 : -1;
  const key = `chirp:${n}:${sign}`;
  const c = new Complex(
    cachedConstant(`${key}:re`, [n], () => f32(chirp(n, sign)[0])),
    cachedConstant(`${key}:im`, [n], () => f32(chirp(n, sign)[1])),
  );
  // Both parts of H from one host transform, on a cache miss.
  let made: [Float64Array, Float64Array] | null = null;
  const H = (): [Float64Array, Float64Array] => (made ??= transformedChirp(n, m, sign));
  const h = new Complex(
    cachedConstant(`${key}:H:re`, [m], () => f32(H()[0])),
    cachedConstant(`${key}:H:im`, [m], () => f32(H()[1])),
  );
  const a = cm.multiply(cm.fromParts(x), c);
  const lead = a.re.shape.slice(0, -1);
  const widen = (t: Tracer) => pad(t, [...lead.map(() => [0, 0] as [number, number]), [0, m - n] as [number, number]]);
  const spectrum = pow2({ re: widen(a.re), im: widen(a.im) }, false);
  const conv = pow2(cm.multiply(spectrum, h), true);
  const first = (t: Tracer) => slice_in_dim(t, 0, n, 1, -1);
  return cm.multiply(new Complex(first(conv.re), first(conv.im)), c);
}
