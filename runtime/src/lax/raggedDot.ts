// `lax.ragged_dot(lhs, rhs, group_sizes)`, as JAX's: the rows of lhs [m, k] fall in consecutive
// groups (group_sizes [g], integers), and each group is multiplied by its own rhs[g] [k, n]: a
// mixture-of-experts layer, tokens sorted by expert, through each expert's weights. Rows past
// the groups' total come out 0, as in JAX. It is one matmul: lhs spread into g column blocks
// [m, g·k], row i keeping its values only in its group's block, times rhs read as [g·k, n]. That
// is g times one product's work and memory of [m, g·k]; gathering each row's weights instead
// would hold [m, k, n]. The mask and the matmul differentiate in lhs and rhs as they are.

import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { checkOptions } from "../apiOptions.js";
import { libraryScope } from "../trace/scopeCalls.js";
import { arange } from "../np/creation.js";
import * as ew from "../np/elementwise.js";
import { matmul } from "../np/linalg.js";
import { asTracer, cast, type ArrayLike } from "../np/promote.js";
import { logical_and } from "../np/mathSurface.js";
import { cumsum } from "../np/reduceSurface.js";
import { expand_dims, reshape } from "../np/shape.js";
import { avalText } from "../np/validate.js";

export interface RaggedDotOptions {
  /** Accepted as lax.dot's; float32 products either way. */
  precision?: unknown;
  /** Only float32 (or null). */
  preferred_element_type?: "float32" | null;
  /** Only null: the first group is group 0 (JAX's is for sharded groups). */
  group_offset?: null;
}

export function ragged_dot(
  lhs: ArrayLike,
  rhs: ArrayLike,
  group_sizes: ArrayLike,
  options: RaggedDotOptions = {},
): Tracer {
  const what = "lax.ragged_dot";
  checkOptions(what, options, ["precision", "preferred_element_type", "group_offset"]);
  if (options.preferred_element_type != null && options.preferred_element_type !== "float32")
    throw new JitScopeError(
      "value",
      `${what}: preferred_element_type must be "float32", got ${JSON.stringify(options.preferred_element_type)}`,
    );
  if (options.group_offset != null)
    throw new JitScopeError("value", `${what}: group_offset is not supported (groups start at group 0)`);
  // Integer operands give an integer product, as JAX's; a float on either side makes both float32.
  const [a0, b0] = [asTracer(what, lhs), asTracer(what, rhs)];
  const dtype = a0.dtype === "int32" && b0.dtype === "int32" ? "int32" : "float32";
  const [a, b] = [cast(a0, dtype), cast(b0, dtype)];
  const sizes = asTracer(what, group_sizes);
  const shapes = `lhs ${avalText(a.aval)}, rhs ${avalText(b.aval)}, group_sizes ${avalText(sizes.aval)}`;
  if (a.ndim !== 2 || b.ndim !== 3)
    throw new JitScopeError("shape", `${what}: needs lhs [m, k] and rhs [g, k, n], got ${shapes}`);
  const [m, k] = a.shape as [number, number];
  const [g, k2, n] = b.shape as [number, number, number];
  if (k !== k2) throw new JitScopeError("shape", `${what}: lhs's k (${k}) is not rhs's (${k2}): ${shapes}`);
  if (sizes.ndim !== 1 || sizes.shape[0] !== g)
    throw new JitScopeError("shape", `${what}: group_sizes must be [g] with g = ${g} (rhs's groups), got ${shapes}`);
  if (sizes.dtype !== "int32")
    throw new JitScopeError("value", `${what}: group_sizes must be integers, got ${sizes.dtype}`);
  return libraryScope(what, () => {
    // Row i belongs to group j when starts[j] ≤ i < ends[j]: a [m, g] mask.
    const ends = cumsum(sizes);
    const starts = ew.subtract(ends, sizes);
    const rows = expand_dims(arange(m), 1);
    const mask = logical_and(ew.greater_equal(rows, starts), ew.less(rows, ends));
    const spread = ew.where(expand_dims(mask, 2), expand_dims(a, 1), 0); // [m, g, k]
    return matmul(reshape(spread, [m, g * k]), reshape(b, [g * k, n]));
  });
}
