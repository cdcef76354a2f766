// jax.scipy.special's exponential integrals expn (Eₙ), exp1 (E₁) and expi (Ei), in float32, as
// elementwise ops that fuse into one kernel. The expansions are Cephes' (expn.c, ei.c), as JAX's:
// - Eₙ(x) for x ≤ 1: the power series (−x)ⁿ⁻¹ψ(n)/(n−1)! − Σₖ (−x)ᵏ/(k!(k+1−n)), 16 terms
//   (the first omitted is below 1/16! there); for x > 1: the continued fraction
//   e^{−x}/(x + n/(1 + 1/(x + (n+1)/(1 + 2/(x + …))))), evaluated bottom-up from a fixed depth of
//   56 (Cephes' loop needs ≤ 51 steps to float32's epsilon, the most near x = 1); for n ≥ 5000 the
//   asymptotic expansion in 1/(x + n)². JAX runs the series and the fraction in while_loops.
// - Ei(x) for x > 0: Cephes' rational approximations on (0, 2], (2, 4], …, (32, 64] and beyond;
//   Ei(x) = −E₁(−x) for x < 0.
// JAX's edge values are kept, including where they differ from SciPy's: Eₙ(0) = 1/n for n ≥ 2
// (SciPy: 1/(n − 1)), Eₙ(+inf) = NaN (SciPy: 0), Ei(0) = NaN (SciPy: −inf), Ei(±inf) =
// NaN. n is taken as an integer; a non-integer n gives NaN here (Cephes' expn has integer n only).
// Derivatives are JAX's rules: ∂Eₙ/∂x = −Eₙ₋₁(x) (n is not differentiated), Ei′(x) = eˣ/x.

import * as np from "../np.js";
import type { ArrayLike } from "../np.js";
import { digamma, lgamma } from "../lax/gamma.js";
import { custom_jvp } from "../trace/custom.js";
import type { Tracer } from "../trace/core.js";
import { broadcastF32, f32, horner } from "./specialExtras.js";

const EULER_GAMMA = 0.5772156649015329;
const SERIES_TERMS = 16;
const FRACTION_DEPTH = 56;
const ASYMPTOTIC_N = 5000;

/** Eₙ(x) by the series, for 0 < x ≤ 1 and 1 ≤ n < 5000. */
function expnSeries(n: Tracer, x: Tracer): Tracer {
  const r = np.subtract(n, 1);
  const rOdd = np.equal(np.mod(r, 2), 1);
  // (−x)ʳ/Γ(n)·(ψ(n) − log x)
  const power = np.exp(np.subtract(np.multiply(r, np.log(x)), lgamma(n)));
  const lead = np.multiply(np.where(rOdd, np.negative(power), power), np.subtract(digamma(n), np.log(x)));
  const isOne = np.equal(n, 1);
  let sum = np.where(isOne, 0, np.divide(1, np.subtract(1, np.where(isOne, 2, n))));
  let term: Tracer = np.add(np.multiply(x, 0), 1);
  for (let k = 1; k <= SERIES_TERMS; k++) {
    term = np.multiply(term, np.divide(np.negative(x), k));
    const pk = np.subtract(k + 1, n);
    const zero = np.equal(pk, 0);
    sum = np.add(sum, np.where(zero, 0, np.divide(term, np.where(zero, 1, pk))));
  }
  return np.subtract(lead, sum);
}

/** Eₙ(x) by the continued fraction, for x > 1: partial numerators n + j − 1 over 1, then j over x. */
function expnFraction(n: Tracer, x: Tracer): Tracer {
  let tail: Tracer = np.multiply(x, 0);
  for (let k = FRACTION_DEPTH; k >= 1; k--) {
    const j = Math.ceil(k / 2);
    tail = k % 2 === 1 ? np.divide(np.add(n, j - 1), np.add(tail, 1)) : np.divide(j, np.add(x, tail));
  }
  return np.divide(np.exp(np.negative(x)), np.add(x, tail));
}

/** Eₙ(x) for n ≥ 5000: e^{−x}/(x+n)·(1 + n/(x+n)² + n(n−2x)/(x+n)⁴ + n(6x²−8nx+n²)/(x+n)⁶). */
function expnAsymptotic(n: Tracer, x: Tracer): Tracer {
  const xk = np.add(x, n);
  const yk = np.divide(1, np.square(xk));
  let ans = np.multiply(
    np.multiply(yk, n),
    np.add(np.subtract(np.multiply(np.square(x), 6), np.multiply(np.multiply(n, x), 8)), np.square(n)),
  );
  ans = np.multiply(yk, np.add(ans, np.multiply(n, np.subtract(n, np.multiply(x, 2)))));
  ans = np.multiply(yk, np.add(ans, n));
  return np.divide(np.multiply(np.add(ans, 1), np.exp(np.negative(x))), xk);
}

function expnValue(n: Tracer, x: Tracer): Tracer {
  const integer = np.equal(n, np.floor(n));
  const bad = np.logical_or(np.logical_or(np.less(n, 0), np.less(x, 0)), np.logical_not(integer));
  const atZero = np.equal(x, 0);
  const nZero = np.equal(n, 0);
  const huge = np.greater_equal(n, ASYMPTOTIC_N);
  const far = np.greater(x, 1);
  // Each expansion reads a point inside its own range, so the others stay finite (and so do
  // their gradients).
  const regular = np.logical_not(np.logical_or(np.logical_or(bad, atZero), nZero));
  const nSafe = np.where(np.logical_and(regular, np.logical_not(huge)), n, 1);
  const xSeries = np.where(np.logical_and(regular, np.logical_not(far)), x, 0.5);
  const xFraction = np.where(np.logical_and(regular, far), x, 2);
  const general = np.where(far, expnFraction(nSafe, xFraction), expnSeries(nSafe, xSeries));
  const xPositive = np.where(atZero, 1, x);
  const values = np.where(huge, expnAsymptotic(np.where(huge, n, ASYMPTOTIC_N), x), general);
  const infinite = np.isposinf(x); // JAX's NaN (SciPy: 0)
  const nOne = np.where(np.equal(n, 1), 2, n);
  return np.where(
    np.logical_or(bad, infinite),
    NaN,
    np.where(
      atZero,
      np.where(np.less(n, 2), Infinity, np.divide(1, nOne)),
      np.where(nZero, np.divide(np.exp(np.negative(xPositive)), xPositive), values),
    ),
  );
}

const expnRule = custom_jvp((n: Tracer, x: Tracer): Tracer => expnValue(n, x));
expnRule.defjvp(([n, x]: Tracer[], [, dx]: Tracer[]) => [
  expnValue(n!, x!),
  np.multiply(np.negative(dx!), expnValue(np.subtract(n!, 1), x!)),
]);

/** The generalized exponential integral Eₙ(x) = ∫₁^∞ e^{−xt}/tⁿ dt (n a whole number ≥ 0, as a JS
 *  number or an array; broadcast with x). Its gradient in x is −Eₙ₋₁(x); n gets none. */
export function expn(n: ArrayLike, x: ArrayLike): Tracer {
  const [nb, xb] = broadcastF32(n, x);
  return expnRule(nb!, xb!);
}

/** E₁(x) = ∫ₓ^∞ e^{−t}/t dt: expn(1, x) (+inf at 0, NaN below 0 and at +inf, as JAX's). */
export const exp1 = (x: ArrayLike): Tracer => expn(1, x);

// Cephes ei.c: Ei(x) = γ + log x + x·A(x)/B(x) on (0, 2]; beyond, eˣ/x·(1 + w·A(w)/B(w)), w = 1/x.
const EI_NEAR: readonly (readonly number[])[] = [
  [
    -5.350447357812543, 218.50491688166133, -4176.572384826693, 55411.76756393557, -331338.13311781443,
    1592627.1633849454,
  ],
  [
    1, -52.505479591128626, 1259.6161867867906, -17565.495819735348, 149306.2117002726, -729494.9239640528,
    1592627.1633849454,
  ],
];
const EI_FAR: readonly (readonly [number, readonly number[], readonly number[]])[] = [
  [
    4,
    [
      0.019818085032596897, -1.2716456259849176, -2.0881603356812284, 2.7555445091879367, -0.44095070487016,
      0.046656238059358916, -0.0015450426796734852, 0.00007059980605299618,
    ],
    [
      1, 1.4764986709149215, 0.5629177174822436, 0.16990178978793072, 0.02291647179034212, 0.0044501504397287525,
      0.00017274396122065214, 0.00003953167195549672,
    ],
  ],
  [
    8,
    [
      -1.3732153758712087, -0.7084559133740839, 1.580806855547941, -0.2601500427425623, 0.029946746941137137,
      -0.001038086040188744, 0.00004371064420753005, 0.000002141783679522603,
    ],
    [
      1, 0.8585231423622028, 0.4483285822873995, 0.07687932158124476, 0.024498682410218877, 0.0008832165941927797,
      0.00045909522995113536, -0.000004729848351866523, 0.00000266519553739071,
    ],
  ],
  [
    16,
    [
      -2.1069346016919166, 1.7327338696646881, -0.2423619178935842, 0.02322724180937566, 0.00023728804404931798,
      -0.00008343219561192553, 0.000013634087956052505, -3.655412321999254e-7, 1.4649417339759612e-8,
      6.17640786371036e-10,
    ],
    [
      1, -0.2298062239901678, 0.11050770414740378, -0.015665429666307924, 0.002761106850817353, -0.00020891480122840484,
      0.000017085289388076754, -4.4593117963566865e-7, 1.3946349303538475e-8, 6.150865933977338e-10,
    ],
  ],
  [
    32,
    [
      -0.24581193676740204, -0.14833822533220778, 0.07248291795735552, -0.013483156873809405, 0.001342775069788637,
      -0.00007942465637159712, 0.000002644179518984236, -4.239473659313765e-8,
    ],
    [
      1, -0.10442259084438711, -0.26764531281014026, 0.09695000254621984, -0.01601745692712991, 0.001496414899205908,
      -0.00008462452563778485, 0.0000027289384034767266, -4.239462431819542e-8,
    ],
  ],
  [
    64,
    [
      0.12125611181054567, -0.5823133179043894, 0.2348887314557017, -0.030400343181132484, 0.0015100821468651906,
      -0.000025231370954995714,
    ],
    [1, -1.002252150365854, 0.2928709694872224, -0.03337004338674008, 0.0015605448811273888, -0.000025231370936032347],
  ],
  [
    Infinity,
    [
      -0.7657847078286127, 0.6886192415566705, -0.2132598113545206, 0.033461075523841935, -0.003076541477344756,
      0.00017471193164549074, -0.0000061037116822741705, 1.218032765428652e-7, -1.0860761027932903e-9,
    ],
    [
      1, -1.8888028686623086, 1.066691687211409, -0.27519159823063805, 0.039308526882338234, -0.003414684558602365,
      0.00018668443707035555, -0.000006345146083130515, 1.239754287483207e-7, -1.0860761027931265e-9,
    ],
  ],
];

function expiPositive(x: Tracer): Tracer {
  const near = np.less_equal(x, 2);
  const xn = np.where(near, x, 1);
  let value = np.add(
    np.add(np.multiply(xn, np.divide(horner(xn, EI_NEAR[0]!), horner(xn, EI_NEAR[1]!))), EULER_GAMMA),
    np.log(xn),
  );
  let lower = 2;
  for (const [upper, a, b] of EI_FAR) {
    const inside =
      upper === Infinity ? np.greater(x, lower) : np.logical_and(np.greater(x, lower), np.less_equal(x, upper));
    const xs = np.where(inside, x, 2 * lower); // JAX's pieces are (2ⁱ, 2ⁱ⁺¹]; inf reads NaN as JAX's
    const w = np.divide(1, xs);
    const f = np.add(np.multiply(w, np.divide(horner(w, a), horner(w, b))), 1);
    value = np.where(inside, np.multiply(np.multiply(np.exp(xs), w), f), value);
    lower = upper;
  }
  return value;
}

function expiValue(x: Tracer): Tracer {
  const negative = np.less(x, 0);
  const positive = np.greater(x, 0);
  const fromE1 = np.negative(expnValue(np.add(np.multiply(x, 0), 1), np.negative(np.where(negative, x, -1))));
  const direct = expiPositive(np.where(positive, x, 1));
  return np.where(negative, fromE1, np.where(positive, direct, NaN));
}
const expiRule = custom_jvp((x: Tracer): Tracer => expiValue(x));
expiRule.defjvp(([x]: Tracer[], [dx]: Tracer[]) => [expiValue(x!), np.multiply(dx!, np.divide(np.exp(x!), x!))]);

/** The exponential integral Ei(x) = ∫_{−∞}^x eᵗ/t dt (NaN at 0 and ±inf, as JAX's). */
export const expi = (x: ArrayLike): Tracer => expiRule(f32(x));
