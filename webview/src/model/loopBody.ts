// A loop's body opened in the Graph view: the compilation as the view sees it while a loop node
// (lax.scan, while_loop, and loops nested in their bodies) is open, its body standing for the
// program at every pass, with the body's own fusion report. DOM-free.

import {
  formatLineRef,
  type Compilation,
  type FusionReport,
  type GraphNode,
  type LoopInfo,
  type PassGraph,
} from "@jitscope/contract";

/** One level of the trail from the function to the open body. */
export interface LoopCrumb {
  /** The loop's node id in the graph it is drawn in (the level above). */
  node: string;
  /** "scan × 32 (rnn_scan.ts:53)". */
  label: string;
}

export interface LoopView {
  /** The compilation with the open body as every pass's graph and as its fusion report. */
  compilation: Compilation;
  /** Outermost first; the last is the body shown. */
  trail: LoopCrumb[];
  /** The open loop's node at the pass shown (in the graph one level up). */
  node: GraphNode;
  loop: LoopInfo;
}

const EMPTY_GRAPH: PassGraph = { nodes: [], edges: [], groups: [] };
const NO_FUSION: FusionReport = { decisions: [], boundaries: [] };

/** "scan × 32 (rnn_scan.ts:53)", "while_loop (model.ts:40)": a loop node as the trail names it.
 *  grad's reverse loop (traced under `transpose`) shares the forward loop's line: "backward". */
export function loopLabel(node: Pick<GraphNode, "loop" | "location" | "nameStack">): string {
  const loop = node.loop;
  const kind = !loop ? "loop" : loop.kind === "while" ? "while_loop" : `scan × ${loop.tripCount ?? "?"}`;
  const head = node.nameStack.includes("transpose") ? `${kind} backward` : kind;
  return node.location ? `${head} (${formatLineRef(node.location.file, node.location.line)})` : head;
}

/** The loop node at `path` (loop node ids, outermost first) in `graph`, or null where a step is
 *  missing or not a loop. */
function nodeAt(graph: PassGraph, path: readonly string[]): GraphNode[] | null {
  const nodes: GraphNode[] = [];
  let g = graph;
  for (const id of path) {
    const n = g.nodes.find((x) => x.id === id);
    if (!n?.loop) return null;
    nodes.push(n);
    g = n.loop.body;
  }
  return nodes;
}

/** The view with the body at `path` open, or null when nothing is open or the path does not lead
 *  to a loop at this pass (the function is shown). At a pass where the loop is missing, its
 *  graph is empty. */
export function openLoop(c: Compilation, passIndex: number, path: readonly string[]): LoopView | null {
  if (path.length === 0) return null;
  const here = c.passes[passIndex] ? nodeAt(c.passes[passIndex].graph, path) : null;
  if (!here) return null;
  const loop = here[here.length - 1]!.loop!;
  const passes = c.passes.map((p, i) => {
    const at = i === passIndex ? here : nodeAt(p.graph, path);
    return { ...p, graph: at ? at[at.length - 1]!.loop!.body : EMPTY_GRAPH };
  });
  return {
    compilation: { ...c, passes, fusion: loop.bodyFusion ?? NO_FUSION },
    trail: here.map((n) => ({ node: n.id, label: loopLabel(n) })),
    node: here[here.length - 1]!,
    loop,
  };
}

/** Where a body kernel is drawn at this pass: the path to the body whose groups hold it and its
 *  ops there, or null when no body holds it (before the fuse pass, bodies have no kernels). */
export function kernelInLoops(
  c: Compilation,
  passIndex: number,
  kernel: string,
): { path: string[]; nodes: string[] } | null {
  const search = (g: PassGraph, path: string[]): { path: string[]; nodes: string[] } | null => {
    for (const n of g.nodes) {
      if (!n.loop) continue;
      const inner = [...path, n.id];
      const group = n.loop.body.groups.find((x) => x.id === kernel);
      if (group) return { path: inner, nodes: [...group.nodes] };
      const deeper = search(n.loop.body, inner);
      if (deeper) return deeper;
    }
    return null;
  };
  const pass = c.passes[passIndex];
  return pass ? search(pass.graph, []) : null;
}
