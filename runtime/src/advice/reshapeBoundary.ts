// reshape-boundary: an elementwise chain computed at one shape and then reshaped, which fuse
// writes to memory (rule "shape": "value … is reshaped to …"). Elementwise ops commute with a
// reshape: reshaping the chain's inputs instead lets the chain fuse into the kernel that reads
// the reshaped value. Saving: the boundary's bytes, written once and read back by each consumer
// kernel, at the device's peak bandwidth.

import type { FusionBoundary, Hint } from "@jitscope/contract";
import { AdviceContext, FusedGraph, shapeText, sizeOf, worthShowing } from "./adviceContext.js";
import { category } from "../passes/fuseFacts.js";
import type { Primitive } from "../ir/types.js";

export function reshapeBoundary(ctx: AdviceContext): Hint[] {
  const hints: Hint[] = [];
  for (const c of ctx.report.compilations) {
    const g = FusedGraph.of(c);
    if (!g) continue;
    const byValue = new Map<string, FusionBoundary[]>();
    for (const b of c.fusion.boundaries) {
      if (b.rule !== "shape" || g.nodes.get(b.to)?.label !== "reshape") continue;
      byValue.set(b.from, [...(byValue.get(b.from) ?? []), b]);
    }
    for (const [from, boundaries] of byValue) {
      const producer = g.nodes.get(from);
      const reshape = g.nodes.get(boundaries[0]!.to);
      const k = ctx.kernels.get(boundaries[0]!.fromKernel);
      if (!producer || !reshape || !k || g.isDerived(reshape)) continue;
      // Only a kernel of elementwise ops over inputs of the value's own size (or scalars) can
      // take the reshape on its inputs instead.
      const elementwise = k.ops.every((op) => category(op as Primitive) === "ew");
      const size = sizeOf(producer.shape);
      const external = k.opIds.flatMap((id) => g.inputs(id)).filter((e) => !k.opIds.includes(e.source));
      if (!elementwise || external.some((e) => sizeOf(e.shape) !== size && sizeOf(e.shape) > 1)) continue;
      const bytes = size * 4 * (1 + boundaries.length);
      const saving = ctx.bytesMs(bytes);
      if (!worthShowing(saving, ctx.callCostMs(c))) continue;
      hints.push({
        kind: "reshape-boundary",
        message:
          `the ${shapeText(producer.shape)} result of ${k.ops.join(", ")} is written to memory because it is reshaped to ${shapeText(reshape.shape)}: ` +
          `reshape its inputs instead, so the elementwise ops fuse into the kernel that reads it` +
          ctx.pricedNote,
        location: reshape.location,
        estimatedSavingMs: saving,
        kernels: [k.id],
        compilation: c.id,
        details: [`${(bytes / 1e6).toFixed(2)} MB written and read back per call`],
      });
    }
  }
  return hints;
}
