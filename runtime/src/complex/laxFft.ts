// lax.fft(x, fft_type, fft_lengths) and lax.FftType, as JAX's: a transform over the trailing
// len(fft_lengths) axes, whose sizes fft_lengths must already be (lax.fft neither pads nor
// crops; jax.numpy.fft does that on top). Built on np.fft's n-D transforms (complex/fft.ts).

import { JitScopeError } from "../ir/errors.js";
import { isComplex, type Complex } from "../trace/complexValue.js";
import type { Tracer } from "../trace/core.js";
import { fromParts, parts, type ComplexLike } from "./complexMath.js";
import { fftn, ifftn, irfftn, rfftn } from "./fft.js";

/** lax.FftType: FFT, IFFT (complex to complex), RFFT (real to complex), IRFFT (complex to real). */
export const FftType = Object.freeze({ FFT: "FFT", IFFT: "IFFT", RFFT: "RFFT", IRFFT: "IRFFT" } as const);
export type FftType = (typeof FftType)[keyof typeof FftType];
type FftTypeLike = FftType | Lowercase<FftType>;

/** lax.fft: "FFT" / "IFFT" / "RFFT" give complex64, "IRFFT" gives float32 of shape
 *  [...batch, ...fft_lengths]. Lower-case names are accepted, as JAX's. */
export function fft(x: ComplexLike, fft_type: "IRFFT" | "irfft", fft_lengths: readonly number[]): Tracer;
export function fft(
  x: ComplexLike,
  fft_type: "FFT" | "IFFT" | "RFFT" | "fft" | "ifft" | "rfft",
  fft_lengths: readonly number[],
): Complex;
export function fft(x: ComplexLike, fft_type: FftTypeLike, fft_lengths: readonly number[]): Complex | Tracer;
export function fft(x: ComplexLike, fft_type: FftTypeLike, fft_lengths: readonly number[]): Complex | Tracer {
  const op = "lax.fft";
  const type = typeof fft_type === "string" ? (fft_type.toUpperCase() as FftType) : fft_type;
  if (typeof fft_type !== "string" || !(type in FftType) || (fft_type !== type && fft_type !== type.toLowerCase()))
    throw new JitScopeError("value", `${op}: unknown FFT type ${JSON.stringify(fft_type)} (FFT, IFFT, RFFT or IRFFT)`);
  if (type === "RFFT" && isComplex(x))
    throw new JitScopeError("dtype", `${op}: only real inputs are supported for RFFT`);
  const { re, im } = parts(op, x);
  const shape = re.shape;
  const lengths = [...fft_lengths];
  if (lengths.some((n) => !Number.isInteger(n) || n < 1))
    throw new JitScopeError(
      "value",
      `${op}: fft_lengths must be positive integers, got ${JSON.stringify(fft_lengths)}`,
    );
  const k = lengths.length;
  // An empty transform is the input itself, converted as JAX converts it.
  if (k === 0) return type === "RFFT" ? re : fromParts({ re, im });
  if (k > shape.length)
    throw new JitScopeError(
      "shape",
      `${op}: input shape [${shape.join(", ")}] must have at least as many dimensions as fft_lengths [${lengths.join(", ")}]`,
    );
  const minor = shape.slice(shape.length - k);
  const axes = lengths.map((_, i) => shape.length - k + i);
  const mismatch = (what: string) =>
    new JitScopeError(
      "shape",
      `${op}: ${type} input shape [${shape.join(", ")}] minor dimensions must be equal to ${what}, got fft_lengths [${lengths.join(", ")}]`,
    );
  const z: ComplexLike = isComplex(x) ? x : re;
  switch (type) {
    case "FFT":
    case "IFFT":
      if (minor.some((d, i) => d !== lengths[i])) throw mismatch("fft_lengths");
      return type === "FFT" ? fftn(z, lengths, axes) : ifftn(z, lengths, axes);
    case "RFFT":
      if (minor.some((d, i) => d !== lengths[i])) throw mismatch("fft_lengths");
      return rfftn(z, lengths, axes);
    case "IRFFT":
      if (minor.slice(0, -1).some((d, i) => d !== lengths[i])) throw mismatch("all except the last fft_length");
      return irfftn(z, lengths, axes);
  }
}
