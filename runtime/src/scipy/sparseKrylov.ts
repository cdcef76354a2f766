// The conjugate-gradient and BiCGSTAB iterations of scipy.sparse.linalg (sparseLinalg.ts), as
// jax.scipy.sparse.linalg's: one lax.while_loop each, stopping when ‖r‖² ≤ max(tol²‖b‖², atol²)
// or after maxiter steps, with JAX's update order so that early-stopped iterates agree with
// JAX's. Vectors are the leaves of the right-hand side's pytree, a list of arrays of any shapes;
// inner products sum over every leaf (JAX's tree_vdot).

import type { Tracer } from "../trace/core.js";
import * as np from "../np.js";
import { while_loop } from "../lax/control.js";

/** A vector of the solve: the leaves of the right-hand side's tree, in order. */
export type Leaves = Tracer[];
/** A linear operator on such vectors (the matrix, or the user's function, flattened). */
export type LeafOp = (x: Leaves) => Leaves;

/** What a solve runs with: the operator, the preconditioner (null: none, as JAX's _identity),
 *  the initial guess, and the scalars gmres fixes from the primal b (its tolerances). */
export interface SolveParts {
  readonly A: LeafOp;
  readonly M: LeafOp | null;
  readonly x0: Leaves;
  readonly extras: Leaves;
}

/** The static settings of a solve (JAX's keyword arguments). */
export interface KrylovSettings {
  readonly tol: number;
  readonly atol: number;
  readonly maxiter: number;
}

// Pytree arithmetic on leaf lists (JAX's _add, _sub, _mul, _vdot_real_tree).
export const vdot = (x: Leaves, y: Leaves): Tracer =>
  x.map((xi, i) => np.sum(np.multiply(xi, y[i]!))).reduce((s, t) => np.add(s, t));
export const add = (x: Leaves, y: Leaves): Leaves => x.map((xi, i) => np.add(xi, y[i]!));
export const sub = (x: Leaves, y: Leaves): Leaves => x.map((xi, i) => np.subtract(xi, y[i]!));
export const scale = (a: Tracer, x: Leaves): Leaves => x.map((xi) => np.multiply(a, xi));
export const pick = (c: Tracer, x: Leaves, y: Leaves): Leaves => x.map((xi, i) => np.where(c, xi, y[i]!));
const int = (v: number): Tracer => np.array(v, { dtype: "int32" });

/** max(tol²·‖b‖², atol²): the squared residual norm at which the iterations stop. */
function threshold(b: Leaves, s: KrylovSettings): Tracer {
  return np.maximum(np.multiply(s.tol * s.tol, vdot(b, b)), s.atol * s.atol);
}

/** Preconditioned conjugate gradients (A symmetric positive definite). */
export function cgSolve(parts: SolveParts, b: Leaves, s: KrylovSettings): Leaves {
  const { A, M, x0 } = parts;
  const atol2 = threshold(b, s);
  const n = b.length;
  const r0 = sub(b, A(x0));
  const p0 = M ? M(r0) : r0;
  const gamma0 = vdot(r0, p0);
  // Carry: x, r, p (n leaves each), gamma, k.
  type Carry = Tracer[];
  const split = (c: Carry) => ({
    x: c.slice(0, n),
    r: c.slice(n, 2 * n),
    p: c.slice(2 * n, 3 * n),
    gamma: c[3 * n]!,
    k: c[3 * n + 1]!,
  });
  const out = while_loop(
    (c: Carry) => {
      const { r, gamma, k } = split(c);
      // Without a preconditioner gamma is ‖r‖² already (JAX's shortcut, same test).
      const rs = M ? vdot(r, r) : gamma;
      return np.logical_and(np.greater(rs, atol2), np.less(k, s.maxiter));
    },
    (c: Carry) => {
      const { x, r, p, gamma, k } = split(c);
      const Ap = A(p);
      const alpha = np.divide(gamma, vdot(p, Ap));
      const x2 = add(x, scale(alpha, p));
      const r2 = sub(r, scale(alpha, Ap));
      const z2 = M ? M(r2) : r2;
      const gamma2 = vdot(r2, z2);
      const p2 = add(z2, scale(np.divide(gamma2, gamma), p));
      return [...x2, ...r2, ...p2, gamma2, np.add(k, 1)];
    },
    [...x0, ...r0, ...p0, gamma0, int(0)],
  );
  return out.slice(0, n);
}

/** Preconditioned BiCGSTAB; k turns negative on breakdown (−10: ρ = 0, −11: ω or α = 0), which
 *  stops the loop, as JAX's. */
export function bicgstabSolve(parts: SolveParts, b: Leaves, s: KrylovSettings): Leaves {
  const { A, M, x0 } = parts;
  const atol2 = threshold(b, s);
  const n = b.length;
  const Mop = (v: Leaves) => (M ? M(v) : v);
  const r0 = sub(b, A(x0));
  const one = np.array(1, { dtype: "float32" });
  // Carry: x, r, rhat, p, q (n leaves each), alpha, omega, rho, k.
  type Carry = Tracer[];
  const split = (c: Carry) => ({
    x: c.slice(0, n),
    r: c.slice(n, 2 * n),
    rhat: c.slice(2 * n, 3 * n),
    p: c.slice(3 * n, 4 * n),
    q: c.slice(4 * n, 5 * n),
    alpha: c[5 * n]!,
    omega: c[5 * n + 1]!,
    rho: c[5 * n + 2]!,
    k: c[5 * n + 3]!,
  });
  const out = while_loop(
    (c: Carry) => {
      const { r, k } = split(c);
      const go = np.logical_and(np.greater(vdot(r, r), atol2), np.less(k, s.maxiter));
      return np.logical_and(go, np.greater_equal(k, 0));
    },
    (c: Carry) => {
      const { x, r, rhat, p, q, alpha, omega, rho, k } = split(c);
      const rho2 = vdot(rhat, r);
      const beta = np.multiply(np.divide(rho2, rho), np.divide(alpha, omega));
      const p2 = add(r, scale(beta, sub(p, scale(omega, q))));
      const phat = Mop(p2);
      const q2 = A(phat);
      const alpha2 = np.divide(rho2, vdot(rhat, q2));
      const sv = sub(r, scale(alpha2, q2));
      const exitEarly = np.less(vdot(sv, sv), atol2);
      const shat = Mop(sv);
      const t = A(shat);
      const omega2 = np.divide(vdot(t, sv), vdot(t, t));
      const step = scale(alpha2, phat);
      const x2 = pick(exitEarly, add(x, step), add(x, add(step, scale(omega2, shat))));
      const r2 = pick(exitEarly, sv, sub(sv, scale(omega2, t)));
      const broke = np.logical_or(np.equal(omega2, 0), np.equal(alpha2, 0));
      let k2 = np.where(broke, int(-11), np.add(k, 1));
      k2 = np.where(np.equal(rho2, 0), int(-10), k2);
      return [...x2, ...r2, ...rhat, ...p2, ...q2, alpha2, omega2, rho2, k2];
    },
    [...x0, ...r0, ...r0, ...r0, ...r0, one, one, one, int(0)],
  );
  return out.slice(0, n);
}
