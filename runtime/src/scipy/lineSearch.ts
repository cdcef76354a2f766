// The inexact line search under `scipy.optimize.minimize`: a step along a descent direction that
// satisfies the strong Wolfe conditions (Nocedal and Wright, Numerical Optimization, Algorithms
// 3.5 and 3.6), as jax.scipy.optimize's, written as a state machine that advances by one
// evaluation of f and its gradient. JAX runs the search as a while_loop holding two zoom
// while_loops, inside the minimizer's while_loop; here the minimizer's one loop drives the search
// (quasiNewton.ts), because WebGPU runs a while_loop by reading its trip count back between
// chunks of iterations, which a loop nested in another's body cannot do. Each trial takes the
// step JAX's would, in JAX's order of float32 operations, so the steps, the counts (nfev, njev,
// nit) and the results agree with JAX's; every branch is a `where` over the state.

import type { Tracer } from "../trace/core.js";
import * as np from "../np.js";

/** The search's state: named scalars (and the gradient at the best step) in one pytree. */
export type SearchState = Record<string, Tracer>;

/** The spacing of float32 numbers at 1 (2^−23). */
const FLOAT32_EPS = 2 ** -23;
/** JAX allows 30 zoom steps where SciPy allows 10: float32 needs more to reach the same step. */
const ZOOM_MAXITER = 30;
const C1 = 1e-4;
const C2 = 0.9;

const f32 = (v: number): Tracer => np.array(v, { dtype: "float32" });
const i32 = (v: number): Tracer => np.array(v, { dtype: "int32" });
const and = (...xs: Tracer[]): Tracer => xs.reduce((a, b) => np.logical_and(a, b));
const or = (a: Tracer, b: Tracer): Tracer => np.logical_or(a, b);
const not = (a: Tracer): Tracer => np.logical_not(a);

/** `state` with each key of `update` replaced where `when` holds. */
export function replaceWhere(when: Tracer, state: SearchState, update: SearchState): SearchState {
  const out = { ...state };
  for (const [k, v] of Object.entries(update)) out[k] = np.where(when, v, state[k]!);
  return out;
}

/** A search from step 0, where f is phi0 with slope dphi0 and gradient g0, first trying `start`. */
export function startSearch(phi0: Tracer, dphi0: Tracer, g0: Tracer, start: Tracer): SearchState {
  const zero = f32(0);
  return {
    zooming: np.array(false, { dtype: "bool" }),
    done: np.array(false, { dtype: "bool" }),
    failed: np.array(false, { dtype: "bool" }),
    // Nocedal and Wright count from 1 (SciPy from 0, scipy/scipy#12157); JAX and we from 1.
    i: i32(1),
    phi0,
    dphi0,
    start,
    a_prev: zero,
    phi_prev: phi0,
    dphi_prev: dphi0,
    a_star: zero,
    phi_star: phi0,
    dphi_star: dphi0,
    g_star: g0,
    g0,
    j: i32(0),
    a_lo: zero,
    phi_lo: phi0,
    dphi_lo: dphi0,
    a_hi: zero,
    phi_hi: phi0,
    dphi_hi: dphi0,
    a_rec: zero,
    phi_rec: phi0,
  };
}

/** The minimizer of the cubic through (a, fa) with slope fpa there, (b, fb) and (c, fc). */
function cubicMin(a: Tracer, fa: Tracer, fpa: Tracer, b: Tracer, fb: Tracer, c: Tracer, fc: Tracer): Tracer {
  const db = b.sub(a);
  const dc = c.sub(a);
  const denom = np.square(db.mul(dc)).mul(db.sub(dc));
  const d20 = fb.sub(fa).sub(fpa.mul(db));
  const d21 = fc.sub(fa).sub(fpa.mul(dc));
  const A = np
    .square(dc)
    .mul(d20)
    .add(np.negative(np.square(db)).mul(d21))
    .div(denom);
  const B = np.negative(np.power(dc, 3)).mul(d20).add(np.power(db, 3).mul(d21)).div(denom);
  const radical = B.mul(B).sub(A.mul(fpa).mul(3));
  return a.add(np.negative(B).add(np.sqrt(radical)).div(A.mul(3)));
}

/** The minimizer of the quadratic through (a, fa) with slope fpa there and (b, fb). */
function quadMin(a: Tracer, fa: Tracer, fpa: Tracer, b: Tracer, fb: Tracer): Tracer {
  const db = b.sub(a);
  const B = fb.sub(fa).sub(fpa.mul(db)).div(np.square(db));
  return a.sub(fpa.div(B.mul(2)));
}

/** The zoom's next trial inside [a_lo, a_hi]: the cubic's minimizer when it lies well inside
 *  (not on the first zoom step), else the quadratic's, else the midpoint. */
function zoomTrial(s: SearchState): Tracer {
  const dalpha = s.a_hi!.sub(s.a_lo!);
  const a = np.minimum(s.a_hi!, s.a_lo!);
  const b = np.maximum(s.a_hi!, s.a_lo!);
  const cchk = dalpha.mul(0.2);
  const qchk = dalpha.mul(0.1);
  const aCubic = cubicMin(s.a_lo!, s.phi_lo!, s.dphi_lo!, s.a_hi!, s.phi_hi!, s.a_rec!, s.phi_rec!);
  const useCubic = and(s.j!.gt(0), aCubic.gt(a.add(cchk)), aCubic.lt(b.sub(cchk)));
  const aQuad = quadMin(s.a_lo!, s.phi_lo!, s.dphi_lo!, s.a_hi!, s.phi_hi!);
  const useQuad = and(not(useCubic), aQuad.gt(a.add(qchk)), aQuad.lt(b.sub(qchk)));
  const aj = np.where(useCubic, aCubic, s.a_rec!);
  return np.where(useQuad, aQuad, np.where(and(not(useCubic), not(useQuad)), s.a_lo!.add(s.a_hi!).div(2), aj));
}

/** The step to evaluate next: the bracketing phase's (the start, then doubling) or the zoom's. */
export function trialStep(s: SearchState): Tracer {
  const bracket = np.where(s.i!.eq(1), s.start!, s.a_prev!.mul(2));
  return np.where(s.zooming!, zoomTrial(s), bracket);
}

/** The search after evaluating f at step `a`: value phi, slope dphi, gradient g. */
export function advanceSearch(s: SearchState, a: Tracer, phi: Tracer, dphi: Tracer, g: Tracer): SearchState {
  // Not sufficient decrease (the first Wolfe condition fails), and the curvature condition holds.
  const wolfeOne = (at: Tracer, v: Tracer): Tracer => v.gt(s.phi0!.add(at.mul(s.dphi0!).mul(C1)));
  const wolfeTwo = (slope: Tracer): Tracer => np.abs(slope).le(s.dphi0!.mul(-C2));

  // Bracketing (Algorithm 3.5): accept the step, zoom between it and the previous one, or double.
  const toZoom1 = or(wolfeOne(a, phi), and(phi.ge(s.phi_prev!), s.i!.gt(1)));
  const accept = and(wolfeTwo(dphi), not(toZoom1));
  const toZoom2 = and(dphi.ge(0), not(toZoom1), not(accept));
  const prev = [s.a_prev!, s.phi_prev!, s.dphi_prev!] as const;
  const here = [a, phi, dphi] as const;
  const lo = [0, 1, 2].map((k) => np.where(toZoom1, prev[k]!, here[k]!));
  const hi = [0, 1, 2].map((k) => np.where(toZoom1, here[k]!, prev[k]!));
  let b: SearchState = { ...s, i: s.i!.add(1), a_prev: a, phi_prev: phi, dphi_prev: dphi };
  b = replaceWhere(or(toZoom1, toZoom2), b, {
    zooming: np.array(true, { dtype: "bool" }),
    j: i32(0),
    a_lo: lo[0]!,
    phi_lo: lo[1]!,
    dphi_lo: lo[2]!,
    a_hi: hi[0]!,
    phi_hi: hi[1]!,
    dphi_hi: hi[2]!,
    a_rec: lo[0]!.add(hi[0]!).div(2),
    phi_rec: lo[1]!.add(hi[1]!).div(2),
    // What a zoom that finds no step leaves, as JAX's: step 1 with the low end's value.
    a_star: f32(1),
    phi_star: lo[1]!,
    dphi_star: lo[2]!,
    g_star: s.g0!,
  });
  b = { ...replaceWhere(accept, b, { a_star: a, phi_star: phi, dphi_star: dphi, g_star: g }), done: accept };

  // Zooming (Algorithm 3.6). A bracket narrower than float32 can resolve ends the search as
  // failed. JAX 0.10 compares the signed width with 1e-5, which fails every bracket entered from
  // its high end (a_hi < a_lo: each trial that overshoots the minimum along the line) on its
  // first step; this is the guard of jax-ml/jax#40228: the width's magnitude against float32's
  // epsilon times the bracket's larger end.
  const width = np.abs(s.a_hi!.sub(s.a_lo!));
  const narrow = width.le(np.maximum(np.abs(s.a_lo!), np.abs(s.a_hi!)).mul(FLOAT32_EPS));
  const hiToJ = or(wolfeOne(a, phi), phi.ge(s.phi_lo!));
  const starToJ = and(wolfeTwo(dphi), not(hiToJ));
  const hiToLo = and(dphi.mul(s.a_hi!.sub(s.a_lo!)).ge(0), not(hiToJ), not(starToJ));
  const loToJ = and(not(hiToJ), not(starToJ));
  let z: SearchState = { ...s, failed: or(s.failed!, narrow) };
  z = replaceWhere(hiToJ, z, { a_hi: a, phi_hi: phi, dphi_hi: dphi, a_rec: z.a_hi!, phi_rec: z.phi_hi! });
  z = {
    ...replaceWhere(starToJ, z, { a_star: a, phi_star: phi, dphi_star: dphi, g_star: g }),
    done: or(starToJ, z.done!),
  };
  z = replaceWhere(hiToLo, z, {
    a_hi: z.a_lo!,
    phi_hi: z.phi_lo!,
    dphi_hi: z.dphi_lo!,
    a_rec: z.a_hi!,
    phi_rec: z.phi_hi!,
  });
  z = replaceWhere(and(loToJ, not(hiToLo)), z, { a_rec: z.a_lo!, phi_rec: z.phi_lo! });
  z = replaceWhere(loToJ, z, { a_lo: a, phi_lo: phi, dphi_lo: dphi });
  const j = z.j!.add(1);
  z = { ...z, j, failed: or(z.failed!, j.ge(ZOOM_MAXITER)) };

  return replaceWhere(s.zooming!, b, z);
}

/** Whether the search has ended: a step accepted, the zoom failed, or `maxiter` trials of the
 *  bracketing phase made. */
export function searchEnded(s: SearchState, maxiter: number): Tracer {
  return or(or(s.done!, s.failed!), and(not(s.zooming!), s.i!.gt(maxiter)));
}

export interface SearchResult {
  /** No step satisfying both Wolfe conditions was found. */
  failed: Tracer;
  /** The step length (floored at 1e-8 in magnitude, as JAX's float32 search). */
  a_k: Tracer;
  f_k: Tracer;
  g_k: Tracer;
  /** 0 passed, 1 the zoom failed, 3 the bracketing phase's limit. */
  status: Tracer;
}

export function searchResult(s: SearchState, maxiter: number): SearchResult {
  const status = np.where(s.failed!, i32(1), np.where(s.i!.gt(maxiter), i32(3), i32(0)));
  // In float32 a step this short leaves the minimizer stuck on a zero direction: JAX floors it.
  const a = s.a_star!;
  return {
    failed: or(s.failed!, not(s.done!)),
    a_k: np.where(np.abs(a).lt(1e-8), np.sign(a).mul(1e-8), a),
    f_k: s.phi_star!,
    g_k: s.g_star!,
    status,
  };
}
