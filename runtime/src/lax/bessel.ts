// The modified Bessel functions of the first kind of orders 0 and 1, exponentially scaled
// (lax.bessel_i0e, lax.bessel_i1e: I(x)·e^−|x|, which stay finite where I overflows float32), as
// JAX's: Cephes' single-precision Chebyshev expansions on [0, 8] and in 1/x beyond 8, evaluated
// by Clenshaw's recurrence as elementwise ops that fuse into one kernel. Their derivatives are
// JAX's rules (custom_jvp), not the expansions' own: i0e′ = i1e − sign(x)·i0e and
// i1e′ = i0e − i1e·(sign(x) + 1/x), ½ at x = 0. np.i0 and scipy.special's i1 multiply them by
// e^|x| (which overflows float32 past |x| ≈ 88, as JAX's does).

import type { Tracer } from "../trace/core.js";
import { custom_jvp } from "../trace/custom.js";
import * as ew from "../np/elementwise.js";
import { asTracer, cast, type ArrayLike } from "../np/promote.js";
import { floatOnly } from "./special.js";

// Cephes i0f.c: exp(−x)·I0(x) on [0, 8] in x/2 − 2, and exp(−x)·√x·I0(x) beyond 8 in 32/x − 2.
const I0_NEAR = [
  -1.300025009986248e-8, 6.046995022541919e-8, -2.670793853940612e-7, 1.1173875391201037e-6, -4.4167383584587505e-6,
  1.6448448070728896e-5, -5.754195010082104e-5, 0.00018850288509584165, -0.0005763755745385824, 0.0016394756169413357,
  -0.004324309995050576, 0.010546460394594998, -0.02373741480589947, 0.04930528423967071, -0.09490109704804764,
  0.17162090152220877, -0.3046826723431984, 0.6767952744094761,
];
const I0_FAR = [
  3.3962320257083865e-9, 2.266668990498178e-8, 2.0489185894690638e-7, 2.8913705208347567e-6, 6.889758346916825e-5,
  0.0033691164782556943, 0.8044904110141088,
];
// Cephes i1f.c: exp(−x)·I1(x)/x on [0, 8], and exp(−x)·√x·I1(x) beyond 8.
const I1_NEAR = [
  9.381537386495773e-9, -4.445059128796328e-8, 2.0032947535521353e-7, -8.568720264695455e-7, 3.4702513081376785e-6,
  -1.3273163656039436e-5, 4.781565107550054e-5, -0.00016176081582589674, 0.0005122859561685758, -0.0015135724506312532,
  0.004156422944312888, -0.010564084894626197, 0.024726449030626516, -0.05294598120809499, 0.1026436586898471,
  -0.17641651835783406, 0.25258718644363365,
];
const I1_FAR = [
  -3.835380385964237e-9, -2.6314688468895196e-8, -2.512236237870209e-7, -3.882564808877691e-6, -0.00011058893876262371,
  -0.009761097491361469, 0.7785762350182801,
];
const EPS = 2 ** -23; // float32's machine epsilon, JAX's "tiny" for i1e′

/** Σ' cₖ·Tₖ(t) by Clenshaw's recurrence, as Cephes' chbevl (coefficients highest order first). */
function chebyshev(t: Tracer, coefficients: readonly number[]): Tracer {
  let b0: Tracer | number = 0;
  let b1: Tracer | number = 0;
  let b2: Tracer | number = 0;
  for (const c of coefficients) {
    b2 = b1;
    b1 = b0;
    b0 = ew.add(ew.subtract(ew.multiply(t, b1), b2), c);
  }
  return ew.multiply(ew.subtract(b0, b2), 0.5);
}

/** The two expansions of one order at z = |x|, chosen by z ≤ 8 (`timesZ`: the near one is of
 *  I·e^−z / z, so it is multiplied back). Each branch reads a point where it is finite. */
function scaled(x: Tracer, near: readonly number[], far: readonly number[], timesZ: boolean): Tracer {
  const z = ew.abs(x);
  const isNear = ew.less_equal(z, 8);
  const zNear = ew.where(isNear, z, 8);
  const zFar = ew.where(isNear, 8, z);
  const nearValue = chebyshev(ew.subtract(ew.multiply(zNear, 0.5), 2), near);
  const farValue = ew.divide(chebyshev(ew.subtract(ew.divide(32, zFar), 2), far), ew.sqrt(zFar));
  return ew.where(isNear, timesZ ? ew.multiply(nearValue, zNear) : nearValue, farValue);
}

const i0eValue = (x: Tracer): Tracer => scaled(x, I0_NEAR, I0_FAR, false);
const i1eValue = (x: Tracer): Tracer => ew.multiply(ew.sign(x), scaled(x, I1_NEAR, I1_FAR, true));

const i0e = custom_jvp((x: Tracer): Tracer => i0eValue(x));
i0e.defjvp(([x]: Tracer[], [t]: Tracer[]) => {
  const y = i0eValue(x!);
  return [y, ew.multiply(t!, ew.subtract(i1eValue(x!), ew.multiply(ew.sign(x!), y)))];
});

const i1e = custom_jvp((x: Tracer): Tracer => i1eValue(x));
i1e.defjvp(([x]: Tracer[], [t]: Tracer[]) => {
  const y = i1eValue(x!);
  const notTiny = ew.greater(ew.abs(x!), EPS);
  const safe = ew.where(notTiny, x!, EPS);
  const slope = ew.subtract(i0eValue(safe), ew.multiply(y, ew.add(ew.sign(safe), ew.divide(1, safe))));
  return [y, ew.multiply(t!, ew.where(notTiny, slope, 0.5))];
});

/** `lax.bessel_i0e(x)`: e^−|x|·I0(x), float32 only, as JAX's. */
export const bessel_i0e = (x: ArrayLike): Tracer => i0e(floatOnly("bessel_i0e", x)) as Tracer;

/** `lax.bessel_i1e(x)`: e^−|x|·I1(x), odd in x, float32 only. */
export const bessel_i1e = (x: ArrayLike): Tracer => i1e(floatOnly("bessel_i1e", x)) as Tracer;

/** np.i0 (scipy.special.i0): I0(x); its derivative is I1(x), 0 at x = 0. An integer or bool
 *  argument is taken as float32, as JAX promotes it. */
export function i0(x: ArrayLike): Tracer {
  const z = ew.abs(cast(asTracer("i0", x), "float32"));
  return ew.multiply(ew.exp(z), i0e(z) as Tracer);
}

/** scipy.special.i1: I1(x), odd in x. */
export function i1(x: ArrayLike): Tracer {
  const v = cast(asTracer("i1", x), "float32");
  return ew.multiply(ew.exp(ew.abs(v)), i1e(v) as Tracer);
}
