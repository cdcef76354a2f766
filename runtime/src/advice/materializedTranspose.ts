// materialized-transpose: a kernel that only transposes or broadcasts a value so that a matmul
// can read it. A matmul reads a view of a value in memory in place where one of its last two
// axes is one element apart (codegen/stridedView.ts; a swap of the two where the vec4 path
// gains, matmulConfig.ts transposedOperandInPlace); any other moved operand is copied first. The copy is the whole cost: keeping the operand in the layout the matmul reads
// (transposed once, outside the jitted function) or letting matmul broadcast the batch axes
// removes it. Saving: that kernel's measured time per call.

import type { Hint } from "@jitscope/contract";
import { AdviceContext, FusedGraph, shapeText, worthShowing } from "./adviceContext.js";

const LAYOUT_OPS = new Set(["transpose", "broadcast", "reshape"]);

export function materializedTranspose(ctx: AdviceContext): Hint[] {
  const hints: Hint[] = [];
  for (const c of ctx.report.compilations) {
    const g = FusedGraph.of(c);
    if (!g) continue;
    const feedsMatmul = new Set(
      c.fusion.boundaries.filter((b) => b.rule === "matmul-operand").map((b) => b.fromKernel),
    );
    for (const id of c.kernels) {
      const k = ctx.kernels.get(id);
      if (!k || !feedsMatmul.has(id) || !k.ops.every((op) => LAYOUT_OPS.has(op))) continue;
      const nodes = k.opIds.map((n) => g.nodes.get(n)).filter((n) => n !== undefined);
      const moved = nodes.find((n) => n.label === "transpose" || n.label === "broadcast");
      if (!moved || nodes.some((n) => g.isDerived(n))) continue;
      const saving = ctx.callMs(k);
      // Gated on the roofline model (the copy's floor against the call's), not on measured
      // times: a small copy's few timestamp ticks, or a loaded machine, would otherwise decide it.
      if (!(saving > 0) || !worthShowing(ctx.roofMs(k), ctx.modelCallMs(c))) continue;
      const fromInput = g.inputs(nodes[0]!.id).every((e) => g.nodes.get(e.source)?.kind === "input");
      const what = moved.label === "transpose" ? "transposed" : "broadcast";
      const fix =
        moved.label === "broadcast"
          ? "pass the operand unbroadcast: matmul broadcasts leading axes itself"
          : fromInput
            ? "pass it already transposed (transpose once, outside the jitted function)"
            : "compute it in the layout the matmul reads";
      hints.push({
        kind: "materialized-transpose",
        message: `a ${shapeText(moved.shape)} operand is ${what} into memory by its own kernel before a matmul reads it: ${fix}`,
        location: moved.location,
        estimatedSavingMs: saving,
        kernels: [k.id],
        compilation: c.id,
        details: [`${k.name}: ${saving.toFixed(3)} ms per call`],
      });
    }
  }
  return hints;
}
