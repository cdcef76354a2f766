// jax.numpy.fft: fft, ifft, rfft, irfft and their 2-D and n-D forms, hfft, ihfft, fftfreq,
// rfftfreq, fftshift, ifftshift. Arguments in JAX's order (a, n, axis, norm) or, from the second
// on, as one options object: `np.fft.rfft(x, { axis: 1 })`. Results are complex64 arrays
// (trace/complexValue.ts); the transforms themselves are matrix products (dft.ts).

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import { Complex, isComplex } from "../trace/complexValue.js";
import type { Tracer } from "../trace/core.js";
import * as ew from "../np/elementwise.js";
import { arange } from "../np/creation.js";
import { pad } from "../np/pad.js";
import { concatenate } from "../np/shape.js";
import { slice_in_dim } from "../lax/structural.js";
import { moveaxis } from "../np/stacking.js";
import { flip, roll } from "../np/shapeSurface.js";
import { normalizeAxis } from "../np/validate.js";
import { asTracer, type ArrayLike } from "../np/promote.js";
import { conj, parts, type ComplexLike, type Parts } from "./complexMath.js";
import { DIRECT_MAX, dftLast, inverseRealLast } from "./dft.js";
import { libraryScope } from "../trace/scopeCalls.js";

export type Norm = "backward" | "ortho" | "forward" | null | undefined;
export interface FftOptions {
  n?: number | null;
  axis?: number;
  norm?: Norm;
}
type NormName = "backward" | "ortho" | "forward";
export interface FftNOptions {
  s?: readonly number[] | null;
  axes?: readonly number[] | null;
  norm?: Norm;
}

type Opt1 = FftOptions | number | null | undefined;
type OptN = FftNOptions | readonly number[] | null | undefined;

function options1(
  op: string,
  nOrOptions: Opt1,
  axis: number | undefined,
  norm: Norm,
): { n: number | null; axis: number; norm: NormName } {
  if (nOrOptions !== null && typeof nOrOptions === "object") {
    checkOptions(`fft.${op}`, nOrOptions, ["n", "axis", "norm"]);
    return { n: nOrOptions.n ?? null, axis: nOrOptions.axis ?? -1, norm: checkNorm(op, nOrOptions.norm) };
  }
  return { n: nOrOptions ?? null, axis: axis ?? -1, norm: checkNorm(op, norm) };
}

function optionsN(
  op: string,
  sOrOptions: OptN,
  axes: readonly number[] | null | undefined,
  norm: Norm,
  ndim: number,
  two: boolean,
) {
  let o: FftNOptions;
  if (sOrOptions !== null && typeof sOrOptions === "object" && !Array.isArray(sOrOptions)) {
    o = sOrOptions as FftNOptions;
    checkOptions(`fft.${op}`, o, ["s", "axes", "norm"]);
  } else o = { s: sOrOptions as readonly number[] | null | undefined, axes, norm };
  const s = o.s ?? null;
  const given: readonly number[] =
    o.axes ?? (two ? [-2, -1] : s ? s.map((_, i) => ndim - s.length + i) : Array.from({ length: ndim }, (_, i) => i));
  const ax = given.map((a) => normalizeAxis(`fft.${op}`, a, ndim, []));
  if (s && s.length !== ax.length)
    throw new JitScopeError("shape", `fft.${op}: s has ${s.length} sizes but there are ${ax.length} axes`);
  return { s, axes: ax, norm: checkNorm(op, o.norm) };
}

function checkNorm(op: string, norm: Norm): "backward" | "ortho" | "forward" {
  const v = norm ?? "backward";
  if (v !== "backward" && v !== "ortho" && v !== "forward")
    throw new JitScopeError(
      "value",
      `fft.${op}: norm must be "backward", "ortho" or "forward", got ${JSON.stringify(norm)}`,
    );
  return v;
}

function checkLength(op: string, n: number): void {
  if (!Number.isInteger(n) || n < 1)
    throw new JitScopeError("shape", `fft.${op}: the transform length must be a whole number ≥ 1, got ${n}`);
}

/** The scale a transform of length n takes: forward (or inverse) under the given norm. */
function scaleOf(norm: "backward" | "ortho" | "forward", n: number, inverse: boolean): number {
  if (norm === "ortho") return 1 / Math.sqrt(n);
  return (norm === "forward") !== inverse ? 1 / n : 1;
}

const scale = (z: Complex, k: number): Complex =>
  k === 1 ? z : new Complex(ew.multiply(z.re, k), ew.multiply(z.im, k));

/** p along its last axis cut or zero-padded to n. */
function fitLast(p: Parts, n: number): Parts {
  const fit = (t: Tracer) => {
    const have = t.shape[t.ndim - 1]!;
    if (have === n) return t;
    if (have > n) return slice_in_dim(t, 0, n, 1, -1);
    return pad(t, [...t.shape.slice(0, -1).map(() => [0, 0] as [number, number]), [0, n - have] as [number, number]]);
  };
  return { re: fit(p.re), im: p.im && fit(p.im) };
}

const moveParts = (p: Parts, from: number, to: number): Parts => ({
  re: moveaxis(p.re, from, to),
  im: p.im && moveaxis(p.im, from, to),
});

/** One complex transform along `axis` (length n after cutting or padding), scaled per norm. */
function transform1(
  op: string,
  x: ComplexLike,
  n: number | null,
  axis: number,
  norm: "backward" | "ortho" | "forward",
  inverse: boolean,
): Complex {
  const p = parts(`fft.${op}`, x);
  const ax = normalizeAxis(`fft.${op}`, axis, p.re.ndim, p.re.shape);
  const len = n ?? p.re.shape[ax]!;
  checkLength(op, len);
  const last = fitLast(moveParts(p, ax, -1), len);
  const z = scale(dftLast(last, inverse), scaleOf(norm, len, inverse));
  return new Complex(moveaxis(z.re, -1, ax), moveaxis(z.im, -1, ax));
}

/** The inverse real transform along `axis`: `m` coefficients in, n real values out. */
function inverseReal(
  op: string,
  x: ComplexLike,
  n: number | null,
  axis: number,
  norm: "backward" | "ortho" | "forward",
): Tracer {
  const p = parts(`fft.${op}`, x);
  const ax = normalizeAxis(`fft.${op}`, axis, p.re.ndim, p.re.shape);
  const len = n ?? 2 * (p.re.shape[ax]! - 1);
  checkLength(op, len);
  const last = fitLast(moveParts(p, ax, -1), Math.floor(len / 2) + 1);
  let out: Tracer;
  if (len <= DIRECT_MAX) out = inverseRealLast(last, len);
  else {
    // The whole spectrum (the rest are the conjugates of coefficients 1 … n − n/2 − 1, reversed),
    // then a complex inverse transform of which the real part is the answer.
    const full = last.im ? last : { re: last.re, im: ew.multiply(last.re, 0) };
    const h = Math.floor(len / 2) + 1;
    const tail = (t: Tracer) => flip(slice_in_dim(t, 1, len - h + 1, 1, -1), -1);
    const spectrum = {
      re: concatenate([full.re, tail(full.re)], -1),
      im: concatenate([full.im!, ew.negative(tail(full.im!))], -1),
    };
    out = dftLast(spectrum, true).re;
  }
  return moveaxis(ew.multiply(out, scaleOf(norm, len, true)), -1, ax);
}

/** jnp.fft.fft: the discrete Fourier transform along one axis. */
export function fft(a: ComplexLike, n?: Opt1, axis?: number, norm?: Norm): Complex {
  const o = options1("fft", n, axis, norm);
  return libraryScope("np.fft.fft", () => transform1("fft", a, o.n, o.axis, o.norm, false));
}

/** jnp.fft.ifft: the inverse transform (scaled by 1/n under the default norm). */
export function ifft(a: ComplexLike, n?: Opt1, axis?: number, norm?: Norm): Complex {
  const o = options1("ifft", n, axis, norm);
  return libraryScope("np.fft.ifft", () => transform1("ifft", a, o.n, o.axis, o.norm, true));
}

/** jnp.fft.rfft: the transform of a real array, its n/2 + 1 non-negative frequencies. */
export function rfft(a: ComplexLike, n?: Opt1, axis?: number, norm?: Norm): Complex {
  return libraryScope("np.fft.rfft", () => realForward(a, n, axis, norm));
}

function realForward(a: ComplexLike, n?: Opt1, axis?: number, norm?: Norm): Complex {
  if (isComplex(a))
    throw new JitScopeError("dtype", `fft.rfft: the input must be real, got complex64[${a.shape}] (use fft.fft)`);
  const o = options1("rfft", n, axis, norm);
  const z = transform1("rfft", a, o.n, o.axis, o.norm, false);
  const ax = normalizeAxis("fft.rfft", o.axis, z.ndim, z.shape);
  const keep = Math.floor(z.shape[ax]! / 2) + 1;
  const cut = (t: Tracer) => slice_in_dim(t, 0, keep, 1, ax);
  return new Complex(cut(z.re), cut(z.im));
}

/** jnp.fft.irfft: n real values (default 2(m − 1)) from m Hermitian coefficients. */
export function irfft(a: ComplexLike, n?: Opt1, axis?: number, norm?: Norm): Tracer {
  const o = options1("irfft", n, axis, norm);
  return libraryScope("np.fft.irfft", () => inverseReal("irfft", a, o.n, o.axis, o.norm));
}

/** jnp.fft.hfft: the transform of a Hermitian-symmetric signal given by its first half (real output). */
export function hfft(a: ComplexLike, n?: Opt1, axis?: number, norm?: Norm): Tracer {
  const o = options1("hfft", n, axis, norm);
  const flipped = o.norm === "forward" ? "backward" : o.norm === "backward" ? "forward" : "ortho";
  return libraryScope("np.fft.hfft", () => inverseReal("hfft", isComplex(a) ? conj(a) : a, o.n, o.axis, flipped));
}

/** jnp.fft.ihfft: the inverse of hfft, from a real signal. */
export function ihfft(a: ComplexLike, n?: Opt1, axis?: number, norm?: Norm): Complex {
  const o = options1("ihfft", n, axis, norm);
  const flipped = o.norm === "forward" ? "backward" : o.norm === "backward" ? "forward" : "ortho";
  return libraryScope("np.fft.ihfft", () => conj(realForward(a, { n: o.n, axis: o.axis, norm: flipped })));
}

/** The n-D complex transform: one 1-D transform per axis. */
function transformN(
  op: string,
  a: ComplexLike,
  s: OptN,
  axes: readonly number[] | null | undefined,
  norm: Norm,
  inverse: boolean,
  two: boolean,
): Complex {
  const ndim = isComplex(a) ? a.ndim : parts(`fft.${op}`, a).re.ndim;
  const o = optionsN(op, s, axes, norm, ndim, two);
  let z: ComplexLike = a;
  o.axes.forEach((ax, i) => (z = transform1(op, z, o.s ? o.s[i]! : null, ax, o.norm, inverse)));
  return z as Complex;
}

export const fft2 = (a: ComplexLike, s?: OptN, axes?: readonly number[] | null, norm?: Norm): Complex =>
  libraryScope("np.fft.fft2", () => transformN("fft2", a, s, axes, norm, false, true));
export const ifft2 = (a: ComplexLike, s?: OptN, axes?: readonly number[] | null, norm?: Norm): Complex =>
  libraryScope("np.fft.ifft2", () => transformN("ifft2", a, s, axes, norm, true, true));
export const fftn = (a: ComplexLike, s?: OptN, axes?: readonly number[] | null, norm?: Norm): Complex =>
  libraryScope("np.fft.fftn", () => transformN("fftn", a, s, axes, norm, false, false));
export const ifftn = (a: ComplexLike, s?: OptN, axes?: readonly number[] | null, norm?: Norm): Complex =>
  libraryScope("np.fft.ifftn", () => transformN("ifftn", a, s, axes, norm, true, false));

/** rfft along the last of the axes, then fft along the others. */
function realN(
  op: string,
  a: ComplexLike,
  s: OptN,
  axes: readonly number[] | null | undefined,
  norm: Norm,
  two: boolean,
): Complex {
  if (isComplex(a)) throw new JitScopeError("dtype", `fft.${op}: the input must be real, got complex64[${a.shape}]`);
  const ndim = parts(`fft.${op}`, a).re.ndim;
  const o = optionsN(op, s, axes, norm, ndim, two);
  const k = o.axes.length - 1;
  let z = realForward(a, { n: o.s ? o.s[k]! : null, axis: o.axes[k]!, norm: o.norm });
  for (let i = 0; i < k; i++) z = transform1(op, z, o.s ? o.s[i]! : null, o.axes[i]!, o.norm, false);
  return z;
}

/** ifft along all but the last of the axes, then irfft along the last. */
function inverseRealN(
  op: string,
  a: ComplexLike,
  s: OptN,
  axes: readonly number[] | null | undefined,
  norm: Norm,
  two: boolean,
): Tracer {
  const ndim = isComplex(a) ? a.ndim : parts(`fft.${op}`, a).re.ndim;
  const o = optionsN(op, s, axes, norm, ndim, two);
  const k = o.axes.length - 1;
  let z: ComplexLike = a;
  for (let i = 0; i < k; i++) z = transform1(op, z, o.s ? o.s[i]! : null, o.axes[i]!, o.norm, true);
  return inverseReal(op, z, o.s ? o.s[k]! : null, o.axes[k]!, o.norm);
}

export const rfft2 = (a: ComplexLike, s?: OptN, axes?: readonly number[] | null, norm?: Norm): Complex =>
  libraryScope("np.fft.rfft2", () => realN("rfft2", a, s, axes, norm, true));
export const irfft2 = (a: ComplexLike, s?: OptN, axes?: readonly number[] | null, norm?: Norm): Tracer =>
  libraryScope("np.fft.irfft2", () => inverseRealN("irfft2", a, s, axes, norm, true));
export const rfftn = (a: ComplexLike, s?: OptN, axes?: readonly number[] | null, norm?: Norm): Complex =>
  libraryScope("np.fft.rfftn", () => realN("rfftn", a, s, axes, norm, false));
export const irfftn = (a: ComplexLike, s?: OptN, axes?: readonly number[] | null, norm?: Norm): Tracer =>
  libraryScope("np.fft.irfftn", () => inverseRealN("irfftn", a, s, axes, norm, false));

/** The sample frequencies of an n-point transform: [0, 1, …, ⌈n/2⌉ − 1, −⌊n/2⌋, …, −1] / (d·n). */
export function fftfreq(n: number, d = 1): Tracer {
  checkLength("fftfreq", n);
  const k = ew.where(ew.less(arange(n), Math.ceil(n / 2)), arange(n), ew.subtract(arange(n), n));
  return ew.divide(ew.astype(k, "float32"), d * n);
}

/** The non-negative sample frequencies of an n-point rfft: [0, 1, …, ⌊n/2⌋] / (d·n). */
export function rfftfreq(n: number, d = 1): Tracer {
  checkLength("rfftfreq", n);
  return ew.divide(ew.astype(arange(Math.floor(n / 2) + 1), "float32"), d * n);
}

/** The zero frequency moved to the centre: a roll by ⌊n/2⌋ along each axis (all by default). */
type Axes = number | readonly number[] | null;
export function fftshift(x: ArrayLike, axes?: Axes): Tracer;
export function fftshift(x: Complex, axes?: Axes): Complex;
export function fftshift(x: ComplexLike, axes?: Axes): Tracer | Complex {
  return shift("fftshift", x, axes, 1);
}

/** fftshift undone: a roll by −⌊n/2⌋ along each axis. */
export function ifftshift(x: ArrayLike, axes?: Axes): Tracer;
export function ifftshift(x: Complex, axes?: Axes): Complex;
export function ifftshift(x: ComplexLike, axes?: Axes): Tracer | Complex {
  return shift("ifftshift", x, axes, -1);
}

function shift(op: string, x: ComplexLike, axes: Axes | undefined, sign: 1 | -1): Tracer | Complex {
  const t = isComplex(x) ? x.re : asTracer(`fft.${op}`, x);
  const ax =
    axes === undefined || axes === null ? [...Array(t.ndim).keys()] : typeof axes === "number" ? [axes] : [...axes];
  const norm = ax.map((a) => normalizeAxis(`fft.${op}`, a, t.ndim, t.shape));
  const by = norm.map((a) => sign * Math.floor(t.shape[a]! / 2));
  const r = (u: Tracer) => roll(u, by, norm);
  return isComplex(x) ? new Complex(r(x.re), r(x.im)) : r(t);
}
