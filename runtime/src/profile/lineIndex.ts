// The `lines` index of the report: file:line → the kernels that line's ops landed in, the GPU time
// attributed to it, and the ops on it that fusion kept apart (with the reason). A hover in the
// editor is then one lookup.

import {
  lineKey,
  plural,
  type Compilation,
  type GraphNode,
  type KernelReport,
  type LineEntry,
  type LoopInfo,
  type PassGraph,
} from "@jitscope/contract";

/** Each kernel's total GPU time is split evenly among the distinct lines it came from. */
export function buildLineIndex(
  kernels: readonly KernelReport[],
  compilations: readonly Compilation[],
  totalGpuNs: number,
): Record<string, LineEntry> {
  const lines: Record<string, LineEntry> = {};
  const entry = (file: string, line: number): LineEntry => {
    const key = lineKey(file, line);
    return (lines[key] ??= { file, line, kernels: [], gpuNs: 0, share: 0, unfused: [] });
  };

  for (const k of kernels) {
    const distinct = new Map<string, { file: string; line: number }>();
    for (const loc of k.locations) distinct.set(lineKey(loc.file, loc.line), { file: loc.file, line: loc.line });
    if (distinct.size === 0) continue;
    const share = k.totalNs / distinct.size;
    for (const { file, line } of distinct.values()) {
      const e = entry(file, line);
      if (!e.kernels.includes(k.id)) e.kernels.push(k.id);
      e.gpuNs += share;
    }
  }

  const unfused = (from: GraphNode | undefined, u: LineEntry["unfused"][number]): void => {
    if (!from?.location) return;
    const e = entry(from.location.file, from.location.line);
    if (!e.unfused.some((x) => x.op === u.op && x.reason === u.reason)) e.unfused.push(u);
  };
  for (const c of compilations) {
    const nodes = nodesById(c);
    for (const b of c.fusion.boundaries) {
      const from = nodes.get(b.from);
      unfused(from, {
        op: from?.label ?? "",
        reason: b.reason,
        ...(b.bytes !== undefined ? { bytes: b.bytes } : {}),
        ...(b.costMs !== undefined ? { costMs: b.costMs } : {}),
      });
    }
    for (const { loop, runs } of loopBodies(fuseGraph(c)))
      for (const b of loop.bodyFusion?.boundaries ?? []) {
        const from = loop.body.nodes.find((n) => n.id === b.from);
        // A body's boundary is paid every iteration: its bytes per call are known for scans.
        const where = runs === null ? "every iteration of a while_loop body" : `${plural(runs, "iteration")} a call`;
        unfused(from, {
          op: from?.label ?? "",
          reason: `${b.reason} (in a loop body: ${where})`,
          ...(b.bytes !== undefined && runs !== null ? { bytes: b.bytes * runs } : {}),
        });
      }
  }

  for (const e of Object.values(lines)) e.share = totalGpuNs > 0 ? e.gpuNs / totalGpuNs : 0;
  return lines;
}

/** The `fuse` snapshot's graph (where bodies are first compiled), else the last one. */
function fuseGraph(c: Compilation): PassGraph | undefined {
  return (c.passes.find((p) => p.name === "fuse") ?? c.passes[c.passes.length - 1])?.graph;
}

/** Every loop node's info in `graph` and in the bodies inside it, with how often its body runs
 *  per call (null: inside a while loop). */
function loopBodies(graph: PassGraph | undefined, outer: number | null = 1): { loop: LoopInfo; runs: number | null }[] {
  const out: { loop: LoopInfo; runs: number | null }[] = [];
  for (const n of graph?.nodes ?? []) {
    if (!n.loop) continue;
    const runs = outer === null || n.loop.tripCount === null ? null : outer * n.loop.tripCount;
    out.push({ loop: n.loop, runs }, ...loopBodies(n.loop.body, runs));
  }
  return out;
}

/** Graph nodes of the `fuse` snapshot (the ids fusion boundaries name), else of any snapshot. */
function nodesById(c: Compilation): Map<string, GraphNode> {
  const byId = new Map<string, GraphNode>();
  const fuse = c.passes.find((p) => p.name === "fuse");
  for (const p of fuse ? [fuse] : c.passes) for (const n of p.graph.nodes) byId.set(n.id, n);
  return byId;
}
