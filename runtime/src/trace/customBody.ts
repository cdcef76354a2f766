// A custom_vjp / custom_jvp call inside a loop body. The body is traced to a program of plain
// equations and transformed later by re-evaluating that program (evalProgram: loopJvp.ts,
// loopVjp.ts, loopBatch.ts), where the plain equations alone would lose the user's rule:
// differentiating them would silently use the derivative of the function's own ops. So the call
// is recorded as a region of the body: its equations, the body vars its arguments were, and how
// to call it again. evalProgram calls it again on the re-evaluated arguments, so the rule runs
// under whatever transformation re-evaluates the body, as it does outside loops.
// A function that closes over a value computed in the body cannot be called again (that value
// belongs to the finished trace): its outputs are marked instead, and differentiating them is
// an error that says so.

import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "./core.js";
import type { Eqn, Var } from "../ir/types.js";
import type { Leaf } from "./pytree.js";
import type { Flat } from "./customTypes.js";

/** One custom call traced in a loop body. */
export interface CustomRegion {
  /** The call's argument leaves: the body var each was, or a value that is no body tracer (a
   *  number, a concrete array). */
  readonly args: readonly ({ readonly v: Var } | { readonly value: Leaf })[];
  /** The body var each output leaf defined (null: not a var of this call's, such as a number). */
  readonly outputs: readonly (Var | null)[];
  /** The call again, on new argument leaves. */
  readonly call: (args: readonly Leaf[]) => Flat;
}

const regions = new WeakMap<Eqn, CustomRegion>();
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

/** Records the equations `eqns` as one custom call. A call traced inside another's function is
 *  recorded first and then taken into the enclosing region, which replays it. */
export function recordCustomRegion(eqns: readonly Eqn[], region: CustomRegion): void {
  for (const e of eqns) regions.set(e, region);
}

/** The custom call equation `e` belongs to, if any. */
export function customRegionOf(e: Eqn): CustomRegion | undefined {
  return regions.get(e);
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
    `${label} is called inside a lax loop body that is being differentiated, and it closes over a ` +
      `value computed in that body: its rule cannot be applied there; pass that value as an argument`,
  );
}
