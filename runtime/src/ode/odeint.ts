// `ode.odeint(func, y0, t, ...args)`: jax.experimental.ode.odeint. The solution of
// dy/dt = func(y, t, ...args) at the increasing times t, adaptive Dormand–Prince steps
// (dopri5.ts), y0 and args any pytrees. Differentiated by the adjoint method (Chen et al.,
// "Neural ordinary differential equations", 2018), as JAX's: the backward pass integrates y, its
// cotangent a and the args' cotangent backwards from each output time to the one before,
//     dy/dt = f,   da/dt = −a·∂f/∂y,   dθ̄/dt = −a·∂f/∂θ,
// so its memory does not grow with the steps taken. Options, as JAX's keywords, come last as
// one object with only these keys: `{ rtol, atol, mxstep, hmax }` (JAX's defaults: 1.4e-8,
// 1.4e-8, no limits).

import { JitScopeError } from "../ir/errors.js";
import { captureUserLocation } from "../ir/location.js";
import * as np from "../np.js";
import { Tracer } from "../trace/core.js";
import { custom_vjp } from "../trace/custom.js";
import { vjp } from "../trace/vjp.js";
import { flatten, unflatten, type TreeDef } from "../trace/pytree.js";
import { libraryScope } from "../trace/scopeCalls.js";
import { integrate, type StepControl } from "./dopri5.js";

type T = Tracer;
type Func = (y: never, t: T, ...args: never[]) => unknown;
const OPTION_KEYS = ["rtol", "atol", "mxstep", "hmax"];

const fail = (msg: string) => new JitScopeError("value", `ode.odeint: ${msg}`, captureUserLocation());

/** A pytree as one float32 vector, and the way back (jax.flatten_util.ravel_pytree). */
interface Raveled {
  readonly flat: T;
  readonly unravel: (v: T) => unknown;
}
function ravel(tree: unknown, what: string): Raveled {
  const { leaves, treedef } = flatten(tree, what);
  const arrays = leaves.map((l) => (l instanceof Tracer ? l : np.array(l)));
  if (arrays.some((a) => a.dtype !== "float32"))
    throw fail(
      `${what} must hold float32 arrays (an ODE's state and parameters are real), got ${arrays.map((a) => a.dtype).join(", ")}`,
    );
  return { flat: concatFlat(arrays), unravel: (v) => unravelInto(v, arrays, treedef) };
}
const concatFlat = (arrays: readonly T[]): T =>
  arrays.length === 0
    ? np.zeros([0])
    : arrays.length === 1
      ? np.reshape(arrays[0]!, [-1])
      : np.concatenate(arrays.map((a) => np.reshape(a, [-1])));
function unravelInto(v: T, like: readonly T[], treedef: TreeDef): unknown {
  let at = 0;
  const lead = v.shape.slice(0, -1);
  const pieces = like.map((a) => {
    const piece = np.slice(v, [...lead.map(() => 0), at], [...lead, at + a.size]);
    at += a.size;
    return np.reshape(piece, [...lead, ...a.shape]);
  });
  return unflatten(treedef, pieces);
}

function splitOptions(rest: unknown[]): [unknown[], StepControl] {
  const last = rest[rest.length - 1];
  const isOptions =
    typeof last === "object" &&
    last !== null &&
    !Array.isArray(last) &&
    !(last instanceof Tracer) &&
    Object.keys(last).length > 0 &&
    Object.keys(last).every((k) => OPTION_KEYS.includes(k));
  const o = (isOptions ? last : {}) as Partial<StepControl>;
  const control: StepControl = {
    rtol: o.rtol ?? 1.4e-8,
    atol: o.atol ?? 1.4e-8,
    mxstep: o.mxstep ?? Infinity,
    hmax: o.hmax ?? Infinity,
  };
  for (const k of OPTION_KEYS) {
    const v = control[k as keyof StepControl];
    if (typeof v !== "number" || !(v > 0)) throw fail(`${k} must be a positive number, got ${String(v)}`);
  }
  return [isOptions ? rest.slice(0, -1) : rest, control];
}

/** The solution at each time of t: y0's tree with a leading axis of len(t) on every leaf. */
export function odeint(func: Func, y0: unknown, t: unknown, ...rest: unknown[]): unknown {
  if (typeof func !== "function") throw fail(`func must be a function (y, t, ...args) => dy/dt, got ${typeof func}`);
  const [args, control] = splitOptions(rest);
  const ts = t instanceof Tracer ? t : np.array(t as number[]);
  if (ts.ndim !== 1 || ts.dtype !== "float32")
    throw fail(`t must be a 1-D float32 array of increasing times, got ${ts.dtype}[${ts.shape.join(", ")}]`);
  return libraryScope("ode.odeint", () => {
    const y = ravel(y0, "y0");
    const call = (yv: T, tt: T, a: readonly unknown[]): T => {
      const out = (func as (...x: unknown[]) => unknown)(y.unravel(yv), tt, ...a);
      const r = ravel(out, "func's result");
      if (r.flat.size !== yv.size)
        throw fail(`func returned ${r.flat.size} values for a state of ${yv.size}: dy/dt must be shaped like y`);
      return r.flat;
    };
    const solve = custom_vjp(
      (_c: StepControl, y0f: T, tt: T, ...a: unknown[]) => integrate((yv, s) => call(yv, s, a), y0f, tt, control),
      { nondiff_argnums: [0] },
    );
    solve.defvjp(
      (_c: StepControl, y0f: T, tt: T, ...a: unknown[]) => {
        const ys = integrate((yv, s) => call(yv, s, a), y0f, tt, control);
        return [ys, [ys, tt, a]];
      },
      // The backward pass draws as the same library call (it runs outside the forward's scope).
      (_c: StepControl, res: [T, T, unknown[]], g: T) =>
        libraryScope("ode.odeint", () => adjoint(call, res, g, control)),
    );
    const ys = solve(control, y.flat, ts, ...args) as T;
    return y.unravel(ys);
  });
}

/** The cotangents of y0, t and each arg, from the outputs' cotangents g [len(t), n]: one
 *  backward integration over every output time, in s = −t so that it runs forwards, of the
 *  augmented state [y, a, θ̄]; on landing on each earlier output time y is reset to the forward
 *  solution there and that output's cotangent is added to a. */
function adjoint(
  call: (y: T, t: T, a: readonly unknown[]) => T,
  [ys, ts, args]: [T, T, unknown[]],
  g: T,
  c: StepControl,
): unknown[] {
  const n = ys.shape[1]!;
  const count = ts.shape[0]!;
  const theta = ravel(args, "args");
  const p = theta.flat.size;
  const row = (x: T, i: T | number) => np.take(x, i, 0);
  const augmented = (z: T, s: T): T => {
    const y = np.slice(z, [0], [n]);
    const a = np.slice(z, [n], [2 * n]);
    const dynamics = (yy: T, th: T) => call(yy, np.negative(s), theta.unravel(th) as unknown[]);
    const [ydot, pull] = vjp(dynamics, y, theta.flat);
    const [ay, ath] = pull(a) as [T, T];
    return np.concatenate([np.negative(ydot), ay, ath]);
  };
  const reversed = (x: T) => np.flip(x, 0);
  const [ysR, gR] = [reversed(ys), reversed(g)];
  // Landing k (time t[count − 1 − k]): y back onto the forward solution, a plus that output's cotangent.
  const jump = (k: T, z: T): T =>
    np.concatenate([row(ysR, k), np.add(np.slice(z, [n], [2 * n]), row(gR, k)), np.slice(z, [2 * n], [2 * n + p])]);
  const z0 = np.concatenate([row(ysR, 0), row(gR, 0), np.zeros([p])]);
  const zs = integrate(augmented, z0, np.negative(reversed(ts)), c, jump);
  // The last row is the state on landing at t0, before that landing's jump adds g_0.
  const zEnd = row(zs, count - 1);
  const aBeforeG0 = np.slice(zEnd, [n], [2 * n]);
  const thetaBar = np.slice(zEnd, [2 * n], [2 * n + p]);
  // An output time's cotangent is g_i·f(y_i, t_i); t0's moves every later output by
  // −Φ(t_i, t0)·f(y0, t0): it reads a at t0 without g_0.
  const slopes = Array.from({ length: count }, (_, i) => np.vdot(call(row(ys, i), row(ts, i), args), row(g, i)));
  const t0Bar = np.negative(np.vdot(aBeforeG0, call(row(ys, 0), row(ts, 0), args)));
  const tsBar = np.stack([t0Bar, ...slopes.slice(1)]);
  const a0 = np.add(aBeforeG0, row(g, 0));
  return [a0, tsBar, ...(theta.unravel(thetaBar) as unknown[])];
}
