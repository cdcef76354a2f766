// jax.scipy.special.sph_harm_y: the complex spherical harmonics Y_n^m(θ, φ) = N P_n^|m|(cos θ)
// e^{i|m|φ}, made (−1)^m·conj for m < 0, by JAX's algorithm: the normalized associated Legendre
// recurrences in float32 (the diagonal P_m^m from ∏ −√(1 + 1/2k) · sin θ, then P_m^{m+1} =
// √(2m+3) x P_m^m, then the three-term recurrence upward in the degree). JAX builds the whole
// (n_max+1)² table for every point and picks [|m|, n] with clipped indices; here each element runs
// its own column |m| (clipped to n_max) upward to n_max and keeps the degree n (clipped the same
// way, a negative n counted from the end as JAX's indexing does), so n_max is static (it fixes the
// number of unrolled steps) and the whole recurrence fuses into elementwise kernels.
// As JAX's: n must be 1-D and θ is read at point min(i, len(θ) − 1) for the i-th n (JAX's clipped
// gather over arange(len(n))); θ may be a scalar; φ broadcasts against the result.

import * as np from "../np.js";
import type { ArrayLike } from "../np.js";
import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import { Tracer } from "../trace/core.js";
import type { Complex } from "../trace/complexValue.js";
import { complex } from "../complex/complexMath.js";
import { valuesNow } from "../np/concreteValues.js";
import type { NestedList } from "../np/creation.js";
import { f32 } from "./specialExtras.js";

export interface SphHarmOptions {
  /** The largest degree, max(n) when omitted (which needs n's values now: give it under jit).
   *  A smaller n_max clips n and |m| to it, as JAX's. */
  n_max?: number;
  /** Not supported (nor by JAX): any value is refused. */
  diff_n?: number;
}

const OP = "scipy.special.sph_harm_y";
const fr = Math.fround;

/** The float32 coefficient tables of the recurrences, indexed [m][l] (0 where unused). */
function tables(nMax: number) {
  const size = nMax + 1;
  const diag = new Float32Array(size); // ∏_{k ≤ m} −√(1 + 1/2k), JAX's cumprod f_a (1 at m = 0).
  diag[0] = 1;
  for (let k = 1; k < size; k++) diag[k] = fr(diag[k - 1]! * fr(-Math.sqrt(fr(1 + fr(0.5 / k)))));
  const offdiag = Float32Array.from({ length: size }, (_, m) => fr(Math.sqrt(2 * m + 3)));
  const d0 = Array.from({ length: size }, () => new Float32Array(size));
  const d1 = Array.from({ length: size }, () => new Float32Array(size));
  for (let m = 0; m < size; m++)
    for (let l = m + 2; l < size; l++) {
      const [c0, c1] = [l * l, m * m];
      d0[m]![l] = fr(Math.sqrt((4 * c0 - 1) / (c0 - c1)));
      d1[m]![l] = fr(Math.sqrt(((2 * l + 1) * ((l - 1) * (l - 1) - c1)) / ((2 * l - 3) * (c0 - c1))));
    }
  return { diag, offdiag, d0, d1 };
}

/** n or m as int32: an int32 array, or JS whole numbers (JAX refuses float indices). */
const intArray = (name: string, x: NestedList): Tracer => {
  if (!(x instanceof Tracer) && ([x] as unknown[]).flat(Infinity).every((v) => Number.isInteger(v)))
    return np.array(x, { dtype: "int32" });
  const t = x instanceof Tracer ? x : np.array(x);
  if (t.dtype !== "int32")
    throw new JitScopeError("dtype", `${OP}: ${name} must be integers (it indexes the degree/order), got ${t.dtype}`);
  return t;
};

function staticNMax(n: NestedList, given: number | undefined): number {
  if (given === undefined) {
    const v = valuesNow(n);
    if (!v)
      throw new JitScopeError(
        "value",
        `${OP}: the n_max argument must be statically specified (as { n_max: 4 }) when n's values are not known now ` +
          "(under jit, grad or vmap, as JAX requires, or for an array on WebGPU, whose values reach the host only asynchronously)",
      );
    return v.data.length === 0 ? 0 : Math.max(...Array.from(v.data));
  }
  if (typeof given !== "number" || !Number.isInteger(given) || given < 0)
    throw new JitScopeError(
      "value",
      `${OP}: n_max must be a whole JS number ≥ 0 (it fixes the recurrence's length), got ${String(given)}`,
    );
  return given;
}

/** The spherical harmonics Y_n^m(θ, φ), complex64, θ the colatitude in [0, π] and φ the
 *  longitude in [0, 2π] (JAX's `sph_harm_y(n, m, theta, phi, diff_n=None, n_max=None)`). */
export function sph_harm_y(
  n: NestedList,
  m: NestedList,
  theta: ArrayLike,
  phi: ArrayLike,
  options: SphHarmOptions = {},
): Complex {
  checkOptions(OP, options, ["n_max", "diff_n"]);
  if (options.diff_n !== undefined)
    throw new JitScopeError("value", `${OP}: the diff_n argument is not supported (nor by JAX)`);
  const nT = intArray("n", n);
  const mT = intArray("m", m);
  if (nT.ndim !== 1)
    throw new JitScopeError("shape", `${OP}: n must be a 1-D array of degrees, got shape [${nT.shape}]`);
  const nMax = staticNMax(n, options.n_max);
  let th = f32(theta);
  if (th.ndim === 0) th = np.reshape(th, [1]);
  if (th.ndim !== 1 || th.shape[0] === 0)
    throw new JitScopeError("shape", `${OP}: theta must be a scalar or a non-empty 1-D array, got shape [${th.shape}]`);
  const len = nT.shape[0]!;
  const thLen = th.shape[0]!;
  // JAX gathers its table at points arange(len(n)), clipped to theta's length.
  if (thLen !== len && thLen !== 1)
    th = np.take(
      th,
      np.array(
        Array.from({ length: len }, (_, i) => Math.min(i, thLen - 1)),
        { dtype: "int32" },
      ),
    );
  const x = np.cos(th);
  const s = np.sqrt(np.subtract(1, np.multiply(x, x)));

  const absM = np.abs(mT);
  const am = np.minimum(absM, nMax);
  // A negative index counts from the end (JAX's normalisation), then clipping to [0, n_max].
  const nn = np.clip(np.where(np.less(nT, 0), np.add(nT, nMax + 1), nT), 0, nMax);
  const tab = tables(nMax);
  const pick = (row: Float32Array): Tracer => np.take(np.array(Array.from(row)), am);

  // P_m^m = (1/2√π) · diag[m] · sin^m θ, the power by repeated products as JAX's cumprod.
  let power: Tracer = np.ones_like(s);
  for (let k = 1; k <= nMax; k++) power = np.where(np.greater_equal(am, k), np.multiply(power, s), power);
  const p00 = fr(0.5 / Math.sqrt(Math.PI));
  let prev1 = np.multiply(p00, np.multiply(pick(tab.diag), power));
  let prev2: Tracer = np.zeros_like(prev1);
  let value = np.where(np.equal(nn, am), prev1, 0);
  for (let l = 1; l <= nMax; l++) {
    const first = np.multiply(np.multiply(pick(tab.offdiag), x), prev1);
    const d0 = pick(Float32Array.from(tab.d0, (row) => row[l]!));
    const d1 = pick(Float32Array.from(tab.d1, (row) => row[l]!));
    const later = np.subtract(np.multiply(d0, np.multiply(prev1, x)), np.multiply(d1, prev2));
    const cur = np.where(np.equal(am, l - 1), first, later);
    const active = np.less(am, l);
    value = np.where(np.logical_and(active, np.equal(nn, l)), cur, value);
    prev2 = np.where(active, prev1, prev2);
    prev1 = np.where(active, cur, prev1);
  }

  const angle = np.multiply(np.astype(absM, "float32"), f32(phi));
  let re = np.multiply(value, np.cos(angle));
  let im = np.multiply(value, np.sin(angle));
  // Y_n^{−m} = (−1)^m conj(Y_n^m).
  const negative = np.less(mT, 0);
  const odd = np.equal(np.remainder(absM, 2), 1);
  re = np.where(np.logical_and(negative, odd), np.negative(re), re);
  im = np.where(np.logical_and(negative, np.logical_not(odd)), np.negative(im), im);
  return complex(re, im);
}
