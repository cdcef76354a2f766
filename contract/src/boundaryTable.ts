// The "not fused" table as the CLI and the HTML page print it: one row per fusion boundary,
// costliest (most bytes) first, kernels by name and a loop by its kind, trip count and line (it
// has no kernel of its own). Boundaries that read alike (same function, names, reason and cost:
// kernels of one name repeated, as a transformer's layers) share a row with their count.

import type { LoopInfo, Report, SourceLocation } from "./report.js";
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
    for (const n of c.passes.find((p) => p.name === "fuse")?.graph.nodes ?? [])
      if (n.loop && n.kernel !== undefined && !name.has(n.kernel))
        name.set(n.kernel, loopName(n.loop, n.location, n.nameStack?.includes("transpose") ?? false));
  const rows = new Map<string, Omit<BoundaryRow, "pair"> & { names: string }>();
  for (const c of r.compilations)
    for (const b of c.fusion.boundaries) {
      const names = `${name.get(b.fromKernel) ?? b.fromKernel} → ${name.get(b.toKernel) ?? b.toKernel}`;
      const cost = boundaryCostText(b) || "–";
      const key = JSON.stringify([c.functionName, names, b.reason, cost]);
      const row = rows.get(key);
      if (row) rows.set(key, { ...row, count: row.count + 1 });
      else
        rows.set(key, { functionName: c.functionName, names, reason: b.reason, cost, count: 1, bytes: b.bytes ?? 0 });
    }
  return [...rows.values()]
    .sort((x, y) => y.bytes - x.bytes)
    .map(({ names, ...row }) => ({ ...row, pair: row.count > 1 ? `${names} ×${row.count}` : names }));
}

/** "scan ×96 (model.ts:18)", "while_loop (model.ts:40)": a loop node as the tables name it.
 *  grad's reverse loop (traced under `transpose`) shares the forward loop's line: "backward". */
function loopName(loop: LoopInfo, at: SourceLocation | null | undefined, backward: boolean): string {
  const head = `${loop.kind === "while" ? "while_loop" : `${loop.kind} ×${loop.tripCount ?? "?"}`}${backward ? " backward" : ""}`;
  return at ? `${head} (${formatLineRef(at.file, at.line)})` : head;
}
