// lax.ragged_dot_general and lax.RaggedDotDimensionNumbers for the two layouts without batch
// dimensions: a ragged non-contracting lhs axis with a group axis on rhs (lhs [m, k] in groups
// of rows, rhs [g, k, n] in any axis order: ragged_dot, out [m, n]), and a ragged contracting
// axis (lhs [m, k], rhs [k, n], the k positions in groups: out [g, m, n], one product per
// group). Ragged batch axes and batch dimensions are refused by name.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { libraryScope } from "../trace/scopeCalls.js";
import { arange } from "../np/creation.js";
import * as ew from "../np/elementwise.js";
import { matmul } from "../np/linalg.js";
import { logical_and } from "../np/mathSurface.js";
import { asTracer, type ArrayLike } from "../np/promote.js";
import { cumsum } from "../np/reduceSurface.js";
import { expand_dims, transpose } from "../np/shape.js";
import { avalText } from "../np/validate.js";
import { checkPrecision, type PrecisionLike } from "./precision.js";
import { ragged_dot } from "./raggedDot.js";
import type { DotDimensionNumbers } from "./structural.js";

/** jax.lax.RaggedDotDimensionNumbers. */
export interface RaggedDotDimensionNumbers {
  readonly dot_dimension_numbers: DotDimensionNumbers;
  readonly lhs_ragged_dimensions: readonly number[];
  readonly rhs_group_dimensions: readonly number[];
}

/** Builds dimension numbers as JAX's dataclass does: `lax.RaggedDotDimensionNumbers({ … })`. */
export function RaggedDotDimensionNumbers(d: RaggedDotDimensionNumbers): RaggedDotDimensionNumbers {
  checkOptions("RaggedDotDimensionNumbers", d, [
    "dot_dimension_numbers",
    "lhs_ragged_dimensions",
    "rhs_group_dimensions",
  ]);
  return d;
}

export interface RaggedDotGeneralOptions {
  precision?: PrecisionLike;
  /** Only float32 (or null). */
  preferred_element_type?: "float32" | null;
  /** Only null (JAX's is for sharded groups). */
  group_offset?: null;
}

export function ragged_dot_general(
  lhs: ArrayLike,
  rhs: ArrayLike,
  group_sizes: ArrayLike,
  ragged_dot_dimension_numbers: RaggedDotDimensionNumbers,
  options: RaggedDotGeneralOptions = {},
): Tracer {
  const op = "lax.ragged_dot_general";
  checkOptions(op, options, ["precision", "preferred_element_type", "group_offset"]);
  checkPrecision(op, options.precision);
  const [a, b] = [asTracer(op, lhs), asTracer(op, rhs)];
  const d = ragged_dot_dimension_numbers;
  const [[lc, rc], [lb, rb]] = d.dot_dimension_numbers;
  const shapes = `lhs ${avalText(a.aval)}, rhs ${avalText(b.aval)}`;
  const unsupported = (what: string) =>
    new JitScopeError(
      "value",
      `${op}: ${what} is not supported (supported: lhs [m, k] with ragged m and rhs [g, k, n] with group dimension g, or lhs [m, k] with ragged k and rhs [k, n]), got ${shapes} and ${JSON.stringify(d)}`,
    );
  if (lb.length > 0 || rb.length > 0) throw unsupported("a batch dimension");
  if (d.lhs_ragged_dimensions.length !== 1) throw unsupported("a number of lhs_ragged_dimensions other than 1");
  if (a.ndim !== 2 || lc.length !== 1 || rc.length !== 1) throw unsupported("this rank or contraction");
  const norm = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);
  const [lk, rk, ragged] = [norm(lc[0]!, 2), norm(rc[0]!, b.ndim), norm(d.lhs_ragged_dimensions[0]!, 2)];
  if (ragged < 0 || ragged > 1 || lk < 0 || lk > 1) throw unsupported("an axis out of range");
  const lhsT = lk === 1 ? a : transpose(a, [1, 0]); // [m, k]
  if (ragged !== lk) {
    // Ragged rows: rhs's group axis picks each group's weights.
    if (b.ndim !== 3 || d.rhs_group_dimensions.length !== 1)
      throw unsupported("a ragged lhs row axis without one rhs group axis");
    const rg = norm(d.rhs_group_dimensions[0]!, 3);
    if (rg === rk || rg < 0 || rg > 2) throw unsupported("an rhs group dimension that is also contracted");
    const rn = 3 - rg - rk;
    return ragged_dot(lhsT, transpose(b, [rg, rk, rn]), group_sizes, {
      preferred_element_type: options.preferred_element_type ?? null,
      group_offset: options.group_offset ?? null,
    });
  }
  // Ragged contraction: group j contracts only its k positions.
  if (b.ndim !== 2 || d.rhs_group_dimensions.length !== 0)
    throw unsupported("a ragged contracting axis with an rhs group axis");
  if (options.group_offset != null)
    throw new JitScopeError("value", `${op}: group_offset is not supported (groups start at group 0)`);
  if (options.preferred_element_type != null && options.preferred_element_type !== "float32")
    throw new JitScopeError(
      "value",
      `${op}: preferred_element_type must be "float32", got ${JSON.stringify(options.preferred_element_type)}`,
    );
  const rhsT = rk === 0 ? b : transpose(b, [1, 0]); // [k, n]
  const k = lhsT.shape[1]!;
  if (rhsT.shape[0] !== k)
    throw new JitScopeError("shape", `${op}: lhs's k (${k}) is not rhs's (${rhsT.shape[0]}): ${shapes}`);
  const sizes = asTracer(op, group_sizes);
  if (sizes.ndim !== 1 || sizes.dtype !== "int32")
    throw new JitScopeError("value", `${op}: group_sizes must be a 1-D integer array, got ${avalText(sizes.aval)}`);
  return libraryScope(op, () => {
    const ends = expand_dims(cumsum(sizes), 1);
    const starts = ew.subtract(ends, expand_dims(sizes, 1));
    const cols = arange(k);
    const mask = logical_and(ew.greater_equal(cols, starts), ew.less(cols, ends)); // [g, k]
    return matmul(ew.where(expand_dims(mask, 1), lhsT, 0), rhsT); // [g, m, k] @ [k, n]
  });
}
