// Where the graph's inputs, constants and outputs are drawn. DOM-free.
//
// They carry no name stack, so they once all sat at the top level: a row of parameters across
// the top of a transformer step with an edge fanning from each into the middle, and outputs in a
// row along the bottom. Instead each one is drawn in the deepest scope holding all the ops it
// touches, hidden inside a closed scope when all of them are hidden in one or two, and an input
// read by many drawn nodes (or by a closed group and nodes elsewhere) is drawn once beside each reader (as
// TensorBoard extracts high-degree nodes) rather than as one node with long edges across the
// picture.

import type { GraphEdge, GraphNode } from "@jitscope/contract";
import { commonScope, type ScopeTree } from "@jitscope/contract";

/** An input or constant read by more drawn nodes than this is drawn once per reader. */
export const FANOUT_COPIES = 3;

/** The "@" joining a copy's source id and its reader's id. */
export const COPY_SEPARATOR = "@";

export interface TerminalPlace {
  /** The closed scope it is hidden in (every op it touches is hidden in one or two; the first one's). */
  hiddenBy: string | null;
  /** The open scope it is drawn in (null: the top level). */
  scope: string | null;
}

/**
 * For every input, constant and output: the closed scope hiding it, or the scope it is drawn in.
 * `hiddenBy` maps op ids to the outermost closed scope hiding them.
 */
export function placeTerminals(
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  tree: ScopeTree,
  hiddenBy: ReadonlyMap<string, string>,
): Map<string, TerminalPlace> {
  const places = new Map<string, TerminalPlace>();
  if (tree.scopes.size === 0) return places;
  const terminal = new Set(nodes.filter((n) => n.kind !== "op").map((n) => n.id));
  const touches = new Map<string, string[]>();
  const note = (t: string, op: string): void => {
    if (!terminal.has(t) || terminal.has(op)) return;
    (touches.get(t) ?? touches.set(t, []).get(t)!).push(op);
  };
  for (const e of edges) {
    note(e.source, e.target);
    note(e.target, e.source);
  }
  for (const [id, ops] of touches) {
    // Every op it touches hidden in one or two closed scopes: it goes inside the first, and an
    // edge between the two groups stands for it (a parameter read by its block and by its
    // optimizer update no longer sits alone at the top level of a 50,000-op step). Touching
    // more groups, it stays drawn: hidden in one, it would tie all the others to that one.
    const h = hiddenBy.get(ops[0]!);
    const groups = new Set(ops.map((o) => hiddenBy.get(o)));
    if (h !== undefined && !groups.has(undefined) && groups.size <= 2) {
      places.set(id, { hiddenBy: h, scope: null });
      continue;
    }
    places.set(id, { hiddenBy: null, scope: commonScope(tree, ops) });
  }
  return places;
}

/** The fields of a drawn node that copying needs. */
export interface CopyableNode {
  id: string;
  kind: string;
  cluster: string | null;
  scope: string | null;
  /** A copy: the id of the node it stands for. */
  copyOf?: string;
}

export interface CopyableEdge {
  id: string;
  source: string;
  target: string;
}

/**
 * Inputs and constants read by more than FANOUT_COPIES drawn nodes, or by nodes in more than one
 * group when one of them is a closed scope, are replaced by one copy per
 * reader, drawn in the scope beside the reader (`scopeBeside`). Returns the new node and edge lists and, for each copied
 * node, the copy standing for it (its first reader's).
 */
export function copyFanouts<N extends CopyableNode, E extends CopyableEdge>(
  nodes: readonly N[],
  edges: readonly E[],
  scopeBeside: (reader: N) => string | null,
): { nodes: N[]; edges: E[]; copies: Map<string, string> } {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const readers = new Map<string, number>();
  const groups = new Map<string, Set<string | null>>();
  const readByClosed = new Set<string>();
  for (const e of edges) {
    readers.set(e.source, (readers.get(e.source) ?? 0) + 1);
    const r = byId.get(e.target);
    if (r) (groups.get(e.source) ?? groups.set(e.source, new Set()).get(e.source)!).add(scopeBeside(r));
    if (r?.kind === "scope") readByClosed.add(e.source);
  }
  // Many readers, or readers in different groups one of which is closed (a parameter read by
  // its block's matmul and by its closed optimizer update): a copy beside each keeps every edge
  // short. Two ops reading a weight in a small open graph keep one node (where is `w`?).
  const copied = new Set(
    nodes
      .filter(
        (n) =>
          (n.kind === "input" || n.kind === "const") &&
          ((readers.get(n.id) ?? 0) > FANOUT_COPIES || (readByClosed.has(n.id) && (groups.get(n.id)?.size ?? 0) > 1)),
      )
      .map((n) => n.id),
  );
  if (copied.size === 0) return { nodes: [...nodes], edges: [...edges], copies: new Map() };
  const out: N[] = nodes.filter((n) => !copied.has(n.id));
  const outEdges: E[] = [];
  const copies = new Map<string, string>();
  for (const e of edges) {
    if (!copied.has(e.source)) {
      outEdges.push(e);
      continue;
    }
    const src = byId.get(e.source)!;
    const reader = byId.get(e.target);
    const id = `${e.source}${COPY_SEPARATOR}${e.target}`;
    // Beside its reader: in the group the reader is drawn in (a kernel cluster's scope when the
    // reader is in one: a copy is not part of the kernel).
    out.push({ ...src, id, copyOf: src.id, cluster: null, scope: reader ? scopeBeside(reader) : src.scope });
    outEdges.push({ ...e, id: `${id}->${e.target}`, source: id });
    if (!copies.has(src.id)) copies.set(src.id, id);
  }
  return { nodes: out, edges: outEdges, copies };
}
