// The discrete Fourier transform along the last axis, as matrix products, so that it compiles to
// the matmul kernels (and fuses, differentiates and batches like any other op):
//   - n ≤ DIRECT_MAX, or n with no factor to split on: one product with the n×n DFT matrix
//     (cos and sin parts), O(n) work per output;
//   - otherwise the four-step (Cooley–Tukey) split n = n1·n2: the length-n1 transforms, a
//     twiddle multiply, the length-n2 transforms, recursively; O(n1 + n2) per output per level.
// The matrices and twiddles are computed in float64 on the host and rounded once to float32, so a
// transform's error is the products' own (about 1e-6 relative to the input's norm at n = 4096).
//   - a prime length above DIRECT_MAX (or such a factor of a split): Bluestein's algorithm
//     (bluestein.ts), a chirp convolution through power-of-two transforms, O(n log n).

import { Complex } from "../trace/complexValue.js";
import type { Tracer } from "../trace/core.js";
import * as ew from "../np/elementwise.js";
import { table } from "./dftTables.js";
import { chirpTransform } from "./bluestein.js";
import { matmul } from "../np/linalg.js";
import { reshape, swapaxes } from "../np/shape.js";
import type { Parts } from "./complexMath.js";

/** The longest transform done as one matrix product (a 256×256 matrix: 256 KB per part). */
export const DIRECT_MAX = 256;

/** The largest factor of n that is ≤ √n (1 when n is prime). */
function splitFactor(n: number): number {
  for (let f = Math.floor(Math.sqrt(n)); f >= 2; f--) if (n % f === 0) return f;
  return 1;
}

/**
 * The unscaled DFT of x along its last axis: Σ_j x_j e^{∓2πi·jk/n}, the minus sign forward, the
 * plus sign for the inverse. `x.im` null means x is real (its terms are left out).
 */
export function dftLast(x: Parts, inverse: boolean): Complex {
  const n = x.re.shape[x.re.ndim - 1]!;
  if (n <= DIRECT_MAX) return direct(x, n, inverse);
  const n1 = splitFactor(n);
  // A prime above DIRECT_MAX: Bluestein's chirp, a convolution done by power-of-two transforms.
  return n1 > 1 ? fourStep(x, n, n1, inverse) : chirpTransform(x, n, inverse, dftLast);
}

/** Forward: re = Xr·C + Xi·S, im = Xi·C − Xr·S; the inverse flips the sign of every S term. */
function direct(x: Parts, n: number, inverse: boolean): Complex {
  const C = table("cos", n, n, n);
  const S = table("sin", n, n, n);
  const xrS = matmul(x.re, S);
  const xrC = matmul(x.re, C);
  // 0 − x·S, not −(x·S): a zero imaginary part is +0, as JAX prints it.
  if (!x.im) return new Complex(xrC, inverse ? xrS : ew.subtract(0, xrS));
  const xiS = matmul(x.im, S);
  const xiC = matmul(x.im, C);
  return inverse
    ? new Complex(ew.subtract(xrC, xiS), ew.add(xiC, xrS))
    : new Complex(ew.add(xrC, xiS), ew.subtract(xiC, xrS));
}

/** Input index j = n2·j1 + j2, output index k = k1 + n1·k2 (j1, k1 < n1; j2, k2 < n2). */
function fourStep(x: Parts, n: number, n1: number, inverse: boolean): Complex {
  const n2 = n / n1;
  const lead = x.re.shape.slice(0, -1);
  // [..., j1, j2] → [..., j2, j1]: the length-n1 transforms run along the last axis.
  const split = (t: Tracer) => swapaxes(reshape(t, [...lead, n1, n2]), -1, -2);
  const a = dftLast({ re: split(x.re), im: x.im && split(x.im) }, inverse); // [..., j2, k1]
  // Twiddle e^{∓2πi·j2·k1/n}.
  const c = table("cos", n, n2, n1);
  const s = table("sin", n, n2, n1);
  const sg = inverse ? s : ew.negative(s);
  const tw = new Complex(
    ew.subtract(ew.multiply(a.re, c), ew.multiply(a.im, sg)),
    ew.add(ew.multiply(a.re, sg), ew.multiply(a.im, c)),
  );
  // [..., j2, k1] → [..., k1, j2]: the length-n2 transforms; then [..., k2, k1] flattened.
  const b = dftLast({ re: swapaxes(tw.re, -1, -2), im: swapaxes(tw.im, -1, -2) }, inverse);
  const join = (t: Tracer) => reshape(swapaxes(t, -1, -2), [...lead, n]);
  return new Complex(join(b.re), join(b.im));
}

/**
 * The unscaled inverse transform of a Hermitian spectrum to n real values, along the last axis:
 * `z` holds the first n/2 + 1 coefficients (the rest are their conjugates), as numpy's irfft reads
 * them (the imaginary parts of the zero and Nyquist terms do not count).
 */
export function inverseRealLast(z: Parts, n: number): Tracer {
  const m = z.re.shape[z.re.ndim - 1]!;
  const C = table("cos", n, m, n, true);
  const S = table("sin", n, m, n, true);
  const re = matmul(z.re, C);
  return z.im ? ew.subtract(re, matmul(z.im, S)) : re;
}
