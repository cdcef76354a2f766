// A linear-time layered layout for graphs too big for ELK (thousands of ops) and for nested
// groups (scopes holding kernel clusters). Each group is laid out on its own (its ops and child
// groups layered by longest path), then becomes one unit in its parent; units are ordered by a
// few barycenter sweeps and centred under their predecessors. Edges are drawn as straight segments between box sides. Crossings are not
// minimised as ELK does; the point is to stay usable at 5,000 nodes.

import { CLUSTER_HEADER, CLUSTER_PADDING, type Box, type LayoutInput, type LayoutResult } from "./types.js";

const GAP_X = 18;
const GAP_Y = 32;

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
      const key = new Map(
        layer.map((id, i) => {
          const ns = (neighbours.get(id) ?? []).filter((n) => pos.has(n));
          return [id, ns.length ? ns.reduce((a, n) => a + pos.get(n)!, 0) / ns.length : i];
        }),
      );
      layer.sort((a, b) => key.get(a)! - key.get(b)!);
      layer.forEach((id, i) => pos.set(id, i));
    }
  };
  const down = layers.map((_, i) => i).slice(1);
  const up = layers
    .map((_, i) => i)
    .reverse()
    .slice(1);
  for (let i = 0; i < 2; i++) {
    sweep(preds, down);
    sweep(succs, up);
  }
}

/** Places a layered set of boxes: rows top to bottom, each item near the centre of its predecessors. */
function place(
  layers: string[][],
  size: (id: string) => { width: number; height: number },
  preds: Map<string, string[]>,
): {
  pos: Map<string, { x: number; y: number }>;
  width: number;
  height: number;
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

/**
 * A layer of many units (144 closed optimizer updates side by side, each reading only its
 * inputs) becomes several rows of about √(2n) units, in order, instead of one row 100 times
 * wider than tall.
 */
export function splitWideLayers(layers: string[][]): string[][] {
  const out: string[][] = [];
  for (const layer of layers) {
    if (layer.length <= WRAP_MIN_LAYERS) {
      out.push(layer);
      continue;
    }
    const per = Math.max(WRAP_MIN_LAYERS, Math.ceil(Math.sqrt(layer.length * 2)));
    for (let i = 0; i < layer.length; i += per) out.push(layer.slice(i, i + per));
  }
  return out;
}

/** Layers a group may stack before they are wrapped into columns (and units a layer may hold in a row). */
export const WRAP_MIN_LAYERS = 12;
const GAP_COLUMN = 48;

/**
 * `place`, but a tall narrow stack of layers (a chain of 244 closed blocks, 32 loop iterations)
 * is cut into side-by-side columns of consecutive layers, about as wide as tall overall, instead
 * of one column 60 times taller than wide that fit-to-view shrinks to nothing.
 */
function wrapColumns(
  layers: string[][],
  size: (id: string) => { width: number; height: number },
  preds: Map<string, string[]>,
): ReturnType<typeof place> {
  const whole = place(layers, size, preds);
  if (layers.length < WRAP_MIN_LAYERS || whole.height <= 3 * whole.width) return whole;
  // k columns of height h/k and width w·k (+ gaps) are square at k = √(h/w); a little taller reads better.
  const columns = Math.min(layers.length, Math.max(2, Math.round(Math.sqrt(whole.height / whole.width / 1.5))));
  const per = Math.ceil(layers.length / columns);
  const pos = new Map<string, { x: number; y: number }>();
  let x = 0;
  let height = 0;
  for (let i = 0; i < layers.length; i += per) {
    const part = place(layers.slice(i, i + per), size, preds);
    for (const [id, p] of part.pos) pos.set(id, { x: p.x + x, y: p.y });
    x += part.width + GAP_COLUMN;
    height = Math.max(height, part.height);
  }
  return { pos, width: x - GAP_COLUMN, height };
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
export function pullSourcesDown(
  layer: Map<string, number>,
  preds: Map<string, string[]>,
  succs: Map<string, string[]>,
): void {
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

/**
 * Lays out a tree of groups (scopes holding kernel clusters holding ops) bottom-up: each group's
 * direct nodes and child groups are layered as units, the group becomes one box in its parent.
 * An edge is routed at the level of the deepest group holding both ends.
 */
export function layeredLayout(input: LayoutInput): Omit<LayoutResult, "engine" | "ms"> {
  const nodeById = new Map(input.nodes.map((n) => [n.id, n]));
  const groupById = new Map(input.clusters.map((c) => [c.id, c]));
  const parentOf = (g: string): string | null => {
    const p = groupById.get(g)?.parent ?? null;
    return p !== null && groupById.has(p) ? p : null;
  };
  // Each node's chain of enclosing groups, innermost first, ending in null (the root).
  const chainOf = new Map<string, (string | null)[]>();
  for (const n of input.nodes) {
    const chain: (string | null)[] = [n.id];
    let g = n.cluster !== null && groupById.has(n.cluster) ? n.cluster : null;
    const seen = new Set<string>();
    while (g !== null && !seen.has(g)) {
      seen.add(g);
      chain.push(g);
      g = parentOf(g);
    }
    chain.push(null);
    chainOf.set(n.id, chain);
  }
  const membersOf = new Map<string | null, string[]>(); // group → its direct units (node ids, "g:" + group ids)
  const add = (g: string | null, unit: string): void => {
    (membersOf.get(g) ?? membersOf.set(g, []).get(g)!).push(unit);
  };
  const used = new Set<string>();
  for (const n of input.nodes) {
    const chain = chainOf.get(n.id)!;
    add(chain[1] ?? null, n.id);
    for (let i = 1; i < chain.length - 1; i++) {
      const g = chain[i]!;
      if (used.has(g)) break;
      used.add(g);
      add(chain[i + 1] ?? null, `g:${g}`);
    }
  }
  const edgesAt = new Map<string | null, [string, string][]>();
  for (const e of input.edges) {
    const cs = chainOf.get(e.source);
    const ct = chainOf.get(e.target);
    if (!cs || !ct || e.source === e.target) continue;
    // Deepest common group: walk both chains from the root end.
    let a = cs.length - 1;
    let b = ct.length - 1;
    while (a > 0 && b > 0 && cs[a - 1] === ct[b - 1]) {
      a--;
      b--;
    }
    const level = cs[a] ?? null;
    const unit = (c: (string | null)[], i: number): string => (i - 1 === 0 ? c[0]! : `g:${c[i - 1]!}`);
    const us = unit(cs, a);
    const ut = unit(ct, b);
    if (us !== ut) (edgesAt.get(level) ?? edgesAt.set(level, []).get(level)!).push([us, ut]);
  }

  interface Placed {
    width: number;
    height: number;
    members: { id: string; x: number; y: number }[];
  }
  const sizes = new Map<string, { width: number; height: number }>();
  const local = new Map<string | null, Placed>();
  const labelWidth = new Map(input.clusters.map((c) => [c.id, c.labelWidth]));
  const layoutGroup = (g: string | null): void => {
    const units = membersOf.get(g) ?? [];
    for (const u of units) if (u.startsWith("g:")) layoutGroup(u.slice(2));
    const sizeOf = (u: string): { width: number; height: number } => sizes.get(u) ?? nodeById.get(u)!;
    const edges = edgesAt.get(g) ?? [];
    const { preds, succs } = adjacency(edges);
    const layerOf = longestPathLayers(units, edges);
    // In every group: an input copied beside its reader sits just above it, not in the top row.
    pullSourcesDown(layerOf, preds, succs);
    const layers = layerLists(units, layerOf);
    orderLayers(layers, preds, succs);
    const placed = wrapColumns(splitWideLayers(layers), sizeOf, preds);
    const inset = g === null ? { x: 0, y: 0 } : { x: CLUSTER_PADDING, y: CLUSTER_HEADER + CLUSTER_PADDING };
    local.set(g, {
      width: placed.width,
      height: placed.height,
      members: units.map((u) => ({ id: u, x: placed.pos.get(u)!.x + inset.x, y: placed.pos.get(u)!.y + inset.y })),
    });
    if (g !== null) {
      sizes.set(`g:${g}`, {
        width: Math.max(placed.width, labelWidth.get(g) ?? 0) + 2 * CLUSTER_PADDING,
        height: placed.height + CLUSTER_HEADER + 2 * CLUSTER_PADDING,
      });
    }
  };
  layoutGroup(null);

  const nodes: Record<string, Box> = {};
  const clusters: Record<string, Box> = {};
  const absolute = (g: string | null, ox: number, oy: number): void => {
    for (const m of local.get(g)?.members ?? []) {
      const x = ox + m.x;
      const y = oy + m.y;
      if (m.id.startsWith("g:")) {
        const id = m.id.slice(2);
        clusters[id] = { x, y, ...sizes.get(m.id)! };
        absolute(id, x, y);
      } else {
        const n = nodeById.get(m.id)!;
        nodes[m.id] = { x, y, width: n.width, height: n.height };
      }
    }
  };
  absolute(null, 0, 0);
  const edges: Record<string, [number, number][]> = {};
  for (const e of input.edges) {
    const s = nodes[e.source];
    const t = nodes[e.target];
    if (!s || !t) continue;
    edges[e.id] = [
      [s.x + s.width / 2, s.y + s.height],
      [t.x + t.width / 2, t.y],
    ];
  }
  const root = local.get(null)!;
  return { nodes, clusters, edges, width: root.width, height: root.height };
}
