// lax.conv_general_dilated_local (a locally connected layer: a convolution whose kernel differs at
// every output position) and lax.conv_with_general_padding, as JAX's. The local convolution is
// JAX's construction: the input's windows laid out along the feature axis
// (conv_general_dilated_patches), then one contraction with the kernel over that axis, batched
// over the output positions. Both parts differentiate and batch as they are.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { libraryScope } from "../trace/scopeCalls.js";
import { asTracer, type ArrayLike } from "../np/promote.js";
import { transpose } from "../np/shape.js";
import { avalText } from "../np/validate.js";
import { conv_general_dilated, type DimensionNumbers, type Padding } from "./conv.js";
import { conv_general_dilated_patches } from "./convPatches.js";
import { conv_dimension_numbers, convSpecStrings, type ConvDimensionNumbers } from "./convShapes.js";
import { checkPrecision, Precision, type PrecisionLike } from "./precision.js";
import { dot_general } from "./structural.js";

export interface ConvLocalOptions {
  lhs_dilation?: readonly number[] | null;
  rhs_dilation?: readonly number[] | null;
  /** [lhs, rhs, out] letter specs or a ConvDimensionNumbers; default NCHW / OIHW / NCHW. The rhs
   *  spec's spatial axes are the output positions; its I axis holds C · prod(filter_shape). */
  dimension_numbers?: DimensionNumbers | ConvDimensionNumbers | null;
  /** null, a Precision or a pair of them (a DotAlgorithmPreset is refused, as JAX's). */
  precision?: PrecisionLike;
}

/** A spec given as letters or as axis indices, as letters. */
function specStrings(dn: DimensionNumbers | ConvDimensionNumbers | null | undefined): DimensionNumbers | null {
  if (dn == null) return null;
  return Array.isArray(dn) ? (dn as DimensionNumbers) : convSpecStrings(dn as ConvDimensionNumbers);
}

/**
 * lax.conv_general_dilated_local(lhs, rhs, window_strides, padding, filter_shape, options): out[n,
 * o, p] = Σ_{c, s} window(lhs)[n, c·S + s, p] · rhs[o, c·S + s, p] at every output position p,
 * with S = prod(filter_shape) and the window's positions s in the rhs spec's spatial order.
 */
export function conv_general_dilated_local(
  lhs: ArrayLike,
  rhs: ArrayLike,
  window_strides: readonly number[],
  padding: Padding,
  filter_shape: readonly number[],
  options: ConvLocalOptions = {},
): Tracer {
  const op = "lax.conv_general_dilated_local";
  checkOptions(op, options, ["lhs_dilation", "rhs_dilation", "dimension_numbers", "precision"]);
  checkPrecision(op, options.precision);
  const p = options.precision;
  if (typeof p === "string" && !(p.toUpperCase() in Precision) && !["bfloat16", "tensorfloat32", "float32"].includes(p))
    throw new JitScopeError("value", `${op}: precision must be null, a lax.Precision or a pair of them, got "${p}"`);
  const x = asTracer(op, lhs, "float32");
  const w = asTracer(op, rhs, "float32");
  const dn = specStrings(options.dimension_numbers);
  if (w.ndim !== x.ndim)
    throw new JitScopeError(
      "shape",
      `${op}: lhs ${avalText(x.aval)} and rhs ${avalText(w.aval)} need one rank (batch, feature, spatial…)`,
    );
  return libraryScope(op, () => {
    const patches = conv_general_dilated_patches(x, filter_shape, window_strides, padding, {
      lhs_dilation: options.lhs_dilation ?? undefined,
      rhs_dilation: options.rhs_dilation ?? undefined,
      dimension_numbers: dn,
    });
    const { rhs_spec, out_spec } = conv_dimension_numbers(x.shape, [1, 1, ...filter_shape], dn);
    // The kernel's I axis is contracted with the patches' feature axis; its spatial axes pair
    // with the output's spatial axes, taken in the output's axis order.
    const outSpatial = out_spec.slice(2);
    const order = outSpatial.map((_, k) => k).sort((a, b) => outSpatial[a]! - outSpatial[b]!);
    const lhsBatch = order.map((k) => outSpatial[k]!);
    const rhsBatch = order.map((k) => rhs_spec[2 + k]!);
    const want = [...lhsBatch.map((a) => patches.shape[a]!), patches.shape[out_spec[1]!]!];
    const got = [...rhsBatch.map((a) => w.shape[a]!), w.shape[rhs_spec[1]!]!];
    if (want.some((d, i) => d !== got[i]))
      throw new JitScopeError(
        "shape",
        `${op}: rhs ${avalText(w.aval)} needs its spatial axes equal to the output's [${want.slice(0, -1).join(", ")}] and its I axis equal to C · prod(filter_shape) = ${want.at(-1)} (lhs ${avalText(x.aval)}, filter_shape [${filter_shape.join(", ")}])`,
      );
    const out = dot_general(patches, w, [
      [[out_spec[1]!], [rhs_spec[1]!]],
      [lhsBatch, rhsBatch],
    ]);
    // out is [spatial…, N, O]: move N and O to the out spec's batch and feature axes.
    const nd = out.ndim;
    const perm: number[] = [];
    let rest = 0;
    for (let axis = 0; axis < nd; axis++) {
      if (axis === out_spec[0]) perm.push(nd - 2);
      else if (axis === out_spec[1]) perm.push(nd - 1);
      else perm.push(rest++);
    }
    return transpose(out, perm);
  });
}

export interface ConvWithGeneralPaddingOptions {
  precision?: PrecisionLike;
  /** Only float32 (or null). */
  preferred_element_type?: "float32" | null;
}

/** lax.conv_with_general_padding(lhs, rhs, window_strides, padding, lhs_dilation, rhs_dilation):
 *  conv_general_dilated in NCHW / OIHW with both dilations given positionally. */
export function conv_with_general_padding(
  lhs: ArrayLike,
  rhs: ArrayLike,
  window_strides: readonly number[],
  padding: Padding,
  lhs_dilation: readonly number[] | null,
  rhs_dilation: readonly number[] | null,
  options: ConvWithGeneralPaddingOptions = {},
): Tracer {
  const op = "lax.conv_with_general_padding";
  checkOptions(op, options, ["precision", "preferred_element_type"]);
  checkPrecision(op, options.precision);
  if (options.preferred_element_type != null && options.preferred_element_type !== "float32")
    throw new JitScopeError(
      "value",
      `${op}: preferred_element_type must be "float32", got ${JSON.stringify(options.preferred_element_type)}`,
    );
  return conv_general_dilated(lhs, rhs, window_strides, padding, {
    lhs_dilation: lhs_dilation ?? undefined,
    rhs_dilation: rhs_dilation ?? undefined,
  });
}
