// Stepping through a compilation's passes and finding what each pass changed, DOM-free.

import type { Compilation, PassSnapshot } from "@jitscope/contract";

/** The index one step from `index` (delta ±1), clamped to the passes that exist. */
export function stepPass(index: number, delta: number, count: number): number {
  if (count <= 0) return 0;
  return Math.min(count - 1, Math.max(0, index + delta));
}

/** Where the panel opens a compilation: its `fuse` pass (kernels visible), else the last pass. */
export function defaultPassIndex(c: Compilation): number {
  const fuse = c.passes.findIndex((p) => p.name === "fuse");
  return fuse >= 0 ? fuse : Math.max(0, c.passes.length - 1);
}

/**
 * Nodes the pass at `index` created or rewrote: those it flags `changed`, plus ids absent from
 * the previous snapshot. The first pass (trace) changed nothing worth highlighting: everything
 * is new there.
 */
export function changedNodeIds(passes: readonly PassSnapshot[], index: number): Set<string> {
  const out = new Set<string>();
  const cur = passes[index];
  if (!cur || index === 0) return out;
  const prev = new Set(passes[index - 1]!.graph.nodes.map((n) => n.id));
  for (const n of cur.graph.nodes) if (n.changed || !prev.has(n.id)) out.add(n.id);
  return out;
}

/** Node ids the pass at `index` removed (present before, gone after), for the pass summary. */
export function removedNodeIds(passes: readonly PassSnapshot[], index: number): string[] {
  const cur = passes[index];
  if (!cur || index === 0) return [];
  const now = new Set(cur.graph.nodes.map((n) => n.id));
  return passes[index - 1]!.graph.nodes.filter((n) => !now.has(n.id)).map((n) => n.id);
}

/** One line summarising a pass: "cse · 0.04 ms · 1 changed, 1 removed". */
export function passSummary(passes: readonly PassSnapshot[], index: number): string {
  const p = passes[index];
  if (!p) return "";
  const changed = changedNodeIds(passes, index).size;
  const removed = removedNodeIds(passes, index).length;
  const what =
    index === 0
      ? `${p.graph.nodes.length} nodes`
      : !p.changed && changed === 0 && removed === 0
        ? "no change"
        : `${changed} changed, ${removed} removed`;
  return `${p.name} · ${p.ms.toFixed(2)} ms · ${what}`;
}
