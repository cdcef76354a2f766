// Kernels that do the same thing side by side, drawn as one node: an optimizer's update of each
// parameter (14 "mul_sqrt_add_div" kernels of an MoE step's Adam) spread a row of 14 clusters
// across the graph, 8,000 px wide, each a copy of the next. Folded, they read as one step of
// the program: "fused_mul_sqrt_add_div ×14", their inputs and outputs bundled per argument
// (terminalBundles.ts). DOM-free.
//
// Kernels fold together when they share a name, a scope and the sequence of their ops, and
// none depends on another (folding a chain would draw a cycle through what lies between).

import type { GraphEdge, GraphNode, GraphGroup } from "@jitscope/contract";

/** Fewer alike kernels than this stay apart. */
export const REPEAT_MIN = 4;
export const REPEAT_PREFIX = "repeat:";

export interface RepeatGroup {
  /** `repeat:` and the first kernel's id. */
  id: string;
  name: string;
  /** Kernel ids, in graph order. */
  kernels: string[];
}

/**
 * The groups of REPEAT_MIN or more alike, mutually independent kernels among `candidates`
 * (kernels drawn). `scopeOf` gives the scope a kernel is drawn in.
 */
export function findRepeats(
  groups: readonly GraphGroup[],
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  candidates: ReadonlySet<string>,
  scopeOf: (kernel: string) => string | null,
): RepeatGroup[] {
  const label = new Map(nodes.map((n) => [n.id, n.label]));
  const bySignature = new Map<string, GraphGroup[]>();
  for (const g of groups) {
    if (!candidates.has(g.id)) continue;
    const ops = g.nodes.map((id) => label.get(id) ?? "?").join(",");
    const key = `${g.name}|${scopeOf(g.id) ?? ""}|${ops}`;
    (bySignature.get(key) ?? bySignature.set(key, []).get(key)!).push(g);
  }
  const out: RepeatGroup[] = [];
  const successors = successorsOf(edges);
  for (const alike of bySignature.values()) {
    if (alike.length < REPEAT_MIN) continue;
    if (reachesItself(alike, successors)) continue;
    out.push({ id: REPEAT_PREFIX + alike[0]!.id, name: alike[0]!.name, kernels: alike.map((g) => g.id) });
  }
  return out;
}

function successorsOf(edges: readonly GraphEdge[]): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const e of edges) (next.get(e.source) ?? next.set(e.source, []).get(e.source)!).push(e.target);
  return next;
}

/** Whether a path leaves one of the kernels and comes back into one of them. */
function reachesItself(kernels: readonly GraphGroup[], successors: ReadonlyMap<string, string[]>): boolean {
  const kernelOf = new Map(kernels.flatMap((g) => g.nodes.map((id) => [id, g.id] as const)));
  const seen = new Set<string>();
  const stack: string[] = [];
  for (const [id, k] of kernelOf) {
    for (const t of successors.get(id) ?? []) {
      const other = kernelOf.get(t);
      if (other === undefined) stack.push(t);
      else if (other !== k) return true;
    }
  }
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const t of successors.get(id) ?? []) {
      if (kernelOf.has(t)) return true;
      stack.push(t);
    }
  }
  return false;
}

/** A fold's label, hover line and tint: its kernels' medians summed (one call's time of them
 *  all, when every one was timed) and their shares of the function's GPU time summed. */
export function describeFold(
  r: RepeatGroup,
  members: readonly { share: number; medianNs: number | null }[],
  opsEach: number,
  formatNs: (ns: number) => string,
): { label: string; summary: string; share: number } {
  const share = members.reduce((a, m) => a + m.share, 0);
  const timed = members.every((m) => m.medianNs !== null);
  const ns = members.reduce((a, m) => a + (m.medianNs ?? 0), 0);
  const time = timed ? formatNs(ns) : null;
  const n = members.length;
  return {
    label: `${r.name} ×${n}${time ? ` · ${time}` : ""}`,
    share,
    summary:
      `${n} alike kernels side by side (${r.name}, ${opsEach} op${opsEach === 1 ? "" : "s"} each)` +
      `${time ? ` · ${time} together` : " · not all timed"} · ${Math.round(share * 100)}% of GPU time · click to unfold`,
  };
}
