// What the layout worker is asked and answers. Positions are absolute (top-left corners), in
// the SVG's user units.

export interface LayoutNodeInput {
  id: string;
  width: number;
  height: number;
  /** Cluster (kernel) this node is drawn inside, if any. */
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

export type LayoutResponse = { seq: number; ok: true; result: LayoutResult } | { seq: number; ok: false; error: string };

/**
 * ELK layered with nested clusters is superlinear (seconds at a few hundred nodes on this
 * 2-core machine): above this, the fast layout runs.
 */
export const ELK_NODE_LIMIT = 150;

export function chooseEngine(input: LayoutInput): LayoutEngine {
  return input.nodes.length <= ELK_NODE_LIMIT ? "elk" : "layered";
}

export const CLUSTER_PADDING = 12;
export const CLUSTER_HEADER = 22;
