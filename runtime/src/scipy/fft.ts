// `scipy.fft`, as jax.scipy.fft: the type-2 discrete cosine transform and its inverse, along one
// axis (dct, idct) or several (dctn, idctn, one axis after another: the transform is separable),
// norm null / "backward" or "ortho", `n` / `s` cutting or zero-padding the input first. Arguments
// in JAX's order (x, type, n, axis, norm) or, from the second on, one options object:
// `scipy.fft.dct(x, { norm: "ortho" })`.
//   - Up to DIRECT_MAX points a transform is one product with a cosine matrix made on the host in
//     float64 and kept as a shared constant (dftTables.ts's cachedConstant): one matmul kernel,
//     with the norm and any zero padding folded into the matrix.
//   - Past it, Makhoul's reordering turns the length-n DCT into one length-n complex DFT
//     (complex/dft.ts: four-step or Bluestein, O(n log n)) and a twiddle, as JAX computes it.
// Both are plain np ops, so they differentiate, batch under vmap and trace under jit.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import { isComplex } from "../trace/complexValue.js";
import type { Tracer } from "../trace/core.js";
import { libraryScope } from "../trace/scopeCalls.js";
import * as ew from "../np/elementwise.js";
import { take } from "../np/indexing.js";
import { matmul } from "../np/linalg.js";
import { pad } from "../np/pad.js";
import { asTracer, cast, type ArrayLike } from "../np/promote.js";
import { moveaxis } from "../np/stacking.js";
import { normalizeAxis, avalText } from "../np/validate.js";
import { slice_in_dim } from "../lax/structural.js";
import { DIRECT_MAX, dftLast } from "../complex/dft.js";
import { cachedConstant, unitCircle } from "../complex/dftTables.js";

/** null and "backward" are the same (no scaling forward, 1/2n back); "ortho" is orthonormal. */
export type DctNorm = "backward" | "ortho" | null | undefined;
export interface DctOptions {
  /** Only 2, as JAX's. */
  type?: number;
  n?: number | null;
  axis?: number;
  norm?: DctNorm;
}
export interface DctNOptions {
  type?: number;
  s?: number | readonly number[] | null;
  axes?: number | readonly number[] | null;
  norm?: DctNorm;
}

type Mode = "backward" | "ortho";

function checkType(op: string, type: unknown): void {
  if (type !== 2)
    throw new JitScopeError(
      "value",
      `scipy.fft.${op}: only DCT type 2 is implemented (as JAX's), got type ${JSON.stringify(type)}`,
    );
}

function checkNorm(op: string, norm: unknown): Mode {
  if (norm === null || norm === undefined || norm === "backward") return "backward";
  if (norm === "ortho") return "ortho";
  throw new JitScopeError(
    "value",
    `scipy.fft.${op}: norm ${JSON.stringify(norm)} is not implemented (as JAX: null, "backward" or "ortho")`,
  );
}

function checkLength(op: string, n: number): void {
  if (!Number.isInteger(n) || n < 1)
    throw new JitScopeError("shape", `scipy.fft.${op}: the transform length must be a whole number ≥ 1, got ${n}`);
}

function realInput(op: string, x: ArrayLike): Tracer {
  if (isComplex(x))
    throw new JitScopeError("dtype", `scipy.fft.${op}: the input must be real, got complex64[${String(x.shape)}]`);
  const t = asTracer(`scipy.fft.${op}`, x);
  if (t.ndim === 0)
    throw new JitScopeError("shape", `scipy.fft.${op}: the input needs at least 1 axis, got ${avalText(t.aval)}`);
  return cast(t, "float32");
}

/**
 * The weight of coefficient k in a length-n transform. Forward (dct): y_k = 2·Σ_j x_j·cos(πk(2j+1)/2n),
 * times 1/√(4n) for k = 0 and 1/√(2n) otherwise under "ortho". Inverse (idct, a scaled DCT-III):
 * x_j = Σ_k w_k·y_k·cos(πk(2j+1)/2n) with w_0 = 1/2n, w_k = 1/n ("backward") or 1/√n, √(2/n) ("ortho").
 */
function weight(k: number, n: number, norm: Mode, inverse: boolean): number {
  if (!inverse) return norm === "ortho" ? 2 / Math.sqrt((k === 0 ? 4 : 2) * n) : 2;
  if (norm === "ortho") return k === 0 ? 1 / Math.sqrt(n) : Math.sqrt(2 / n);
  return k === 0 ? 1 / (2 * n) : 1 / n;
}

/** cos(πk(2j+1)/2n), reduced exactly to a multiple of 2π/4n before the float64 cosine. */
const cosine = (k: number, j: number, n: number): number => unitCircle("cos", (k * (2 * j + 1)) % (4 * n), 4 * n);

/** The [rows, n] matrix of the length-n transform: the input's first `rows` entries (the others
 *  are zero padding, which multiplies nothing) to the n outputs. */
function dctMatrix(n: number, rows: number, norm: Mode, inverse: boolean): Tracer {
  return cachedConstant(`dct:${inverse ? "inverse" : "forward"}:${norm}:${n}:${rows}`, [rows, n], () => {
    const m = new Float32Array(rows * n);
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < n; c++)
        // Forward: r is the position j, c the frequency k; inverse: r is k, c is j.
        m[r * n + c] = inverse
          ? weight(r, n, norm, true) * cosine(r, c, n)
          : weight(c, n, norm, false) * cosine(c, r, n);
    return m;
  });
}

/** A length-n vector of the twiddles' parts times the weights: f(k) for k < n. */
const twiddle = (key: string, n: number, f: (k: number) => number): Tracer =>
  cachedConstant(`dct:${key}:${n}`, [n], () => Float32Array.from({ length: n }, (_, k) => f(k)));

/** Makhoul's order: the even-indexed entries, then the odd-indexed ones reversed. */
function makhoulOrder(n: number): number[] {
  const half = Math.ceil(n / 2);
  return Array.from({ length: n }, (_, i) => (i < half ? 2 * i : 2 * (n - 1 - i) + 1));
}

/** Its inverse: entry 2m from m, entry 2m + 1 from n − 1 − m. */
const makhoulInverse = (n: number): number[] =>
  Array.from({ length: n }, (_, j) => (j % 2 === 0 ? j / 2 : n - 1 - (j - 1) / 2));

/** t along its last axis cut to n entries (longer inputs), or left as it is (the caller pads). */
function cutLast(t: Tracer, n: number): Tracer {
  const have = t.shape[t.ndim - 1]!;
  return have > n ? slice_in_dim(t, 0, n, 1, -1) : t;
}

function padLast(t: Tracer, n: number): Tracer {
  const have = t.shape[t.ndim - 1]!;
  if (have >= n) return t;
  return pad(t, [...t.shape.slice(0, -1).map((): [number, number] => [0, 0]), [0, n - have]]);
}

/** The transform along the last axis, of length n (the input cut or zero-padded to n). */
function dctLast(x: Tracer, n: number, norm: Mode, inverse: boolean): Tracer {
  const cut = cutLast(x, n);
  if (n <= DIRECT_MAX) return matmul(cut, dctMatrix(n, cut.shape[cut.ndim - 1]!, norm, inverse));
  const full = padLast(cut, n);
  // θ_k = πk/2n; the weights w_k fold in the scaling of each norm.
  const cos = (k: number) => unitCircle("cos", k, 4 * n);
  const sin = (k: number) => unitCircle("sin", k, 4 * n);
  if (!inverse) {
    // y_k = w_k·Re(V_k·e^{−iθ_k}) with V the DFT of the reordered input.
    const v = dftLast({ re: take(full, makhoulOrder(n), -1), im: null }, false);
    const c = twiddle(`fc:${norm}`, n, (k) => weight(k, n, norm, false) * cos(k));
    const s = twiddle(`fs:${norm}`, n, (k) => weight(k, n, norm, false) * sin(k));
    return ew.add(ew.multiply(v.re, c), ew.multiply(v.im, s));
  }
  // v_m = Re(Σ_k w_k·y_k·e^{iθ_k}·e^{2πikm/n}) is output 2m and output 2(n − 1 − m) + 1.
  const c = twiddle(`ic:${norm}`, n, (k) => weight(k, n, norm, true) * cos(k));
  const s = twiddle(`is:${norm}`, n, (k) => weight(k, n, norm, true) * sin(k));
  const v = dftLast({ re: ew.multiply(full, c), im: ew.multiply(full, s) }, true);
  return take(v.re, makhoulInverse(n), -1);
}

/** The transform along one axis of x. */
function along(op: string, x: Tracer, n: number | null, axis: number, norm: Mode, inverse: boolean): Tracer {
  const ax = normalizeAxis(`scipy.fft.${op}`, axis, x.ndim, x.shape);
  const len = n ?? x.shape[ax]!;
  checkLength(op, len);
  const last = ax === x.ndim - 1;
  const y = dctLast(last ? x : moveaxis(x, ax, -1), len, norm, inverse);
  return last ? y : moveaxis(y, -1, ax);
}

type Opt1 = DctOptions | number | null | undefined;
type OptN = DctNOptions | number | null | undefined;

function options1(
  op: string,
  typeOrOptions: Opt1,
  n: number | null | undefined,
  axis: number | undefined,
  norm: DctNorm,
) {
  let o: DctOptions = { type: (typeOrOptions as number | null | undefined) ?? 2, n, axis, norm };
  if (typeOrOptions !== null && typeof typeOrOptions === "object") {
    checkOptions(`scipy.fft.${op}`, typeOrOptions, ["type", "n", "axis", "norm"]);
    o = typeOrOptions;
  }
  checkType(op, o.type ?? 2);
  return { n: o.n ?? null, axis: o.axis ?? -1, norm: checkNorm(op, o.norm) };
}

function optionsN(
  op: string,
  x: Tracer,
  typeOrOptions: OptN,
  s: number | readonly number[] | null | undefined,
  axes: number | readonly number[] | null | undefined,
  norm: DctNorm,
) {
  let o: DctNOptions = { type: (typeOrOptions as number | null | undefined) ?? 2, s, axes, norm };
  if (typeOrOptions !== null && typeof typeOrOptions === "object") {
    checkOptions(`scipy.fft.${op}`, typeOrOptions, ["type", "s", "axes", "norm"]);
    o = typeOrOptions;
  }
  checkType(op, o.type ?? 2);
  const mode = checkNorm(op, o.norm);
  const sizes = o.s === null || o.s === undefined ? null : typeof o.s === "number" ? [o.s] : [...o.s];
  if (sizes && sizes.length > x.ndim)
    throw new JitScopeError(
      "shape",
      `scipy.fft.${op}: s must have at most x.ndim (${x.ndim}) elements, got ${sizes.length}`,
    );
  const given =
    o.axes === null || o.axes === undefined
      ? Array.from({ length: sizes ? sizes.length : x.ndim }, (_, i) => x.ndim - (sizes ? sizes.length : x.ndim) + i)
      : typeof o.axes === "number"
        ? [o.axes]
        : [...o.axes];
  const ax = given.map((a) => normalizeAxis(`scipy.fft.${op}`, a, x.ndim, x.shape));
  if (new Set(ax).size !== ax.length)
    throw new JitScopeError("value", `scipy.fft.${op}: axes must be distinct, got [${String(given)}]`);
  if (sizes && sizes.length !== ax.length)
    throw new JitScopeError("shape", `scipy.fft.${op}: s has ${sizes.length} sizes but there are ${ax.length} axes`);
  return { sizes, axes: ax, norm: mode };
}

/** jax.scipy.fft.dct: the type-2 DCT along `axis` (length n, the input cut or zero-padded). */
export function dct(x: ArrayLike, type?: Opt1, n?: number | null, axis?: number, norm?: DctNorm): Tracer {
  const o = options1("dct", type, n, axis, norm);
  return libraryScope("scipy.fft.dct", () => along("dct", realInput("dct", x), o.n, o.axis, o.norm, false));
}

/** jax.scipy.fft.idct: the inverse of dct (idct(dct(x)) = x under either norm). */
export function idct(x: ArrayLike, type?: Opt1, n?: number | null, axis?: number, norm?: DctNorm): Tracer {
  const o = options1("idct", type, n, axis, norm);
  return libraryScope("scipy.fft.idct", () => along("idct", realInput("idct", x), o.n, o.axis, o.norm, true));
}

function alongAll(
  op: string,
  inverse: boolean,
  x: ArrayLike,
  type: OptN,
  s: DctNOptions["s"],
  axes: DctNOptions["axes"],
  norm: DctNorm,
): Tracer {
  let t = realInput(op, x);
  const o = optionsN(op, t, type, s, axes, norm);
  o.axes.forEach((ax, i) => (t = along(op, t, o.sizes ? o.sizes[i]! : null, ax, o.norm, inverse)));
  return t;
}

/** jax.scipy.fft.dctn: dct along each of `axes` (all, or the last len(s), by default). */
export const dctn = (
  x: ArrayLike,
  type?: OptN,
  s?: number | readonly number[] | null,
  axes?: number | readonly number[] | null,
  norm?: DctNorm,
): Tracer => libraryScope("scipy.fft.dctn", () => alongAll("dctn", false, x, type, s, axes, norm));

/** jax.scipy.fft.idctn: idct along each of `axes`, the inverse of dctn. */
export const idctn = (
  x: ArrayLike,
  type?: OptN,
  s?: number | readonly number[] | null,
  axes?: number | readonly number[] | null,
  norm?: DctNorm,
): Tracer => libraryScope("scipy.fft.idctn", () => alongAll("idctn", true, x, type, s, axes, norm));
