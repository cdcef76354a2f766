// optax's guards against non-finite gradients: `apply_if_finite` (a step whose gradients hold an
// inf or a NaN is dropped, up to a number of consecutive ones) and `zero_nans`. As optax 0.2.8
// (transforms/_conditionality.py, _constraining.py); optax's `lax.cond` is a select here, which
// for these two branches (the inner update, or zeros and the old state) computes the same values.

import { JitScopeError } from "./ir/errors.js";
import * as np from "./np.js";
import { Tracer } from "./trace/core.js";
import * as tree from "./tree.js";
import { named, transformationName, type GradientTransformation } from "./optimTypes.js";

export interface ApplyIfFiniteState<S> {
  /** Consecutive steps with a non-finite gradient, up to this one. */
  notfinite_count: Tracer;
  /** Whether this step's gradients were all finite. */
  last_finite: Tracer;
  /** Steps with a non-finite gradient so far. */
  total_notfinite: Tracer;
  inner_state: S;
}

const allFinite = (updates: unknown): Tracer =>
  (tree.leaves(updates) as Tracer[])
    .map((u) => np.all(np.isfinite(u)))
    .reduce((a, b) => np.logical_and(a, b), np.array(true));

/** optax.apply_if_finite: `inner`'s update when every gradient is finite; otherwise zero
 *  updates and `inner`'s state unchanged, unless more than `max_consecutive_errors` steps in a row
 *  were not finite (then the update goes through). */
export function apply_if_finite<S>(
  inner: GradientTransformation<S>,
  max_consecutive_errors: number,
): GradientTransformation<ApplyIfFiniteState<S>> {
  if (!inner || typeof inner.init !== "function" || typeof inner.update !== "function")
    throw new JitScopeError(
      "value",
      "optim.apply_if_finite: inner is not a gradient transformation (an object with init and update)",
    );
  if (!(Number.isInteger(max_consecutive_errors) && max_consecutive_errors >= 0))
    throw new JitScopeError(
      "value",
      `optim.apply_if_finite: max_consecutive_errors must be a whole number ≥ 0, got ${String(max_consecutive_errors)}`,
    );
  return named(`apply_if_finite(${transformationName(inner as GradientTransformation<unknown>)})`, {
    init: (params) => ({
      notfinite_count: np.zeros([], { dtype: "int32" }),
      last_finite: np.array(true),
      total_notfinite: np.zeros([], { dtype: "int32" }),
      inner_state: inner.init(params),
    }),
    update(updates, state, params) {
      const finite = allFinite(updates);
      const notfinite_count = np.where(finite, 0, np.add(state.notfinite_count, 1));
      const accept = np.logical_or(finite, np.greater(notfinite_count, max_consecutive_errors));
      const [u, s] = inner.update(updates, state.inner_state, params);
      const pick = (now: Tracer, was: Tracer) => {
        const r = np.where(accept, now, was);
        return was instanceof Tracer ? np.astype(r, was.dtype) : r;
      };
      return [
        tree.map((x: Tracer) => np.where(accept, x, np.zeros_like(x)), u),
        {
          notfinite_count: np.astype(notfinite_count, "int32"),
          last_finite: finite,
          total_notfinite: np.where(finite, state.total_notfinite, np.add(state.total_notfinite, 1)),
          inner_state: tree.map(pick, s, state.inner_state) as S,
        },
      ];
    },
  });
}

/** optax.zero_nans: NaN updates replaced by 0; the state records, per leaf, whether it had one. */
export function zero_nans(): GradientTransformation<{ found_nan: unknown }> {
  return named("zero_nans", {
    init: (params) => ({ found_nan: tree.map(() => np.array(false), params) }),
    update(updates) {
      return [
        tree.map((u: Tracer) => np.where(np.isnan(u), np.zeros_like(u), u), updates),
        { found_nan: tree.map((u: Tracer) => np.any(np.isnan(u)), updates) },
      ];
    },
  });
}
