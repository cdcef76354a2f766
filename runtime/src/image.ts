// The `image` namespace, as jax.image: resize and scale_and_translate. Every method but
// "nearest" is separable resampling: for each axis whose size changes, a weight matrix [in, out]
// (the kernel read at each output sample's distance from each input pixel, widened by the scale
// when downsampling with antialias, each column normalised to sum 1, and zero for a sample
// outside the image) computed on the host, since it depends only on the shapes, and contracted
// with that axis: one matmul per axis, the image viewed as [before, in, after] so that no axis is
// transposed (a matmul kernel, plus a broadcast of the weights over `before` for an axis that is
// neither first nor last). "nearest" gathers the pixel
// under each sample's centre. The kernels are JAX's: triangle (linear), Keys cubic (a = −½),
// OpenCV/PyTorch cubic (a = −¾, edges repeated unless antialiased), Lanczos 3 and 5, and area.

import { JitScopeError } from "./ir/errors.js";
import type { Tracer } from "./trace/core.js";
import * as np from "./np.js";
import type { ArrayLike } from "./np.js";
import { asTracer } from "./np/promote.js";
import { checkOptions } from "./apiOptions.js";

export type ResizeMethodName =
  | "nearest"
  | "linear"
  | "bilinear"
  | "trilinear"
  | "triangle"
  | "lanczos3"
  | "lanczos5"
  | "cubic"
  | "bicubic"
  | "tricubic"
  | "cubic-pytorch"
  | "bicubic-pytorch"
  | "area";

/** jax.image.ResizeMethod's members, by the names its from_string accepts. */
export const ResizeMethod = {
  NEAREST: "nearest",
  LINEAR: "linear",
  LANCZOS3: "lanczos3",
  LANCZOS5: "lanczos5",
  CUBIC: "cubic",
  CUBIC_PYTORCH: "cubic-pytorch",
  AREA: "area",
} as const satisfies Record<string, ResizeMethodName>;

type Kernel = { radius: number; at: (x: number) => number } | "area";

const lanczos = (radius: number) => (x: number) => {
  if (x > radius) return 0;
  if (x <= 1e-3) return 1;
  return (radius * Math.sin(Math.PI * x) * Math.sin((Math.PI * x) / radius)) / (Math.PI * Math.PI * x * x);
};
/** A cubic convolution kernel with parameter a (Keys: −½; OpenCV and PyTorch: −¾). */
const cubic = (a: number) => (x: number) => {
  if (x >= 2) return 0;
  if (x >= 1) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  return ((a + 2) * x - (a + 3)) * x * x + 1;
};

function kernelOf(method: string): Kernel {
  switch (method) {
    case "linear":
    case "bilinear":
    case "trilinear":
    case "triangle":
      return { radius: 1, at: (x) => Math.max(0, 1 - Math.abs(x)) };
    case "lanczos3":
      return { radius: 3, at: lanczos(3) };
    case "lanczos5":
      return { radius: 5, at: lanczos(5) };
    case "cubic":
    case "bicubic":
    case "tricubic":
      return { radius: 2, at: cubic(-0.5) };
    case "cubic-pytorch":
    case "bicubic-pytorch":
      return { radius: 2, at: cubic(-0.75) };
    case "area":
      return "area";
    default:
      throw new JitScopeError(
        "value",
        `image: unknown resize method ${JSON.stringify(method)} (nearest, linear, bilinear, trilinear, lanczos3, lanczos5, cubic, bicubic, tricubic, cubic-pytorch, area)`,
      );
  }
}

const EPS32 = 2 ** -23;

/** The [input, output] weights of one axis (JAX's compute_weight_mat, in double precision). */
function weightMatrix(
  input: number,
  output: number,
  scale: number,
  translation: number,
  kernel: Kernel,
  antialias: boolean,
  edgePadding: boolean,
): Float32Array {
  const invScale = 1 / scale;
  const kernelScale = antialias ? Math.max(invScale, 1) : 1;
  const sample = Array.from({ length: output }, (_, j) => (j + 0.5) * invScale - translation * invScale - 0.5);
  const pad =
    edgePadding && kernel !== "area" ? (antialias ? Math.ceil(kernel.radius * kernelScale) : kernel.radius) : 0;
  const w = new Float64Array(input * output);
  for (let e = -pad; e < input + pad; e++) {
    const i = Math.min(Math.max(e, 0), input - 1); // edge padding repeats the border pixels
    for (let j = 0; j < output; j++) {
      let v: number;
      if (kernel === "area") {
        const [lo, hi] = [j * invScale - translation * invScale, (j + 1) * invScale - translation * invScale];
        v = Math.max(0, Math.min(hi, e + 1) - Math.max(lo, e));
      } else v = kernel.at(Math.abs(sample[j]! - e) / kernelScale);
      w[i * output + j]! += v;
    }
  }
  const out = new Float32Array(input * output);
  for (let j = 0; j < output; j++) {
    let total = 0;
    for (let i = 0; i < input; i++) total += w[i * output + j]!;
    const inside = edgePadding || (sample[j]! >= -0.5 && sample[j]! <= input - 0.5);
    if (!inside || !(Math.abs(total) > 1000 * EPS32)) continue;
    for (let i = 0; i < input; i++) out[i * output + j] = w[i * output + j]! / total;
  }
  return out;
}

/** x resampled along each axis in `dims` with that axis's weights. */
function resample(
  x: Tracer,
  shape: readonly number[],
  dims: readonly number[],
  scales: readonly number[],
  translations: readonly number[],
  method: string,
  antialias: boolean,
): Tracer {
  const pytorch = method === "cubic-pytorch" || method === "bicubic-pytorch";
  // As JAX: antialiased, the PyTorch cubic is the Keys cubic; without, it repeats the edges.
  const kernel = kernelOf(pytorch && antialias ? "cubic" : method);
  const pytorchEdges = pytorch && !antialias;
  let y = np.astype(x, "float32");
  dims.forEach((d, k) => {
    const [m, n] = [x.shape[d]!, shape[d]!];
    const w = weightMatrix(m, n, scales[k]!, translations[k]!, kernel, antialias, pytorchEdges);
    const before = y.shape.slice(0, d).reduce((a, b) => a * b, 1);
    const after = y.shape.slice(d + 1).reduce((a, b) => a * b, 1);
    let out: Tracer;
    // y viewed as [before, m, after] and never transposed: the last axis is y [before, m] · W;
    // any other, Wᵀ [n, m] (transposed here, on the host) · y [m, after] for each of `before`.
    if (after === 1) out = np.matmul(np.reshape(y, [before, m]), np.reshape(np.array(Array.from(w)), [m, n]));
    else {
      const wT = Array.from({ length: n * m }, (_, k) => w[(k % m) * n + Math.floor(k / m)]!);
      const weightsT = np.reshape(np.array(wT), [n, m]);
      out =
        before === 1
          ? np.matmul(weightsT, np.reshape(y, [m, after]))
          : np.matmul(weightsT, np.reshape(y, [before, m, after]));
    }
    y = np.reshape(out, [...y.shape.slice(0, d), n, ...y.shape.slice(d + 1)]);
  });
  return y;
}

/** The pixel under each output sample's centre along every axis whose size changes. */
function resizeNearest(x: Tracer, shape: readonly number[]): Tracer {
  let y = x;
  shape.forEach((n, d) => {
    const m = x.shape[d]!;
    if (m === n) return;
    const at = Array.from({ length: n }, (_, j) => Math.floor(((j + 0.5) * m) / n));
    y = np.take(y, np.array(at, { dtype: "int32" }), d);
  });
  return y;
}

function checkShapeArg(op: string, x: Tracer, shape: readonly number[]): void {
  if (shape.length !== x.ndim || shape.some((d) => !Number.isInteger(d) || d < 0))
    throw new JitScopeError(
      "shape",
      `${op}: shape must give a size ≥ 0 for each of the image's ${x.ndim} axes ([${x.shape}]), got [${shape}]`,
    );
}

/** `image.resize(image, shape, method, { antialias = true })`: `image` resampled to `shape` (every
 *  axis may change; batch and channel axes usually keep theirs), float32 except for "nearest",
 *  which keeps the dtype. */
export function resize(
  image: ArrayLike,
  shape: readonly number[],
  method: ResizeMethodName,
  options: { antialias?: boolean; precision?: unknown } = {},
): Tracer {
  checkOptions("image.resize", options, ["antialias", "precision"]);
  const x = asTracer("image.resize", image);
  checkShapeArg("image.resize", x, shape);
  if (method === "nearest") return resizeNearest(x, shape);
  const dims = shape.flatMap((n, d) => (n === x.shape[d] ? [] : [d]));
  const scales = dims.map((d) => (shape[d] === 0 ? 1 : shape[d]! / x.shape[d]!));
  return resample(
    x,
    shape,
    dims,
    scales,
    dims.map(() => 0),
    method,
    options.antialias ?? true,
  );
}

/** `image.scale_and_translate(image, shape, spatial_dims, scale, translation, method, {
 *  antialias = true })`: an input location x along spatial_dims[i] maps to x·scale[i] +
 *  translation[i] in the output. scale and translation are JS numbers here (the weights are
 *  computed when tracing). */
export function scale_and_translate(
  image: ArrayLike,
  shape: readonly number[],
  spatial_dims: readonly number[],
  scale: readonly number[],
  translation: readonly number[],
  method: Exclude<ResizeMethodName, "nearest">,
  options: { antialias?: boolean; precision?: unknown } = {},
): Tracer {
  checkOptions("image.scale_and_translate", options, ["antialias", "precision"]);
  const x = asTracer("image.scale_and_translate", image);
  checkShapeArg("image.scale_and_translate", x, shape);
  if (scale.length !== spatial_dims.length || translation.length !== spatial_dims.length)
    throw new JitScopeError(
      "shape",
      `image.scale_and_translate: give one scale and one translation per spatial dim (${spatial_dims.length}), got ${scale.length} and ${translation.length}`,
    );
  if ([...scale, ...translation].some((v) => typeof v !== "number" || !Number.isFinite(v)))
    throw new JitScopeError(
      "value",
      "image.scale_and_translate: scale and translation must be finite JS numbers (the weights are computed when tracing)",
    );
  if ((method as string) === "nearest")
    throw new JitScopeError("value", `image.scale_and_translate: "nearest" is not one of its methods (JAX's neither)`);
  const dims = spatial_dims.map((d) => (d < 0 ? d + x.ndim : d));
  if (dims.some((d) => d < 0 || d >= x.ndim))
    throw new JitScopeError(
      "axis",
      `image.scale_and_translate: spatial_dims [${spatial_dims}] out of range for ${x.ndim} axes`,
    );
  const other = shape.findIndex((n, d) => !dims.includes(d) && n !== x.shape[d]);
  if (other >= 0)
    throw new JitScopeError(
      "shape",
      `image.scale_and_translate: axis ${other} is not in spatial_dims, so its size must stay ${x.shape[other]}, got ${shape[other]}`,
    );
  return resample(x, shape, dims, scale, translation, method, options.antialias ?? true);
}
