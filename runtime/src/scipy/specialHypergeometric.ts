// jax.scipy.special.hyp1f1 and hyp2f1, by JAX's algorithms (Pearson, Olver & Porter 2014), in
// float32, with JAX's edge values and derivative rules (custom_jvp in every argument: the a, b, c
// derivatives are their own series, the x derivative is (ab/c)·₂F₁(a+1, b+1; c+1; x)).
// JAX sums each series in a while_loop that stops when a term falls below float32's epsilon
// relative to the sum (or after 250 steps), run per element under jnp.vectorize; here each is one
// lax.while_loop over the whole array whose elements stop one by one (perElementWhile), which
// gives every element the same steps JAX's batched loop gives it. JAX computes every branch for
// every element and selects; here an element runs only the loops of the branch it takes (the
// values are the same, the loops end sooner). ₂F₁'s transformations for x near 1 and beyond are in
// specialHyp2f1.ts.

import * as np from "../np.js";
import type { ArrayLike } from "../np.js";
import { digamma } from "../lax/gamma.js";
import { while_loop } from "../lax/control.js";
import { custom_jvp } from "../trace/custom.js";
import type { Tracer } from "../trace/core.js";
import { gamma } from "./gammaFamily.js";
import { broadcastF32 } from "./specialExtras.js";

/** float32's machine epsilon, JAX's finfo(float32).eps: where the series stop. */
export const EPS = 2 ** -23;
/** JAX's cap on a series' steps. */
export const MAX_STEPS = 250;

/**
 * JAX's while_loop as jnp.vectorize runs it: each element steps while `running(state, k)` holds
 * for it, then keeps its state; the loop ends when no element is running. `k` is the step
 * counter (a float32 scalar from `k0`, the same for every running element, as each started
 * together). `running` must hold false where an element is not to run at all.
 */
export function perElementWhile(
  running: (state: readonly Tracer[], k: Tracer) => Tracer,
  body: (state: readonly Tracer[], k: Tracer) => Tracer[],
  init: readonly Tracer[],
  k0: number,
): Tracer[] {
  const k = np.array(k0, { dtype: "float32" });
  const out = while_loop<Tracer[]>(
    ([, go]) => np.any(go!),
    ([step, go, ...state]) => {
      const stepped = body(state, step!).map((v, i) => np.where(go!, v, state[i]!));
      const next = np.add(step!, 1);
      return [next, running(stepped, next), ...stepped];
    },
    [k, running(init, k), ...init],
  );
  return out.slice(2);
}

/** |term| / |sum| > eps, JAX's test (false where it is NaN, as 0/0 at a sum still 0). */
const relativelyLarge = (term: Tracer, sum: Tracer): Tracer => np.greater(np.divide(np.abs(term), np.abs(sum)), EPS);

const underCap = (k: Tracer): Tracer => np.less(k, MAX_STEPS);

// ---- ₁F₁ ----

/** Σ (a)ₖ/(b)ₖ xᵏ/k!, for |x| < 100 (elements where `use` holds). */
function hyp1f1Series(a: Tracer, b: Tracer, x: Tracer, use: Tracer): Tracer {
  const init = [np.ones_like(x), np.multiply(np.divide(a, b), x)];
  const [sum] = perElementWhile(
    ([s, t], k) => np.logical_and(use, np.logical_and(underCap(k), relativelyLarge(t!, s!))),
    ([s, t], k) => [
      np.add(s!, t!),
      np.multiply(t!, np.divide(np.multiply(np.divide(np.add(a, k), np.add(b, k)), x), np.add(k, 1))),
    ],
    init,
    1,
  );
  return sum!;
}

/** Γ(b)/Γ(a)·eˣ·x^(a−b)·Σ (b−a)ₖ(1−a)ₖ/(k! xᵏ), for |x| ≥ 100 (elements where `use` holds). */
function hyp1f1Asymptotic(a: Tracer, b: Tracer, x: Tracer, use: Tracer): Tracer {
  const init = [np.ones_like(x), np.divide(np.multiply(np.subtract(b, a), np.subtract(1, a)), x)];
  const [sum] = perElementWhile(
    ([s, t], k) => np.logical_and(use, np.logical_and(underCap(k), relativelyLarge(t!, s!))),
    ([s, t], k) => {
      const grow = np.multiply(np.add(np.subtract(b, a), k), np.add(np.subtract(1, a), k));
      return [np.add(s!, t!), np.multiply(t!, np.divide(np.divide(grow, np.add(k, 1)), x))];
    },
    init,
    1,
  );
  const scale = np.multiply(np.divide(gamma(b), gamma(a)), np.exp(x));
  return np.multiply(np.multiply(scale, np.power(x, np.subtract(a, b))), sum!);
}

function hyp1f1Value(a: Tracer, b: Tracer, x: Tracer): Tracer {
  const near = np.less(np.abs(x), 100);
  const general = np.where(near, hyp1f1Series(a, b, x, near), hyp1f1Asymptotic(a, b, x, np.logical_not(near)));
  // JAX's conventions: 1 at a = 0 (also a = b = 0, where SciPy has inf), eˣ at a = b, inf at b = 0.
  const aNonzero = np.not_equal(a, 0);
  return np.where(
    np.equal(a, 0),
    1,
    np.where(
      np.logical_and(np.equal(a, b), aNonzero),
      np.exp(x),
      np.where(np.logical_and(np.equal(b, 0), aNonzero), Infinity, general),
    ),
  );
}

/** ∂₁F₁/∂a or ∂/∂b: Σ (a)ₖ/(b)ₖ xᵏ/k! · w(k), w(k) = ψ(a+k) − ψ(a) or ψ(b) − ψ(b+k). */
function hyp1f1ParameterSeries(a: Tracer, b: Tracer, x: Tracer, weight: (k: Tracer) => Tracer): Tracer {
  const init = [np.zeros_like(x), np.multiply(np.divide(a, b), x)];
  const [sum] = perElementWhile(
    ([s, t], k) => np.logical_and(underCap(k), relativelyLarge(t!, s!)),
    ([s, t], k) => [
      np.add(s!, np.multiply(t!, weight(k))),
      np.multiply(t!, np.divide(np.multiply(np.divide(np.add(a, k), np.add(b, k)), x), np.add(k, 1))),
    ],
    init,
    1,
  );
  return sum!;
}

const hyp1f1Rule = custom_jvp((a: Tracer, b: Tracer, x: Tracer): Tracer => hyp1f1Value(a, b, x));
hyp1f1Rule.defjvp(([a, b, x]: Tracer[], [ta, tb, tx]: Tracer[]) => {
  const [pa, pb, px] = [a!, b!, x!];
  const da = hyp1f1ParameterSeries(pa, pb, px, (k) => np.subtract(digamma(np.add(pa, k)), digamma(pa)));
  const db = hyp1f1ParameterSeries(pa, pb, px, (k) => np.subtract(digamma(pb), digamma(np.add(pb, k))));
  const dx = np.multiply(np.divide(pa, pb), hyp1f1Rule(np.add(pa, 1), np.add(pb, 1), px));
  const tangent = np.add(np.add(np.multiply(da, ta!), np.multiply(db, tb!)), np.multiply(dx, tx!));
  return [hyp1f1Value(pa, pb, px), tangent];
});

/** The confluent hypergeometric function ₁F₁(a; b; x) = Σ (a)ₖ/(b)ₖ xᵏ/k! (Kummer's M), real
 *  arguments broadcast together, float32. JAX's conventions: 1 at a = 0 (a = b = 0 included), eˣ
 *  at a = b, inf at b = 0. Differentiable in a, b and x (JAX's rules). */
export function hyp1f1(a: ArrayLike, b: ArrayLike, x: ArrayLike): Tracer {
  const [ab, bb, xb] = broadcastF32(a, b, x);
  return hyp1f1Rule(ab!, bb!, xb!);
}
