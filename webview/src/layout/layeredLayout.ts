// A linear-time layered layout for graphs too big for ELK (thousands of ops). Two levels: each
// kernel cluster is laid out on its own (its ops layered by longest path), then clusters and
// loose nodes are layered as units, ordered by a few barycenter sweeps and centred under their
// predecessors. Edges are drawn as straight segments between box sides. Crossings are not
// minimised as ELK does; the point is to stay usable at 5,000 nodes.

import { CLUSTER_HEADER, CLUSTER_PADDING, type Box, type LayoutInput, type LayoutResult } from "./types.js";

const GAP_X = 18;
const GAP_Y = 32;

interface Unit {
  id: string;
  width: number;
  height: number;
  /** Member node offsets inside the unit (a loose node is a unit of one at 0,0). */
  members: { id: string; x: number; y: number; width: number; height: number }[];
  isCluster: boolean;
  layer: number;
  order: number;
  x: number;
}

/** Longest-path layers of `ids` given directed `edges` among them; cycles are broken by input order. */
export function longestPathLayers(ids: readonly string[], edges: readonly [string, string][]): Map<string, number> {
  const indeg = new Map(ids.map((id) => [id, 0]));
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const [s, t] of edges) {
    if (s === t || !indeg.has(s) || !indeg.has(t)) continue;
    out.get(s)!.push(t);
    indeg.set(t, indeg.get(t)! + 1);
  }
  const layer = new Map<string, number>();
  const queue = ids.filter((id) => indeg.get(id) === 0);
  let next = 0;
  const done = new Set<string>();
  const drain = (): void => {
    while (next < queue.length) {
      const id = queue[next++]!;
      done.add(id);
      const l = layer.get(id) ?? 0;
      layer.set(id, l);
      for (const t of out.get(id)!) {
        layer.set(t, Math.max(layer.get(t) ?? 0, l + 1));
        const d = indeg.get(t)! - 1;
        indeg.set(t, d);
        if (d === 0) queue.push(t);
      }
    }
  };
  drain();
  // A cycle (should not happen in a program graph): release the first stuck node and go on.
  for (const id of ids) {
    if (done.has(id) || queue.includes(id)) continue;
    indeg.set(id, 0);
    queue.push(id);
    drain();
  }
  return layer;
}

/** Orders each layer's items by the mean order of their predecessors (then successors), a few sweeps. */
function orderLayers(layers: string[][], preds: Map<string, string[]>, succs: Map<string, string[]>): void {
  const pos = new Map<string, number>();
  const index = (): void => layers.forEach((l) => l.forEach((id, i) => pos.set(id, i)));
  index();
  const sweep = (neighbours: Map<string, string[]>, range: number[]): void => {
    for (const li of range) {
      const layer = layers[li]!;
      const key = new Map(layer.map((id, i) => {
        const ns = (neighbours.get(id) ?? []).filter((n) => pos.has(n));
        return [id, ns.length ? ns.reduce((a, n) => a + pos.get(n)!, 0) / ns.length : i];
      }));
      layer.sort((a, b) => key.get(a)! - key.get(b)!);
      layer.forEach((id, i) => pos.set(id, i));
    }
  };
  const down = layers.map((_, i) => i).slice(1);
  const up = layers.map((_, i) => i).reverse().slice(1);
  for (let i = 0; i < 2; i++) {
    sweep(preds, down);
    sweep(succs, up);
  }
}

/** Places a layered set of boxes: rows top to bottom, each item near the centre of its predecessors. */
function place(layers: string[][], size: (id: string) => { width: number; height: number }, preds: Map<string, string[]>): {
  pos: Map<string, { x: number; y: number }>; width: number; height: number;
} {
  const pos = new Map<string, { x: number; y: number }>();
  const centre = new Map<string, number>();
  let y = 0;
  let width = 0;
  for (const layer of layers) {
    const rowHeight = Math.max(0, ...layer.map((id) => size(id).height));
    // Wanted centre: the predecessors' mean centre; then a left-to-right pass removes overlaps.
    let cursor = 0;
    const xs: number[] = [];
    for (const id of layer) {
      const ps = (preds.get(id) ?? []).filter((p) => centre.has(p));
      const w = size(id).width;
      const want = ps.length ? ps.reduce((a, p) => a + centre.get(p)!, 0) / ps.length - w / 2 : cursor;
      const x = Math.max(cursor, want);
      xs.push(x);
      cursor = x + w + GAP_X;
    }
    layer.forEach((id, i) => {
      const s = size(id);
      pos.set(id, { x: xs[i]!, y: y + (rowHeight - s.height) / 2 });
      centre.set(id, xs[i]! + s.width / 2);
      width = Math.max(width, xs[i]! + s.width);
    });
    y += rowHeight + GAP_Y;
  }
  return { pos, width, height: Math.max(0, y - GAP_Y) };
}

function adjacency(edges: readonly [string, string][]): { preds: Map<string, string[]>; succs: Map<string, string[]> } {
  const preds = new Map<string, string[]>();
  const succs = new Map<string, string[]>();
  for (const [s, t] of edges) {
    if (s === t) continue;
    (preds.get(t) ?? preds.set(t, []).get(t)!).push(s);
    (succs.get(s) ?? succs.set(s, []).get(s)!).push(t);
  }
  return { preds, succs };
}

/** Inputs and constants sit just above their first reader instead of all in the top row. */
export function pullSourcesDown(layer: Map<string, number>, preds: Map<string, string[]>, succs: Map<string, string[]>): void {
  for (const [id, l] of layer) {
    if ((preds.get(id)?.length ?? 0) > 0) continue;
    const next = succs.get(id);
    if (!next?.length) continue;
    const first = Math.min(...next.map((t) => layer.get(t) ?? 0));
    layer.set(id, Math.max(l, first - 1));
  }
}

/** Items grouped by layer, top first. Layers left empty (pullSourcesDown can empty one) are
 *  dropped: a sparse array here once made `sweep` read an undefined layer and blanked the panel
 *  (`.map` skips holes, so `layers.map((l) => l ?? [])` kept them). */
export function layerLists(ids: readonly string[], layer: Map<string, number>): string[][] {
  const byLayer = new Map<number, string[]>();
  for (const id of ids) {
    const l = layer.get(id) ?? 0;
    (byLayer.get(l) ?? byLayer.set(l, []).get(l)!).push(id);
  }
  return [...byLayer.keys()].sort((a, b) => a - b).map((l) => byLayer.get(l)!);
}

export function layeredLayout(input: LayoutInput): Omit<LayoutResult, "engine" | "ms"> {
  const nodeById = new Map(input.nodes.map((n) => [n.id, n]));
  const unitOf = new Map<string, string>();
  for (const n of input.nodes) unitOf.set(n.id, n.cluster ? `cluster:${n.cluster}` : n.id);

  // Inside each cluster: lay its members out on their own.
  const units = new Map<string, Unit>();
  const byCluster = new Map<string, string[]>();
  for (const n of input.nodes) if (n.cluster) (byCluster.get(n.cluster) ?? byCluster.set(n.cluster, []).get(n.cluster)!).push(n.id);
  const labelWidth = new Map(input.clusters.map((c) => [c.id, c.labelWidth]));
  const innerEdges = new Map<string, [string, string][]>();
  const outerEdges: [string, string][] = [];
  for (const e of input.edges) {
    const us = unitOf.get(e.source);
    const ut = unitOf.get(e.target);
    if (!us || !ut) continue;
    if (us === ut) (innerEdges.get(us) ?? innerEdges.set(us, []).get(us)!).push([e.source, e.target]);
    else outerEdges.push([us, ut]);
  }
  for (const [cluster, members] of byCluster) {
    const uid = `cluster:${cluster}`;
    const edges = innerEdges.get(uid) ?? [];
    const { preds, succs } = adjacency(edges);
    const layers = layerLists(members, longestPathLayers(members, edges));
    orderLayers(layers, preds, succs);
    const placed = place(layers, (id) => nodeById.get(id)!, preds);
    units.set(uid, {
      id: uid, isCluster: true, layer: 0, order: 0, x: 0,
      width: Math.max(placed.width, labelWidth.get(cluster) ?? 0) + 2 * CLUSTER_PADDING,
      height: placed.height + CLUSTER_HEADER + 2 * CLUSTER_PADDING,
      members: members.map((id) => {
        const p = placed.pos.get(id)!;
        const n = nodeById.get(id)!;
        return { id, x: p.x + CLUSTER_PADDING, y: p.y + CLUSTER_HEADER + CLUSTER_PADDING, width: n.width, height: n.height };
      }),
    });
  }
  for (const n of input.nodes) {
    if (!n.cluster) units.set(n.id, { id: n.id, isCluster: false, layer: 0, order: 0, x: 0, width: n.width, height: n.height, members: [{ id: n.id, x: 0, y: 0, width: n.width, height: n.height }] });
  }

  // Then the units themselves.
  const unitIds = [...units.keys()];
  const { preds, succs } = adjacency(outerEdges);
  const layerOf = longestPathLayers(unitIds, outerEdges);
  pullSourcesDown(layerOf, preds, succs);
  const layers = layerLists(unitIds, layerOf);
  orderLayers(layers, preds, succs);
  const placed = place(layers, (id) => units.get(id)!, preds);

  const nodes: Record<string, Box> = {};
  const clusters: Record<string, Box> = {};
  for (const u of units.values()) {
    const p = placed.pos.get(u.id)!;
    if (u.isCluster) clusters[u.id.slice("cluster:".length)] = { x: p.x, y: p.y, width: u.width, height: u.height };
    for (const m of u.members) nodes[m.id] = { x: p.x + m.x, y: p.y + m.y, width: m.width, height: m.height };
  }
  const edges: Record<string, [number, number][]> = {};
  for (const e of input.edges) {
    const s = nodes[e.source];
    const t = nodes[e.target];
    if (!s || !t) continue;
    edges[e.id] = [[s.x + s.width / 2, s.y + s.height], [t.x + t.width / 2, t.y]];
  }
  return { nodes, clusters, edges, width: placed.width, height: placed.height };
}
