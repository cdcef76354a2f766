// Sequences that depend only on static numbers, computed on the host in float64 and stored as
// float32 constants (inside jit they are constants of the program): geomspace and the window
// functions hanning, hamming, blackman, bartlett and kaiser, with NumPy's formulas (JAX's too;
// JAX evaluates them in float32, so the last bit may differ).

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { hostArray } from "./host.js";

function finite(op: string, name: string, v: number): number {
  if (typeof v !== "number" || !Number.isFinite(v))
    throw new JitScopeError("value", `${op}: ${name} must be a finite number, got ${String(v)}`);
  return v;
}

function windowLength(op: string, M: number): number {
  if (!Number.isInteger(M))
    throw new JitScopeError("value", `${op}: M must be an integer (the window's static length), got ${String(M)}`);
  return Math.max(M, 0);
}

/** A window of M points from `at(n, M)`; a window of one point (or none) is ones, as NumPy's. */
function windowOf(op: string, M: number, at: (n: number, M: number) => number): Tracer {
  const m = windowLength(op, M);
  const out = new Float32Array(m);
  for (let n = 0; n < m; n++) out[n] = m === 1 ? 1 : at(n, m);
  return hostArray(out, [m], "float32");
}

/** The Hann window: 0.5 − 0.5 cos(2πn / (M − 1)). */
export const hanning = (M: number): Tracer =>
  windowOf("hanning", M, (n, m) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / (m - 1)));

/** The Hamming window: 0.54 − 0.46 cos(2πn / (M − 1)). */
export const hamming = (M: number): Tracer =>
  windowOf("hamming", M, (n, m) => 0.54 - 0.46 * Math.cos((2 * Math.PI * n) / (m - 1)));

/** The Blackman window: 0.42 − 0.5 cos(2πn / (M − 1)) + 0.08 cos(4πn / (M − 1)). */
export const blackman = (M: number): Tracer =>
  windowOf(
    "blackman",
    M,
    (n, m) => 0.42 - 0.5 * Math.cos((2 * Math.PI * n) / (m - 1)) + 0.08 * Math.cos((4 * Math.PI * n) / (m - 1)),
  );

/** The Bartlett (triangular) window: 1 − |2n + 1 − M| / (M − 1). */
export const bartlett = (M: number): Tracer => windowOf("bartlett", M, (n, m) => 1 - Math.abs(2 * n + 1 - m) / (m - 1));

/** The modified Bessel function of the first kind, order 0, by its power series (converges for
 *  every x; the terms are summed until they stop changing the total). */
function besselI0(x: number): number {
  const q = (x * x) / 4;
  let term = 1;
  let total = 1;
  for (let k = 1; k < 500; k++) {
    term *= q / (k * k);
    total += term;
    if (term < total * 1e-17) break;
  }
  return total;
}

/** The Kaiser window: I0(β √(1 − ((n − α) / α)²)) / I0(β), α = (M − 1) / 2. */
export function kaiser(M: number, beta: number): Tracer {
  const b = finite("kaiser", "beta", beta);
  return windowOf("kaiser", M, (n, m) => {
    const alpha = (m - 1) / 2;
    const r = (n - alpha) / alpha;
    return besselI0(b * Math.sqrt(Math.max(0, 1 - r * r))) / besselI0(b);
  });
}

/** `num` numbers from start to stop evenly spaced on a log scale (stop excluded with
 *  { endpoint: false }); start and stop must be nonzero numbers of the same sign. */
export function geomspace(start: number, stop: number, num = 50, options: { endpoint?: boolean } = {}): Tracer {
  checkOptions("geomspace", options, ["endpoint"]);
  const [s, e] = [finite("geomspace", "start", start), finite("geomspace", "stop", stop)];
  if (s === 0 || e === 0 || Math.sign(s) !== Math.sign(e))
    throw new JitScopeError(
      "value",
      `geomspace: start and stop must be nonzero and of the same sign, got ${start} and ${stop} (JAX gives NaN)`,
    );
  if (!Number.isInteger(num) || num < 0)
    throw new JitScopeError("value", `geomspace: num must be an integer ≥ 0, got ${String(num)}`);
  const endpoint = options.endpoint ?? true;
  const div = endpoint ? num - 1 : num;
  const [l0, l1] = [Math.log10(Math.abs(s)), Math.log10(Math.abs(e))];
  const out = new Float32Array(num);
  for (let i = 0; i < num; i++) out[i] = Math.sign(s) * 10 ** (div > 0 ? l0 + ((l1 - l0) * i) / div : l0);
  return hostArray(out, [num], "float32");
}
