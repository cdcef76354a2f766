// A loop's body opened in the Graph view: the compilation as the view sees it while a loop node
// (lax.scan, while_loop, and loops nested in their bodies) is open, its body standing for the
// program at every pass, with the body's own fusion report; a while loop's condition the same
// way (a path step "op5:cond"). DOM-free.

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
  /** The path step: the loop's node id in the graph one level up, + COND_STEP for a condition. */
  node: string;
  /** "scan × 32 (rnn_scan.ts:53)". */
  label: string;
  /** What of the loop is open at this level. */
  part: "body" | "condition";
}

/** A path step's suffix that opens a while loop's condition instead of its body. */
export const COND_STEP = ":cond";

export interface LoopView {
  /** The compilation with the open body as every pass's graph and as its fusion report. */
  compilation: Compilation;
  /** Outermost first; the last is the body shown. */
  trail: LoopCrumb[];
  /** The open loop's node at the pass shown (in the graph one level up). */
  node: GraphNode;
  loop: LoopInfo;
  /** Whether the graph shown is the loop's condition (a while loop's), not its body. */
  cond: boolean;
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

interface Step {
  node: GraphNode;
  graph: PassGraph;
  fusion: FusionReport | undefined;
  cond: boolean;
}

/** The loops along `path` (path steps, outermost first) in `graph`, or null where a step is
 *  missing, not a loop, or a condition the loop does not have. */
function stepsAt(graph: PassGraph, path: readonly string[]): Step[] | null {
  const steps: Step[] = [];
  let g = graph;
  for (const step of path) {
    const cond = step.endsWith(COND_STEP);
    const id = cond ? step.slice(0, -COND_STEP.length) : step;
    const n = g.nodes.find((x) => x.id === id);
    if (!n?.loop || (cond && !n.loop.cond)) return null;
    g = cond ? n.loop.cond! : n.loop.body;
    steps.push({ node: n, graph: g, fusion: cond ? n.loop.condFusion : n.loop.bodyFusion, cond });
  }
  return steps;
}

/** The view with the body (or condition) at `path` open, or null when nothing is open or the
 *  path does not lead to one at this pass (the function is shown). At a pass where the loop is
 *  missing, its graph is empty. */
export function openLoop(c: Compilation, passIndex: number, path: readonly string[]): LoopView | null {
  if (path.length === 0) return null;
  const here = c.passes[passIndex] ? stepsAt(c.passes[passIndex].graph, path) : null;
  if (!here) return null;
  const last = here[here.length - 1]!;
  const passes = c.passes.map((p, i) => {
    const at = i === passIndex ? here : stepsAt(p.graph, path);
    return { ...p, graph: at ? at[at.length - 1]!.graph : EMPTY_GRAPH };
  });
  return {
    compilation: { ...c, passes, fusion: last.fusion ?? NO_FUSION },
    trail: here.map((s, i) => ({
      node: path[i]!,
      label: loopLabel(s.node),
      part: s.cond ? ("condition" as const) : ("body" as const),
    })),
    node: last.node,
    loop: last.node.loop!,
    cond: last.cond,
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
      const parts: [PassGraph, string][] = [[n.loop.body, n.id]];
      if (n.loop.cond) parts.push([n.loop.cond, n.id + COND_STEP]);
      for (const [graph, step] of parts) {
        const group = graph.groups.find((x) => x.id === kernel);
        if (group) return { path: [...path, step], nodes: [...group.nodes] };
        const deeper = search(graph, [...path, step]);
        if (deeper) return deeper;
      }
    }
    return null;
  };
  const pass = c.passes[passIndex];
  return pass ? search(pass.graph, []) : null;
}
