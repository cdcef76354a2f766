// optax.inject_hyperparams for the learning rate: `optim.inject_hyperparams(optim.adam)(0.05)`
// is adam with its learning rate held in the state (`state.hyperparams.learning_rate`), where a
// training loop reads it to log it and replaces it to change it (a new state object with another
// value: `{ ...state, hyperparams: { learning_rate: np.array(0.01) } }`), without recompiling a
// jitted step. A schedule is evaluated at the state's count each step and its value recorded
// there, as optax records it. Unlike optax, which moves every numeric argument into the state,
// only the learning rate moves: the other options stay as given (as if named in static_args),
// since the optimizers here compute with them as JavaScript numbers.

import { JitScopeError } from "./ir/errors.js";
import * as np from "./np.js";
import type { Tracer } from "./trace/core.js";
import { named, transformationName, type GradientTransformation } from "./optimTypes.js";
import type { Schedule } from "./optimSchedules.js";

export interface InjectHyperparamsState<S> {
  count: Tracer;
  hyperparams: { learning_rate: Tracer };
  inner_state: S;
}

type Factory<S, R extends unknown[]> = (learning_rate: number | Schedule, ...rest: R) => GradientTransformation<S>;

/** `inject_hyperparams(factory)(learning_rate, ...rest)`: factory's optimizer with its learning
 *  rate in the state. `factory` takes the learning rate first (sgd, adam, adamw, lion, ...). */
export function inject_hyperparams<S, R extends unknown[]>(
  factory: Factory<S, R>,
): (learning_rate: number | Schedule, ...rest: R) => GradientTransformation<InjectHyperparamsState<S>> {
  if (typeof factory !== "function")
    throw new JitScopeError(
      "value",
      "optim.inject_hyperparams: needs an optimizer's factory (optim.adam, optim.sgd, ...)",
    );
  return (learning_rate, ...rest) => {
    const scheduled = typeof learning_rate === "function";
    if (!scheduled && !(typeof learning_rate === "number" && learning_rate > 0))
      throw new JitScopeError(
        "value",
        `optim.inject_hyperparams: learning_rate must be a positive number or a schedule, got ${String(learning_rate)}`,
      );
    const rateAt = (count: Tracer): Tracer =>
      np.astype(np.asarray(scheduled ? (learning_rate as Schedule)(count) : learning_rate), "float32");
    // The inner optimizer always sees a schedule (one reading the state's rate), so its state has
    // the same structure whether the rate was given as a number or as a schedule.
    const inner = (rate: Tracer) => factory(() => rate, ...rest);
    const probe = factory(learning_rate, ...rest) as GradientTransformation<unknown>;
    return named(`inject_hyperparams(${transformationName(probe)})`, {
      init(params) {
        const count = np.zeros([], { dtype: "int32" });
        const rate = rateAt(count);
        return { count, hyperparams: { learning_rate: rate }, inner_state: inner(rate).init(params) };
      },
      update(grads, state, params) {
        const given = state.hyperparams?.learning_rate;
        if (given === undefined)
          throw new JitScopeError(
            "value",
            "optim.inject_hyperparams: the state has no hyperparams.learning_rate; replace its value, keeping the key",
          );
        const rate = scheduled ? rateAt(state.count) : np.astype(np.asarray(given), "float32");
        const [updates, next] = inner(rate).update(grads, state.inner_state, params);
        return [updates, { count: np.add(state.count, 1), hyperparams: { learning_rate: rate }, inner_state: next }];
      },
    });
  };
}
