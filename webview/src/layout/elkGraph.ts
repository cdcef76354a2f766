// Our layout input as an ELK graph (clusters as compound nodes) and ELK's answer back as
// absolute boxes and polylines. DOM-free; the worker runs ELK itself.

import type { ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api.js";
import { CLUSTER_HEADER, CLUSTER_PADDING, type Box, type LayoutInput, type LayoutResult } from "./types.js";

const ROOT_OPTIONS: Record<string, string> = {
  "elk.algorithm": "layered",
  "elk.direction": "DOWN",
  // Edges between ops of different clusters are laid out with the whole hierarchy at once.
  "elk.hierarchyHandling": "INCLUDE_CHILDREN",
  "elk.layered.spacing.nodeNodeBetweenLayers": "28",
  "elk.spacing.nodeNode": "18",
  "elk.layered.spacing.edgeNodeBetweenLayers": "12",
};

/** Suffix of the invisible header node that reserves room for a cluster's label. */
export const LABEL_NODE = "::label";

export function toElkGraph(input: LayoutInput): ElkNode {
  const clusters = new Map<string, ElkNode>();
  const edges: ElkExtendedEdge[] = input.edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] }));
  // ELK ignores a minimum size on compound nodes laid out with INCLUDE_CHILDREN, so each cluster
  // gets an invisible first-layer node as wide as its label, above the cluster's first ops.
  const clusterOf = new Map(input.nodes.map((n) => [n.id, n.cluster]));
  const hasInnerInput = new Set(
    input.edges
      .filter((e) => clusterOf.get(e.source) && clusterOf.get(e.source) === clusterOf.get(e.target))
      .map((e) => e.target),
  );
  for (const c of input.clusters) {
    const label = c.id + LABEL_NODE;
    clusters.set(c.id, {
      id: c.id,
      children: [{ id: label, width: c.labelWidth, height: CLUSTER_HEADER - 8 }],
      layoutOptions: {
        "elk.padding": `[top=${CLUSTER_PADDING - 4},left=${CLUSTER_PADDING},bottom=${CLUSTER_PADDING},right=${CLUSTER_PADDING}]`,
      },
    });
    for (const n of input.nodes) {
      if (n.cluster === c.id && !hasInnerInput.has(n.id))
        edges.push({ id: `${label}->${n.id}`, sources: [label], targets: [n.id] });
    }
  }
  const top: ElkNode[] = [];
  for (const n of input.nodes) {
    const node: ElkNode = { id: n.id, width: n.width, height: n.height };
    const parent = n.cluster ? clusters.get(n.cluster) : undefined;
    (parent ? parent.children! : top).push(node);
  }
  // Fewer crossing-minimisation sweeps on bigger graphs: about half the time, a little less tidy.
  const layoutOptions = input.nodes.length > 60 ? { ...ROOT_OPTIONS, "elk.layered.thoroughness": "1" } : ROOT_OPTIONS;
  // Nested groups (a kernel inside a scope) become compound children of their parent group.
  const topClusters: ElkNode[] = [];
  for (const c of input.clusters) {
    const node = clusters.get(c.id)!;
    const parent = c.parent ? clusters.get(c.parent) : undefined;
    (parent ? parent.children! : topClusters).push(node);
  }
  return { id: "root", layoutOptions, children: [...topClusters, ...top], edges };
}

interface ElkSectionOut {
  startPoint: { x: number; y: number };
  endPoint: { x: number; y: number };
  bendPoints?: { x: number; y: number }[];
}
interface ElkEdgeOut {
  id: string;
  container?: string;
  sections?: ElkSectionOut[];
}

/** Flattens ELK's nested, parent-relative coordinates into absolute boxes and polylines. */
export function fromElkLayout(root: ElkNode, clusterIds: ReadonlySet<string>): Omit<LayoutResult, "engine" | "ms"> {
  const nodes: Record<string, Box> = {};
  const clusters: Record<string, Box> = {};
  const origin = new Map<string, [number, number]>([["root", [0, 0]]]);
  const edges: Record<string, [number, number][]> = {};
  const collectEdges = (owner: ElkNode): void => {
    for (const e of (owner.edges ?? []) as ElkEdgeOut[]) {
      if (e.id.includes(LABEL_NODE)) continue;
      const [ox, oy] = origin.get(e.container ?? owner.id) ?? [0, 0];
      const pts: [number, number][] = [];
      for (const s of e.sections ?? []) {
        pts.push([s.startPoint.x + ox, s.startPoint.y + oy]);
        for (const b of s.bendPoints ?? []) pts.push([b.x + ox, b.y + oy]);
        pts.push([s.endPoint.x + ox, s.endPoint.y + oy]);
      }
      edges[e.id] = pts;
    }
  };
  const visit = (parent: ElkNode, px: number, py: number): void => {
    for (const c of parent.children ?? []) {
      const box = { x: (c.x ?? 0) + px, y: (c.y ?? 0) + py, width: c.width ?? 0, height: c.height ?? 0 };
      origin.set(c.id, [box.x, box.y]);
      if (clusterIds.has(c.id)) {
        clusters[c.id] = box;
        visit(c, box.x, box.y);
      } else if (!c.id.endsWith(LABEL_NODE)) {
        nodes[c.id] = box;
      }
    }
  };
  visit(root, 0, 0);
  collectEdges(root);
  for (const c of root.children ?? []) if (clusterIds.has(c.id)) collectEdges(c);
  return { nodes, clusters, edges, width: root.width ?? 0, height: root.height ?? 0 };
}
