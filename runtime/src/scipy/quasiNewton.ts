// The two quasi-Newton methods of `scipy.optimize.minimize`, as jax.scipy.optimize's: BFGS
// (Nocedal and Wright, Algorithm 6.1), which keeps a dense n×n inverse-Hessian estimate, and
// L-BFGS (Algorithm 7.5), which keeps the last `maxcor` steps and gradient changes instead, for
// problems too large for n². Both are one `lax.while_loop` whose every iteration evaluates f and
// its gradient once: it advances the Wolfe line search (lineSearch.ts), and when the search ends
// it updates the method's curvature estimate and starts the next search. So a jitted minimize is
// one loop on the device (WebGPU included) that the graph shows as one node.
//
// Where JAX 0.10's line search fails, JAX still moves x by a full step (a_k = 1 when its zoom
// found nothing) and reports the value and gradient of another point; here, as in SciPy, a failed
// search leaves x, f and the gradient at the last accepted point, so `fun` is always f(x).

import type { Tracer } from "../trace/core.js";
import { valueAndGrad } from "../trace/grad.js";
import { fori_loop, while_loop } from "../lax/control.js";
import * as np from "../np.js";
import {
  advanceSearch,
  replaceWhere,
  searchEnded,
  searchResult,
  startSearch,
  trialStep,
  type SearchResult,
  type SearchState,
} from "./lineSearch.js";

export interface QuasiNewtonResult {
  converged: Tracer;
  failed: Tracer;
  k: Tracer;
  /** Evaluations of f (each one also evaluates the gradient). */
  nfev: Tracer;
  x_k: Tracer;
  f_k: Tracer;
  g_k: Tracer;
  /** BFGS's inverse-Hessian estimate; L-BFGS keeps none. */
  H_k: Tracer | null;
  status: Tracer;
}

export interface BfgsOptions {
  maxiter?: number;
  norm?: number;
  gtol?: number;
  line_search_maxiter?: number;
}

export interface LbfgsOptions {
  maxiter?: number;
  norm?: number;
  maxcor?: number;
  ftol?: number;
  gtol?: number;
  maxfun?: number;
  maxgrad?: number;
  maxls?: number;
}

type State = Record<string, Tracer>;

/** What a method adds to the shared loop: its direction, and its update once a search ends. */
interface Method {
  direction(s: State): Tracer;
  /** The first trial step of the next search from state `s` (after its update), whose slope
   *  along the direction is `dphi0`. */
  firstStep(s: State, dphi0: Tracer): Tracer;
  /** The state after a search that ended with `r` (x, f, g and the method's own fields). */
  update(s: State, r: SearchResult): State;
  /** Whether the loop goes on. */
  goOn(s: State): Tracer;
}

const i32 = (v: number): Tracer => np.array(v, { dtype: "int32" });
const f32 = (v: number): Tracer => np.array(v, { dtype: "float32" });
const not = (a: Tracer): Tracer => np.logical_not(a);
const SEARCH = "search";

/** The loop shared by both methods: one evaluation of f per iteration. */
function quasiNewtonLoop(f: (x: Tracer) => Tracer, init: State, method: Method, searchMaxiter: number): State {
  const vg = valueAndGrad(f);
  const withSearch = (s: State): State => {
    const p = method.direction(s);
    const dphi0 = np.dot(s.g_k!, p);
    const search = startSearch(s.f_k!, dphi0, s.g_k!, method.firstStep(s, dphi0));
    return { ...s, p, nfev_k: s.nfev!, ...prefixed(search) };
  };
  const body = (s: State): State => {
    const search = unprefixed(s);
    const a = trialStep(search);
    const [phi, g] = vg(s.x_k!.add(a.mul(s.p!)));
    const advanced = advanceSearch(search, a, phi, np.dot(g, s.p!), g);
    const counted = { ...s, nfev: s.nfev!.add(1), ...prefixed(advanced) };
    const ended = searchEnded(advanced, searchMaxiter);
    // The update and the next search's start are computed every iteration and kept only where
    // the search ended: a `where`, so the loop body has no branch for the device to wait on.
    const next = withSearch(method.update(counted, searchResult(advanced, searchMaxiter)));
    return replaceWhere(ended, counted, next);
  };
  return while_loop(method.goOn, body, withSearch(init));
}

function prefixed(search: SearchState): State {
  return Object.fromEntries(Object.entries(search).map(([k, v]) => [`${SEARCH}.${k}`, v]));
}

function unprefixed(s: State): SearchState {
  const out: SearchState = {};
  for (const [k, v] of Object.entries(s)) if (k.startsWith(`${SEARCH}.`)) out[k.slice(SEARCH.length + 1)] = v;
  return out;
}

/** The fields both methods start from: x0, f and its gradient there (one evaluation made). */
function startingPoint(x0: Tracer, f0: Tracer, g0: Tracer, converged: Tracer): State {
  const failed = np.array(false, { dtype: "bool" });
  return { converged, failed, k: i32(0), nfev: i32(1), x_k: x0, f_k: f0, g_k: g0 };
}

/** The point after a search: one step along p, or where it was when the search failed. */
function stepped(s: State, r: SearchResult): { x: Tracer; f: Tracer; g: Tracer; step: Tracer; y: Tracer } {
  const step = r.a_k.mul(s.p!);
  return {
    x: np.where(r.failed, s.x_k!, s.x_k!.add(step)),
    f: np.where(r.failed, s.f_k!, r.f_k),
    g: np.where(r.failed, s.g_k!, r.g_k),
    step,
    y: r.g_k.sub(s.g_k!),
  };
}

export function minimizeBfgs(f: (x: Tracer) => Tracer, x0: Tracer, options: BfgsOptions): QuasiNewtonResult {
  const d = x0.shape[0]!;
  const maxiter = options.maxiter ?? d * 200;
  const ord = options.norm ?? Infinity;
  const gtol = options.gtol ?? 1e-5;
  const eye = np.eye(d);
  const [f0, g0] = valueAndGrad(f)(x0);
  const method: Method = {
    direction: (s) => np.negative(np.dot(s.H_k!, s.g_k!)),
    firstStep: (s, dphi0) => {
      // SciPy's first trial: the step that repeats the last decrease, at most 1.
      const candidate = s.f_k!.sub(s.old_old_fval!).mul(2).mul(1.01).div(dphi0);
      return np.where(candidate.gt(1), f32(1), candidate);
    },
    update: (s, r) => {
      const { x, f: fk, g, step, y } = stepped(s, r);
      const rho = np.reciprocal(np.dot(y, step));
      // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, kept when yᵀs is 0 (ρ infinite) or the search failed.
      const w = eye.sub(rho.mul(np.outer(step, y)));
      const updated = np.matmul(np.matmul(w, s.H_k!), np.transpose(w)).add(rho.mul(np.outer(step, step)));
      return {
        ...s,
        converged: np.linalg.norm(g, ord).lt(gtol),
        failed: r.failed,
        k: s.k!.add(1),
        x_k: x,
        f_k: fk,
        g_k: g,
        H_k: np.where(np.logical_and(np.isfinite(rho), not(r.failed)), updated, s.H_k!),
        old_old_fval: s.f_k!,
        line_search_status: r.status,
      };
    },
    goOn: (s) => np.logical_and(np.logical_and(not(s.converged!), not(s.failed!)), s.k!.lt(maxiter)),
  };
  const init: State = {
    ...startingPoint(x0, f0, g0, np.linalg.norm(g0, ord).lt(gtol)),
    H_k: eye,
    old_old_fval: f0.add(np.linalg.norm(g0).div(2)),
    line_search_status: i32(0),
  };
  const s = quasiNewtonLoop(f, init, method, options.line_search_maxiter ?? 10);
  // 0 converged, 1 the iteration limit, 2 + the line search's status when it failed.
  const status = np.where(
    s.converged!,
    i32(0),
    np.where(s.k!.eq(maxiter), i32(1), np.where(s.failed!, s.line_search_status!.add(2), i32(-1))),
  );
  return { ...resultOf(s), H_k: s.H_k!, status };
}

const resultOf = (s: State): Omit<QuasiNewtonResult, "H_k" | "status"> => ({
  converged: s.converged!,
  failed: s.failed!,
  k: s.k!,
  nfev: s.nfev!,
  x_k: s.x_k!,
  f_k: s.f_k!,
  g_k: s.g_k!,
});

/** The history rolled one place towards the front, `v` written last (the oldest entry drops). */
const pushHistory = (history: Tracer, v: Tracer): Tracer => np.roll(history, -1, 0).at(-1).set(v);

/**
 * The direction −H·g from the stored pairs (the two-loop recursion). It runs over all `maxcor`
 * slots, a fixed length: a slot not yet filled holds zeros (ρ = 0, s = y = 0), which adds exact
 * zeros, so the result is that of JAX's loop over the filled slots only.
 */
function twoLoopDirection(s: State, maxcor: number): Tracer {
  const row = (h: Tracer, i: Tracer): Tracer => h.at(i).get();
  const [q1, alphas] = fori_loop(
    0,
    maxcor,
    (j, [q, a]: [Tracer, Tracer]) => {
      const i = np.subtract(maxcor - 1, j);
      const ai = row(s.rho_history!, i).mul(np.dot(row(s.s_history!, i), q));
      return [q.sub(ai.mul(row(s.y_history!, i))), a.at(i).set(ai)] as [Tracer, Tracer];
    },
    [np.negative(s.g_k!), np.zeros([maxcor])] as [Tracer, Tracer],
  );
  return fori_loop(
    0,
    maxcor,
    (i, q: Tracer) => {
      const bi = row(s.rho_history!, i).mul(np.dot(row(s.y_history!, i), q));
      return q.add(row(alphas, i).sub(bi).mul(row(s.s_history!, i)));
    },
    s.gamma!.mul(q1),
  );
}

export function minimizeLbfgs(f: (x: Tracer) => Tracer, x0: Tracer, options: LbfgsOptions): QuasiNewtonResult {
  const d = x0.shape[0]!;
  const maxcor = options.maxcor ?? 10;
  const ftol = options.ftol ?? 2.220446049250313e-9;
  const gtol = options.gtol ?? 1e-5;
  const ord = options.norm ?? Infinity;
  // At least one limit ends the loop: 200 iterations per variable when none is given, as JAX.
  const none = options.maxiter === undefined && options.maxfun === undefined && options.maxgrad === undefined;
  const maxiter = none ? d * 200 : (options.maxiter ?? Infinity);
  const maxfun = options.maxfun ?? Infinity;
  const maxgrad = options.maxgrad ?? Infinity;
  // A limit left at Infinity never ends the loop, decided here rather than compared on the device.
  const reached = (count: Tracer, limit: number): Tracer =>
    Number.isFinite(limit) ? count.ge(limit) : np.array(false, { dtype: "bool" });
  const [f0, g0] = valueAndGrad(f)(x0);
  const method: Method = {
    direction: (s) => twoLoopDirection(s, maxcor),
    firstStep: () => f32(1),
    update: (s, r) => {
      const { x, f: fk, g, step, y } = stepped(s, r);
      const rhoInv = np.dot(y, step);
      // JAX counts a function and a gradient evaluation per trial: nfev and njev read the same.
      let status = np.where(s.f_k!.sub(r.f_k).lt(ftol), i32(4), i32(0));
      status = np.where(reached(s.nfev_k!, maxgrad), i32(3), status);
      status = np.where(reached(s.nfev_k!, maxfun), i32(2), status);
      status = np.where(reached(s.k!, maxiter), i32(1), status);
      status = np.where(r.failed, i32(5), status);
      const converged = np.linalg.norm(g, ord).lt(gtol);
      const keep = (updated: Tracer, old: Tracer): Tracer => np.where(r.failed, old, updated);
      return {
        ...s,
        converged,
        failed: np.logical_and(status.gt(0), not(converged)),
        k: s.k!.add(1),
        x_k: x,
        f_k: fk,
        g_k: g,
        s_history: keep(pushHistory(s.s_history!, step), s.s_history!),
        y_history: keep(pushHistory(s.y_history!, y), s.y_history!),
        rho_history: keep(pushHistory(s.rho_history!, np.reciprocal(rhoInv)), s.rho_history!),
        gamma: keep(rhoInv.div(np.dot(y, y)), s.gamma!),
        status: np.where(converged, i32(0), status),
      };
    },
    goOn: (s) => np.logical_and(not(s.converged!), not(s.failed!)),
  };
  const init: State = {
    ...startingPoint(x0, f0, g0, np.array(false, { dtype: "bool" })),
    s_history: np.zeros([maxcor, d]),
    y_history: np.zeros([maxcor, d]),
    rho_history: np.zeros([maxcor]),
    gamma: f32(1),
    status: i32(0),
  };
  const s = quasiNewtonLoop(f, init, method, options.maxls ?? 20);
  return { ...resultOf(s), H_k: null, status: s.status! };
}
