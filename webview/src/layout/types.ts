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
  return input.nodes.length <= ELK_NODE_LIMIT && groupDepth(input) <= 2 && !dense ? "elk" : "layered";
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
