// dense-lookup: a lookup written as one_hot(indices) @ table. The one-hot matrix is built in
// memory and multiplied in full (N × V × D multiply-adds) to pick N rows: a gather
// (np.take(table, indices, 0)) moves only the rows it picks. Saving: the one-hot and matmul
// kernels' measured time minus the roofline time of the gather (its bytes at peak bandwidth).

import { formatRate, type GraphNode, type Hint, type KernelReport } from "@jitscope/contract";
import { roofTimeMs } from "./roofline.js";
import { AdviceContext, FusedGraph, shapeText, sizeOf, worthShowing } from "./adviceContext.js";

/** Ops a one-hot matrix passes through on its way to the matmul without changing what it is. */
const PASS_THROUGH = new Set(["cast", "transpose", "reshape", "broadcast", "convert"]);

export function denseLookup(ctx: AdviceContext): Hint[] {
  const hints: Hint[] = [];
  for (const c of ctx.report.compilations) {
    const g = FusedGraph.of(c);
    if (!g) continue;
    for (const mm of g.graph.nodes) {
      if (mm.kind !== "op" || mm.label !== "matmul" || g.isDerived(mm)) continue;
      const operands = g.inputs(mm.id);
      const hot = operands.findIndex((e) => oneHotSource(g, e.source) !== null);
      if (hot !== 0 || operands.length !== 2) continue; // one_hot(i) @ table: the one-hot is on the left
      const table = operands[1]!;
      const eq = oneHotSource(g, operands[0]!.source)!;
      const rows = sizeOf(mm.shape) / (mm.shape[mm.shape.length - 1] ?? 1);
      const rowBytes = (table.shape[table.shape.length - 1] ?? 1) * 4;
      const gather = { bytesRead: rows * (rowBytes + 4), bytesWritten: rows * rowBytes, flops: 0 };
      const ids = new Set<string>();
      if (mm.kernel) ids.add(mm.kernel);
      if (eq.kernel && onlyOneHot(ctx.kernels.get(eq.kernel))) ids.add(eq.kernel);
      const kernels = [...ids].map((id) => ctx.kernels.get(id)).filter((k): k is KernelReport => !!k);
      const measuredMs = kernels.reduce((t, k) => t + ctx.callMs(k), 0);
      const gatherMs = ctx.peaks ? roofTimeMs(gather, ctx.peaks) : ctx.bytesMs(gather.bytesRead + gather.bytesWritten);
      const saving = measuredMs - gatherMs;
      if (!worthShowing(saving, ctx.callCostMs(c))) continue;
      const vocab = eq.shape[eq.shape.length - 1] ?? 0;
      hints.push({
        kind: "dense-lookup",
        message:
          `a lookup of ${rows} rows of a ${shapeText(table.shape)} table is computed as a one-hot ${shapeText(operands[0]!.shape)} matmul ` +
          `(${vocab} columns of zeros and ones per row): gather the rows with np.take(table, indices, 0)` +
          ctx.pricedNote,
        location: mm.location,
        estimatedSavingMs: saving,
        kernels: kernels.map((k) => k.id),
        compilation: c.id,
        details: [
          `one-hot and matmul kernels: ${measuredMs.toFixed(3)} ms per call`,
          `a gather of ${rows} rows: ${gatherMs.toFixed(3)} ms per call` +
            (ctx.peaks
              ? ` (${((gather.bytesRead + gather.bytesWritten) / 1e6).toFixed(2)} MB at ${formatRate(ctx.peaks.gbPerS, "GB/s")})`
              : ""),
        ],
      });
    }
  }
  return hints;
}

/** The `eq` node comparing indices with an iota that builds the one-hot matrix `id` comes from. */
function oneHotSource(g: FusedGraph, id: string): GraphNode | null {
  let node = g.nodes.get(id);
  for (let depth = 0; node && depth < 6; depth++) {
    if (node.kind !== "op") return null;
    if (node.label === "eq") return g.inputs(node.id).some((e) => reachesIota(g, e.source)) ? node : null;
    if (!PASS_THROUGH.has(node.label)) return null;
    const ins = g.inputs(node.id);
    if (ins.length !== 1) return null;
    node = g.nodes.get(ins[0]!.source);
  }
  return null;
}

function reachesIota(g: FusedGraph, id: string): boolean {
  let node = g.nodes.get(id);
  for (let depth = 0; node && depth < 4; depth++) {
    if (node.label === "iota") return true;
    if (node.kind !== "op" || !PASS_THROUGH.has(node.label)) return false;
    const ins = g.inputs(node.id);
    if (ins.length !== 1) return false;
    node = g.nodes.get(ins[0]!.source);
  }
  return false;
}

/** A kernel that only builds the one-hot matrix (a following gather would not need it at all). */
function onlyOneHot(k: KernelReport | undefined): boolean {
  return !!k && k.ops.every((op) => op === "iota" || op === "eq" || PASS_THROUGH.has(op));
}
