// `scipy.sparse.linalg`, as jax.scipy.sparse.linalg: the Krylov solvers cg, bicgstab and gmres of
// A x = b, where A is a square matrix or a function (a matrix-free linear operator) and b a pytree
// of arrays (the vector is all its leaves; x0 and the preconditioner M alike). This file reads
// and checks the arguments, turns A and M into operators on the tree's leaves, and hands the
// iterations (sparseKrylov.ts, sparseGmres.ts) to custom_linear_solve (sparseImplicit.ts), so
// results differentiate implicitly in b and in A, as JAX's, and run under jit and vmap.

import { JitScopeError } from "../ir/errors.js";
import { Tracer } from "../trace/core.js";
import { flatten, isPlainObject, treedefDiff, unflatten, type TreeDef } from "../trace/pytree.js";
import { libraryScope } from "../trace/scopeCalls.js";
import * as np from "../np.js";
import type { ArrayLike } from "../np.js";
import { asTracer, cast } from "../np/promote.js";
import { avalText } from "../np/validate.js";
import { checkOptions } from "../apiOptions.js";
import { bicgstabSolve, cgSolve, vdot, type LeafOp, type Leaves, type SolveParts } from "./sparseKrylov.js";
import { gmresSolve, gmresTolerances, type GmresMethod } from "./sparseGmres.js";
import { implicitSolve, type Solver } from "./sparseImplicit.js";

/** A matrix, or a function computing A·x for x shaped like b. */
export type LinearOperator<X> = ArrayLike | ((x: X) => X);
export interface SolverOptions<X> {
  /** Relative tolerance: stop when ‖r‖ ≤ max(tol·‖b‖, atol). Default 1e-5. */
  tol?: number;
  /** Absolute tolerance. Default 0. */
  atol?: number;
  /** Iterations (gmres: restarts) at most. Default 10 × the number of entries of b. */
  maxiter?: number;
  /** Preconditioner, approximating A⁻¹: a matrix or a function. */
  M?: LinearOperator<X>;
}
export interface GmresOptions<X> extends SolverOptions<X> {
  /** Dimension of the Krylov space built between restarts. Default 20 (at most b's size). */
  restart?: number;
  /** "batched" (solve the least-squares problem per restart, the default) or "incremental"
   *  (Givens rotations, stopping within a restart). */
  solve_method?: GmresMethod;
}

const KNOWN = ["tol", "atol", "maxiter", "M"] as const;
const GMRES_KNOWN = [...KNOWN, "restart", "solve_method"] as const;
const fail = (what: string, msg: string, kind: "value" | "shape" = "value") =>
  new JitScopeError(kind, `scipy.sparse.linalg.${what}: ${msg}`);

interface Problem<X> {
  readonly tree: TreeDef;
  readonly b: Leaves;
  readonly parts: SolveParts;
  readonly size: number;
  readonly options: GmresOptions<X>;
}

/** The options object given in x0's place (cg(A, b, { tol })), told from an x0 tree: any plain
 *  object where b is not one, else one whose keys are all option names. */
function splitX0<X>(x0: unknown, options: unknown, b: unknown, known: readonly string[]) {
  const bag =
    options === undefined &&
    isPlainObject(x0) &&
    (!isPlainObject(b) || Object.keys(x0).every((k) => known.includes(k)));
  return bag
    ? { x0: null, options: x0 as GmresOptions<X> }
    : { x0: x0 ?? null, options: (options ?? {}) as GmresOptions<X> };
}

function leavesOf(what: string, name: string, v: unknown): { leaves: Leaves; tree: TreeDef } {
  const { leaves, treedef } = flatten(v, `scipy.sparse.linalg.${what} ${name}`);
  if (leaves.length === 0) throw fail(what, `${name} has no arrays`);
  return {
    leaves: leaves.map((l, i) => {
      if (!(l instanceof Tracer) && typeof l !== "number")
        throw fail(what, `${name}'s leaf ${i} must be an array, got ${typeof l}`);
      return cast(asTracer(`scipy.sparse.linalg.${what}`, l), "float32");
    }),
    tree: treedef,
  };
}

/** A (or M) as an operator on b's leaves: a square matrix times b's one array, or the user's
 *  function, its result checked against b's tree and shapes. */
function operator<X>(what: string, name: string, op: LinearOperator<X>, tree: TreeDef, b: Leaves): LeafOp {
  if (typeof op === "function") {
    return (xs) => {
      const out = leavesOf(what, `${name}(x)`, op(unflatten<X>(tree, xs)));
      const diff = treedefDiff(tree, out.tree, `${name}(x)`);
      const shapes = (ls: Leaves) => ls.map((l) => `[${l.shape.join(", ")}]`).join(", ");
      if (diff || out.leaves.some((l, i) => l.shape.join() !== xs[i]!.shape.join()))
        throw fail(
          what,
          `${name} must return arrays shaped like b (${shapes(b)}), got ${shapes(out.leaves)}${diff ? ` (${diff})` : ""}`,
          "shape",
        );
      return out.leaves;
    };
  }
  const m = cast(asTracer(`scipy.sparse.linalg.${what}`, op), "float32");
  if (m.ndim !== 2 || m.shape[0] !== m.shape[1])
    throw fail(what, `${name} must be a square matrix or a function, got ${avalText(m.aval)}`, "shape");
  if (b.length !== 1 || b[0]!.ndim === 0 || b[0]!.shape[0] !== m.shape[0])
    throw fail(
      what,
      `${name} is ${avalText(m.aval)} but b is ${b.map((l) => avalText(l.aval)).join(", ")}; a matrix needs b to be one array with ${m.shape[0]} rows`,
      "shape",
    );
  return (xs) => [np.matmul(m, xs[0]!)];
}

function checkNumber(what: string, name: string, v: unknown, ok: (n: number) => boolean, must: string): void {
  if (typeof v !== "number" || !ok(v)) throw fail(what, `${name} must be ${must}, got ${String(v)}`);
}

function problem<X>(
  what: string,
  A: LinearOperator<X>,
  bTree: X,
  x0In: unknown,
  opts: unknown,
  known: readonly string[],
): Problem<X> {
  const { x0, options } = splitX0<X>(x0In, opts, bTree, known);
  checkOptions(`scipy.sparse.linalg.${what}`, options, known as (keyof GmresOptions<X> & string)[]);
  const { tol = 1e-5, atol = 0, maxiter, restart } = options;
  checkNumber(what, "tol", tol, (n) => n >= 0 && Number.isFinite(n), "a finite number ≥ 0");
  checkNumber(what, "atol", atol, (n) => n >= 0 && Number.isFinite(n), "a finite number ≥ 0");
  if (maxiter !== undefined)
    checkNumber(what, "maxiter", maxiter, (n) => Number.isInteger(n) && n >= 0, "an integer ≥ 0");
  if (restart !== undefined)
    checkNumber(what, "restart", restart, (n) => Number.isInteger(n) && n > 0, "a positive integer");
  if (A === undefined || A === null) throw fail(what, "A must be a matrix or a function");
  const { leaves: b, tree } = leavesOf(what, "b", bTree);
  let x0Leaves = b.map((l) => np.zeros_like(l));
  if (x0 !== null) {
    const given = leavesOf(what, "x0", x0);
    const diff = treedefDiff(tree, given.tree, "x0");
    if (diff) throw fail(what, `x0 and b must have the same tree structure: ${diff}`, "shape");
    given.leaves.forEach((l, i) => {
      if (l.shape.join() !== b[i]!.shape.join())
        throw fail(
          what,
          `x0 and b must have the same shapes, got ${avalText(l.aval)} for ${avalText(b[i]!.aval)}`,
          "shape",
        );
    });
    x0Leaves = given.leaves;
  }
  const parts: SolveParts = {
    A: operator(what, "A", A, tree, b),
    M: options.M === undefined || options.M === null ? null : operator(what, "M", options.M, tree, b),
    x0: x0Leaves,
    extras: [],
  };
  const size = b.reduce((s, l) => s + l.size, 0);
  return { tree, b, parts, size, options };
}

function run<X>(what: string, p: Problem<X>, solver: Solver, symmetric: boolean): X {
  return unflatten<X>(p.tree, implicitSolve(`scipy.sparse.linalg.${what}`, p.parts, p.b, solver, symmetric));
}

/**
 * cg(A, b, x0?, { tol, atol, maxiter, M }) → [x, null]: conjugate gradients for a symmetric
 * positive-definite A (JAX returns None for the info).
 */
export function cg<X>(
  A: LinearOperator<X>,
  b: X,
  x0?: X | SolverOptions<X> | null,
  options?: SolverOptions<X>,
): [X, null] {
  return libraryScope("scipy.sparse.linalg.cg", () => {
    const p = problem("cg", A, b, x0, options, KNOWN);
    const s = { tol: p.options.tol ?? 1e-5, atol: p.options.atol ?? 0, maxiter: p.options.maxiter ?? 10 * p.size };
    return [run("cg", p, (parts, rhs) => cgSolve(parts, rhs, s), true), null];
  });
}

/** bicgstab(A, b, x0?, { tol, atol, maxiter, M }) → [x, null]: BiCGSTAB for a general A. */
export function bicgstab<X>(
  A: LinearOperator<X>,
  b: X,
  x0?: X | SolverOptions<X> | null,
  options?: SolverOptions<X>,
): [X, null] {
  return libraryScope("scipy.sparse.linalg.bicgstab", () => {
    const p = problem("bicgstab", A, b, x0, options, KNOWN);
    const s = { tol: p.options.tol ?? 1e-5, atol: p.options.atol ?? 0, maxiter: p.options.maxiter ?? 10 * p.size };
    return [run("bicgstab", p, (parts, rhs) => bicgstabSolve(parts, rhs, s), false), null];
  });
}

/**
 * gmres(A, b, x0?, { tol, atol, restart, maxiter, M, solve_method }) → [x, info]: restarted GMRES
 * for a general A. info is JAX's: an int32 scalar, −1 when x holds NaN, else 0.
 */
export function gmres<X>(
  A: LinearOperator<X>,
  b: X,
  x0?: X | GmresOptions<X> | null,
  options?: GmresOptions<X>,
): [X, Tracer] {
  return libraryScope("scipy.sparse.linalg.gmres", () => {
    const p = problem("gmres", A, b, x0, options, GMRES_KNOWN);
    const method = p.options.solve_method ?? "batched";
    if (method !== "batched" && method !== "incremental")
      throw fail("gmres", `solve_method must be "batched" or "incremental", got ${JSON.stringify(method)}`);
    const s = {
      restart: Math.min(p.options.restart ?? 20, p.size),
      maxiter: p.options.maxiter ?? 10 * p.size,
      method,
    };
    // JAX fixes both tolerances from the primal b; the transpose solve uses them too.
    const extras = gmresTolerances(p.b, p.parts.M, p.options.tol ?? 1e-5, p.options.atol ?? 0);
    const solution = implicitSolve(
      "scipy.sparse.linalg.gmres",
      { ...p.parts, extras },
      p.b,
      (parts, rhs) => gmresSolve(parts, rhs, s),
      false,
    );
    const info = np.where(np.isnan(np.sqrt(vdot(solution, solution))), -1, 0);
    return [unflatten<X>(p.tree, solution), np.astype(info, "int32")];
  });
}
