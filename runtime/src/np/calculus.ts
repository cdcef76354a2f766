// Finite differences as jax.numpy has them: gradient (central differences inside, one-sided at
// the two ends, with a scalar spacing per axis) and unwrap (phase jumps larger than discont
// folded back by multiples of period). Slices, arithmetic and a cumulative sum, so both run
// under jit and vmap and differentiate.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import * as ew from "./elementwise.js";
import { logical_and, mod } from "./mathSurface.js";
import { asTracer, cast, type ArrayLike } from "./promote.js";
import { cumsum } from "./reduceSurface.js";
import { concatenate } from "./shape.js";
import { sliceAxis } from "./shapeSurface.js";
import { diff } from "./series.js";
import { avalText, normalizeAxes, normalizeAxis } from "./validate.js";

export interface GradientOptions {
  /** The axis or axes to differentiate along (default every axis). */
  axis?: number | readonly number[];
}

function alongAxis(x: Tracer, h: number, ax: number): Tracer {
  const n = x.shape[ax]!;
  const s = (start: number, stop: number) => sliceAxis(x, ax, start, stop);
  const first = ew.divide(ew.subtract(s(1, 2), s(0, 1)), h);
  const inner = ew.divide(ew.multiply(ew.subtract(s(2, n), s(0, n - 2)), 0.5), h);
  const last = ew.divide(ew.subtract(s(n - 1, n), s(n - 2, n - 1)), h);
  return concatenate([first, inner, last], ax);
}

/** The derivative estimate of `f` along each axis: (f[i+1] − f[i−1]) / 2h inside, one-sided
 *  differences at the ends. `spacing` is one scalar for every axis or one per axis. One axis gives
 *  one array; several give a list. */
export function gradient(
  f: ArrayLike,
  spacing: number | readonly number[] = 1,
  options: GradientOptions = {},
): Tracer | Tracer[] {
  checkOptions("gradient", options, ["axis"]);
  const x = cast(asTracer("gradient", f), "float32");
  const axes =
    options.axis === undefined
      ? x.shape.map((_, i) => i)
      : (typeof options.axis === "number" ? [options.axis] : [...options.axis]).map((a) =>
          normalizeAxis("gradient", a, x.ndim, x.shape),
        );
  if (axes.length === 0) return [];
  if (axes.some((a) => x.shape[a]! < 2))
    throw new JitScopeError(
      "shape",
      `gradient: every axis differentiated along needs at least 2 elements, got ${avalText(x.aval)}`,
    );
  const steps = typeof spacing === "number" ? axes.map(() => spacing) : [...spacing];
  if (steps.length !== axes.length || steps.some((h) => typeof h !== "number" || !Number.isFinite(h)))
    throw new JitScopeError(
      "value",
      `gradient: spacing must be one finite number or one per axis (${axes.length}), got ${JSON.stringify(spacing)}`,
    );
  const out = axes.map((ax, i) => alongAxis(x, steps[i]!, ax));
  return out.length === 1 ? out[0]! : out;
}

export interface UnwrapOptions {
  /** Jumps smaller than this are kept (default period / 2). */
  discont?: number;
  /** The axis to unwrap along (default the last). */
  axis?: number;
  /** The period of the phase (default 2π). */
  period?: number;
}

/** `p` with every jump between neighbours along `axis` larger than discont replaced by its
 *  remainder modulo period, so the phase runs on without jumps. float32. */
export function unwrap(p: ArrayLike, options: UnwrapOptions = {}): Tracer {
  checkOptions("unwrap", options, ["discont", "axis", "period"]);
  const x = cast(asTracer("unwrap", p), "float32");
  if (x.ndim === 0)
    throw new JitScopeError("shape", `unwrap: needs an array of at least 1 axis, got ${avalText(x.aval)}`);
  const ax = normalizeAxes("unwrap", options.axis ?? -1, x.ndim, x.shape)[0]!;
  const n = x.shape[ax]!;
  if (n === 0) return x;
  const period = options.period ?? 2 * Math.PI;
  const discont = options.discont ?? period / 2;
  const interval = period / 2;
  const dd = diff(x, 1, ax);
  let ddmod = ew.subtract(mod(ew.add(dd, interval), period), interval);
  // A jump of exactly +interval stays +interval (not −interval), as NumPy's and JAX's.
  ddmod = ew.where(logical_and(ew.equal(ddmod, -interval), ew.greater(dd, 0)), interval, ddmod);
  const correction = ew.where(ew.less(ew.abs(dd), discont), 0, ew.subtract(ddmod, dd));
  return concatenate([sliceAxis(x, ax, 0, 1), ew.add(sliceAxis(x, ax, 1, n), cumsum(correction, ax))], ax);
}
