// lax.reduce_window for add / mul / max / min (computation as JAX passes it: lax.add, …), and Flax's nn.max_pool / nn.avg_pool (NHWC). A window
// reduction is built from strided slices of the (padded) operand, one per window offset, so it
// is one fused kernel that reads each window's elements once, and its gradient and batching
// come from those of slice and pad (max pooling's gradient goes to every element equal to the
// window's max, as reduce_max's does).

import { JitScopeError } from "../ir/errors.js";
import { bind1, lit, type Tracer } from "../trace/core.js";
import { asTracer, type ArrayLike } from "../np/promote.js";
import { avalText } from "../np/validate.js";
import { padsFor, type Padding } from "./conv.js";
import { selectWindow, windowWins } from "./windowSelect.js";
import { monoidOf, type Computation, type MonoidPrim } from "./monoid.js";
import { pad } from "./structural.js";

/** The strings Flax's pooling passes (and older code here used): "sum" is "add". */
export type WindowOp = "sum" | "add" | "mul" | "max" | "min";

const LOWEST = { float32: -Infinity, int32: -2147483648, bool: 0 } as const;
const HIGHEST = { float32: Infinity, int32: 2147483647, bool: 1 } as const;

/** jax.lax.reduce_window(operand, init_value, computation, window_dimensions, window_strides,
 *  padding, base_dilation, window_dilation): `computation` is lax.add / lax.mul / lax.max /
 *  lax.min (np's add, multiply, maximum, minimum too), a function doing one of them, or its name. */
export function reduce_window(
  operand: ArrayLike,
  init_value: number,
  computation: Computation,
  window_dimensions: readonly number[],
  window_strides?: readonly number[] | null,
  padding: Padding = "VALID",
  base_dilation?: readonly number[] | null,
  window_dilation?: readonly number[] | null,
): Tracer {
  const op = "reduce_window";
  const x = asTracer(op, operand);
  const ones = x.shape.map(() => 1);
  const positive = (what: string, v: readonly number[] | null | undefined): number[] => {
    const out = v ? [...v] : ones;
    if (out.length !== x.ndim || out.some((d) => !Number.isInteger(d) || d < 1))
      throw new JitScopeError(
        "value",
        `${op}: ${what} needs ${x.ndim} positive integers, got [${String(v)}] (operand ${avalText(x.aval)})`,
      );
    return out;
  };
  const prim = monoidOf(op, computation, x.dtype);
  // A dilated base has init_value in its holes, as XLA's reduce_window reads it.
  const base = positive("base_dilation", base_dilation);
  const dilatedBase = base.some((d) => d !== 1)
    ? pad(
        x,
        init_value,
        base.map((d): [number, number, number] => [0, 0, d - 1]),
      )
    : x;
  const wd = positive("window_dilation", window_dilation);
  // JAX sizes "SAME" / "VALID" padding by the operand before its base dilation.
  const span = [...window_dimensions].map((w, i) => (w - 1) * wd[i]! + 1);
  const pads =
    typeof padding === "string" && dilatedBase !== x && window_dimensions.length === x.ndim
      ? padsFor(op, padding, x.shape, span, window_strides ? [...window_strides] : ones)
      : padding;
  return reduceWindow(op, dilatedBase, init_value, prim, window_dimensions, window_strides, pads, wd);
}

function reduceWindow(
  op: string,
  x: Tracer,
  init_value: number,
  prim: MonoidPrim,
  window_dimensions: readonly number[],
  window_strides: readonly number[] | null | undefined,
  padding: Padding,
  dilation: readonly number[] = x.shape.map(() => 1),
): Tracer {
  const r = x.ndim;
  const bad = (why: string) => new JitScopeError("value", `${op}: ${why} (operand ${avalText(x.aval)})`);
  const win = [...window_dimensions];
  const strides = window_strides ? [...window_strides] : win.map(() => 1);
  if (win.length !== r || win.some((w) => !Number.isInteger(w) || w < 1))
    throw bad(`window_dimensions needs ${r} positive integers, got [${win}]`);
  if (strides.length !== r || strides.some((s) => !Number.isInteger(s) || s < 1))
    throw bad(`window_strides needs ${r} positive integers, got [${strides}]`);
  // A dilated window of w taps spans (w - 1)·d + 1 elements.
  const span = win.map((w, i) => (w - 1) * dilation[i]! + 1);
  const pads = padsFor(op, padding, x.shape, span, strides);
  if (pads.some(([lo, hi]) => lo < 0 || hi < 0))
    throw bad(`negative padding is not supported, got ${JSON.stringify(pads)}`);
  const identity = prim === "add" ? 0 : prim === "mul" ? 1 : prim === "max" ? LOWEST[x.dtype] : HIGHEST[x.dtype];
  const outShape = x.shape.map((n, i) => {
    const p = n + pads[i]![0] + pads[i]![1];
    return p < span[i]! ? 0 : Math.floor((p - span[i]!) / strides[i]!) + 1;
  });
  const dilated = dilation.some((d) => d !== 1);
  // Under grad, max and min record JAX's gradient (the first winner per window) as a gather.
  if (
    (prim === "max" || prim === "min") &&
    !dilated &&
    x.dtype === "float32" &&
    init_value === identity &&
    outShape.every((n) => n > 0)
  ) {
    const y = selectWindow(x, init_value, prim, { win, strides, pads, out: outShape });
    if (y) return y;
  }
  const padded = pads.some(([lo, hi]) => lo || hi)
    ? bind1("pad", { low: pads.map((p) => p[0]), high: pads.map((p) => p[1]), value: init_value }, [x])
    : x;
  let acc: Tracer | null = null;
  const tap = win.map(() => 0);
  const total = win.reduce((a, b) => a * b, 1);
  for (let t = 0; t < total; t++) {
    const starts = tap.map((k, i) => k * dilation[i]!);
    const limits = starts.map((s, i) => s + (outShape[i]! - 1) * strides[i]! + 1);
    const part = bind1("slice", { starts, limits: limits.map((l, i) => Math.max(l, starts[i]!)), strides }, [padded]);
    // Sums and products combine; max and min select the later element only when strictly better
    // (or NaN), so at a tie the earlier element of the window takes the derivative, as in JAX's
    // reduce_window (max / min themselves split a tie half and half).
    if (acc === null) acc = part;
    else if (prim === "add" || prim === "mul") acc = bind1(prim, {}, [part, acc]);
    else acc = bind1("where", {}, [windowWins(prim, part, acc), part, acc]);
    for (let i = r - 1; i >= 0; i--) {
      if (++tap[i]! < win[i]!) break;
      tap[i] = 0;
    }
  }
  // The init value joins the reduction once, unless it is the operation's identity.
  if (init_value !== identity) acc = bind1(prim, {}, [acc!, lit(init_value, x.dtype)]);
  return acc!;
}

/** Window over the spatial axes of NHWC-style inputs ([batch…, spatial…, features]), as Flax's
 *  pooling: window / strides name the spatial axes only. */
function pool(
  op: string,
  x: Tracer,
  init: number,
  computation: MonoidPrim,
  window_shape: readonly number[],
  strides?: readonly number[] | null,
  padding: Padding = "VALID",
): Tracer {
  const k = window_shape.length;
  if (x.ndim < k + 1)
    throw new JitScopeError(
      "shape",
      `${op}: window_shape [${window_shape}] needs an input of rank ≥ ${k + 1} ([batch…, spatial…, features]), got ${avalText(x.aval)}`,
    );
  const lead = x.ndim - k - 1;
  const s = strides ?? window_shape.map(() => 1);
  const dims = [...Array.from({ length: lead }, () => 1), ...window_shape, 1];
  const st = [...Array.from({ length: lead }, () => 1), ...s, 1];
  const pad: Padding =
    typeof padding === "string"
      ? padding
      : [...Array.from({ length: lead }, (): [number, number] => [0, 0]), ...padding, [0, 0]];
  return reduceWindow(op, x, init, computation, dims, st, pad);
}

/** flax.linen.max_pool(inputs, window_shape, strides=None, padding="VALID"). */
export function max_pool(
  inputs: ArrayLike,
  window_shape: readonly number[],
  strides?: readonly number[] | null,
  padding: Padding = "VALID",
): Tracer {
  const x = asTracer("max_pool", inputs);
  return pool("max_pool", x, LOWEST[x.dtype], "max", window_shape, strides, padding);
}

/** flax.linen.avg_pool: the window sum over its size (padding counts, count_include_pad=True). */
export function avg_pool(
  inputs: ArrayLike,
  window_shape: readonly number[],
  strides?: readonly number[] | null,
  padding: Padding = "VALID",
): Tracer {
  const x = asTracer("avg_pool", inputs, "float32");
  const sum = pool("avg_pool", x, 0, "add", window_shape, strides, padding);
  return bind1("div", {}, [
    sum,
    lit(
      window_shape.reduce((a, b) => a * b, 1),
      "float32",
    ),
  ]);
}
