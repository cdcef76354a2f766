// Learning-rate schedules, as optax's: functions of the step count (a JS number, or an int32
// array: the optimizer's state counts steps, and under jit the count is traced, so a schedule is
// array ops, never a JS branch on the count). Definitions follow optax 0.2.8's source.

import { checkOptions } from "./apiOptions.js";
import { JitScopeError } from "./ir/errors.js";
import * as np from "./np.js";
import type { Tracer } from "./trace/core.js";

/** The step count (0 for the first update) → the value. */
export type Schedule = (count: Tracer | number) => Tracer | number;

const f32 = (count: Tracer | number): Tracer =>
  typeof count === "number" ? np.array(count) : np.astype(count, "float32");

function check(name: string, what: string, v: number, ok: boolean): void {
  if (typeof v !== "number" || !ok)
    throw new JitScopeError("value", `optim.${name}: ${what} must be ${describeNeed(what)}, got ${String(v)}`);
}
const describeNeed = (what: string): string => (what.includes("steps") ? "a positive integer" : "a finite number");

/** optax.constant_schedule: the same value at every step. */
export function constant_schedule(value: number): Schedule {
  check("constant_schedule", "value", value, Number.isFinite(value));
  return () => value;
}

/** optax.polynomial_schedule: from init_value to end_value over transition_steps (after
 *  transition_begin) along (1 - t)^power. Non-positive transition_steps: constant init_value. */
export function polynomial_schedule(
  init_value: number,
  end_value: number,
  power: number,
  transition_steps: number,
  transition_begin = 0,
): Schedule {
  if (transition_steps <= 0) return () => init_value;
  const begin = Math.max(0, transition_begin);
  return (count) => {
    const c = np.clip(np.subtract(f32(count), begin), 0, transition_steps);
    const frac = np.subtract(1, np.divide(c, transition_steps));
    return np.add(np.multiply(np.power(frac, power), init_value - end_value), end_value);
  };
}

/** optax.linear_schedule: linear from init_value to end_value over transition_steps. */
export function linear_schedule(
  init_value: number,
  end_value: number,
  transition_steps: number,
  transition_begin = 0,
): Schedule {
  return polynomial_schedule(init_value, end_value, 1, transition_steps, transition_begin);
}

export interface ExponentialDecayOptions {
  transition_begin?: number;
  /** Decay in whole steps of transition_steps. */
  staircase?: boolean;
  /** A floor (decay_rate < 1) or ceiling (decay_rate > 1). */
  end_value?: number;
}

/** optax's keyword arguments, given as its positional ones (`exponential_decay(1, 100, 0.5, 0,
 *  true)`) or as one options object: the same options either way. */
function optionsOrPositional<T extends object>(
  fn: string,
  names: readonly (keyof T & string)[],
  given: readonly unknown[],
): T {
  const [first, ...rest] = given;
  if (first === undefined || (typeof first === "object" && first !== null)) {
    if (rest.some((r) => r !== undefined))
      throw new JitScopeError("value", `${fn}: give its options either positionally or in one object, not both`);
    return (first ?? {}) as T;
  }
  if (given.length > names.length)
    throw new JitScopeError(
      "value",
      `${fn}: takes at most ${names.length} arguments after the required ones (${names.join(", ")})`,
    );
  return Object.fromEntries(names.flatMap((n, i) => (given[i] === undefined ? [] : [[n, given[i]]]))) as T;
}

/** optax.exponential_decay: init_value · decay_rate^((count - transition_begin) / transition_steps). */
export function exponential_decay(
  init_value: number,
  transition_steps: number,
  decay_rate: number,
  ...rest: [ExponentialDecayOptions?] | [number, boolean?, number?]
): Schedule {
  const options = optionsOrPositional<ExponentialDecayOptions>(
    "optim.exponential_decay",
    ["transition_begin", "staircase", "end_value"],
    rest,
  );
  checkOptions("optim.exponential_decay", options, ["transition_begin", "staircase", "end_value"]);
  if (transition_steps <= 0 || decay_rate === 0) return () => init_value;
  const begin = Math.max(0, options.transition_begin ?? 0);
  const end = options.end_value;
  return (count) => {
    const decreased = np.subtract(f32(count), begin);
    let p = np.divide(decreased, transition_steps);
    if (options.staircase) p = np.floor(p);
    let v = np.where(np.less_equal(decreased, 0), init_value, np.multiply(np.power(decay_rate, p), init_value));
    if (end !== undefined) v = decay_rate < 1 ? np.maximum(v, end) : np.minimum(v, end);
    return v;
  };
}

export interface CosineDecayOptions {
  /** The final value as a fraction of init_value. */
  alpha?: number;
  exponent?: number;
}

/** optax.cosine_decay_schedule: init_value · ((1 - alpha)·(½(1 + cos(π·min(count, decay_steps)/decay_steps)))^exponent + alpha). */
export function cosine_decay_schedule(
  init_value: number,
  decay_steps: number,
  ...rest: [CosineDecayOptions?] | [number, number?]
): Schedule {
  const options = optionsOrPositional<CosineDecayOptions>("optim.cosine_decay_schedule", ["alpha", "exponent"], rest);
  checkOptions("optim.cosine_decay_schedule", options, ["alpha", "exponent"]);
  if (!(decay_steps > 0))
    throw new JitScopeError(
      "value",
      `optim.cosine_decay_schedule: decay_steps must be positive (as optax), got ${String(decay_steps)}`,
    );
  const alpha = options.alpha ?? 0;
  const exponent = options.exponent ?? 1;
  return (count) => {
    const c = np.minimum(f32(count), decay_steps);
    const cosine = np.multiply(np.add(np.cos(np.multiply(c, Math.PI / decay_steps)), 1), 0.5);
    const decayed = np.add(np.multiply(np.power(cosine, exponent), 1 - alpha), alpha);
    return np.multiply(decayed, init_value);
  };
}

/** optax.join_schedules: schedules[i+1] from boundaries[i] on, given the steps since it. */
export function join_schedules(schedules: readonly Schedule[], boundaries: readonly number[]): Schedule {
  if (schedules.length !== boundaries.length + 1)
    throw new JitScopeError(
      "value",
      `optim.join_schedules: ${schedules.length} schedules need ${schedules.length - 1} boundaries, got ${boundaries.length}`,
    );
  return (count) => {
    let out = schedules[0]!(count);
    boundaries.forEach((b, i) => {
      out = np.where(np.less(count, b), out, schedules[i + 1]!(np.subtract(count, b)));
    });
    return out;
  };
}

export interface WarmupCosineOptions {
  end_value?: number;
  exponent?: number;
}

/** optax.warmup_cosine_decay_schedule: linear from init_value to peak_value over warmup_steps,
 *  then cosine decay to end_value by decay_steps (counted from step 0, warmup included). */
export function warmup_cosine_decay_schedule(
  init_value: number,
  peak_value: number,
  warmup_steps: number,
  decay_steps: number,
  ...rest: [WarmupCosineOptions?] | [number, number?]
): Schedule {
  const options = optionsOrPositional<WarmupCosineOptions>(
    "optim.warmup_cosine_decay_schedule",
    ["end_value", "exponent"],
    rest,
  );
  checkOptions("optim.warmup_cosine_decay_schedule", options, ["end_value", "exponent"]);
  const end = options.end_value ?? 0;
  const alpha = peak_value === 0 ? 0 : end / peak_value;
  return join_schedules(
    [
      linear_schedule(init_value, peak_value, warmup_steps),
      cosine_decay_schedule(peak_value, decay_steps - warmup_steps, { alpha, exponent: options.exponent ?? 1 }),
    ],
    [warmup_steps],
  );
}

/** optax.piecewise_constant_schedule: init_value scaled by every factor whose boundary step the
 *  count has reached (`{ 100: 0.1, 200: 0.1 }`: 1, then 0.1 from step 100, 0.01 from 200). */
export function piecewise_constant_schedule(
  init_value: number,
  boundaries_and_scales: Readonly<Record<number, number>> = {},
): Schedule {
  check("piecewise_constant_schedule", "init_value", init_value, Number.isFinite(init_value));
  const entries = Object.entries(boundaries_and_scales)
    .map(([b, s]) => [Number(b), s] as const)
    .sort((a, b) => a[0] - b[0]);
  for (const [b, s] of entries)
    if (!Number.isInteger(b) || typeof s !== "number" || !(s >= 0))
      throw new JitScopeError(
        "value",
        `optim.piecewise_constant_schedule: each boundary must be an integer step and each scale a non-negative number, got ${b}: ${String(s)}`,
      );
  return (count) => {
    const c = f32(count);
    let v: Tracer | number = init_value;
    for (const [b, s] of entries) v = np.where(np.greater_equal(c, b), np.multiply(v, s), v);
    return v;
  };
}
