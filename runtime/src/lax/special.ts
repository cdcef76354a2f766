// lax.erf and lax.erfc: primitives of their own (ir/types.ts), so their derivative is the exact
// 2/√π·exp(-x²) at every order, and erfc keeps its tail (erfc(9) = 4.1e-37, where 1 - erf is 0).
// On WebGPU they are XLA's float32 rational approximation and Cephes' erfcf (codegen/wgslHelpers.ts);
// the CPU reference evaluates them in float64 (ops/cpuSpecial.ts). As JAX's lax.erf, they take
// float32 only: an int or bool array is an error (a JS number is a float32 scalar).

import { JitScopeError } from "../ir/errors.js";
import { bind1, type Tracer } from "../trace/core.js";
import { asTracer, type ArrayLike } from "../np/promote.js";
import { avalText } from "../np/validate.js";

function floatOnly(op: "erf" | "erfc", x: ArrayLike): Tracer {
  const t = typeof x === "number" ? asTracer(op, x, "float32") : asTracer(op, x);
  if (t.dtype !== "float32")
    throw new JitScopeError(
      "dtype",
      `lax.${op} takes float32, got ${avalText(t.aval)}; cast it first (np.astype(x, "float32")), as JAX's lax.${op} requires`,
    );
  return t;
}

export const erf = (x: ArrayLike): Tracer => bind1("erf", {}, [floatOnly("erf", x)]);
export const erfc = (x: ArrayLike): Tracer => bind1("erfc", {}, [floatOnly("erfc", x)]);
