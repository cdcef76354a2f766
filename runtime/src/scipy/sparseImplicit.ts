// How scipy.sparse.linalg's solvers (sparseLinalg.ts) differentiate: as JAX's, through
// lax.custom_linear_solve, so the derivative is implicit (dx = A⁻¹(db − dA·x)) and never goes
// through the solver's while_loop. Our custom_linear_solve differentiates in reverse through the
// solve applied to a residual (lax/implicitSolves.ts), which a while_loop cannot be; so that solve
// is a custom_vjp whose pullback is the transpose solve JAX's transpose rule runs (the solver
// itself on Aᵀ for gmres and bicgstab, on A for cg, which is symmetric), with the same M, x0 and,
// for gmres, the tolerances fixed from the primal b. The pullback runs after the forward trace is
// finished, when the user's A and M can no longer touch the values they close over: so both are
// traced into programs first and what they close over is passed to the custom_vjp as arguments
// (closure conversion, as a loop body's), from which the pullback rebuilds them. Their cotangents
// are null: A's entries get theirs from the residual b − A x, as in custom_linear_solve.

import { Tracer } from "../trace/core.js";
import { JitScopeError } from "../ir/errors.js";
import { JVPTracer } from "../trace/jvp.js";
import { VJPTracer, vjp } from "../trace/vjp.js";
import { VmapTracer } from "../trace/vmap.js";
import { differentiationSuspended } from "../trace/suspendAd.js";
import { custom_vjp } from "../trace/custom.js";
import { traceBody } from "../trace/loopTrace.js";
import { evalProgram, materialize } from "../trace/evalProgram.js";
import { custom_linear_solve } from "../lax/implicitSolves.js";
import type { Aval, Program } from "../ir/types.js";
import * as np from "../np.js";
import type { LeafOp, Leaves, SolveParts } from "./sparseKrylov.js";

/** A solver on one right-hand side (its settings bound). */
export type Solver = (parts: SolveParts, rhs: Leaves) => Leaves;

/** Which derivatives now running (not suspended) differentiate `x`, at any depth. */
function differentiatedBy(x: Tracer): "none" | "grad" | "jvp" {
  let t: Tracer = x;
  let by: "none" | "grad" | "jvp" = "none";
  for (;;) {
    if (t instanceof VJPTracer) {
      if (t.node !== null && !differentiationSuspended(t.ownTrace.level) && by === "none") by = "grad";
      t = t.primal;
    } else if (t instanceof JVPTracer) {
      if (t.tangent !== null && !differentiationSuspended(t.ownTrace.level)) return "jvp";
      t = t.primal;
    } else if (t instanceof VmapTracer) t = t.value;
    else return by;
  }
}

/** `op` as a program over vectors of `avals`, and the values it closes over. */
function closureConverted(name: string, op: LeafOp, avals: readonly Aval[]) {
  const traced = traceBody(name, avals, (xs) => op(xs));
  const apply =
    (program: Program) =>
    (consts: readonly Tracer[]): LeafOp =>
    (xs) =>
      evalProgram(program, [...consts, ...xs]).map((o, i) => materialize(o, avals[i]!));
  return { consts: traced.captured, rebuild: apply(traced.program) };
}

/** Aᵀ for a linear A on vectors of `avals`: the pullback of A (linearised once, at zero). */
function transposed(A: LeafOp, avals: readonly Aval[]): LeafOp {
  const [, pullback] = vjp((...xs: Tracer[]) => A(xs), ...avals.map((a) => np.zeros(a.shape)));
  return (v) => pullback(v) as Tracer[];
}

/** r ↦ A⁻¹r as a custom_vjp whose pullback is the transpose solve (see the file comment). */
function differentiableSolve(
  what: string,
  parts: SolveParts,
  avals: readonly Aval[],
  solver: Solver,
  symmetric: boolean,
): (r: Leaves) => Leaves {
  const a = closureConverted(`${what}.A`, parts.A, avals);
  const m = parts.M ? closureConverted(`${what}.M`, parts.M, avals) : null;
  const cuts = [a.consts.length, (m?.consts.length ?? 0) + a.consts.length, parts.x0.length];
  const context = [...a.consts, ...(m?.consts ?? []), ...parts.x0, ...parts.extras];
  const thaw = (c: readonly Tracer[]): SolveParts => ({
    A: a.rebuild(c.slice(0, cuts[0])),
    M: m ? m.rebuild(c.slice(cuts[0], cuts[1])) : null,
    x0: c.slice(cuts[1], cuts[1]! + cuts[2]!),
    extras: c.slice(cuts[1]! + cuts[2]!),
  });
  const krylovSolve = custom_vjp(function krylovSolve(c: Tracer[], r: Tracer[]): Tracer[] {
    return solver(thaw(c), r);
  });
  // An outer grad would differentiate the solver's while_loop itself: refused, not approximated.
  const firstOrder = (vs: readonly Tracer[]) => {
    if (vs.some((v) => differentiatedBy(v) !== "none"))
      throw new JitScopeError("trace", `${what}: second and higher derivatives are not supported`);
  };
  krylovSolve.defvjp(
    (c: Tracer[], r: Tracer[]) => {
      firstOrder([...c, ...r]);
      // This solve's value only enters custom_linear_solve's correction t − stop_gradient(t),
      // which is zero whatever t is: so the forward pass skips it (a full solve on a residual
      // near zero, which a relative tolerance still iterates to the end), and only the
      // pullback's transpose solve runs, as in JAX (2 solves per gradient, not 3).
      return [r.map((l) => np.zeros_like(l)), c];
    },
    (c: Tracer[], ct: Tracer[]) => {
      firstOrder([...c, ...ct]);
      const p = thaw(c);
      return [null, solver(symmetric ? p : { ...p, A: transposed(p.A, avals) }, ct)];
    },
  );
  return (r) => krylovSolve(context, r);
}

/** A⁻¹b by `solver`, differentiable in b and in what A closes over (a matrix's entries). */
export function implicitSolve(what: string, parts: SolveParts, b: Leaves, solver: Solver, symmetric: boolean): Leaves {
  const avals = b.map((l) => l.aval);
  let S: ((r: Leaves) => Leaves) | null = null;
  const solve = (_matvec: LeafOp, r: Leaves): Leaves => {
    // The primal solve (and any solve nothing differentiates) runs plainly.
    const by = r.map(differentiatedBy);
    if (by.includes("jvp"))
      throw new JitScopeError(
        "trace",
        `${what}: forward-mode differentiation (jvp, jacfwd) is not supported; use grad, vjp or jacrev (reverse mode, JAX's transpose solve)`,
      );
    if (!by.includes("grad")) return solver(parts, r);
    S ??= differentiableSolve(what, parts, avals, solver, symmetric);
    return S(r);
  };
  return custom_linear_solve(parts.A, b, solve, { symmetric }) as Leaves;
}
