// What the layout worker is asked and answers. Positions are absolute (top-left corners), in
// the SVG's user units.

export interface LayoutNodeInput {
  id: string;
  width: number;
  height: number;
  /** The innermost group (kernel cluster or scope) this node is drawn inside, if any. */
  cluster: string | null;
}

export interface LayoutEdgeInput {
  id: string;
  source: string;
  target: string;
}

export interface LayoutClusterInput {
  id: string;
  /** Width the cluster's label needs. */
  labelWidth: number;
  /** The group this one is drawn inside (a kernel inside a scope, a scope inside a scope). */
  parent?: string | null;
}

export interface LayoutInput {
  nodes: LayoutNodeInput[];
  edges: LayoutEdgeInput[];
  clusters: LayoutClusterInput[];
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LayoutResult {
  nodes: Record<string, Box>;
  clusters: Record<string, Box>;
  /** Polyline of each edge, source end first. */
  edges: Record<string, [number, number][]>;
  width: number;
  height: number;
  engine: DrawnLayout;
  ms: number;
}

/** A layout and the failures met on the way to it ("layered layout: TypeError: …"). */
export interface LayoutOutcome {
  result: LayoutResult;
  failures: string[];
}

/** elk: ELK layered with compound clusters (best drawing); layered: our linear-time layered layout for big graphs. */
export type LayoutEngine = "elk" | "layered";
/** What was drawn: one of the engines, or the grid of last resort after both failed. */
export type DrawnLayout = LayoutEngine | "simple";

export interface LayoutRequest {
  seq: number;
  input: LayoutInput;
  engine: LayoutEngine;
}

export type LayoutResponse =
  { seq: number; ok: true; result: LayoutResult } | { seq: number; ok: false; error: string };

/**
 * ELK layered with nested clusters is superlinear (seconds at a few hundred nodes on this
 * 2-core machine): above this, the fast layout runs.
 */
export const ELK_NODE_LIMIT = 150;

export function chooseEngine(input: LayoutInput): LayoutEngine {
  // ELK routes edges across every level of nested groups: past two levels (kernels inside a
  // scope) its drawing of a transformer step turned into a maze, so deeper nests go to ours.
  // Its orthogonal routing of a dense graph (closed loop iterations, each read by the next ones:
  // 300 edges among 45 nodes) is a maze too; straight edges read better there.
  const dense = input.edges.length > 3 * input.nodes.length;
  // A long narrow chain (closed loop iterations, closed blocks one after another) is wrapped
  // into columns by ours; ELK draws it as one column too tall to read once fitted.
  return input.nodes.length <= ELK_NODE_LIMIT && groupDepth(input) <= 2 && !dense && !tallChain(input)
    ? "elk"
    : "layered";
}

/** Longest path of at least 20 nodes with under 2.5 nodes per layer on average (a 13-op
 *  attention chain in its kernels still reads well in ELK). */
export function tallChain(input: LayoutInput): boolean {
  const indeg = new Map(input.nodes.map((n) => [n.id, 0]));
  const out = new Map<string, string[]>();
  for (const e of input.edges) {
    if (e.source === e.target || !indeg.has(e.source) || !indeg.has(e.target)) continue;
    (out.get(e.source) ?? out.set(e.source, []).get(e.source)!).push(e.target);
    indeg.set(e.target, indeg.get(e.target)! + 1);
  }
  const depth = new Map<string, number>();
  const queue = [...indeg].filter(([, d]) => d === 0).map(([id]) => id);
  let longest = 0;
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    const d = depth.get(id) ?? 1;
    longest = Math.max(longest, d);
    for (const t of out.get(id) ?? []) {
      depth.set(t, Math.max(depth.get(t) ?? 1, d + 1));
      const left = indeg.get(t)! - 1;
      indeg.set(t, left);
      if (left === 0) queue.push(t);
    }
  }
  return longest >= 20 && input.nodes.length / longest < 2.5;
}

/** Levels of groups: 0 for none, 1 for kernel clusters alone, 2 for kernels inside scopes, … */
export function groupDepth(input: LayoutInput): number {
  const parent = new Map(input.clusters.map((c) => [c.id, c.parent ?? null]));
  let deepest = 0;
  for (const c of input.clusters) {
    let d = 1;
    for (let p = parent.get(c.id) ?? null; p !== null && d <= input.clusters.length; p = parent.get(p) ?? null) d++;
    deepest = Math.max(deepest, d);
  }
  return deepest;
}

export const CLUSTER_PADDING = 12;
export const CLUSTER_HEADER = 22;
