// jnp.roots (the roots of a polynomial, as the eigenvalues of its companion matrix) and jnp.poly
// with a square matrix (the characteristic polynomial, from eig's eigenvalues). Both live in lax/
// beside the QR iteration (lax/schurQr.ts) they run, since np's files cannot import lax.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import { Complex } from "../trace/complexValue.js";
import { isStaging, type Tracer } from "../trace/core.js";
import { libraryJit } from "../trace/jit.js";
import { arange, array, full, zeros } from "../np/creation.js";
import * as ew from "../np/elementwise.js";
import { take } from "../np/indexing.js";
import { valuesNow } from "../np/concreteValues.js";
import { asTracer, cast, type ArrayLike } from "../np/promote.js";
import { argmin, max } from "../np/reductions.js";
import { all } from "../np/reduceSurface.js";
import { reshape } from "../np/shape.js";
import { poly as polyOfRoots } from "../np/polyRoots.js";
import { diagonal } from "../np/matrixSurface.js";
import { mod } from "../np/mathSurface.js";
import { complexSchur } from "./schurQr.js";
import { eigvals, generalOperand } from "./eigGeneral.js";

export interface RootsOptions {
  /** Drop p's leading zeros first (default true, as NumPy); needs p's values, so under jit pass
   *  false: then each leading zero gives a NaN root, as JAX. */
  strip_zeros?: boolean;
}

/** The roots of p (1-D coefficients, highest degree first), complex64 [len(p) − 1 − stripped]. */
export function roots(p: ArrayLike | readonly number[], options: RootsOptions = {}): Complex {
  checkOptions("roots", options, ["strip_zeros"]);
  let c = cast(asTracer("roots", Array.isArray(p) ? array(p as number[]) : (p as ArrayLike)), "float32");
  if (c.ndim === 0) c = reshape(c, [1]);
  if (c.ndim !== 1)
    throw new JitScopeError("shape", `roots: p must be a rank-1 array of coefficients, got shape [${c.shape}]`);
  if (options.strip_zeros ?? true) {
    const v = valuesNow(p);
    if (!v)
      throw new JitScopeError(
        "value",
        "roots: strip_zeros (the default) needs p's values to count its leading zeros, and they are not known here " +
          "(under jit, grad or vmap, or a WebGPU array: pass a list or `await p.toArray()`); " +
          "or pass { strip_zeros: false }, and each leading zero gives a NaN root (as JAX)",
      );
    const lead = Array.from(v.data).findIndex((x) => x !== 0);
    c = lead < 0 ? zeros([0]) : c.at(`${lead}:`).get();
  }
  const len = c.shape[0]!;
  if (len < 2) return new Complex(zeros([0]), zeros([0]));
  // Eagerly the QR iteration runs as one compiled call, as eig's does: run op by op, its
  // fori_loop would dispatch every rotation's ops (tens of thousands for a quintic).
  const [re, im] = isStaging() ? rootParts(c) : (compiledRoots ??= libraryJit(rootParts, "roots"))(c);
  return new Complex(re!, im!);
}

let compiledRoots: ((c: Tracer) => Tracer[]) | undefined;

function rootParts(c: Tracer): Tracer[] {
  const len = c.shape[0]!;
  const w = rootsWithLeadingZeros(c, ew.astype(where0(all(ew.equal(c, 0)), len, argmin(ew.equal(c, 0))), "int32"));
  return [w.re, w.im];
}

const where0 = (cond: Tracer, a: number, b: Tracer): Tracer => ew.where(cond, a, b);

/** The len − 1 roots of c with z leading zeros (traced): c is rolled so they trail; each trailing
 *  zero of the rolled polynomial is an exact zero root, split off by cutting the companion matrix's
 *  subdiagonal there (so the QR iteration never sees a Jordan block at 0); the last z are NaN. */
function rootsWithLeadingZeros(c: Tracer, z: Tracer): Complex {
  const len = c.shape[0]!;
  const m = len - 1;
  const rolled = take(c, mod(ew.add(arange(len, { dtype: "int32" }), z), len), 0);
  const head = rolled.at(0).get();
  const safe = ew.where(ew.equal(head, 0), 1, head);
  const firstRow = ew.negative(ew.divide(rolled.at("1:").get(), safe)); // [m]
  const lastNonzero = max(ew.where(ew.not_equal(rolled, 0), arange(len, { dtype: "int32" }), -1));
  const keep = lastNonzero; // m − the trailing zeros: the roots from here on are 0
  const pos = arange(m, { dtype: "int32" });
  let w: [Tracer, Tracer];
  if (m === 1) w = [firstRow, zeros([1])];
  else {
    const [row, col] = [reshape(pos, [m, 1]), reshape(pos, [1, m])];
    const below = ew.where(ew.equal(row, ew.add(col, 1)), ew.where(ew.less(row, keep), 1, 0), 0);
    const companion = ew.where(ew.equal(row, 0), reshape(firstRow, [1, m]), below);
    const { t } = complexSchur(companion, false);
    w = [diagonal(t.re), diagonal(t.im)];
  }
  const zero = ew.greater_equal(pos, keep);
  const undefinedRoot = ew.greater_equal(pos, ew.subtract(m, z));
  const nan = full([m], NaN);
  const fix = (x: Tracer) => ew.where(undefinedRoot, nan, ew.where(zero, 0, x));
  return new Complex(fix(w[0]), fix(w[1]));
}

/** jnp.poly: of a square matrix, the coefficients of its characteristic polynomial (complex64,
 *  from its eigenvalues); of 1-D roots, np/polyRoots.ts's poly. */
export function poly(seq_of_zeros: ArrayLike | Complex): Tracer | Complex {
  if (!(seq_of_zeros instanceof Complex)) {
    const x = asTracer("poly", seq_of_zeros);
    if (x.ndim === 2 && x.shape[0] === x.shape[1] && x.shape[0] !== 0)
      return polyOfRoots(eigvals(generalOperand("poly", x)));
  }
  return polyOfRoots(seq_of_zeros);
}
