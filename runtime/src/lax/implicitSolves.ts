// `lax.custom_root` and `lax.custom_linear_solve`: a solution computed by any method (a
// while_loop that stops on a tolerance, an iterative solver), differentiated by the implicit
// function theorem instead of through the method's iterations. JAX binds a primitive whose JVP
// rule solves the linearised system; here the same derivative comes from a correction term whose
// value is zero: with x the solution (its gradient stopped) and r a residual that is zero at the
// solution but differentiable in what the function closes over,
//     x − (T(r) − stop_gradient(T(r)))
// reads x and differentiates as −T(∂r), T solving the linearised system (tangent_solve for a
// root, `solve` itself for a linear system): a Newton step whose value is x's. The derivative is
// JAX's to within the residual (T's own dependence on the parameters multiplies r, zero at an
// exact solution). Each further step from the corrected x doubles the order of the derivatives
// it gets right, so under nested grads (a Hessian) the correction is applied twice. Reverse mode
// differentiates through `tangent_solve` / `solve` applied to r: they must be
// differentiable (a direct solve, a fixed number of iterations), not a while_loop. The solve
// itself runs with differentiation suspended (trace/suspendAd.ts), so it may be a while_loop over a
// function closing over differentiated parameters. The correction is only built when something
// is being differentiated, so a forward call costs one solve.

import { JitScopeError } from "../ir/errors.js";
import { captureUserLocation } from "../ir/location.js";
import { Tracer } from "../trace/core.js";
import { JVPTracer, jvp } from "../trace/jvp.js";
import { VJPTracer } from "../trace/vjp.js";
import { VmapTracer } from "../trace/vmap.js";
import { stopGradient } from "../trace/stopGradient.js";
import { withoutDifferentiation } from "../trace/suspendAd.js";
import { libraryScope } from "../trace/scopeCalls.js";
import { flatten, unflatten } from "../trace/pytree.js";
import { add, subtract } from "../np/elementwise.js";

const fail = (msg: string): JitScopeError => new JitScopeError("value", msg, captureUserLocation());

/** How many nested grads and jvps differentiate `x` (tracers with a tape node or a tangent). */
function differentiatingLevels(x: unknown): number {
  let t: unknown = x;
  let n = 0;
  for (;;) {
    if (t instanceof VJPTracer) {
      if (t.node !== null) n++;
      t = t.primal;
    } else if (t instanceof JVPTracer) {
      if (t.tangent !== null) n++;
      t = t.primal;
    } else if (t instanceof VmapTracer) t = t.value;
    else return n;
  }
}

const leavesOf = (t: unknown, what: string) => flatten(t, what);
/**
 * How many Newton corrections the derivatives asked for need: the first, from the solution held
 * constant, is exact to first order; each Newton step from a k-th order function doubles it (its
 * error squares), so c corrections give derivatives up to order 2^c − 1. None when nothing is
 * differentiated.
 */
function correctionsFor(t: unknown, what: string): number {
  const order = Math.max(0, ...leavesOf(t, what).leaves.map(differentiatingLevels));
  return order === 0 ? 0 : Math.ceil(Math.log2(order + 1));
}

/** Leaf by leaf: `x + sign · (t − stop_gradient(t))`, the value x. */
function corrected(x: unknown, t: unknown, sign: 1 | -1, what: string): unknown {
  const xs = leavesOf(x, what);
  const ts = leavesOf(t, `${what}'s correction`);
  if (xs.leaves.length !== ts.leaves.length)
    throw fail(`${what}: the solve returned ${ts.leaves.length} leaves where the solution has ${xs.leaves.length}`);
  const out = xs.leaves.map((xi, i) => {
    const ti = ts.leaves[i] as Tracer;
    const zeroValued = subtract(ti, stopGradient(ti));
    return sign === 1 ? add(xi as Tracer, zeroValued) : subtract(xi as Tracer, zeroValued);
  });
  return unflatten(xs.treedef, out);
}

function splitAux(out: unknown, has_aux: boolean, what: string): [unknown, unknown] {
  if (!has_aux) return [out, undefined];
  if (!Array.isArray(out) || out.length !== 2)
    throw fail(`${what}: with has_aux the solve must return [solution, aux]`);
  return [out[0], stopGradient(out[1])];
}

function needFunction(what: string, name: string, f: unknown): void {
  if (typeof f !== "function") throw fail(`${what}: ${name} must be a function, got ${typeof f}`);
}

/**
 * lax.custom_root(f, initial_guess, solve, tangent_solve, has_aux): the x with f(x) = 0 that
 * `solve(f, initial_guess)` finds, differentiated implicitly in what f closes over:
 * dx = −(∂f/∂x)⁻¹ ∂f/∂θ, where `tangent_solve(g, y)` solves g(z) = y for the linear g (f
 * linearised at the root): `(g, y) => np.divide(y, g(1))` for a scalar,
 * `(g, y) => np.linalg.solve(jacfwd(g)(y), y)` for a small vector.
 */
export function custom_root<X>(
  f: (x: X) => X,
  initial_guess: X,
  solve: (f: (x: X) => X, initial_guess: X) => unknown,
  tangent_solve: (g: (z: X) => X, y: X) => X,
  has_aux = false,
): X | [X, unknown] {
  const what = "lax.custom_root";
  needFunction(what, "f", f);
  needFunction(what, "solve", solve);
  needFunction(what, "tangent_solve", tangent_solve);
  // One scope in the graph: the solve, its residual and the corrections.
  return libraryScope(what, () => {
    const [sol, aux] = splitAux(
      withoutDifferentiation(() => solve(f, initial_guess)),
      has_aux,
      what,
    );
    const x0 = stopGradient(sol) as X;
    const xLeaves = leavesOf(x0, `${what} solution`);
    const rLeaves = leavesOf(f(x0), `${what}: f(x)`);
    if (rLeaves.leaves.length !== xLeaves.leaves.length)
      throw fail(
        `${what}: f must return a tree like its argument (${rLeaves.leaves.length} leaves for ${xLeaves.leaves.length})`,
      );
    // Newton steps x − T(f(x)) whose value is x's: T solves the system linearised at x.
    let result = x0;
    let r = unflatten(rLeaves.treedef, rLeaves.leaves) as X;
    for (let c = correctionsFor(rLeaves.leaves, `${what}: f(x)`); c > 0; c--) {
      const x = result;
      result = corrected(
        x,
        tangent_solve((z: X) => jvp(f as (x: never) => X, [x], [z])[1], r),
        -1,
        what,
      ) as X;
      if (c > 1) r = f(result);
    }
    return has_aux ? [result, aux] : result;
  });
}

export interface CustomLinearSolveOptions {
  /** Accepted as in JAX; reverse mode here differentiates through `solve` on the residual, so it
   *  is not needed (see the file comment). */
  transpose_solve?: unknown;
  symmetric?: boolean;
  has_aux?: boolean;
}

/**
 * lax.custom_linear_solve(matvec, b, solve, options): the x with matvec(x) = b that
 * `solve(matvec, b)` finds, differentiated implicitly in b and in what matvec closes over:
 * dx = A⁻¹(db − dA·x).
 */
export function custom_linear_solve<X>(
  matvec: (x: X) => X,
  b: X,
  solve: (matvec: (x: X) => X, b: X) => unknown,
  options: CustomLinearSolveOptions = {},
): X | [X, unknown] {
  const what = "lax.custom_linear_solve";
  needFunction(what, "matvec", matvec);
  needFunction(what, "solve", solve);
  const unknownKeys = Object.keys(options).filter((k) => !["transpose_solve", "symmetric", "has_aux"].includes(k));
  if (unknownKeys.length) throw fail(`${what}: unknown option ${unknownKeys.map((k) => JSON.stringify(k)).join(", ")}`);
  return libraryScope(what, () => {
    const has_aux = options.has_aux ?? false;
    const [sol, aux] = splitAux(
      withoutDifferentiation(() => solve(matvec, b)),
      has_aux,
      what,
    );
    const x0 = stopGradient(sol) as X;
    const bs = leavesOf(b, `${what}: b`);
    const residual = (x: X): X => {
      const Ax = leavesOf(matvec(x), `${what}: matvec(x)`);
      if (Ax.leaves.length !== bs.leaves.length)
        throw fail(`${what}: matvec must return a tree like b (${Ax.leaves.length} leaves for ${bs.leaves.length})`);
      return unflatten(
        bs.treedef,
        bs.leaves.map((bi, i) => subtract(bi as Tracer, Ax.leaves[i] as Tracer)),
      ) as X;
    };
    // Refinement steps x + solve(b − A x) whose value is x's.
    let result = x0;
    let r = residual(x0);
    for (let c = correctionsFor(r, `${what}: the residual`); c > 0; c--) {
      const [d] = splitAux(solve(matvec, r), has_aux, what);
      result = corrected(result, d, 1, what) as X;
      if (c > 1) r = residual(result);
    }
    return (has_aux ? [result, aux] : result) as X | [X, unknown];
  });
}
