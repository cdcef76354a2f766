// lax.conv_general_dilated_patches: every window of `lhs` laid out along the feature axis (an
// "im2col", or PyTorch's unfold), as JAX builds it: a grouped convolution, one group per input
// channel, whose filter is the identity over the window's positions. The output feature axis
// holds C · prod(filter_shape) values, channel-major (channel c's window positions together), so
// a matmul by a [C·kh·kw, O] weight then computes the convolution.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { asTracer, type ArrayLike } from "../np/promote.js";
import { eye } from "../np/creation.js";
import { broadcast_to, reshape } from "../np/shape.js";
import { conv_general_dilated, type DimensionNumbers, type Padding } from "./conv.js";

export interface ConvPatchesOptions {
  lhs_dilation?: readonly number[];
  rhs_dilation?: readonly number[];
  /** [lhs, rhs, out] specs as conv_general_dilated's; the rhs spec orders filter_shape's axes. */
  dimension_numbers?: DimensionNumbers | null;
}

export function conv_general_dilated_patches(
  lhs: ArrayLike,
  filter_shape: readonly number[],
  window_strides: readonly number[],
  padding: Padding,
  options: ConvPatchesOptions = {},
): Tracer {
  const op = "lax.conv_general_dilated_patches";
  checkOptions(op, options, ["lhs_dilation", "rhs_dilation", "dimension_numbers"]);
  const x = asTracer(op, lhs, "float32");
  const ns = x.ndim - 2;
  if (
    ns < 1 ||
    !Array.isArray(filter_shape) ||
    filter_shape.length !== ns ||
    filter_shape.some((k) => !Number.isInteger(k) || k < 1)
  )
    throw new JitScopeError(
      "value",
      `${op}: filter_shape needs ${Math.max(ns, 1)} positive integers (one per spatial axis of lhs [${x.shape.join(", ")}]), got ${JSON.stringify(filter_shape)}`,
    );
  const dn = options.dimension_numbers ?? null;
  const lhsSpec = dn?.[0] ?? `NC${"HWDXYZ".slice(0, ns)}`;
  const rhsSpatial = [...(dn?.[1] ?? `OI${"HWDXYZ".slice(0, ns)}`)].filter((c) => c !== "O" && c !== "I").join("");
  const channels = x.shape[lhsSpec.indexOf("C")];
  if (channels === undefined) throw new JitScopeError("value", `${op}: the lhs spec "${lhsSpec}" has no C axis`);
  const size = filter_shape.reduce((a, b) => a * b, 1);
  // Filter [C·S, 1, ...filter_shape]: output channel c·S + s reads window position s of channel c.
  const rhs = reshape(broadcast_to(eye(size), [channels, size, size]), [channels * size, 1, ...filter_shape]);
  return conv_general_dilated(x, rhs, window_strides, padding, {
    lhs_dilation: options.lhs_dilation,
    rhs_dilation: options.rhs_dilation,
    dimension_numbers: [lhsSpec, `OI${rhsSpatial}`, dn?.[2] ?? lhsSpec] as DimensionNumbers,
    feature_group_count: channels,
  });
}
