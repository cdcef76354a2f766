// linearize, as JAX's: f evaluated once, and its JVP at that point as a function of the tangents
// that reruns none of f's primal work. A vjp records f once and keeps the residuals its pullback
// needs; the pullback is linear in the cotangent, so its transpose (the pullback of a vjp of the
// pullback itself) is f's JVP, reading those residuals. Each f_jvp call then does the linear
// work only, as JAX's linearized function does.

import { JitScopeError } from "../ir/errors.js";
import { Tracer } from "./core.js";
import { flatten, unflatten } from "./pytree.js";
import { vjp } from "./vjp.js";
import { fnName } from "./transformUtil.js";
import * as L from "./rules/lax.js";

/** `linearize(f, ...primals)` → `[f(...primals), f_jvp]`, with `f_jvp(...tangents)` the JVP of f
 *  at `primals` (one tangent per argument, of its structure; the result has the output's). */
export function linearize<T>(f: (...args: never[]) => T, ...primals: unknown[]): [T, (...tangents: unknown[]) => T] {
  if (typeof f !== "function")
    throw new JitScopeError("value", `linearize: the first argument must be a function, got ${typeof f}`);
  const [out, pullback] = vjp(f, ...primals);
  const outFlat = flatten(out, `the result of ${fnName(f)}`);
  // The pullback's argument at which to record it: any value does, it is linear. Zeros.
  const zero = unflatten<T>(
    outFlat.treedef,
    outFlat.leaves.map((l) => (l instanceof Tracer ? L.full(L.zeros(l.aval), l.shape) : 0)),
  );
  const [, transposed] = vjp(pullback, zero);
  const fJvp = (...tangents: unknown[]): T => {
    if (tangents.length !== primals.length)
      throw new JitScopeError(
        "value",
        `linearize(${fnName(f)}): the linearized function takes ${primals.length} tangent${primals.length === 1 ? "" : "s"} (one per primal), got ${tangents.length}`,
      );
    return transposed(tangents as never)[0] as T;
  };
  return [out, fJvp];
}
