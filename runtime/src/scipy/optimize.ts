// `scipy.optimize`, as jax.scipy.optimize: `minimize(fun, x0, args, { method, tol, options })`
// with method "BFGS" or JAX's "l-bfgs-experimental-do-not-rely-on-this" (quasiNewton.ts), and the
// `OptimizeResults` it returns. The gradient comes from `value_and_grad`, the iteration is a
// `lax.while_loop`, so `jit(minimize)` compiles the whole search into one program; results are a
// registered pytree, so they cross `jit` and `vmap` (a batch of fits) as JAX's NamedTuple does.

import { JitScopeError } from "../ir/errors.js";
import { Tracer } from "../trace/core.js";
import { register_dataclass } from "../trace/pytreeNodes.js";
import { libraryScope } from "../trace/scopeCalls.js";
import { checkOptions } from "../apiOptions.js";
import * as np from "../np.js";
import type { ArrayLike } from "../np.js";
import { asTracer, cast } from "../np/promote.js";
import { avalText } from "../np/validate.js";
import { minimizeBfgs, minimizeLbfgs, type BfgsOptions, type LbfgsOptions } from "./quasiNewton.js";

const LBFGS = "l-bfgs-experimental-do-not-rely-on-this";

/**
 * What `minimize` returns (JAX's OptimizeResults): the point reached and how. `status` is 0 when
 * converged (the gradient's norm under gtol); for BFGS 1 the iteration limit, 3 the zoom failed,
 * 5 the line search's limit; for L-BFGS 1 iterations, 2 function and 3 gradient evaluations used
 * up, 4 too little progress (ftol), 5 the line search failed; −1 otherwise. All are arrays, so a
 * jitted minimize returns them without reading back.
 */
export class OptimizeResults {
  /** The last point. */
  declare x: Tracer;
  /** Converged and the line search did not fail (a bool array). */
  declare success: Tracer;
  declare status: Tracer;
  /** fun at x. */
  declare fun: Tracer;
  /** The gradient at x. */
  declare jac: Tracer;
  /** BFGS's final inverse-Hessian estimate; null for L-BFGS. */
  declare hess_inv: Tracer | null;
  /** Evaluations of fun and of its gradient, and iterations (int32 arrays). */
  declare nfev: Tracer;
  declare njev: Tracer;
  declare nit: Tracer;

  constructor(fields: {
    x: Tracer;
    success: Tracer;
    status: Tracer;
    fun: Tracer;
    jac: Tracer;
    hess_inv: Tracer | null;
    nfev: Tracer;
    njev: Tracer;
    nit: Tracer;
  }) {
    Object.assign(this, fields);
  }
}
register_dataclass(OptimizeResults, ["x", "success", "status", "fun", "jac", "hess_inv", "nfev", "njev", "nit"]);

export interface MinimizeOptions {
  /** "BFGS" or "l-bfgs-experimental-do-not-rely-on-this" (any case); required, as in JAX. */
  method: string;
  /** The gradient tolerance, as SciPy reads it for BFGS: gtol when `options` gives none. */
  tol?: number | null;
  /** BFGS: maxiter, norm, gtol, line_search_maxiter. L-BFGS: maxiter, norm, maxcor, ftol, gtol,
   *  maxfun, maxgrad, maxls. */
  options?: (BfgsOptions & LbfgsOptions) | null;
}

const BFGS_OPTIONS = ["maxiter", "norm", "gtol", "line_search_maxiter"] as const;
const LBFGS_OPTIONS = ["maxiter", "norm", "maxcor", "ftol", "gtol", "maxfun", "maxgrad", "maxls"] as const;

/**
 * The minimum of the scalar function `fun(x, ...args)` from `x0`, a 1-D array of n variables.
 * Call it inside `jit` to compile the search once; `vmap` it over x0 or an argument for a batch.
 */
export function minimize(
  fun: (x: Tracer, ...args: never[]) => Tracer,
  x0: ArrayLike,
  args: readonly unknown[] = [],
  options?: MinimizeOptions,
): OptimizeResults {
  const what = "scipy.optimize.minimize";
  if (typeof fun !== "function") throw new JitScopeError("value", `${what}: fun must be a function, got ${typeof fun}`);
  if (!Array.isArray(args))
    throw new JitScopeError(
      "value",
      `${what}: args must be a list of the extra arguments fun takes after x (JAX's tuple), got ${typeof args}` +
        (typeof args === "object" && args !== null && "method" in args
          ? '; the options come fourth: minimize(fun, x0, [], { method: "BFGS" })'
          : ""),
    );
  checkOptions(what, options, ["method", "tol", "options"]);
  const method = options?.method;
  if (typeof method !== "string")
    throw new JitScopeError(
      "value",
      `${what}: method is required, as in JAX: { method: "BFGS" } or { method: "${LBFGS}" }`,
    );
  const key = method.toLowerCase();
  if (key !== "bfgs" && key !== LBFGS)
    throw new JitScopeError(
      "value",
      `${what}: method "${method}" is not one JAX implements; it has "BFGS" and "${LBFGS}"` +
        (key === "l-bfgs-b" || key === "lbfgs" || key === "l-bfgs"
          ? ` (its L-BFGS, without bounds, is "${LBFGS}")`
          : ""),
    );
  const x = asTracer(what, x0 as ArrayLike);
  if (x.ndim !== 1)
    throw new JitScopeError(
      "shape",
      `${what}: x0 must be a 1-D array of the variables, got ${avalText(x.aval)}; for a pytree of parameters, ` +
        "flatten it with flatten_util.ravel_pytree (const [flat, unravel] = ravel_pytree(params)) and minimize (v) => fun(unravel(v))",
    );
  const start = x.dtype === "float32" ? x : cast(x, "float32");
  const solverOptions = { ...(options?.options ?? {}) };
  checkOptions(`${what} (method "${method}")`, solverOptions, key === "bfgs" ? [...BFGS_OPTIONS] : [...LBFGS_OPTIONS]);
  for (const [name, v] of Object.entries(solverOptions))
    if (v !== undefined && typeof v !== "number")
      throw new JitScopeError("value", `${what}: options.${name} must be a number, got ${typeof v}`);
  const tol = options?.tol;
  if (tol !== undefined && tol !== null) {
    if (typeof tol !== "number" || !(tol > 0))
      throw new JitScopeError("value", `${what}: tol must be a positive number, got ${String(tol)}`);
    solverOptions.gtol ??= tol;
  }
  const objective = (v: Tracer): Tracer => {
    const out = (fun as (x: Tracer, ...a: unknown[]) => unknown)(v, ...args);
    const value = out instanceof Tracer ? out : typeof out === "number" ? np.array(out) : null;
    if (value === null || value.ndim !== 0)
      throw new JitScopeError(
        "shape",
        `${what}: fun must return a scalar, got ${value === null ? typeof out : avalText(value.aval)}`,
      );
    return value;
  };
  // One scope in the graph: the user's fun and its gradient appear inside the search's loop.
  const r = libraryScope(what, () =>
    key === "bfgs" ? minimizeBfgs(objective, start, solverOptions) : minimizeLbfgs(objective, start, solverOptions),
  );
  return new OptimizeResults({
    x: r.x_k,
    success: np.logical_and(r.converged, np.logical_not(r.failed)),
    status: r.status,
    fun: r.f_k,
    jac: r.g_k,
    hess_inv: r.H_k,
    nfev: r.nfev,
    njev: r.nfev,
    nit: r.k,
  });
}
