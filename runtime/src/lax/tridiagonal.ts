// lax.linalg.tridiagonal_solve by parallel cyclic reduction: each of ⌈log₂ m⌉ rounds eliminates,
// from every row at once, its neighbours at distance s (1, 2, 4, …) by combining it with the rows
// s above and s below, until each row holds its unknown alone. A round is a dozen elementwise ops
// over shifted copies of the diagonals, so a 64-row system is 6 rounds of a few kernels, where the
// Thomas algorithm's row-by-row sweeps were 128 dependent steps (a Crank–Nicolson fit ran 128,000
// dispatches a kernel). Without pivoting, as JAX's GPU kernel (cuSPARSE gtsv2_nopivot): stable
// for diagonally dominant or symmetric positive definite systems, the ones splines, implicit
// diffusion steps and Crank–Nicolson schemes build. Differentiable: every op is.

import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import * as L from "../trace/rules/lax.js";
import * as ew from "../np/elementwise.js";
import { asTracer, type ArrayLike } from "../np/promote.js";
import { expand_dims } from "../np/shape.js";
import { avalText } from "../np/validate.js";

const OP = "lax.linalg.tridiagonal_solve";

function floatOperand(what: string, v: ArrayLike): Tracer {
  const x = asTracer(OP, v);
  if (x.dtype !== "float32")
    throw new JitScopeError("dtype", `${OP}: ${what} must be float32, got ${avalText(x.aval)}`);
  return x;
}

/**
 * x [..., m, n] with A·x = b, where A [..., m, m] has lower diagonal dl (dl[..., 0] unused),
 * diagonal d and upper diagonal du (du[..., m − 1] unused), each [..., m].
 */
export function tridiagonal_solve(dl: ArrayLike, d: ArrayLike, du: ArrayLike, b: ArrayLike): Tracer {
  const [lo, mid, up] = [floatOperand("dl", dl), floatOperand("d", d), floatOperand("du", du)];
  const rhs = floatOperand("b", b);
  const shape = mid.shape;
  const same = (x: Tracer): boolean => x.shape.length === shape.length && x.shape.every((s, i) => s === shape[i]);
  if (mid.ndim < 1 || !same(lo) || !same(up))
    throw new JitScopeError(
      "shape",
      `${OP}: dl, d and du must have one shape [..., m], got ${avalText(lo.aval)}, ${avalText(mid.aval)} and ${avalText(up.aval)}`,
    );
  const m = shape[shape.length - 1]!;
  if (rhs.ndim !== shape.length + 1 || !shape.every((s, i) => rhs.shape[i] === s))
    throw new JitScopeError(
      "shape",
      `${OP}: b must be [${[...shape, "n"].join(", ")}] (the diagonals' shape and a column axis), got ${avalText(rhs.aval)}`,
    );
  if (m === 0) return rhs;
  // Row i: a·x[i−s] + b·x[i] + c·x[i+s] = r, the diagonals with a column axis to meet r's.
  let a: Tracer = expand_dims(lo, -1);
  let bd: Tracer = expand_dims(mid, -1);
  let c: Tracer = expand_dims(up, -1);
  let r: Tracer = rhs;
  const axis = rhs.ndim - 2;
  // Row i − s and row i + s of x; rows beyond the ends read as the equation x = 0 alone
  // (a = c = r = 0, b = 1).
  const prev = (x: Tracer, s: number, fill: number): Tracer => shifted(x, axis, s, fill);
  const next = (x: Tracer, s: number, fill: number): Tracer => shifted(x, axis, -s, fill);
  // The first row's a and the last row's c couple to rows that do not exist: zero them.
  a = prev(next(a, 1, 0), 1, 0);
  c = next(prev(c, 1, 0), 1, 0);
  for (let s = 1; s < m; s *= 2) {
    const alpha = ew.negative(ew.divide(a, prev(bd, s, 1)));
    const gamma = ew.negative(ew.divide(c, next(bd, s, 1)));
    const b2 = ew.add(bd, ew.add(ew.multiply(alpha, prev(c, s, 0)), ew.multiply(gamma, next(a, s, 0))));
    const r2 = ew.add(r, ew.add(ew.multiply(alpha, prev(r, s, 0)), ew.multiply(gamma, next(r, s, 0))));
    a = ew.multiply(alpha, prev(a, s, 0));
    c = ew.multiply(gamma, next(c, s, 0));
    bd = b2;
    r = r2;
  }
  return ew.divide(r, bd);
}

/** x moved by `by` rows along `axis`: row i of the result is row i − by of x (`fill` where that
 *  row does not exist), so by > 0 reads the rows above, by < 0 those below. */
function shifted(x: Tracer, axis: number, by: number, fill: number): Tracer {
  const n = x.shape[axis]!;
  const starts = x.shape.map(() => 0);
  const limits = [...x.shape];
  const low = x.shape.map(() => 0);
  const high = x.shape.map(() => 0);
  if (by > 0) {
    limits[axis] = n - by;
    low[axis] = by;
  } else {
    starts[axis] = -by;
    high[axis] = -by;
  }
  return L.pad(L.slice(x, starts, limits), low, high, fill) as Tracer;
}
