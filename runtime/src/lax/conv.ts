// lax.conv_general_dilated, lax.conv and lax.conv_transpose, as JAX spells them. The `conv` primitive works in one
// layout (lhs N,C,spatial…; rhs O,I,spatial…; out N,C,spatial…); other dimension_numbers are
// transposes around it, which fuse into neighbouring kernels or cost one copy.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import { bind1, type Tracer } from "../trace/core.js";
import { dilateDim } from "../ops/indexConvShapes.js";
import { asTracer, type ArrayLike } from "../np/promote.js";
import { avalText } from "../np/validate.js";
import { swapaxes } from "../np/shape.js";
import { flip } from "../np/shapeSurface.js";
import { convSpecStrings, type ConvDimensionNumbers, type DimensionNumbers, type Padding } from "./convShapes.js";
import { checkPrecision, type PrecisionLike } from "./precision.js";

export type { DimensionNumbers, Padding } from "./convShapes.js";

export interface ConvOptions {
  lhs_dilation?: readonly number[];
  rhs_dilation?: readonly number[];
  /** Letter specs (["NHWC", "HWIO", "NHWC"]) or a lax.ConvDimensionNumbers of axis indices. */
  dimension_numbers?: DimensionNumbers | ConvDimensionNumbers | null;
  feature_group_count?: number;
  /** JAX's precision: checked, and float32 products either way (lax/precision.ts). */
  precision?: PrecisionLike;
}

/** Low/high padding for "SAME" (output size ceil(in / stride)) and "VALID" (none), as JAX's
 *  lax.padtype_to_pads. */
export function padsFor(
  op: string,
  padding: Padding,
  inSp: readonly number[],
  window: readonly number[],
  strides: readonly number[],
): [number, number][] {
  if (padding === "VALID") return inSp.map(() => [0, 0]);
  if (padding === "SAME") {
    return inSp.map((n, i) => {
      const s = strides[i]!;
      const out = Math.ceil(n / s);
      const total = Math.max(0, (out - 1) * s + window[i]! - n);
      return [Math.floor(total / 2), total - Math.floor(total / 2)];
    });
  }
  if (
    !Array.isArray(padding) ||
    padding.length !== inSp.length ||
    padding.some((p) => !Array.isArray(p) || p.length !== 2 || !p.every(Number.isInteger))
  ) {
    throw new JitScopeError(
      "value",
      `${op}: padding must be "SAME", "VALID" or ${inSp.length} [low, high] integer pairs, got ${JSON.stringify(padding)}`,
    );
  }
  return padding.map((p) => [p[0], p[1]]);
}

interface Layout {
  lhs: number[]; // permutation: spec -> N, C, spatial (in rhs order)
  rhs: number[];
  out: number[];
}

function layout(op: string, dn: DimensionNumbers | null | undefined, rank: number): Layout {
  const [ls, rs, os] = dn ?? defaultSpecs(rank);
  const bad = (why: string) => new JitScopeError("value", `${op}: dimension_numbers ${JSON.stringify(dn)}: ${why}`);
  if (![ls, rs, os].every((s) => typeof s === "string" && s.length === rank))
    throw bad(`each spec needs ${rank} letters (the operands' rank)`);
  const spatialR = [...rs].filter((c) => c !== "O" && c !== "I");
  const perm = (spec: string, a: string, b: string): number[] => {
    const ia = spec.indexOf(a),
      ib = spec.indexOf(b);
    if (ia < 0 || ib < 0) throw bad(`"${spec}" needs "${a}" and "${b}"`);
    const sp = spatialR.map((c) => spec.indexOf(c));
    if (sp.some((i) => i < 0) || new Set([ia, ib, ...sp]).size !== rank)
      throw bad(`"${spec}" must name the spatial axes of "${rs}" once each`);
    return [ia, ib, ...sp];
  };
  return { lhs: perm(ls, "N", "C"), rhs: perm(rs, "O", "I"), out: perm(os, "N", "C") };
}

function defaultSpecs(rank: number): DimensionNumbers {
  const sp = "HWDXYZ".slice(0, rank - 2);
  return [`NC${sp}`, `OI${sp}`, `NC${sp}`];
}

const isIdentity = (p: readonly number[]) => p.every((q, i) => q === i);

export function conv_general_dilated(
  lhs: ArrayLike,
  rhs: ArrayLike,
  window_strides: readonly number[],
  padding: Padding,
  options: ConvOptions = {},
): Tracer {
  checkOptions("lax.conv_general_dilated", options, [
    "lhs_dilation",
    "rhs_dilation",
    "dimension_numbers",
    "feature_group_count",
    "precision",
  ]);
  const op = "conv_general_dilated";
  checkPrecision(`lax.${op}`, options.precision);
  const l = asTracer(op, lhs, "float32"),
    r = asTracer(op, rhs, "float32");
  if (l.ndim < 3 || r.ndim !== l.ndim) {
    throw new JitScopeError(
      "shape",
      `${op}: lhs ${avalText(l.aval)} and rhs ${avalText(r.aval)} need one rank of at least 3 (batch, feature, spatial…)`,
    );
  }
  const ns = l.ndim - 2;
  const given = options.dimension_numbers;
  const lay = layout(
    op,
    given && !Array.isArray(given)
      ? convSpecStrings(given as ConvDimensionNumbers)
      : (given as DimensionNumbers | null | undefined),
    l.ndim,
  );
  const lt = isIdentity(lay.lhs) ? l : bind1("transpose", { perm: lay.lhs }, [l]);
  const rt = isIdentity(lay.rhs) ? r : bind1("transpose", { perm: lay.rhs }, [r]);
  const ones = Array.from({ length: ns }, () => 1);
  const list = (what: string, v: readonly number[] | undefined): number[] => {
    const out = v === undefined ? ones : [...v];
    if (out.length !== ns || out.some((x) => !Number.isInteger(x) || x < 1)) {
      throw new JitScopeError(
        "value",
        `${op}: ${what} needs ${ns} positive integers (one per spatial axis), got [${String(v)}]`,
      );
    }
    return out;
  };
  const strides = list("window_strides", window_strides);
  const lhsDilation = list("lhs_dilation", options.lhs_dilation);
  const rhsDilation = list("rhs_dilation", options.rhs_dilation);
  const window = rt.shape.slice(2).map((k, i) => dilateDim(k, rhsDilation[i]!));
  const pads = padsFor(op, padding, lt.shape.slice(2), window, strides);
  const out = bind1(
    "conv",
    {
      strides,
      padLow: pads.map((p) => p[0]),
      padHigh: pads.map((p) => p[1]),
      lhsDilation,
      rhsDilation,
      groups: options.feature_group_count ?? 1,
    },
    [lt, rt],
  );
  if (isIdentity(lay.out)) return out;
  const inv = lay.out.map((_, k) => lay.out.indexOf(k));
  return bind1("transpose", { perm: inv }, [out]);
}

/** lax.conv: NCHW / OIHW, no dilation. */
export function conv(lhs: ArrayLike, rhs: ArrayLike, window_strides: readonly number[], padding: Padding): Tracer {
  return conv_general_dilated(lhs, rhs, window_strides, padding);
}

export interface ConvTransposeOptions {
  rhs_dilation?: readonly number[];
  dimension_numbers?: DimensionNumbers | null;
  /** Flip the kernel's spatial axes and swap its I and O axes (default false, as JAX's): the result
   *  is then the gradient of conv_general_dilated with that kernel, as Keras' Conv2DTranspose. */
  transpose_kernel?: boolean;
}

/** JAX's lax.conv_transpose padding for "SAME" / "VALID": of the effective (dilated) kernel size
 *  k and stride s, the [low, high] padding of the stride-dilated input. */
function transposePads(padding: "SAME" | "VALID", k: number, s: number): [number, number] {
  const total = padding === "SAME" ? k + s - 2 : k + s - 2 + Math.max(k - s, 0);
  const low = padding === "SAME" && s <= k - 1 ? Math.ceil(total / 2) : k - 1;
  return [low, total - low];
}

/**
 * lax.conv_transpose: the upsampling convolution of decoders and U-Nets, as JAX computes it: a
 * convolution of `lhs` dilated by `strides` (zeros between its elements), with the padding JAX
 * derives from "SAME" / "VALID" (or explicit pairs) and unit window strides. dimension_numbers
 * default to channels last (["NHWC", "HWIO", "NHWC"] for rank 4; NHC / NHWDC for ranks 3 / 5).
 */
export function conv_transpose(
  lhs: ArrayLike,
  rhs: ArrayLike,
  strides: readonly number[],
  padding: Padding,
  options: ConvTransposeOptions = {},
): Tracer {
  checkOptions("lax.conv_transpose", options, ["rhs_dilation", "dimension_numbers", "transpose_kernel"]);
  const op = "conv_transpose";
  const l = asTracer(op, lhs, "float32");
  let r = asTracer(op, rhs, "float32");
  const defaults: Record<number, DimensionNumbers> = {
    3: ["NHC", "HIO", "NHC"],
    4: ["NHWC", "HWIO", "NHWC"],
    5: ["NHWDC", "HWDIO", "NHWDC"],
  };
  const dn = options.dimension_numbers ?? defaults[l.ndim];
  if (dn === undefined || r.ndim !== l.ndim)
    throw new JitScopeError(
      "shape",
      `${op}: lhs ${avalText(l.aval)} and rhs ${avalText(r.aval)} need one rank of 3 to 5 (or give dimension_numbers)`,
    );
  const lay = layout(op, dn, l.ndim);
  const ns = l.ndim - 2;
  if (!Array.isArray(strides) || strides.length !== ns || strides.some((s) => !Number.isInteger(s) || s < 1))
    throw new JitScopeError(
      "value",
      `${op}: strides needs ${ns} positive integers (one per spatial axis), got ${JSON.stringify(strides)}`,
    );
  const kernel = lay.rhs.slice(2).map((axis) => r.shape[axis]!);
  const dilation = options.rhs_dilation ?? kernel.map(() => 1);
  const pads =
    padding === "SAME" || padding === "VALID"
      ? kernel.map((k, i) => transposePads(padding, dilateDim(k, dilation[i] ?? 1), strides[i]!))
      : padding;
  if (options.transpose_kernel === true) {
    r = flip(r, lay.rhs.slice(2));
    r = swapaxes(r, lay.rhs[0]!, lay.rhs[1]!);
  }
  return conv_general_dilated(
    l,
    r,
    kernel.map(() => 1),
    pads,
    { lhs_dilation: strides, rhs_dilation: options.rhs_dilation, dimension_numbers: dn },
  );
}
