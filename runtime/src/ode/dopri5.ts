// The Dormand–Prince 5(4) integrator odeint runs (the method of jax.experimental.ode, of
// scipy's RK45 and of MATLAB's ode45): each step takes six evaluations of f (the seventh is the
// next step's first), a fifth-order solution and a fourth-order one whose difference estimates
// the error. Steps are accepted when that error is within atol + rtol·|y| (root mean square over
// the state) and resized by 0.9·ratio^(−1/5) between 0.2× and 10×. Unlike JAX, which interpolates
// between steps, a step is shortened to land on each output time: the outputs are steps' ends.
// One lax.while_loop over all the steps, so under jit the whole integration is one program.

import * as lax from "../lax.js";
import * as np from "../np.js";
import type { Tracer } from "../trace/core.js";

type T = Tracer;
/** dy/dt = f(y, t) on a flat state vector. */
export type FlatDynamics = (y: T, t: T) => T;

export interface StepControl {
  readonly rtol: number;
  readonly atol: number;
  /** The most steps between two output times (Infinity: no limit). */
  readonly mxstep: number;
  /** The largest step (Infinity: no limit). */
  readonly hmax: number;
}

const A: readonly (readonly number[])[] = [
  [],
  [1 / 5],
  [3 / 40, 9 / 40],
  [44 / 45, -56 / 15, 32 / 9],
  [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
  [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
];
const C = [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1];
/** The fifth-order weights (the seventh stage's is 0). */
const B5 = [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84];
/** Fifth- minus fourth-order weights over all seven stages: the error estimate's. */
const E = [71 / 57600, 0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40];

const combo = (ks: readonly T[], w: readonly number[]): T =>
  w.reduce<T | null>(
    (acc, c, j) => (c === 0 ? acc : acc === null ? np.multiply(ks[j]!, c) : np.add(acc, np.multiply(ks[j]!, c))),
    null,
  )!;

/** One step of size h from (y, t) with fy = f(y, t): [y5, f(y5, t + h), error estimate]. */
function step(f: FlatDynamics, y: T, fy: T, t: T, h: T): [T, T, T] {
  const ks = [fy];
  for (let i = 1; i < 6; i++) ks.push(f(np.add(y, np.multiply(h, combo(ks, A[i]!))), np.add(t, np.multiply(h, C[i]!))));
  const y5 = np.add(y, np.multiply(h, combo(ks, B5)));
  const f5 = f(y5, np.add(t, h));
  return [y5, f5, np.multiply(h, combo([...ks, f5], E))];
}

const rms = (x: T): T => np.sqrt(np.mean(np.square(x)));

/** Hairer, Nørsett & Wanner's first step size: one explicit Euler probe. */
function initialStep(f: FlatDynamics, y0: T, f0: T, t0: T, c: StepControl): T {
  const scale = np.add(c.atol, np.multiply(np.abs(y0), c.rtol));
  const d0 = rms(np.divide(y0, scale)),
    d1 = rms(np.divide(f0, scale));
  const h0 = np.where(np.logical_or(np.less(d0, 1e-5), np.less(d1, 1e-5)), 1e-6, np.multiply(0.01, np.divide(d0, d1)));
  const f1 = f(np.add(y0, np.multiply(h0, f0)), np.add(t0, h0));
  const d2 = np.divide(rms(np.divide(np.subtract(f1, f0), scale)), h0);
  const m = np.maximum(d1, d2);
  const h1 = np.where(
    np.less_equal(m, 1e-15),
    np.maximum(1e-6, np.multiply(h0, 1e-3)),
    np.power(np.divide(0.01, m), 1 / 5),
  );
  return np.minimum(np.minimum(np.multiply(h0, 100), h1), c.hmax);
}

/** A change to the state on landing on output time k ≥ 1 (the adjoint's cotangent jumps). */
export type Jump = (k: T, y: T) => T;

/**
 * y at each of the increasing times ts (the first y0): [len(ts), n]. One while_loop over all the
 * steps, the next output time's index in its carry: a loop nested in a scan could not run under
 * jit on WebGPU (its trip count is read back between chunks). `jump`, applied on landing on each
 * output time after the first, changes the state there (and f is evaluated again after it).
 */
export function integrate(f: FlatDynamics, y0: T, ts: T, c: StepControl, jump?: Jump): T {
  const count = ts.shape[0]!;
  const n = y0.shape[0]!;
  const first = np.reshape(y0, [1, n]);
  if (count < 2) return first;
  const t0 = np.take(ts, 0);
  const f0 = f(y0, t0);
  const dt0 = initialStep(f, y0, f0, t0, c);
  const out0 = np.concatenate([first, np.zeros([count - 1, n])]);
  type State = [T, T, T, T, T, T, T];
  const int0 = np.array(0, { dtype: "int32" });
  const [, , , , , , out] = lax.while_loop(
    ([k, steps, , , , dt]: State) => {
      const going = np.logical_and(np.less(k, count), np.greater(dt, 0));
      return Number.isFinite(c.mxstep) ? np.logical_and(going, np.less(steps, c.mxstep)) : going;
    },
    ([k, steps, y, fy, t, dt, out]: State): State => {
      const target = np.take(ts, k);
      const left = np.subtract(target, t);
      const lands = np.greater_equal(dt, left);
      const h = np.minimum(dt, left);
      const [yn, fn, err] = step(f, y, fy, t, h);
      const tol = np.add(c.atol, np.multiply(np.maximum(np.abs(y), np.abs(yn)), c.rtol));
      const ratio = rms(np.divide(err, tol));
      const accept = np.less_equal(ratio, 1);
      const landed = np.logical_and(accept, lands);
      const factor = np.clip(np.multiply(np.power(np.maximum(ratio, 1e-10), -0.2), 0.9), 0.2, 10);
      // A step cut short to land on the output time keeps the size proposed before it.
      const next = np.minimum(np.where(landed, np.maximum(dt, np.multiply(h, factor)), np.multiply(h, factor)), c.hmax);
      const t2 = np.where(accept, np.where(lands, target, np.add(t, h)), t);
      const y1 = np.where(accept, yn, y);
      const row = lax.dynamic_update_slice(out, np.reshape(y1, [1, n]), [k, int0]);
      const out2 = np.where(landed, row, out);
      let y2 = y1,
        f2 = np.where(accept, fn, fy);
      if (jump) {
        y2 = np.where(landed, jump(k, y1), y1);
        f2 = np.where(landed, f(y2, t2), f2);
      }
      return [np.add(k, np.astype(landed, "int32")), np.where(landed, 0, np.add(steps, 1)), y2, f2, t2, next, out2];
    },
    [np.array(1, { dtype: "int32" }), int0, y0, f0, t0, dt0, out0] as State,
  );
  return out;
}
