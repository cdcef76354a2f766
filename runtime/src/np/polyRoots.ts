// jnp.poly (the coefficients of the monic polynomial with given roots) and jnp.polydiv (quotient
// and remainder of polynomial division), highest degree first as the rest of np/polynomials.ts.
// Both are JAX's loops written out with np ops, so they trace and run under jit; polydiv's
// trim_leading_zeros needs the remainder's values (its length depends on them), so that form
// divides on the host, in float32 (Math.fround after each operation, as the device rounds).

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import { Complex } from "../trace/complexValue.js";
import type { Tracer } from "../trace/core.js";
import { concreteValues } from "./concreteValues.js";
import { array, ones, zeros } from "./creation.js";
import * as ew from "./elementwise.js";
import { asTracer, cast, type ArrayLike } from "./promote.js";
import { concatenate, reshape } from "./shape.js";

/** The coefficients of ∏ (x − r_k), from 1-D roots (a number counts as one root): float32 for
 *  real roots, complex64 for complex ones. np.poly of a square matrix (its eigenvalues as the
 *  roots) is lax/roots.ts's, which calls this with them; a matrix reaching here is refused. */
export function poly(seq_of_zeros: ArrayLike | Complex): Tracer | Complex {
  const isC = seq_of_zeros instanceof Complex;
  const [re, im] = isC ? [seq_of_zeros.re, seq_of_zeros.im] : [cast(asTracer("poly", seq_of_zeros), "float32"), null];
  const shape = re.shape;
  if (shape.length === 2 && shape[0] === shape[1] && shape[0] !== 0)
    throw new JitScopeError(
      "value",
      `poly: of a square matrix [${shape}] takes its eigenvalues: pass np.poly(np.linalg.eigvals(a))`,
    );
  if (shape.length > 1)
    throw new JitScopeError("shape", `poly: input must be 1-D or a non-empty square matrix, got [${shape}]`);
  const [r, i] = [reshape(re, [-1]), im && reshape(im, [-1])];
  const n = r.shape[0]!;
  const zero = zeros([1]);
  // a ← a·(x − r_k): [a, 0] + (−r_k)·[0, a], as JAX's convolve(a, [1, −r_k]).
  let a = ones([1]);
  let b = zeros([1]); // imaginary part
  for (let k = 0; k < n; k++) {
    const nr = ew.negative(r.at(k).get());
    const [aHi, aLo] = [concatenate([a, zero]), concatenate([zero, a])];
    if (!i) {
      a = ew.add(aHi, ew.multiply(nr, aLo));
      continue;
    }
    const ni = ew.negative(i.at(k).get());
    const [bHi, bLo] = [concatenate([b, zero]), concatenate([zero, b])];
    [a, b] = [
      ew.add(aHi, ew.subtract(ew.multiply(nr, aLo), ew.multiply(ni, bLo))),
      ew.add(bHi, ew.add(ew.multiply(nr, bLo), ew.multiply(ni, aLo))),
    ];
  }
  if (n === 0) [a, b] = [reshape(a, []), reshape(b, [])]; // JAX: ones(()) for no roots
  return isC ? new Complex(a, b) : a;
}

export interface PolydivOptions {
  /** Drop the remainder's leading near-zeros (|c| < √eps), as NumPy's result; needs concrete
   *  inputs (numbers, lists or arrays on the CPU backend), as in JAX it is not traceable. */
  trim_leading_zeros?: boolean;
}

/** [quotient, remainder] of u / v. The quotient has max(len u − len v + 1, 1) entries; the
 *  remainder keeps u's length (its leading entries the zeros the division left), unless
 *  trim_leading_zeros. Float32, as JAX promotes to inexact. */
export function polydiv(u: ArrayLike, v: ArrayLike, options: PolydivOptions = {}): [Tracer, Tracer] {
  checkOptions("polydiv", options, ["trim_leading_zeros"]);
  if (options.trim_leading_zeros) return polydivOnHost(u, v);
  const [num, den] = [cast(coefficients(u, "u"), "float32"), cast(coefficients(v, "v"), "float32")];
  const [m, n] = [num.shape[0]! - 1, den.shape[0]! - 1];
  const scale = ew.divide(1, den.at(0).get());
  let q = zeros([Math.max(m - n + 1, 1)]);
  let rem = num;
  for (let k = 0; k <= m - n; k++) {
    const d = ew.multiply(scale, rem.at(k).get());
    q = q.at(k).set(d);
    rem = rem.at(`${k}:${k + n + 1}`).add(ew.multiply(ew.negative(d), den));
  }
  return [q, rem];
}

function coefficients(p: ArrayLike, name: string): Tracer {
  const c = asTracer("polydiv", p);
  if (c.ndim !== 1)
    throw new JitScopeError("shape", `polydiv: ${name} must be 1-D coefficients, got shape [${c.shape}]`);
  if (c.shape[0] === 0) throw new JitScopeError("shape", `polydiv: ${name} has no coefficients`);
  return c;
}

/** The same division on the host, the remainder's leading entries under √eps(float32) dropped
 *  (JAX's trim_zeros_tol; all of them gives an empty remainder). */
function polydivOnHost(u: ArrayLike, v: ArrayLike): [Tracer, Tracer] {
  const f = Math.fround;
  const [uv, vv] = [concreteValues("polydiv", u), concreteValues("polydiv", v)];
  for (const [x, name] of [
    [uv, "u"],
    [vv, "v"],
  ] as const)
    if (x.shape.length !== 1 || x.shape[0] === 0)
      throw new JitScopeError("shape", `polydiv: ${name} must be non-empty 1-D coefficients, got shape [${x.shape}]`);
  const rem = Array.from(uv.data, f);
  const den = Array.from(vv.data, f);
  const [m, n] = [rem.length - 1, den.length - 1];
  const scale = f(1 / den[0]!);
  const q = new Array<number>(Math.max(m - n + 1, 1)).fill(0);
  for (let k = 0; k <= m - n; k++) {
    const d = f(scale * rem[k]!);
    q[k] = d;
    for (let j = 0; j <= n; j++) rem[k + j] = f(rem[k + j]! + f(-d * den[j]!));
  }
  const tol = f(Math.sqrt(f(2 ** -23)));
  const start = rem.findIndex((c) => !(Math.abs(c) < tol));
  const kept = start < 0 ? [] : rem.slice(start);
  return [array(q, { dtype: "float32" }), kept.length ? array(kept, { dtype: "float32" }) : zeros([0])];
}
