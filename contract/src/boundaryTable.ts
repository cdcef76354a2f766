// The "not fused" table as the CLI and the HTML page print it: one row per fusion boundary,
// costliest (most bytes) first, kernels by name and a loop by its kind, trip count and line (it
// has no kernel of its own). Boundaries that read alike (same function, names, reason and cost:
// kernels of one name repeated, as a transformer's layers) share a row with their count. A loop
// body's boundaries are rows too, named by the loop, with their bytes in all of a call's iterations.

import type { FusionBoundary, GraphNode, LoopInfo, Report, SourceLocation } from "./report.js";
import { formatLineRef } from "./format.js";
import { boundaryCostText } from "./roofFormat.js";

export interface BoundaryRow {
  readonly functionName: string;
  /** "matmul_tanh → matmul", with " ×3" where 3 boundaries read alike. */
  readonly pair: string;
  readonly reason: string;
  /** boundaryCostText of one of them, "–" where not measured. */
  readonly cost: string;
  /** How many boundaries the row stands for. */
  readonly count: number;
  /** The bytes of one, for the ordering. */
  readonly bytes: number;
}

export function boundaryRows(r: Report): BoundaryRow[] {
  const name = new Map(r.kernels.map((k) => [k.id, k.name]));
  for (const c of r.compilations)
    for (const { node: n } of bodies(c.passes.find((p) => p.name === "fuse")?.graph.nodes ?? [], 1, ""))
      if (n.kernel !== undefined && !name.has(n.kernel))
        name.set(n.kernel, loopName(n.loop!, n.location, n.nameStack?.includes("transpose") ?? false));
  const rows = new Map<string, Omit<BoundaryRow, "pair"> & { names: string }>();
  const add = (functionName: string, b: FusionBoundary, cost: string, bytes: number): void => {
    const names = `${name.get(b.fromKernel) ?? b.fromKernel} → ${name.get(b.toKernel) ?? b.toKernel}`;
    const key = JSON.stringify([functionName, names, b.reason, cost]);
    const row = rows.get(key);
    if (row) rows.set(key, { ...row, count: row.count + 1 });
    else rows.set(key, { functionName, names, reason: b.reason, cost, count: 1, bytes });
  };
  for (const c of r.compilations) {
    for (const b of c.fusion.boundaries) add(c.functionName, b, boundaryCostText(b) || "–", b.bytes ?? 0);
    // A loop body's boundaries, paid every iteration: their bytes in a call where the count is known.
    const fuse = c.passes.find((p) => p.name === "fuse")?.graph;
    for (const { node, runs, path } of bodies(fuse?.nodes ?? [], 1, c.functionName)) {
      for (const b of node.loop!.bodyFusion?.boundaries ?? []) {
        if (b.bytes === undefined) add(path, b, "–", 0);
        else if (runs === null) add(path, b, `${boundaryCostText(b)} each iteration`, b.bytes);
        else add(path, b, `${boundaryCostText({ bytes: b.bytes * runs })} in ${runs} iterations`, b.bytes * runs);
      }
    }
  }
  return [...rows.values()]
    .sort((x, y) => y.bytes - x.bytes)
    .map(({ names, ...row }) => ({ ...row, pair: row.count > 1 ? `${names} ×${row.count}` : names }));
}

/** Every loop node among `nodes` and inside their bodies, with how often its body runs a call
 *  (null: in a while loop) and the row's name: "step › scan ×32 (model.ts:18)". */
function bodies(
  nodes: readonly GraphNode[],
  outer: number | null,
  at: string,
): { node: GraphNode; runs: number | null; path: string }[] {
  const out: { node: GraphNode; runs: number | null; path: string }[] = [];
  for (const n of nodes) {
    if (!n.loop) continue;
    const runs = outer === null || n.loop.tripCount === null ? null : outer * n.loop.tripCount;
    const path = `${at} › ${loopName(n.loop, n.location, n.nameStack?.includes("transpose") ?? false)}`;
    out.push({ node: n, runs, path }, ...bodies(n.loop.body.nodes, runs, path));
  }
  return out;
}

/** "scan ×96 (model.ts:18)", "while_loop (model.ts:40)": a loop node as the tables name it.
 *  grad's reverse loop (traced under `transpose`) shares the forward loop's line: "backward". */
function loopName(loop: LoopInfo, at: SourceLocation | null | undefined, backward: boolean): string {
  const head = `${loop.kind === "while" ? "while_loop" : `${loop.kind} ×${loop.tripCount ?? "?"}`}${backward ? " backward" : ""}`;
  return at ? `${head} (${formatLineRef(at.file, at.line)})` : head;
}
