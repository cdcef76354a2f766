// A sampler's parameters broadcast to the shape it draws (JAX's shape=None: their broadcast
// shape). Shared by the samplers' files; not part of the random namespace.

import { JitScopeError } from "./ir/errors.js";
import type { Tracer } from "./trace/core.js";
import * as np from "./np.js";
import type { ArrayLike } from "./np.js";
import { asTracer, broadcastShapes } from "./np/promote.js";
import { checkShape } from "./random.js";

/** A sampler's parameters as float32 arrays broadcast to `dims` (default their broadcast shape,
 *  as JAX's shape=None); one that does not broadcast to `dims` is an error naming the sampler. */
export function shapeParams(
  op: string,
  values: readonly ArrayLike[],
  shape: number | readonly number[] | null | undefined,
): [Tracer[], number[]] {
  const ts = values.map((a) => np.astype(asTracer(`random.${op}`, a), "float32"));
  const dims =
    shape === undefined || shape === null
      ? broadcastShapes(
          `random.${op}`,
          ts.map((t) => t.shape),
        )
      : checkShape(op, shape);
  for (const t of ts) {
    const fits = t.ndim <= dims.length && t.shape.every((d, i) => d === 1 || d === dims[dims.length - t.ndim + i]);
    if (!fits)
      throw new JitScopeError(
        "shape",
        `random.${op}: its parameter of shape [${t.shape}] does not broadcast to the shape [${dims}] asked for`,
      );
  }
  return [ts.map((t) => np.broadcast_to(t, dims)), dims];
}
