// The parallel (Brent–Luk round-robin) Jacobi schedule that eigh and svd share. Rows sit in pairs
// (0, 1), (2, 3), …: one round rotates all n/2 disjoint pairs at once with elementwise ops on a
// [..., n/2, 2, k] view, then moves the rows one step of the round-robin "circle" (a constant
// permutation, one gather), so that after n - 1 rounds every pair of rows has met once and the
// rows are back in their first order. A whole number of sweeps thus leaves row i where it began.
// An odd n is padded with one zero row (and column), which every rotation leaves exactly as it is.

import type { Tracer } from "../trace/core.js";
import * as ew from "../np/elementwise.js";
import { slice, take } from "../np/indexing.js";
import { concatenate, reshape } from "../np/shape.js";

/** Rows padded to an even count: odd n gets one more. */
export const evenSize = (n: number): number => n + (n % 2);

/** The constant permutation of one round-robin step: row `order[i]` of the old layout becomes row
 *  i of the new. Slot 0 stays; the others move one place around the circle 2, 4, …, n-2, n-1,
 *  n-3, …, 3, 1 (top row of pairs left to right, then the bottom row right to left). */
export function roundRobinStep(n: number): number[] {
  const ring: number[] = [];
  for (let k = 1; k < n / 2; k++) ring.push(2 * k);
  for (let k = n / 2 - 1; k >= 0; k--) ring.push(2 * k + 1);
  const order = Array.from({ length: n }, (_, i) => i);
  ring.forEach((to, j) => (order[ring[(j + 1) % ring.length]!] = to));
  return order;
}

/** For each pair's symmetric 2×2 block [[app, apq], [apq, aqq]] ([..., n/2] each), the (c, s) of
 *  J = [[c, s], [-s, c]] with Jᵀ·block·J diagonal (Golub & Van Loan's symSchur2; the smaller
 *  angle, so the sweeps converge), and t = s/c. apq = 0 gives the identity exactly. */
export function symSchur2(app: Tracer, aqq: Tracer, apq: Tracer): [Tracer, Tracer, Tracer] {
  const zero = ew.equal(apq, 0);
  const tau = ew.divide(ew.subtract(aqq, app), ew.multiply(2, ew.where(zero, 1, apq)));
  const sgn = ew.where(ew.greater_equal(tau, 0), 1, -1);
  // For a huge |τ| the hypot overflows to inf and t becomes 0: the block is diagonal already.
  const t = ew.divide(sgn, ew.add(ew.abs(tau), ew.sqrt(ew.add(1, ew.square(tau)))));
  const c = ew.divide(1, ew.sqrt(ew.add(1, ew.square(t))));
  return [ew.where(zero, 1, c), ew.where(zero, 0, ew.multiply(t, c)), ew.where(zero, 0, t)];
}

/** x [..., n, k] split into its even and odd rows, [..., n/2, 1, k] each. */
export function pairRows(x: Tracer): [Tracer, Tracer] {
  const lead = x.shape.slice(0, -2);
  const n = x.shape[x.ndim - 2]!;
  const k = x.shape[x.ndim - 1]!;
  const v = reshape(x, [...lead, n / 2, 2, k]);
  const all = lead.map(() => null);
  return [
    slice(v, [...all, null, 0, null], [...all, null, 1, null]),
    slice(v, [...all, null, 1, null], [...all, null, 2, null]),
  ];
}

/** Jᵀ·x for the block-diagonal J of every pair's (c, s) ([..., n/2]): row p becomes c·p − s·q and
 *  row q becomes s·p + c·q. */
export function rotateRows(x: Tracer, c: Tracer, s: Tracer): Tracer {
  const [p, q] = pairRows(x);
  const c4 = reshape(c, [...c.shape, 1, 1]);
  const s4 = reshape(s, [...s.shape, 1, 1]);
  const np = ew.subtract(ew.multiply(c4, p), ew.multiply(s4, q));
  const nq = ew.add(ew.multiply(s4, p), ew.multiply(c4, q));
  return reshape(concatenate([np, nq], -2), x.shape);
}

/** The rows of x [..., n, k] moved one round-robin step (axis -2; `axis` -1 moves the columns). */
export const stepRows = (x: Tracer, order: readonly number[], axis: -1 | -2 = -2): Tracer => take(x, order, axis);
