// jnp.array_str and jnp.array_repr: an array as text, the way it prints. array_repr is exactly
// what console.log shows (display.ts through util.inspect.custom), so the two never disagree;
// array_str is NumPy's str() (`[1.5 2.  3. ]`), as jax.debug.print shows it. Both read the values
// synchronously, so they are for arrays on the host (the CPU backend, numbers, lists); any other
// array gives the sentence console.log gives, saying how to read its values.

import { JitScopeError } from "../ir/errors.js";
import { Complex } from "../trace/complexValue.js";
import type { Tracer } from "../trace/core.js";
import { formatArray, strArray } from "../display.js";
import { valuesNow } from "./concreteValues.js";
import type { ArrayLike } from "./promote.js";

export interface ArrayTextOptions {
  /** Digits after the point at most (NumPy's precision); shorter values keep their own. */
  precision?: number | null;
  /** NumPy's wrapping width: only null here, as console.log's display does not wrap rows. */
  max_line_width?: number | null;
  /** NumPy's suppress_small: only null or false here (the display never uses e-notation for
   *  small values differently). */
  suppress_small?: boolean | null;
}

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

function checkTextOptions(op: string, options: ArrayTextOptions): number | null {
  const known = ["precision", "max_line_width", "suppress_small"];
  for (const key of Object.keys(options))
    if (!known.includes(key))
      throw new JitScopeError("value", `${op}: unknown option "${key}" (it takes ${known.join(", ")})`);
  if (options.max_line_width !== undefined && options.max_line_width !== null)
    throw new JitScopeError(
      "value",
      `${op}: max_line_width is not supported (rows print unwrapped, as console.log prints them)`,
    );
  if (options.suppress_small !== undefined && options.suppress_small !== null && options.suppress_small !== false)
    throw new JitScopeError("value", `${op}: suppress_small is not supported`);
  const p = options.precision;
  if (p === undefined || p === null) return null;
  if (!Number.isInteger(p) || p < 0 || p > 20)
    throw new JitScopeError("value", `${op}: precision must be a whole number from 0 to 20, got ${String(p)}`);
  return p;
}

/** What console.log shows for `x`, from the inspect hook the runtime installs on arrays. */
function shown(x: Tracer | Complex): string {
  const hook = (x as unknown as Record<symbol, unknown>)[INSPECT];
  return typeof hook === "function" ? String((hook as () => unknown).call(x)) : x.toString();
}

/** NumPy's str() of `a`: `[[1 2]\n [3 4]]`, `[1.5 2.  3. ]`, `3.5`; floats rounded to
 *  `precision` digits after the point when given. */
export function array_str(a: ArrayLike | Complex, options: ArrayTextOptions = {}): string {
  const precision = checkTextOptions("array_str", options);
  if (a instanceof Complex)
    throw new JitScopeError("dtype", "array_str: complex arrays print with console.log(z) or array_repr(z)");
  const v = valuesNow(a);
  if (!v) return shown(a as Tracer);
  const data =
    precision === null || v.dtype !== "float32" ? v.data : Array.from(v.data, (d) => Number(d.toFixed(precision)));
  return strArray(data, v.shape, v.dtype);
}

/** What console.log(a) prints: `Array([1.5, 2., 3.], dtype=float32)` (JAX's repr; jnp.array_repr
 *  itself writes its class name, ArrayImpl). `precision` rounds floats as in array_str. */
export function array_repr(a: ArrayLike | Complex, options: ArrayTextOptions = {}): string {
  const precision = checkTextOptions("array_repr", options);
  if (a instanceof Complex) return shown(a);
  const v = valuesNow(a);
  if (!v) return shown(a as Tracer);
  const round = precision !== null && v.dtype === "float32";
  return formatArray(round ? Array.from(v.data, (d) => Number(d.toFixed(precision))) : v.data, v.shape, v.dtype);
}
