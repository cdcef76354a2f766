// jnp.pad in every mode JAX has but a callable: constant (one value, or a pair per axis), edge,
// wrap, reflect and symmetric (even or odd), linear_ramp, maximum, minimum, mean, median and
// empty. Axis by axis, as NumPy and JAX pad (so a corner takes the later axis's rule), each
// from the layout primitives (pad, slice, rev, concatenate, broadcast) and reductions: a jitted
// pad fuses into its neighbours' kernels, and grad and vmap come from those primitives' rules.
// Values agree with JAX (scripts/jax/run_jax_pad.py).

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import { bind1, Tracer } from "../trace/core.js";
import * as ew from "./elementwise.js";
import { floor, round } from "./mathSurface.js";
import { array } from "./creation.js";
import { asTracer, cast, type ArrayLike } from "./promote.js";
import { max, mean, min } from "./reductions.js";
import { broadcast_to, concatenate } from "./shape.js";
import { flip, sliceAxis } from "./shapeSurface.js";
import { median } from "./statistics.js";

export type PadWidth = number | readonly [number, number] | readonly (number | readonly [number, number])[];

/** A number for every side, [before, after] for every axis, or one such pair per axis. */
export type PadValues = number | readonly [number, number] | readonly (number | readonly [number, number])[];

export type PadMode =
  | "constant"
  | "edge"
  | "wrap"
  | "reflect"
  | "symmetric"
  | "linear_ramp"
  | "maximum"
  | "minimum"
  | "mean"
  | "median"
  | "empty";

export interface PadOptions {
  /** Default "constant". */
  mode?: PadMode;
  /** mode "constant": the value of the padding (default 0). */
  constant_values?: PadValues;
  /** mode "linear_ramp": the value the ramp starts from at the padding's outer edge (default 0). */
  end_values?: PadValues;
  /** modes "reflect" and "symmetric": "even" (default) mirrors, "odd" mirrors through the edge value. */
  reflect_type?: "even" | "odd";
  /** modes "maximum", "minimum", "mean", "median": how many values at each edge the statistic
   *  reads (default the whole axis). */
  stat_length?: PadValues | null;
}

const MODES: readonly PadMode[] = [
  "constant",
  "edge",
  "wrap",
  "reflect",
  "symmetric",
  "linear_ramp",
  "maximum",
  "minimum",
  "mean",
  "median",
  "empty",
];

/** Which option each mode reads (the others are refused, as JAX refuses them). */
const MODE_OPTIONS: Record<PadMode, readonly (keyof PadOptions)[]> = {
  constant: ["constant_values"],
  edge: [],
  wrap: [],
  reflect: ["reflect_type"],
  symmetric: ["reflect_type"],
  linear_ramp: ["end_values"],
  maximum: ["stat_length"],
  minimum: ["stat_length"],
  mean: ["stat_length"],
  median: ["stat_length"],
  empty: [],
};

/** `width` (pad_width, or a per-side option) as one [before, after] pair per axis. */
function pairsOf(op: string, what: string, width: PadValues, ndim: number): [number, number][] {
  const bad = () =>
    new JitScopeError(
      "shape",
      `${op}: ${what} must be n, [before, after] or one [before, after] per axis (${ndim}), got ${JSON.stringify(width)}`,
    );
  if (typeof width === "number") return Array.from({ length: ndim }, () => [width, width]);
  const isPair = width.length === 2 && width.every((w) => typeof w === "number");
  if (isPair && ndim !== 2) return Array.from({ length: ndim }, () => [width[0] as number, width[1] as number]);
  if (width.length === ndim)
    return width.map((w) => {
      if (typeof w === "number") return [w, w];
      if (w.length !== 2) throw bad();
      return [w[0], w[1]];
    });
  if (isPair) return Array.from({ length: ndim }, () => [width[0] as number, width[1] as number]);
  throw bad();
}

function padPairs(op: string, width: PadWidth, ndim: number): [number, number][] {
  const pairs = pairsOf(op, "pad_width", width, ndim);
  if (pairs.some(([l, h]) => !Number.isInteger(l) || !Number.isInteger(h) || l < 0 || h < 0))
    throw new JitScopeError(
      "shape",
      `${op}: pad_width must be whole numbers ≥ 0, as n, [before, after] or one [before, after] per axis (${ndim}), got ${JSON.stringify(width)}`,
    );
  return pairs;
}

/** jnp.pad: `pad_width` as n, [before, after] or one pair per axis; `options.mode` as JAX's. */
export function pad(a: ArrayLike, pad_width: PadWidth, options: PadOptions = {}): Tracer {
  checkOptions("pad", options, ["mode", "constant_values", "end_values", "reflect_type", "stat_length"]);
  const x = asTracer("pad", a);
  const mode = options.mode ?? "constant";
  if (!MODES.includes(mode))
    throw new JitScopeError(
      "value",
      `pad: unknown mode ${JSON.stringify(mode)}; use one of ${MODES.map((m) => `"${m}"`).join(", ")} (a function as the mode is not supported)`,
    );
  for (const key of ["constant_values", "end_values", "reflect_type", "stat_length"] as const)
    if (options[key] !== undefined && options[key] !== null && !MODE_OPTIONS[mode].includes(key))
      throw new JitScopeError("value", `pad: ${key} does not apply to mode "${mode}"`);
  const pairs = padPairs("pad", pad_width, x.ndim);
  if (pairs.every(([l, h]) => l === 0 && h === 0)) return x;
  if (mode === "constant")
    return padConstant(x, pairs, pairsOf("pad", "constant_values", options.constant_values ?? 0, x.ndim));
  if (mode === "empty")
    return padConstant(
      x,
      pairs,
      pairs.map(() => [0, 0]),
    ); // JAX's "empty" pads with zeros
  let out = x;
  const ends = mode === "linear_ramp" ? pairsOf("pad", "end_values", options.end_values ?? 0, x.ndim) : [];
  const stats = statLengths(mode, options.stat_length, x.ndim);
  for (let axis = 0; axis < x.ndim; axis++) {
    const [before, after] = pairs[axis]!;
    if (before === 0 && after === 0) continue;
    if (out.shape[axis] === 0)
      throw new JitScopeError(
        "shape",
        `pad: cannot pad an empty axis (${axis}) in mode "${mode}", which reads its values`,
      );
    out = padAxis(out, axis, before, after, mode, options.reflect_type ?? "even", ends[axis], stats?.[axis]);
  }
  return out;
}

function padConstant(x: Tracer, pairs: [number, number][], values: [number, number][]): Tracer {
  const v0 = values[0]![0];
  if (values.every(([l, h]) => l === v0 && h === v0))
    return bind1("pad", { low: pairs.map((p) => p[0]), high: pairs.map((p) => p[1]), value: v0 }, [x]);
  // A value per side: one side at a time, axis by axis, so later axes' values fill the corners.
  let out = x;
  pairs.forEach(([before, after], axis) => {
    for (const [side, width] of [
      [0, before],
      [1, after],
    ] as const) {
      if (width === 0) continue;
      const low = out.shape.map((_, i) => (i === axis && side === 0 ? width : 0));
      const high = out.shape.map((_, i) => (i === axis && side === 1 ? width : 0));
      out = bind1("pad", { low, high, value: values[axis]![side] }, [out]);
    }
  });
  return out;
}

function statLengths(mode: PadMode, lengths: PadValues | null | undefined, ndim: number): [number, number][] | null {
  if (!["maximum", "minimum", "mean", "median"].includes(mode) || lengths === undefined || lengths === null)
    return null;
  const pairs = pairsOf("pad", "stat_length", lengths, ndim);
  if (pairs.some(([l, h]) => !Number.isInteger(l) || !Number.isInteger(h) || l < 1 || h < 1))
    throw new JitScopeError(
      "value",
      `pad: stat_length must be whole numbers ≥ 1 (a statistic of no values gives nothing to pad with), got ${JSON.stringify(lengths)}`,
    );
  return pairs;
}

/** `x` with `width` copies of `edge` (one slice thick along `axis`) laid along it. */
function repeatSlice(edge: Tracer, axis: number, width: number): Tracer {
  return broadcast_to(
    edge,
    edge.shape.map((d, i) => (i === axis ? width : d)),
  );
}

function padAxis(
  x: Tracer,
  axis: number,
  before: number,
  after: number,
  mode: Exclude<PadMode, "constant" | "empty">,
  reflectType: "even" | "odd",
  end: [number, number] | undefined,
  stat: [number, number] | undefined,
): Tracer {
  const n = x.shape[axis]!;
  const first = () => sliceAxis(x, axis, 0, 1);
  const last = () => sliceAxis(x, axis, n - 1, n);
  const join = (lo: Tracer | null, hi: Tracer | null) =>
    concatenate(
      [lo, x, hi].filter((t): t is Tracer => t !== null && t.shape[axis]! > 0),
      axis,
    );
  switch (mode) {
    case "edge":
      return join(before ? repeatSlice(first(), axis, before) : null, after ? repeatSlice(last(), axis, after) : null);
    case "wrap": {
      // Whole copies of x, and the remainders cut from its far ends.
      const parts: Tracer[] = [];
      if (before % n) parts.push(sliceAxis(x, axis, n - (before % n), n));
      for (let k = 0; k < Math.floor(before / n) + 1 + Math.floor(after / n); k++) parts.push(x);
      if (after % n) parts.push(sliceAxis(x, axis, 0, after % n));
      return concatenate(parts, axis);
    }
    case "reflect":
    case "symmetric":
      return mirror(x, axis, before, after, mode, reflectType);
    case "linear_ramp": {
      const [e0, e1] = end!;
      return join(
        before ? ramp(first(), e0, axis, before, false) : null,
        after ? ramp(last(), e1, axis, after, true) : null,
      );
    }
    case "maximum":
    case "minimum":
    case "mean":
    case "median": {
      const side = (lo: number, hi: number, width: number) =>
        width ? repeatSlice(statistic(mode, sliceAxis(x, axis, lo, hi), axis), axis, width) : null;
      const [s0, s1] = stat ?? [n, n];
      return join(side(0, Math.min(s0, n), before), side(n - Math.min(s1, n), n, after));
    }
  }
}

/**
 * Reflect (the edge not repeated) or symmetric (repeated): each step mirrors at most one axis
 * length (one less for reflect) of what has been built so far, so a pad longer than the axis
 * keeps bouncing; "odd" mirrors through the current edge value (2·edge − x).
 */
function mirror(
  x: Tracer,
  axis: number,
  before: number,
  after: number,
  mode: "reflect" | "symmetric",
  reflectType: "even" | "odd",
): Tracer {
  const n = x.shape[axis]!;
  const skip = mode === "reflect" && n > 1 ? 1 : 0; // a single value reflects as itself
  let out = x;
  for (const atStart of [true, false]) {
    let left = atStart ? before : after;
    while (left > 0) {
      const width = Math.min(left, n - skip);
      left -= width;
      const len = out.shape[axis]!;
      const piece = atStart
        ? sliceAxis(out, axis, skip, skip + width)
        : sliceAxis(out, axis, len - width - skip, len - skip);
      let mirrored = flip(piece, axis);
      if (reflectType === "odd") {
        const edge = atStart ? sliceAxis(out, axis, 0, 1) : sliceAxis(out, axis, len - 1, len);
        mirrored = ew.subtract(ew.multiply(edge, 2), mirrored);
      }
      out = concatenate(atStart ? [mirrored, out] : [out, mirrored], axis);
    }
  }
  return out;
}

/** `width` values from `end` (at the padding's outer edge) toward `edge`'s values, the edge
 *  excluded: jnp.linspace(end, edge, width, endpoint=False), reversed after the array. Integer
 *  arrays take the floor, as jnp.linspace does. */
function ramp(edge: Tracer, end: number, axis: number, width: number, after: boolean): Tracer {
  const shape = edge.shape.map((d, i) => (i === axis ? width : d));
  const steps = Array.from({ length: width }, (_, k) => k / width);
  if (after) steps.reverse();
  const t = bind1("broadcast", { shape, dims: [axis] }, [array(steps, { dtype: "float32" })]);
  const e = cast(edge, "float32");
  const values = ew.add(ew.multiply(ew.subtract(1, t), end), ew.multiply(e, t));
  return edge.dtype === "float32" ? values : cast(floor(values), edge.dtype);
}

/** The statistic of `part` along `axis`, kept as a slice one thick; integer arrays round a mean
 *  or median half to even, as JAX does. */
function statistic(mode: "maximum" | "minimum" | "mean" | "median", part: Tracer, axis: number): Tracer {
  switch (mode) {
    case "maximum":
      return max(part, axis, { keepdims: true });
    case "minimum":
      return min(part, axis, { keepdims: true });
    case "mean":
    case "median": {
      const v = mode === "mean" ? mean(part, axis, { keepdims: true }) : median(part, axis, { keepdims: true });
      return part.dtype === "float32" ? v : cast(round(v), part.dtype);
    }
  }
}
