// np.linalg.det and np.linalg.slogdet from one LU factorisation: the product of U's diagonal
// times the permutation's sign. The sign is the parity of the permutation's inversions (pairs
// i < j with perm[i] > perm[j]), an n×n comparison and a sum: no sequential walk of the cycles.
// slogdet returns [sign, logabsdet] as JAX's SlogdetResult (sign 0 and -inf when singular).

import type { Tracer } from "../trace/core.js";
import * as L from "../trace/rules/lax.js";
import type { Val } from "../trace/rules/lax.js";
import { eye, lu, luParts, triu } from "../trace/rules/linalgLax.js";
import { floor } from "./mathSurface.js";
import { prod } from "./reduceSurface.js";
import { squareOperand } from "./linalgOperands.js";
import type { ArrayLike } from "./promote.js";

const f = (value: number): Val => ({ kind: "lit", value, aval: { shape: [], dtype: "float32" } });

/** (-1)^count for a float count of integers: 1 - 2·(count mod 2). */
const signOfCount = (count: Val): Val =>
  L.sub(f(1), L.mul(f(2), L.sub(count, L.mul(f(2), floor(L.mul(count, f(0.5)) as Tracer)))));

/** U's diagonal [..., n] and the number of inversions of the row permutation [...]. */
function factor(op: string, a: ArrayLike): { d: Val; inversions: Val } {
  const x = squareOperand(op, a);
  const { packed, perm } = luParts(lu(x));
  const shape = packed.aval.shape;
  const r = shape.length;
  const rows = L.broadcast(
    perm,
    shape,
    shape.map((_, i) => i),
  ); // rows[i, j] = perm[i]
  const inversions = L.reduceSum(triu(L.mask("gt", rows, L.swapLast2(rows)), 1), [r - 2, r - 1]);
  return { d: L.reduceSum(L.mul(packed, eye(shape)), [r - 1]), inversions };
}

/** The determinant of each matrix of a [..., n, n]. */
export function det(a: ArrayLike): Tracer {
  const { d, inversions } = factor("det", a);
  return L.mul(signOfCount(inversions), prod(d as Tracer, -1)) as Tracer;
}

/** [sign, log|det|] of each matrix of a [..., n, n]: the log of the determinant without its
 *  overflow (a 100×100 covariance's det is far outside float32). */
export function slogdet(a: ArrayLike): [Tracer, Tracer] {
  const { d, inversions } = factor("slogdet", a);
  const last = [d.aval.shape.length - 1];
  const negatives = L.reduceSum(L.mask("lt", d, f(0)), last);
  const nonzero = prod(L.mask("ne", d, f(0)) as Tracer, -1);
  const sign = L.mul(signOfCount(L.add(inversions, negatives)), nonzero);
  return [sign as Tracer, L.reduceSum(L.unary("log", L.unary("abs", d)), last) as Tracer];
}
