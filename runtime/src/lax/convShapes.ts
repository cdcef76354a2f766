// JAX's shape arithmetic for convolutions and windows, as plain numbers: conv_dimension_numbers,
// conv_general_permutations, conv_shape_tuple, conv_general_shape_tuple,
// conv_transpose_shape_tuple, padtype_to_pads and reduce_window_shape_tuple. JAX returns tuples;
// these return arrays in the same order. Nothing here touches an array's values.

import { JitScopeError } from "../ir/errors.js";

/** "SAME", "VALID", or one [low, high] pair per spatial axis. */
export type Padding = "SAME" | "VALID" | readonly (readonly [number, number])[];
/** [lhs, rhs, out] specs, e.g. ["NHWC", "HWIO", "NHWC"]; default ["NCHW", "OIHW", "NCHW"]. */
export type DimensionNumbers = readonly [string, string, string];

/** Axis indices of a convolution's operands, as JAX's ConvDimensionNumbers: each spec is
 *  [batch, feature, spatial…] (rhs: [out feature, in feature, spatial…]). */
export interface ConvDimensionNumbers {
  readonly lhs_spec: readonly number[];
  readonly rhs_spec: readonly number[];
  readonly out_spec: readonly number[];
}

/** lax.ConvDimensionNumbers(lhs_spec, rhs_spec, out_spec): a frozen record of the three specs. */
export function ConvDimensionNumbers(
  lhs_spec: readonly number[],
  rhs_spec: readonly number[],
  out_spec: readonly number[],
): ConvDimensionNumbers {
  return Object.freeze({ lhs_spec: [...lhs_spec], rhs_spec: [...rhs_spec], out_spec: [...out_spec] });
}

const isConvDn = (d: unknown): d is ConvDimensionNumbers =>
  typeof d === "object" && d !== null && !Array.isArray(d) && "lhs_spec" in d;

/** lax.conv_general_permutations([lhs, rhs, out] specs): each spec's axis of N / O, C / I, then
 *  its spatial axes in the order the rhs spec names them. */
export function conv_general_permutations(dimension_numbers: DimensionNumbers): [number[], number[], number[]] {
  const op = "lax.conv_general_permutations";
  if (!Array.isArray(dimension_numbers) || dimension_numbers.length !== 3)
    throw new JitScopeError(
      "value",
      `${op}: dimension_numbers must be 3 specs [lhs, rhs, out], got ${JSON.stringify(dimension_numbers)}`,
    );
  const pairs = [
    ["N", "C"],
    ["O", "I"],
    ["N", "C"],
  ] as const;
  const specs = dimension_numbers.map((s, i) => {
    const [a, b] = pairs[i]!;
    if (
      typeof s !== "string" ||
      [...s].filter((c) => c === a).length !== 1 ||
      [...s].filter((c) => c === b).length !== 1
    )
      throw new JitScopeError(
        "value",
        `${op}: dimension_numbers[${i}] must contain "${a}" and "${b}" exactly once, got ${JSON.stringify(s)}`,
      );
    if (new Set(s).size !== s.length)
      throw new JitScopeError("value", `${op}: dimension_numbers[${i}] has a repeated letter: "${s}"`);
    return s;
  });
  const spatial = specs.map((s, i) =>
    [...s]
      .filter((c) => !pairs[i]!.includes(c as never))
      .sort()
      .join(""),
  );
  if (spatial[0] !== spatial[1] || spatial[1] !== spatial[2])
    throw new JitScopeError(
      "value",
      `${op}: the three specs must name the same spatial letters, got ${JSON.stringify(dimension_numbers)}`,
    );
  const rhs = specs[1]!;
  const rhsSpatial = [...rhs].filter((c) => c !== "O" && c !== "I");
  return specs.map((s, i) => {
    const [a, b] = pairs[i]!;
    return [s.indexOf(a), s.indexOf(b), ...rhsSpatial.map((c) => s.indexOf(c))];
  }) as [number[], number[], number[]];
}

/** lax.conv_dimension_numbers(lhs_shape, rhs_shape, dimension_numbers): the specs as axis
 *  indices (null: the identity, i.e. NCHW / OIHW / NCHW). */
export function conv_dimension_numbers(
  lhs_shape: readonly number[],
  rhs_shape: readonly number[],
  dimension_numbers: DimensionNumbers | ConvDimensionNumbers | null | undefined,
): ConvDimensionNumbers {
  const op = "lax.conv_dimension_numbers";
  if (isConvDn(dimension_numbers)) return dimension_numbers;
  if (lhs_shape.length !== rhs_shape.length)
    throw new JitScopeError(
      "shape",
      `${op}: lhs and rhs need one rank, got lhs [${lhs_shape.join(", ")}] and rhs [${rhs_shape.join(", ")}]`,
    );
  if (dimension_numbers == null) {
    const iota = lhs_shape.map((_, i) => i);
    return ConvDimensionNumbers(iota, iota, iota);
  }
  dimension_numbers.forEach((s, i) => {
    if (typeof s === "string" && s.length !== lhs_shape.length)
      throw new JitScopeError(
        "value",
        `${op}: dimension_numbers[${i}] "${s}" needs ${lhs_shape.length} letters (the operands' rank)`,
      );
  });
  const [l, r, o] = conv_general_permutations(dimension_numbers);
  return ConvDimensionNumbers(l, r, o);
}

/** The [lhs, rhs, out] letter specs of a ConvDimensionNumbers (spatial axes named H, W, D, …). */
export function convSpecStrings(dn: ConvDimensionNumbers): DimensionNumbers {
  const spell = (spec: readonly number[], a: string, b: string): string => {
    const letters: string[] = [];
    spec.forEach((axis, k) => (letters[axis] = k === 0 ? a : k === 1 ? b : "HWDXYZUV"[k - 2]!));
    return letters.join("");
  };
  return [spell(dn.lhs_spec, "N", "C"), spell(dn.rhs_spec, "O", "I"), spell(dn.out_spec, "N", "C")];
}

function ints(op: string, what: string, v: readonly number[], min: number): number[] {
  if (!Array.isArray(v) || v.some((x) => !Number.isInteger(x) || x < min))
    throw new JitScopeError(
      "value",
      `${op}: ${what} must be integers${min > 0 ? ` of at least ${min}` : " ≥ 0"}, got ${JSON.stringify(v)}`,
    );
  return [...v];
}

const strideDim = (d: number, window: number, stride: number): number =>
  Math.max(Math.floor((d - window) / stride) + 1, 0);
const dilateDim = (d: number, dilation: number): number => (d === 0 ? 0 : 1 + dilation * (d - 1));

/** lax.padtype_to_pads(in_shape, window_shape, window_strides, padding): [low, high] per axis for
 *  "SAME" (odd padding's extra at the end), "SAME_LOWER" (at the start) and "VALID". */
export function padtype_to_pads(
  in_shape: readonly number[],
  window_shape: readonly number[],
  window_strides: readonly number[],
  padding: "SAME" | "SAME_LOWER" | "VALID",
): [number, number][] {
  const op = "lax.padtype_to_pads";
  const kind = typeof padding === "string" ? padding.toUpperCase() : padding;
  if (kind !== "SAME" && kind !== "SAME_LOWER" && kind !== "VALID")
    throw new JitScopeError(
      "value",
      `${op}: padding must be "VALID", "SAME" or "SAME_LOWER", got ${JSON.stringify(padding)}`,
    );
  const inS = ints(op, "in_shape", in_shape, 0);
  const win = ints(op, "window_shape", window_shape, 1);
  const str = ints(op, "window_strides", window_strides, 1);
  if (win.length !== inS.length || str.length !== inS.length)
    throw new JitScopeError(
      "shape",
      `${op}: in_shape [${inS.join(", ")}], window_shape [${win.join(", ")}] and window_strides [${str.join(", ")}] need one length`,
    );
  if (kind === "VALID") return inS.map(() => [0, 0]);
  return inS.map((n, i) => {
    const total = Math.max((Math.ceil(n / str[i]!) - 1) * str[i]! + win[i]! - n, 0);
    const half = Math.floor(total / 2);
    return kind === "SAME" ? [half, total - half] : [total - half, half];
  });
}

/** lax.conv_shape_tuple(lhs_shape, rhs_shape, strides, pads, batch_group_count): the output
 *  shape of a convolution whose operands are in canonical order (N, C, spatial… / O, I, spatial…). */
export function conv_shape_tuple(
  lhs_shape: readonly number[],
  rhs_shape: readonly number[],
  strides: readonly number[],
  pads: Padding,
  batch_group_count = 1,
): number[] {
  const op = "lax.conv_shape_tuple";
  const lhs = ints(op, "lhs_shape", lhs_shape, 0);
  const rhs = ints(op, "rhs_shape", rhs_shape, 0);
  const ns = lhs.length - 2;
  const st = ints(op, "strides", strides, 1);
  if (ns < 1 || rhs.length !== lhs.length || st.length !== ns)
    throw new JitScopeError(
      "shape",
      `${op}: needs lhs and rhs shapes of one rank ≥ 3 and one stride per spatial axis, got lhs [${lhs.join(", ")}], rhs [${rhs.join(", ")}], strides [${st.join(", ")}]`,
    );
  const pairs = typeof pads === "string" ? padtype_to_pads(lhs.slice(2), rhs.slice(2), st, pads) : pads;
  if (!Array.isArray(pairs) || pairs.length !== ns)
    throw new JitScopeError(
      "value",
      `${op}: expected ${ns} explicit [low, high] pads (one per spatial axis), got ${JSON.stringify(pads)}`,
    );
  const padded = lhs.slice(2).map((d, i) => d + pairs[i]![0] + pairs[i]![1]);
  if (padded.some((d) => d < 0))
    throw new JitScopeError(
      "value",
      `${op}: negative padding ${JSON.stringify(pads)} is larger than the spatial dimensions [${lhs.slice(2).join(", ")}]`,
    );
  if (!Number.isInteger(batch_group_count) || batch_group_count < 1 || lhs[0]! % batch_group_count !== 0)
    throw new JitScopeError(
      "value",
      `${op}: batch_group_count must be a positive divisor of the batch size ${lhs[0]}, got ${batch_group_count}`,
    );
  return [lhs[0]! / batch_group_count, rhs[0]!, ...padded.map((d, i) => strideDim(d, rhs[i + 2]!, st[i]!))];
}

const take = (shape: readonly number[], perm: readonly number[]): number[] => perm.map((p) => shape[p]!);
const argsort = (perm: readonly number[]): number[] => perm.map((_, k) => perm.indexOf(k));

/** lax.conv_general_shape_tuple(lhs_shape, rhs_shape, window_strides, padding, dimension_numbers):
 *  conv_general_dilated's output shape (no dilation) in the out spec's layout. */
export function conv_general_shape_tuple(
  lhs_shape: readonly number[],
  rhs_shape: readonly number[],
  window_strides: readonly number[],
  padding: Padding,
  dimension_numbers: DimensionNumbers,
): number[] {
  const [lp, rp, outPerm] = conv_general_permutations(dimension_numbers);
  const out = conv_shape_tuple(take(lhs_shape, lp), take(rhs_shape, rp), window_strides, padding);
  return take(out, argsort(outPerm));
}

/** JAX's conv_transpose padding of one axis: kernel k, stride s. */
function transposePad(k: number, s: number, padding: "SAME" | "VALID"): number {
  return padding === "SAME" ? k + s - 2 : k + s - 2 + Math.max(k - s, 0);
}

/** lax.conv_transpose_shape_tuple(lhs_shape, rhs_shape, window_strides, padding,
 *  dimension_numbers): conv_transpose's output shape in the out spec's layout. */
export function conv_transpose_shape_tuple(
  lhs_shape: readonly number[],
  rhs_shape: readonly number[],
  window_strides: readonly number[],
  padding: Padding,
  dimension_numbers: DimensionNumbers,
): number[] {
  const op = "lax.conv_transpose_shape_tuple";
  const [lp, rp, outPerm] = conv_general_permutations(dimension_numbers);
  const lhs = take(ints(op, "lhs_shape", lhs_shape, 0), lp);
  const rhs = take(ints(op, "rhs_shape", rhs_shape, 0), rp);
  const st = ints(op, "window_strides", window_strides, 1);
  const ns = lhs.length - 2;
  if (st.length !== ns || (Array.isArray(padding) && padding.length !== ns))
    throw new JitScopeError(
      "value",
      `${op}: needs ${ns} window_strides and pads (one per spatial axis), got ${JSON.stringify(window_strides)} and ${JSON.stringify(padding)}`,
    );
  if (typeof padding === "string" && padding !== "SAME" && padding !== "VALID")
    throw new JitScopeError("value", `${op}: padding must be "SAME", "VALID" or [low, high] pairs, got "${padding}"`);
  const total = rhs
    .slice(2)
    .map((k, i) => (typeof padding === "string" ? transposePad(k, st[i]!, padding) : padding[i]![0] + padding[i]![1]));
  const space = lhs.slice(2).map((n, i) => (n - 1) * st[i]! - rhs[i + 2]! + 2 + total[i]!);
  return take([lhs[0]!, rhs[0]!, ...space], argsort(outPerm));
}

/** lax.reduce_window_shape_tuple(operand_shape, window_dimensions, window_strides, padding,
 *  base_dilation, window_dilation): reduce_window's output shape for explicit [low, high] pads. */
export function reduce_window_shape_tuple(
  operand_shape: readonly number[],
  window_dimensions: readonly number[],
  window_strides: readonly number[],
  padding: readonly (readonly [number, number])[],
  base_dilation?: readonly number[] | null,
  window_dilation?: readonly number[] | null,
): number[] {
  const op = "lax.reduce_window_shape_tuple";
  let shape = ints(op, "operand_shape", operand_shape, 0);
  let win = ints(op, "window_dimensions", window_dimensions, 1);
  const st = ints(op, "window_strides", window_strides, 1);
  const r = shape.length;
  if (win.length !== r || st.length !== r || !Array.isArray(padding) || padding.length !== r)
    throw new JitScopeError(
      "shape",
      `${op}: window_dimensions, window_strides and padding need one entry per operand axis (${r}), got ${JSON.stringify([window_dimensions, window_strides, padding])}`,
    );
  if (base_dilation != null) {
    const d = ints(op, "base_dilation", base_dilation, 1);
    shape = shape.map((n, i) => dilateDim(n, d[i - r + d.length] ?? 1));
  }
  if (window_dilation != null) {
    const d = ints(op, "window_dilation", window_dilation, 1);
    win = win.map((n, i) => dilateDim(n, d[i - r + d.length] ?? 1));
  }
  return shape.map((n, i) => strideDim(n + padding[i]![0] + padding[i]![1], win[i]!, st[i]!));
}
