// The layout of last resort: nodes in program order on a grid of rows, clusters as the bounding
// boxes of their members. It cannot fail on any input the other layouts accept, so a layout
// error never leaves the panel blank; the panel says which layout failed and why.

import { CLUSTER_HEADER, CLUSTER_PADDING, type Box, type LayoutInput, type LayoutResult } from "./types.js";

const GAP = 16;

export function simpleLayout(input: LayoutInput): Omit<LayoutResult, "engine" | "ms"> {
  const perRow = Math.max(1, Math.ceil(Math.sqrt(input.nodes.length * 2)));
  const nodes: Record<string, Box> = {};
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  let width = 0;
  input.nodes.forEach((n, i) => {
    if (i > 0 && i % perRow === 0) {
      x = 0;
      y += rowHeight + GAP + CLUSTER_HEADER;
      rowHeight = 0;
    }
    nodes[n.id] = { x: x + CLUSTER_PADDING, y: y + CLUSTER_HEADER + CLUSTER_PADDING, width: n.width, height: n.height };
    x += n.width + GAP + 2 * CLUSTER_PADDING;
    rowHeight = Math.max(rowHeight, n.height + 2 * CLUSTER_PADDING);
    width = Math.max(width, x);
  });
  const clusters: Record<string, Box> = {};
  for (const c of input.clusters) {
    const members = input.nodes.filter((n) => n.cluster === c.id).map((n) => nodes[n.id]!);
    if (!members.length) continue;
    const x0 = Math.min(...members.map((b) => b.x)) - CLUSTER_PADDING;
    const y0 = Math.min(...members.map((b) => b.y)) - CLUSTER_PADDING - CLUSTER_HEADER;
    const x1 = Math.max(...members.map((b) => b.x + b.width)) + CLUSTER_PADDING;
    const y1 = Math.max(...members.map((b) => b.y + b.height)) + CLUSTER_PADDING;
    clusters[c.id] = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  }
  const edges: Record<string, [number, number][]> = {};
  for (const e of input.edges) {
    const s = nodes[e.source];
    const t = nodes[e.target];
    if (s && t)
      edges[e.id] = [
        [s.x + s.width / 2, s.y + s.height],
        [t.x + t.width / 2, t.y],
      ];
  }
  return { nodes, clusters, edges, width, height: y + rowHeight + CLUSTER_HEADER };
}
