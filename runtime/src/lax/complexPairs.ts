// Complex arithmetic on (re, im) pairs of float32 arrays, for the loops of lax/schurQr.ts and
// lax/eigGeneral.ts. complex/complexMath.ts has the user-facing versions, but complex/ imports
// lax/, so lax/ keeps these few small ones of its own rather than make a folder cycle.

import type { Tracer } from "../trace/core.js";
import * as ew from "../np/elementwise.js";
import { matmul } from "../np/linalg.js";
import { hypot } from "../np/trig.js";
import type { ArrayLike } from "../np/promote.js";

export interface Pair {
  readonly re: Tracer;
  readonly im: Tracer;
}

export const pair = (re: Tracer, im: Tracer): Pair => ({ re, im });
export const cadd = (a: Pair, b: Pair): Pair => pair(ew.add(a.re, b.re), ew.add(a.im, b.im));
export const csub = (a: Pair, b: Pair): Pair => pair(ew.subtract(a.re, b.re), ew.subtract(a.im, b.im));
export const cneg = (a: Pair): Pair => pair(ew.negative(a.re), ew.negative(a.im));
export const conj = (a: Pair): Pair => pair(a.re, ew.negative(a.im));
/** a times a real r. */
export const cscale = (a: Pair, r: ArrayLike): Pair => pair(ew.multiply(a.re, r), ew.multiply(a.im, r));

export function cmul(a: Pair, b: Pair): Pair {
  return pair(
    ew.subtract(ew.multiply(a.re, b.re), ew.multiply(a.im, b.im)),
    ew.add(ew.multiply(a.re, b.im), ew.multiply(a.im, b.re)),
  );
}

/** a / b, b scaled by its larger part first so |b|² cannot overflow or underflow. */
export function cdiv(a: Pair, b: Pair): Pair {
  const s = ew.maximum(ew.maximum(ew.abs(b.re), ew.abs(b.im)), 1e-30);
  const [br, bi] = [ew.divide(b.re, s), ew.divide(b.im, s)];
  const den = ew.multiply(ew.add(ew.multiply(br, br), ew.multiply(bi, bi)), s);
  return pair(
    ew.divide(ew.add(ew.multiply(a.re, br), ew.multiply(a.im, bi)), den),
    ew.divide(ew.subtract(ew.multiply(a.im, br), ew.multiply(a.re, bi)), den),
  );
}

/** |a|. */
export const cabs = (a: Pair): Tracer => hypot(a.re, a.im);
/** |re| + |im|: LAPACK's cheap magnitude for convergence tests. */
export const cabs1 = (a: Pair): Tracer => ew.add(ew.abs(a.re), ew.abs(a.im));

/** The principal square root. */
export function csqrt(a: Pair): Pair {
  const r = cabs(a);
  const re = ew.sqrt(ew.maximum(ew.multiply(ew.add(r, a.re), 0.5), 0));
  const mag = ew.sqrt(ew.maximum(ew.multiply(ew.subtract(r, a.re), 0.5), 0));
  return pair(re, ew.where(ew.less(a.im, 0), ew.negative(mag), mag));
}

/** Elementwise choice between two pairs. */
export const cwhere = (c: Tracer, a: Pair, b: Pair): Pair => pair(ew.where(c, a.re, b.re), ew.where(c, a.im, b.im));

/** The matrix product of two pairs (four real products). */
export const cmatmul = (a: Pair, b: Pair): Pair =>
  pair(ew.subtract(matmul(a.re, b.re), matmul(a.im, b.im)), ew.add(matmul(a.re, b.im), matmul(a.im, b.re)));
