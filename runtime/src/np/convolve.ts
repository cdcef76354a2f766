// np.convolve and np.correlate of two 1-D arrays, as jnp's: one `conv` (a 1-D convolution of one
// batch, one channel), so each is one kernel whose gradient and batching come from conv's.
// Modes: "full" (every overlap, n + m - 1), "same" (the longer input's length, centred as NumPy
// centres it), "valid" (full overlaps only). As NumPy, the longer array slides over the shorter:
// convolve is symmetric in its arguments; correlate with the second longer gives the swapped
// correlation reversed. Integer inputs are computed in float32 and cast back (exact while every
// partial sum stays under 2^24 in magnitude).

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import { bind1, type Tracer } from "../trace/core.js";
import { asTracer, cast, commonDType, type ArrayLike } from "./promote.js";
import { reshape } from "./shape.js";
import { flip } from "./shapeSurface.js";
import { avalText } from "./validate.js";
import { round } from "./mathSurface.js";

export type ConvolveMode = "full" | "same" | "valid";

export interface ConvolveOptions {
  /** Accepted for JAX's signature; float32 here either way. */
  precision?: null;
}

/** jnp.convolve(a, v, mode = "full"). */
export function convolve(
  a: ArrayLike,
  v: ArrayLike,
  mode: ConvolveMode = "full",
  options: ConvolveOptions = {},
): Tracer {
  checkOptions("convolve", options, ["precision"]);
  return slide("convolve", a, v, mode, true);
}

/** jnp.correlate(a, v, mode = "valid"): c[k] = Σ_n a[n + k] · v[n]. */
export function correlate(
  a: ArrayLike,
  v: ArrayLike,
  mode: ConvolveMode = "valid",
  options: ConvolveOptions = {},
): Tracer {
  checkOptions("correlate", options, ["precision"]);
  return slide("correlate", a, v, mode, false);
}

function slide(op: string, a: ArrayLike, v: ArrayLike, mode: ConvolveMode, flipped: boolean): Tracer {
  let x = asTracer(op, a);
  let w = asTracer(op, v);
  if (x.ndim !== 1 || w.ndim !== 1)
    throw new JitScopeError("shape", `${op}: a and v must be 1-D, got ${avalText(x.aval)} and ${avalText(w.aval)}`);
  if (x.shape[0] === 0 || w.shape[0] === 0)
    throw new JitScopeError(
      "shape",
      `${op}: a and v must not be empty, got ${avalText(x.aval)} and ${avalText(w.aval)}`,
    );
  if (mode !== "full" && mode !== "same" && mode !== "valid")
    throw new JitScopeError("value", `${op}: mode must be "full", "same" or "valid", got ${JSON.stringify(mode)}`);
  const dtype = commonDType([x, w]);
  const swapped = w.shape[0]! > x.shape[0]!;
  if (swapped) [x, w] = [w, x];
  const n = x.shape[0]!;
  const m = w.shape[0]!;
  const [low, high] = mode === "full" ? [m - 1, m - 1] : mode === "same" ? [m >> 1, m - 1 - (m >> 1)] : [0, 0];
  const lhs = reshape(cast(x, "float32"), [1, 1, n]);
  const rhs = reshape(cast(flipped ? flip(w) : w, "float32"), [1, 1, m]);
  const one = [1];
  const conv = bind1(
    "conv",
    { strides: one, padLow: [low], padHigh: [high], lhsDilation: one, rhsDilation: one, groups: 1 },
    [lhs, rhs],
  );
  let out = reshape(conv, [conv.shape[2]!]);
  // Correlating the longer second array over the first is the swapped correlation reversed.
  if (swapped && !flipped) out = flip(out);
  return dtype === "float32" ? out : cast(round(out), dtype);
}
