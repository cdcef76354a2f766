// The `lines` index of the report: file:line → the kernels that line's ops landed in, the GPU time
// attributed to it, and the ops on it that fusion kept apart (with the reason). A hover in the
// editor is then one lookup.

import { lineKey, type Compilation, type GraphNode, type KernelReport, type LineEntry } from "@jitscope/contract";

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

  for (const c of compilations) {
    const nodes = nodesById(c);
    for (const b of c.fusion.boundaries) {
      const from = nodes.get(b.from);
      if (!from?.location) continue;
      const e = entry(from.location.file, from.location.line);
      if (!e.unfused.some((u) => u.op === from.label && u.reason === b.reason))
        e.unfused.push({
          op: from.label,
          reason: b.reason,
          ...(b.bytes !== undefined ? { bytes: b.bytes } : {}),
          ...(b.costMs !== undefined ? { costMs: b.costMs } : {}),
        });
    }
  }

  for (const e of Object.values(lines)) e.share = totalGpuNs > 0 ? e.gpuNs / totalGpuNs : 0;
  return lines;
}

/** Graph nodes of the `fuse` snapshot (the ids fusion boundaries name), else of any snapshot. */
function nodesById(c: Compilation): Map<string, GraphNode> {
  const byId = new Map<string, GraphNode>();
  const fuse = c.passes.find((p) => p.name === "fuse");
  for (const p of fuse ? [fuse] : c.passes) for (const n of p.graph.nodes) byId.set(n.id, n);
  return byId;
}
