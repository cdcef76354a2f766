// A custom_vjp / custom_jvp call inside a loop body. The body is traced to a program of plain
// equations and differentiated later by re-evaluating that program (loopJvp.ts, loopVjp.ts),
// where the user's rule is no longer known: differentiating it there would silently use the
// derivative of the function's own ops instead. So the call's outputs are marked here, and
// evalProgram refuses to give a marked output a tangent or a tape node.

import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "./core.js";
import type { Var } from "../ir/types.js";
import type { Leaf } from "./pytree.js";

const marked = new WeakMap<Var, string>();
let differentiated: ((x: Tracer) => boolean) | null = null;

/** Registered by customCall.ts (importing the AD tracers here would be a cycle). */
export function setDifferentiated(f: (x: Tracer) => boolean): void {
  differentiated = f;
}

/** Whether `x` is being differentiated by the innermost grad or jvp (a tape node or a tangent):
 *  lets a function refuse the derivatives it has no rule for, as JAX's do. */
export function isDifferentiated(x: unknown): boolean {
  return typeof x === "object" && x !== null && differentiated !== null && differentiated(x as Tracer);
}

export function markCustomCall(outputs: readonly Leaf[], label: string): void {
  for (const o of outputs) {
    const v = (o as { v?: Var }).v;
    if (v && v.kind === "var") marked.set(v, label);
  }
}

/** Throws when `out`, re-evaluated for output `v` of a body, is being differentiated. */
export function checkCustomOutput(v: Var, out: Tracer): void {
  const label = marked.get(v);
  if (label === undefined || !differentiated?.(out)) return;
  throw new JitScopeError(
    "trace",
    `${label} is called inside a lax loop body that is being differentiated: its custom rule ` +
      `cannot be used there yet; call it outside the loop, or differentiate the loop without jit`,
  );
}
