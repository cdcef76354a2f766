// jax.nn.initializers: functions `(key, shape, dtype?) => array` that draw a layer's starting
// weights, and the factories that make them (`glorot_normal()`, `he_uniform()`,
// `variance_scaling(scale, mode, distribution)`). The scales are JAX's to the formula: fans from
// `in_axis`, `out_axis` and `batch_axis`, the variance `scale / fan`, a truncated normal's
// standard deviation divided by that of a unit normal cut at ±2 (0.8796…). The draws are ours
// (random.ts), so the values differ from JAX's while their distributions are the same.

import { checkOptions } from "./apiOptions.js";
import { JitScopeError } from "./ir/errors.js";
import type { DType } from "./ir/types.js";
import * as np from "./np.js";
import * as random from "./random.js";
import { qrPositiveDiagonal } from "./lax/qr.js";
import type { Tracer } from "./trace/core.js";

/** An initializer: `init(key, shape, dtype = "float32")`. */
export type Initializer = (key: Tracer, shape: number | readonly number[], dtype?: DType) => Tracer;

export type FanMode = "fan_in" | "fan_out" | "fan_avg";
export type ScalingDistribution = "truncated_normal" | "normal" | "uniform";

export interface VarianceScalingOptions {
  /** Axis (or axes) of the input features (default -2). */
  in_axis?: number | readonly number[];
  /** Axis (or axes) of the output features (default -1). */
  out_axis?: number | readonly number[];
  /** Axes that batch independent weights, counted in neither fan (default none). */
  batch_axis?: readonly number[];
  /** The dtype an initializer made by it draws when called without one. */
  dtype?: DType;
}

/** The standard deviation of a unit normal truncated to (-2, 2). */
const TRUNCATED_STD = 0.87962566103423978;

function shapeOf(name: string, shape: number | readonly number[]): number[] {
  const dims = typeof shape === "number" ? [shape] : [...shape];
  if (!dims.every((d) => Number.isInteger(d) && d >= 0))
    throw new JitScopeError("shape", `nn.initializers.${name}: shape must be non-negative integers, got [${dims}]`);
  return dims;
}

/** A sampling initializer draws float32, the one float dtype of our arrays. */
function checkFloat(name: string, dtype: DType): void {
  if (dtype !== "float32")
    throw new JitScopeError("dtype", `nn.initializers.${name}: draws float32 weights, got dtype ${dtype}`);
}

/** `jax.nn.initializers.zeros(key, shape, dtype)`. */
export const zeros: Initializer = (_key, shape, dtype = "float32") => np.zeros(shapeOf("zeros", shape), { dtype });

/** `jax.nn.initializers.ones(key, shape, dtype)`. */
export const ones: Initializer = (_key, shape, dtype = "float32") => np.ones(shapeOf("ones", shape), { dtype });

/** `constant(value)`: every element `value`. */
export function constant(value: number, dtype: DType = "float32"): Initializer {
  return (_key, shape, d = dtype) => np.full(shapeOf("constant", shape), value, { dtype: d });
}

/** `normal(stddev = 1e-2)`: normal samples times stddev. */
export function normal(stddev = 1e-2, dtype: DType = "float32"): Initializer {
  return (key, shape, d = dtype) => {
    checkFloat("normal", d);
    return np.multiply(random.normal(key, shapeOf("normal", shape)), stddev);
  };
}

/** `uniform(scale = 1e-2)`: uniform samples in [0, scale). */
export function uniform(scale = 1e-2, dtype: DType = "float32"): Initializer {
  return (key, shape, d = dtype) => {
    checkFloat("uniform", d);
    return np.multiply(random.uniform(key, shapeOf("uniform", shape)), scale);
  };
}

/** `truncated_normal(stddev = 1e-2, dtype, lower = -2, upper = 2)`: a unit normal cut to
 *  [lower, upper], times stddev (JAX does not rescale this one). */
export function truncated_normal(stddev = 1e-2, dtype: DType = "float32", lower = -2, upper = 2): Initializer {
  return (key, shape, d = dtype) => {
    checkFloat("truncated_normal", d);
    return np.multiply(random.truncated_normal(key, lower, upper, shapeOf("truncated_normal", shape)), stddev);
  };
}

/** JAX's `_compute_fans`: the input and output sizes times the receptive field (the elements per
 *  (input, output, batch) triple). A weight of fewer than 2 dims needs `inAxis` given. */
export function computeFans(
  shape: readonly number[],
  inAxis?: number | readonly number[],
  outAxis: number | readonly number[] = -1,
  batchAxis: readonly number[] = [],
): [fanIn: number, fanOut: number] {
  if (shape.length < 2 && inAxis === undefined)
    throw new JitScopeError(
      "shape",
      `nn.initializers: cannot compute the input and output sizes of a ${shape.length}-dimensional weight ` +
        `(shape [${shape}]) with the default in_axis; it must be at least 2-D, or give in_axis`,
    );
  const size = (axes: number | readonly number[]) =>
    (typeof axes === "number" ? [axes] : axes).reduce((p, a) => {
      const ax = a < 0 ? a + shape.length : a;
      if (!(ax >= 0 && ax < shape.length))
        throw new JitScopeError("axis", `nn.initializers: axis ${a} is out of range for shape [${shape}]`);
      return p * shape[ax]!;
    }, 1);
  const inSize = size(inAxis ?? -2);
  const outSize = size(outAxis);
  const receptive = shape.reduce((p, d) => p * d, 1) / inSize / outSize / size(batchAxis);
  return [inSize * receptive, outSize * receptive];
}

/** `variance_scaling(scale, mode, distribution)`: samples of variance `scale / fan` (fan_in,
 *  fan_out or their mean): a truncated normal, a normal, or a uniform in ±√(3·variance). */
export function variance_scaling(
  scale: number,
  mode: FanMode,
  distribution: ScalingDistribution,
  options: VarianceScalingOptions = {},
): Initializer {
  checkOptions("nn.initializers.variance_scaling", options, ["in_axis", "out_axis", "batch_axis", "dtype"]);
  if (!["fan_in", "fan_out", "fan_avg"].includes(mode))
    throw new JitScopeError("value", `nn.initializers.variance_scaling: invalid mode ${JSON.stringify(mode)}`);
  if (!["truncated_normal", "normal", "uniform"].includes(distribution))
    throw new JitScopeError(
      "value",
      `nn.initializers.variance_scaling: invalid distribution ${JSON.stringify(distribution)}`,
    );
  const { in_axis, out_axis = -1, batch_axis = [], dtype = "float32" } = options;
  return (key, shape, d = dtype) => {
    const dims = shapeOf("variance_scaling", shape);
    const [fanIn, fanOut] = computeFans(dims, in_axis, out_axis, batch_axis);
    const fan = mode === "fan_in" ? fanIn : mode === "fan_out" ? fanOut : (fanIn + fanOut) / 2;
    const variance = scale / fan;
    checkFloat("variance_scaling", d);
    if (distribution === "truncated_normal")
      return np.multiply(random.truncated_normal(key, -2, 2, dims), Math.sqrt(variance) / TRUNCATED_STD);
    if (distribution === "normal") return np.multiply(random.normal(key, dims), Math.sqrt(variance));
    const limit = Math.sqrt(3 * variance);
    return random.uniform(key, dims, { minval: -limit, maxval: limit });
  };
}

type Preset = (options?: VarianceScalingOptions) => Initializer;
/** `orthogonal(scale = 1, column_axis = -1)`: weights whose columns (along column_axis) are
 *  orthonormal (rows, when there are fewer rows than columns), times scale: Q of a normal
 *  matrix's QR with R's diagonal made positive, as JAX's. Needs at least two axes. */
export function orthogonal(scale = 1, column_axis = -1, dtype: DType = "float32"): Initializer {
  return (key, shape, d = dtype) => {
    checkFloat("orthogonal", d);
    const dims = shapeOf("orthogonal", shape);
    if (dims.length < 2)
      throw new JitScopeError("shape", `nn.initializers.orthogonal: needs at least a 2-D shape, got [${dims}]`);
    const axis = column_axis < 0 ? column_axis + dims.length : column_axis;
    if (!Number.isInteger(axis) || axis < 0 || axis >= dims.length)
      throw new JitScopeError(
        "axis",
        `nn.initializers.orthogonal: column_axis ${column_axis} is outside shape [${dims}]`,
      );
    const nCols = dims[axis]!;
    const nRows = dims.reduce((p, x) => p * x, 1) / nCols;
    const wide = nRows < nCols;
    const a = random.normal(key, wide ? [nCols, nRows] : [nRows, nCols]);
    let m = qrPositiveDiagonal(a);
    if (wide) m = np.transpose(m);
    const rest = dims.filter((_, i) => i !== axis);
    return np.multiply(np.moveaxis(np.reshape(m, [...rest, nCols]), -1, axis), scale);
  };
}

const preset =
  (scale: number, mode: FanMode, distribution: ScalingDistribution): Preset =>
  (options = {}) =>
    variance_scaling(scale, mode, distribution, options);

/** Glorot (Xavier): variance 1 / fan_avg. */
export const glorot_normal = preset(1, "fan_avg", "truncated_normal");
export const glorot_uniform = preset(1, "fan_avg", "uniform");
/** LeCun: variance 1 / fan_in. */
export const lecun_normal = preset(1, "fan_in", "truncated_normal");
export const lecun_uniform = preset(1, "fan_in", "uniform");
/** He (Kaiming): variance 2 / fan_in. */
export const he_normal = preset(2, "fan_in", "truncated_normal");
export const he_uniform = preset(2, "fan_in", "uniform");
export {
  glorot_normal as xavier_normal,
  glorot_uniform as xavier_uniform,
  he_normal as kaiming_normal,
  he_uniform as kaiming_uniform,
};
