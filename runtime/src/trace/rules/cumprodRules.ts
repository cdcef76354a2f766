// Derivatives of cumprod (and so of prod, which is a cumprod's last element) that never divide
// by x. Dividing the products by x, as the rule used to, gives NaN wherever x has a zero, where
// JAX, which differentiates the products themselves, gives the product of the other elements.
//
// Both derivatives are first-order linear recurrences along the scanned axis (the product rule
// on y_j = y_{j-1} · x_j), solved by doubling: ⌈log₂ n⌉ steps of shift, multiply and add. They
// are built from mul, add, slice and pad only, so vmap, jit and both backends handle them as any
// other program, and their own derivatives (grad of grad) are exact too.

import { lit } from "../../trace/core.js";
import * as L from "./lax.js";
import type { Val } from "./lax.js";

/** `v` moved `d` places along `axis` in scan order (towards higher indices unless `reverse`),
 *  `fill` in the places it leaves. */
function shift(v: Val, d: number, axis: number, reverse: boolean, fill: number): Val {
  const shape = v.aval.shape;
  const n = shape[axis]!;
  // Nothing is left (a one-element row): no zero-sized slice, which a kernel would not run on.
  if (d >= n) return L.full(lit(fill, v.aval.dtype), shape);
  const at = (k: number) => shape.map((_, i) => (i === axis ? k : 0));
  const upTo = shape.map((s, i) => (i === axis ? n - d : s));
  if (reverse) return L.pad(L.slice(v, at(d), shape), at(0), at(d), fill);
  return L.pad(L.slice(v, at(0), upTo), at(d), at(0), fill);
}

/**
 * h_j = a_j · h_{j-1} + b_j along `axis` in scan order, h before the first element 0. After the
 * step with offset D, h_j = A_j · h_{j-D} + B_j; composing with the same relation D places back
 * doubles D, and once D ≥ n, B is h.
 */
function linearScan(a: Val, b: Val, axis: number, reverse: boolean): Val {
  const n = b.aval.shape[axis]!;
  let A = a;
  let B = b;
  for (let d = 1; d < n; d *= 2) {
    B = L.add(B, L.mul(A, shift(B, d, axis, reverse, 0)));
    if (2 * d < n) A = L.mul(A, shift(A, d, axis, reverse, 0));
  }
  return B;
}

/** The exclusive products y_{j-1} (1 first), the derivative of y_j with respect to x_j's factor. */
const before = (y: Val, axis: number, reverse: boolean): Val => shift(y, 1, axis, reverse, 1);

/** d y_j = x_j · d y_{j-1} + t_j · y_{j-1}. */
export function cumprodJvp(x: Val, t: Val, y: Val, axis: number, reverse: boolean): Val {
  const shape = y.aval.shape;
  return linearScan(L.full(x, shape), L.mul(L.full(t, shape), before(y, axis, reverse)), axis, reverse);
}

/** The transpose of the JVP: s_i = ct_i + x_{i+1} · s_{i+1}, scanned the other way, and
 *  ∂/∂x_i = y_{i-1} · s_i (the products before i times those after it, weighted by ct). */
export function cumprodVjp(x: Val, ct: Val, y: Val, axis: number, reverse: boolean): Val {
  const shape = y.aval.shape;
  const next = shift(L.full(x, shape), 1, axis, !reverse, 0);
  return L.mul(before(y, axis, reverse), linearScan(next, L.full(ct, shape), axis, !reverse));
}
