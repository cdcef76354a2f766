// `scipy.signal`, as jax.scipy.signal: N-dimensional convolve and correlate, and their 2-D forms,
// in the modes "full", "same" and "valid". Each is one lax.conv_general_dilated of the larger
// input (as a batch of one with one channel) by the smaller one flipped, so it runs as a conv
// kernel and differentiates through the conv's rules; "auto" and "direct" are that direct
// convolution, as JAX's "auto" is. `method: "fft"` multiplies the inputs' transforms (rfftn of the
// full output's size) and crops, as JAX's fftconvolve.

import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import * as np from "../np.js";
import type { ArrayLike } from "../np.js";
import { asTracer, cast } from "../np/promote.js";
import { conv_general_dilated } from "../lax/conv.js";
import { avalText } from "../np/validate.js";
import { checkOptions } from "../apiOptions.js";

export type SignalMode = "full" | "same" | "valid";
export interface ConvolveOptions {
  /** "auto" or "direct" (the same here), or "fft" (through np.fft). */
  method?: "auto" | "direct" | "fft";
  precision?: unknown;
}
export interface Convolve2dOptions {
  /** Only "fill" with fillvalue 0, as JAX's. */
  boundary?: "fill";
  fillvalue?: number;
  precision?: unknown;
}

function operands(op: string, in1: ArrayLike, in2: ArrayLike, mode: string): [Tracer, Tracer] {
  if (mode !== "full" && mode !== "same" && mode !== "valid")
    throw new JitScopeError(
      "value",
      `scipy.signal.${op}: mode must be "full", "same" or "valid", got ${JSON.stringify(mode)}`,
    );
  const a = cast(asTracer(`scipy.signal.${op}`, in1), "float32");
  const b = cast(asTracer(`scipy.signal.${op}`, in2), "float32");
  if (a.ndim !== b.ndim)
    throw new JitScopeError(
      "shape",
      `scipy.signal.${op}: in1 and in2 must have the same number of axes, got ${avalText(a.aval)} and ${avalText(b.aval)}`,
    );
  if (a.size === 0 || b.size === 0)
    throw new JitScopeError(
      "shape",
      `scipy.signal.${op}: empty inputs are not supported, got ${avalText(a.aval)} and ${avalText(b.aval)}`,
    );
  return [a, b];
}

/** The direct convolution: the larger input slid under the smaller one flipped, padded per mode
 *  ("same" keeps in1's shape, centred as SciPy's). */
function convolveNd(op: string, in1: Tracer, in2: Tracer, mode: SignalMode): Tracer {
  const ge = in1.shape.every((d, i) => d >= in2.shape[i]!);
  const le = in1.shape.every((d, i) => d <= in2.shape[i]!);
  if (!ge && !le)
    throw new JitScopeError(
      "shape",
      `scipy.signal.${op}: one input must be at least as large as the other along every axis, got ${avalText(in1.aval)} and ${avalText(in2.aval)}`,
    );
  const sameShape = in2.shape; // "same" is centred on in1, whichever input is larger
  const [big, small] = ge ? [in1, in2] : [in2, in1];
  const k = small.shape;
  const padding = k.map((s, i): [number, number] => {
    if (mode === "valid") return [0, 0];
    if (mode === "full") return [s - 1, s - 1];
    const so = sameShape[i]!;
    return [s - 1 - Math.floor((so - 1) / 2), s - so + Math.floor((so - 1) / 2)];
  });
  const flipped = np.flip(small);
  const lhs = np.reshape(big, [1, 1, ...big.shape]);
  const rhs = np.reshape(flipped, [1, 1, ...k]);
  // conv_general_dilated correlates; the flipped kernel makes it a convolution.
  const out = conv_general_dilated(
    lhs,
    rhs,
    k.map(() => 1),
    padding,
  );
  return np.reshape(out, out.shape.slice(2));
}

/** The N-dimensional convolution of in1 and in2 (same number of axes). */
export function convolve(
  in1: ArrayLike,
  in2: ArrayLike,
  mode: SignalMode = "full",
  options: ConvolveOptions = {},
): Tracer {
  checkOptions("scipy.signal.convolve", options, ["method", "precision"]);
  if (options.method !== undefined && !["auto", "direct", "fft"].includes(options.method))
    throw new JitScopeError(
      "value",
      `scipy.signal.convolve: method must be "auto", "direct" or "fft", got ${JSON.stringify(options.method)}`,
    );
  const [a, b] = operands("convolve", in1, in2, mode);
  return options.method === "fft" ? fftConvolve(a, b, mode) : convolveNd("convolve", a, b, mode);
}

/** The convolution as the inverse transform of the transforms' product over the full output's
 *  size along every axis, cropped to the mode's shape about its centre (SciPy's fftconvolve). */
function fftConvolve(a: Tracer, b: Tracer, mode: SignalMode): Tracer {
  if (mode === "valid" && !a.shape.every((d, i) => d >= b.shape[i]!) && !a.shape.every((d, i) => d <= b.shape[i]!))
    throw new JitScopeError(
      "shape",
      `scipy.signal.convolve: in "valid" mode one input must be at least as large as the other along every axis, got ${avalText(a.aval)} and ${avalText(b.aval)}`,
    );
  const full = a.shape.map((d, i) => d + b.shape[i]! - 1);
  const out = np.fft.irfftn(np.multiply(np.fft.rfftn(a, full), np.fft.rfftn(b, full)), full);
  const keep =
    mode === "full" ? full : mode === "same" ? a.shape : a.shape.map((d, i) => Math.abs(d - b.shape[i]!) + 1);
  const start = full.map((f, i) => Math.floor((f - keep[i]!) / 2));
  return np.slice(
    out,
    start,
    start.map((s0, i) => s0 + keep[i]!),
  );
}

/** The N-dimensional cross-correlation: convolve with in2 flipped. */
export function correlate(
  in1: ArrayLike,
  in2: ArrayLike,
  mode: SignalMode = "full",
  options: ConvolveOptions = {},
): Tracer {
  checkOptions("scipy.signal.correlate", options, ["method", "precision"]);
  const [a, b] = operands("correlate", in1, in2, mode);
  return convolve(a, np.flip(b), mode, options);
}

function check2d(op: string, a: Tracer, b: Tracer, options: Convolve2dOptions): void {
  checkOptions(`scipy.signal.${op}`, options, ["boundary", "fillvalue", "precision"]);
  if ((options.boundary ?? "fill") !== "fill" || (options.fillvalue ?? 0) !== 0)
    throw new JitScopeError(
      "value",
      `scipy.signal.${op}: only boundary "fill" with fillvalue 0 is supported (as JAX's)`,
    );
  if (a.ndim !== 2 || b.ndim !== 2)
    throw new JitScopeError(
      "shape",
      `scipy.signal.${op}: needs 2-D inputs, got ${avalText(a.aval)} and ${avalText(b.aval)}`,
    );
}

/** convolve of two 2-D arrays. */
export function convolve2d(
  in1: ArrayLike,
  in2: ArrayLike,
  mode: SignalMode = "full",
  options: Convolve2dOptions = {},
): Tracer {
  const [a, b] = operands("convolve2d", in1, in2, mode);
  check2d("convolve2d", a, b, options);
  return convolveNd("convolve2d", a, b, mode);
}

/** correlate of two 2-D arrays, with JAX's orientation of "same" and "valid" when in2 is the
 *  larger input. */
export function correlate2d(
  in1: ArrayLike,
  in2: ArrayLike,
  mode: SignalMode = "full",
  options: Convolve2dOptions = {},
): Tracer {
  const [a, b] = operands("correlate2d", in1, in2, mode);
  check2d("correlate2d", a, b, options);
  const swap = a.shape.every((d, i) => d <= b.shape[i]!);
  const same = a.shape.every((d, i) => d === b.shape[i]!);
  if (mode === "same") return np.flip(convolveNd("correlate2d", np.flip(a), b, mode));
  if (swap && !(mode === "valid" && same)) return convolveNd("correlate2d", np.flip(b), a, mode);
  return np.flip(convolveNd("correlate2d", np.flip(a), b, mode));
}
