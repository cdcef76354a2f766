// jnp.broadcast_shapes and jnp.broadcast_arrays: NumPy's broadcasting of several shapes or
// arrays at once, by the same rule (and the same error) every elementwise op uses.

import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { asTracer, broadcastShapes, type ArrayLike } from "./promote.js";
import { broadcast_to } from "./shape.js";

/** The shape `shapes` broadcast to: `broadcast_shapes([3, 1], [4])` is [3, 4]. */
export function broadcast_shapes(...shapes: (number | readonly number[])[]): number[] {
  const dims = shapes.map((s, i) => {
    const list = typeof s === "number" ? [s] : s;
    if (!Array.isArray(list) || !list.every((d) => Number.isInteger(d) && d >= 0))
      throw new JitScopeError("value", `broadcast_shapes: shape ${i} is not a list of sizes, got ${String(s)}`);
    return list;
  });
  return broadcastShapes("broadcast_shapes", dims);
}

/** Each array broadcast to the shape of all of them together. */
export function broadcast_arrays(...arrays: ArrayLike[]): Tracer[] {
  const ts = arrays.map((a) => asTracer("broadcast_arrays", a));
  const shape = broadcastShapes(
    "broadcast_arrays",
    ts.map((t) => t.shape),
  );
  return ts.map((t) => broadcast_to(t, shape));
}
