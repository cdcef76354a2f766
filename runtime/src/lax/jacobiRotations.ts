// The parallel Jacobi schedule that eigh and svd share: the round-robin "circle" tournament. In
// round r every row meets a partner, all n/2 pairs disjoint: row n − 1 sits still and meets row
// r, and row i < n − 1 meets row (2r − i) mod (n − 1). After n − 1 rounds every pair of rows has
// met once. The rows never move: a round rotates each row with its partner in place, read by
// gathers whose indices the round computes, so one elementwise pass does a round's rotation with
// no permutation written between rounds. The round number travels in the loop's carry.
// An odd n is padded with one zero row (and column), which every rotation leaves exactly as it is.

import { bind1, type Tracer } from "../trace/core.js";
import * as ew from "../np/elementwise.js";
import { take } from "../np/indexing.js";
import { expand_dims } from "../np/shape.js";

/** Indices counting along `axis` of `shape` (int32) as an iota op: index math the body's kernels
 *  compute inline. arange would be a host constant, which a loop body holds as an array read from
 *  memory, one more buffer bound by every kernel that reads it. */
export const indexGrid = (shape: readonly number[], axis = 0): Tracer =>
  bind1("iota", { shape: [...shape], axis, dtype: "int32" }, []);

/** Rows padded to an even count: odd n gets one more. */
export const evenSize = (n: number): number => n + (n % 2);

/** The round after r (an int32 scalar) in a tournament of n rows: 0 after n − 2. */
export const nextRound = (r: Tracer, n: number): Tracer => {
  const next = ew.add(r, 1);
  return ew.where(ew.equal(next, n - 1), 0, next);
};

/** The partner in round r of each row index in `rows` (int32, any shape), n rows in all. */
export function partnerOf(rows: Tracer, r: Tracer, n: number): Tracer {
  const turned = ew.subtract(ew.multiply(r, 2), rows);
  const wrapped = ew.where(
    ew.less(turned, 0),
    ew.add(turned, n - 1),
    ew.where(ew.greater_equal(turned, n - 1), ew.subtract(turned, n - 1), turned),
  );
  return ew.where(ew.equal(rows, r), n - 1, ew.where(ew.equal(rows, n - 1), r, wrapped));
}

/** For each pair's symmetric 2×2 block [[app, apq], [apq, aqq]], the (c, s) of
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

/** One round's pairs seen from each row i ([n] int32 each): its partner, the pair's first row p
 *  (the smaller index) and second row q, and whether i is p. */
export function roundPairs(
  n: number,
  r: Tracer,
  rows: Tracer,
): { partner: Tracer; p: Tracer; q: Tracer; first: Tracer } {
  const partner = partnerOf(rows, r, n);
  const p = ew.minimum(rows, partner);
  return { partner, p, q: ew.maximum(rows, partner), first: ew.equal(rows, p) };
}

/** Each row's coefficients [..., n] under J: row p becomes c·p − s·q and row q becomes s·p + c·q,
 *  so row i becomes α_i·x_i + β_i·x_partner with α = c and β = −s on p, s on q. */
export const rowCoefficients = (c: Tracer, s: Tracer, first: Tracer): [Tracer, Tracer] => [
  c,
  ew.where(first, ew.negative(s), s),
];

/** Jᵀ·x for the rows of x [..., n, k], each with its partner ([n] int32), in place. */
export const rotateRows = (x: Tracer, alpha: Tracer, beta: Tracer, partner: Tracer): Tracer =>
  ew.add(ew.multiply(expand_dims(alpha, -1), x), ew.multiply(expand_dims(beta, -1), take(x, partner, -2)));
