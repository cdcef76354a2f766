// The flat operand index that each element of a lax.gather result (or of lax.scatter's updates)
// reads or writes, from XLA's dimension numbers: the index vector's starts (and the batch
// position, for operand batching axes) give the window's corner, computed once per index vector,
// and each window axis adds its iota. Everything is int32 elementwise arithmetic, so it fuses
// into the kernel that reads the operand.

import { stridesOf } from "../ir/types.js";
import { bind1, lit, Tracer } from "../trace/core.js";
import * as ew from "../np/elementwise.js";
import { logical_and } from "../np/mathSurface.js";

/** Dimension numbers resolved against the operand and indices (lax/gatherScatter.ts). */
export interface IndexLayout {
  /** Result (update) axes holding the window: offset_dims / update_window_dims. */
  readonly windowDims: readonly number[];
  /** Operand axes of window size 1 left out: collapsed_slice_dims / inserted_window_dims. */
  readonly droppedDims: readonly number[];
  /** The operand axis that each entry of an index vector starts. */
  readonly startMap: readonly number[];
  readonly operandBatching: readonly number[];
  /** The indices' batch axis paired with each operand batching axis. */
  readonly indicesBatching: readonly number[];
  /** The operand axes the window axes run along, in order. */
  readonly windowOperandDims: readonly number[];
  /** The result axes that are the indices' batch axes, in order. */
  readonly batchPositions: readonly number[];
  /** The result's shape for a window of `windowShape` (one size per window axis). */
  outShape(windowShape: readonly number[]): number[];
}

/**
 * `flat`: int32 at the result's shape, the row-major offset into the operand of each element.
 * Starts are clamped so the window lies inside (`windowSizes`, one per operand axis). With `how`
 * "mask", `inRange` (bool, the result's shape) says which windows fitted before clamping.
 */
export function flatIndex(
  opShape: readonly number[],
  windowSizes: readonly number[],
  idx: Tracer,
  layout: IndexLayout,
  windowShape: readonly number[],
  how: "clamp" | "mask",
): { flat: Tracer; inRange: Tracer | null } {
  const outShape = layout.outShape(windowShape);
  const strides = stridesOf(opShape);
  // Each index entry is broadcast to the result's shape before any arithmetic, so the whole
  // computation is elementwise at that shape and fuses into the gather's (scatter's) kernel
  // instead of being a small kernel of its own.
  const toOut = (t: Tracer): Tracer => bind1("broadcast", { shape: outShape, dims: [...layout.batchPositions] }, [t]);
  const iota = (axis: number): Tracer => bind1("iota", { shape: outShape, axis, dtype: "int32" }, []);
  let flat: Tracer | null = null;
  let fits: Tracer | null = null;
  const plus = (t: Tracer): void => {
    flat = flat === null ? t : ew.add(flat, t);
  };
  layout.startMap.forEach((axis, k) => {
    const s = toOut(vectorEntry(idx, k));
    const hi = opShape[axis]! - windowSizes[axis]!;
    if (how === "mask") {
      const ok = logical_and(ew.greater_equal(s, 0), ew.less_equal(s, hi));
      fits = fits === null ? ok : logical_and(fits, ok);
    }
    plus(ew.multiply(ew.minimum(ew.maximum(s, 0), hi), strides[axis]!));
  });
  layout.operandBatching.forEach((axis, i) =>
    plus(ew.multiply(iota(layout.batchPositions[layout.indicesBatching[i]!]!), strides[axis]!)),
  );
  layout.windowDims.forEach((outAxis, j) => plus(ew.multiply(iota(outAxis), strides[layout.windowOperandDims[j]!]!)));
  flat ??= bind1("broadcast", { shape: outShape, dims: [] }, [lit(0, "int32")]);
  return { flat, inRange: fits };
}

/** Entry k of every index vector: idx[..., k], at the indices' batch shape. */
function vectorEntry(idx: Tracer, k: number): Tracer {
  const last = idx.ndim - 1;
  const column = bind1(
    "slice",
    {
      starts: idx.shape.map((_, a) => (a === last ? k : 0)),
      limits: idx.shape.map((n, a) => (a === last ? k + 1 : n)),
      strides: idx.shape.map(() => 1),
    },
    [idx],
  );
  return bind1("reshape", { shape: idx.shape.slice(0, -1) }, [column]);
}
