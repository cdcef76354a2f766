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
import type { PrintOptions } from "../printOptions.js";

export interface ArrayTextOptions {
  /** Digits after the point at most (NumPy's precision); null: the print options'. */
  precision?: number | null;
  /** Characters per line before a row wraps; null: the print options' linewidth. */
  max_line_width?: number | null;
  /** Positional notation, small values as 0; null: the print options' suppress. */
  suppress_small?: boolean | null;
}

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/** The keywords as print-option overrides (null and absent ones left to the options in force). */
function checkTextOptions(op: string, options: ArrayTextOptions): Partial<PrintOptions> {
  const known = ["precision", "max_line_width", "suppress_small"];
  for (const key of Object.keys(options))
    if (!known.includes(key))
      throw new JitScopeError("value", `${op}: unknown option "${key}" (it takes ${known.join(", ")})`);
  const out: { precision?: number; linewidth?: number; suppress?: boolean } = {};
  const p = options.precision;
  if (p !== undefined && p !== null) {
    if (!Number.isInteger(p) || p < 0 || p > 20)
      throw new JitScopeError("value", `${op}: precision must be a whole number from 0 to 20, got ${String(p)}`);
    out.precision = p;
  }
  const w = options.max_line_width;
  if (w !== undefined && w !== null) {
    if (!Number.isInteger(w) || w < 1)
      throw new JitScopeError("value", `${op}: max_line_width must be a whole number ≥ 1, got ${String(w)}`);
    out.linewidth = w;
  }
  const s = options.suppress_small;
  if (s !== undefined && s !== null) {
    if (typeof s !== "boolean")
      throw new JitScopeError("value", `${op}: suppress_small must be true or false, got ${String(s)}`);
    out.suppress = s;
  }
  return out;
}

/** What console.log shows for `x`, from the inspect hook the runtime installs on arrays. */
function shown(x: Tracer | Complex): string {
  const hook = (x as unknown as Record<symbol, unknown>)[INSPECT];
  return typeof hook === "function" ? String((hook as () => unknown).call(x)) : x.toString();
}

/** NumPy's str() of `a`: `[[1 2]\n [3 4]]`, `[1.5 2.  3. ]`, `3.5`, under the print options
 *  (np.set_printoptions) and these keywords. */
export function array_str(a: ArrayLike | Complex, options: ArrayTextOptions = {}): string {
  const overrides = checkTextOptions("array_str", options);
  if (a instanceof Complex)
    throw new JitScopeError("dtype", "array_str: complex arrays print with console.log(z) or array_repr(z)");
  const v = valuesNow(a);
  if (!v) return shown(a as Tracer);
  return strArray(v.data, v.shape, v.dtype, undefined, overrides);
}

/** What console.log(a) prints: `Array([1.5, 2. , 3. ], dtype=float32)` (JAX's repr; jnp.array_repr
 *  itself writes its class name, ArrayImpl), under the print options and these keywords. */
export function array_repr(a: ArrayLike | Complex, options: ArrayTextOptions = {}): string {
  const overrides = checkTextOptions("array_repr", options);
  if (a instanceof Complex) return shown(a);
  const v = valuesNow(a);
  if (!v) return shown(a as Tracer);
  return formatArray(v.data, v.shape, v.dtype, overrides);
}
