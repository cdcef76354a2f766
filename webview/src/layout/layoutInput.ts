// A GraphModel as the layout's input: box sizes from label lengths (monospace 11px ≈ 7px a
// character), clusters with room for their label. DOM-free.

import type { GraphModel } from "../model/graphModel.js";
import { loopText } from "../model/loopBadge.js";
import type { LayoutInput } from "./types.js";

export const NODE_HEIGHT = 26;

export function nodeWidth(label: string): number {
  return Math.max(44, label.length * 7 + 18);
}

export function layoutInputOf(model: GraphModel): LayoutInput {
  return {
    nodes: model.nodes.map((n) => ({
      id: n.id,
      width: nodeWidth(n.loop ? loopText(n.loop) : n.label),
      height: NODE_HEIGHT,
      cluster: n.cluster ?? n.scope,
    })),
    edges: model.edges.map((e) => ({ id: e.id, source: e.source, target: e.target })),
    clusters: [
      // Scope groups are labelled with their name alone in the header (the summary is the tooltip).
      ...model.scopes.map((s) => ({
        id: s.id,
        labelWidth: Math.min(s.label.length + 6, 60) * 7 + 24,
        parent: s.parent,
      })),
      ...model.clusters.map((c) => ({
        id: c.id,
        labelWidth: c.label.length * 7 + 8,
        parent: model.clusterScope[c.id] ?? null,
      })),
    ],
  };
}
