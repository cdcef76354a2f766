// Inputs and outputs drawn as one node per argument: the 21 parameters a closed optimizer update
// reads become one "p · 21 arrays" node with one edge, not a row of 21 pills each with an edge
// into the same group. DOM-free.
//
// Only leaves whose single edge meets a closed group (a closed scope, a collapsed kernel or fold,
// or a loop node, whose body is drawn apart) are bundled: inside it nothing tells them apart
// anyway. Leaves read by ops in view stay themselves.
// Constants a group alone reads (a schedule's breakpoints) are bundled as "4 constants".

import type { GraphEdge } from "@jitscope/contract";

/** Fewer leaves of one argument than this keep their own nodes. */
export const BUNDLE_MIN = 3;

export interface BundlableNode {
  id: string;
  kind: string;
  label: string;
  shape: number[];
  dtype: string;
  scope: string | null;
  cluster: string | null;
  /** A bundle: the labels of the leaves it stands for, and their bytes together. */
  bundle?: { labels: string[]; bytes: number };
  /** A scan / while node: its body is drawn apart, so it reads as a closed group. */
  loop?: unknown;
}

/** A drawn edge: the contract's tensor edge with the id the model gives it. */
export type BundlableEdge = GraphEdge & { id: string };

/** The argument a leaf belongs to: `p` of `p.b1Bn.scale`, `state[1]` of `state[1].trace.w`. */
export function argumentOf(label: string): string {
  const dot = label.indexOf(".");
  return dot > 0 ? label.slice(0, dot) : label;
}

const CLOSED_KINDS = new Set(["scope", "kernel"]);
const closed = (n: BundlableNode): boolean => CLOSED_KINDS.has(n.kind) || n.loop !== undefined;
/** Constants have no argument: those a group alone reads are bundled together. */
const CONSTANTS = "(constants)";

/**
 * Replaces, per closed group, the input leaves of one argument it alone reads (and the output
 * leaves of one argument it alone writes) by one bundle node when there are BUNDLE_MIN or more.
 * `bundled` maps each replaced node's id to its bundle's.
 */
export function bundleTerminals<N extends BundlableNode, E extends BundlableEdge>(
  nodes: readonly N[],
  edges: readonly E[],
): { nodes: N[]; edges: E[]; bundled: Map<string, string> } {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const degree = new Map<string, number>();
  for (const e of edges) {
    degree.set(e.source, (degree.get(e.source) ?? 0) + 1);
    degree.set(e.target, (degree.get(e.target) ?? 0) + 1);
  }
  // Group key → the leaves' edges.
  const groups = new Map<string, E[]>();
  for (const e of edges) {
    const src = byId.get(e.source);
    const dst = byId.get(e.target);
    if (!src || !dst) continue;
    let leaf: N, group: N, dir: "in" | "out";
    if ((src.kind === "input" || src.kind === "const") && closed(dst)) [leaf, group, dir] = [src, dst, "in"];
    else if (dst.kind === "output" && closed(src)) [leaf, group, dir] = [dst, src, "out"];
    else continue;
    if (degree.get(leaf.id) !== 1 || leaf.bundle) continue;
    const key = `${dir}|${group.id}|${leaf.kind === "const" ? CONSTANTS : argumentOf(leaf.label)}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(e);
  }
  const bundled = new Map<string, string>();
  const outNodes: N[] = [];
  const outEdges: E[] = [];
  const replacedEdges = new Set<E>();
  for (const [key, es] of groups) {
    if (es.length < BUNDLE_MIN) continue;
    const [dir, groupId] = key.split("|") as ["in" | "out", string];
    const leaves = es.map((e) => byId.get(dir === "in" ? e.source : e.target)!);
    const first = leaves[0]!;
    const arg = key.slice(key.lastIndexOf("|") + 1);
    const id = `bundle:${dir}:${groupId}:${arg}`;
    const bytes = es.reduce((a, e) => a + e.bytes, 0);
    const node: N = {
      ...first,
      id,
      label: arg === CONSTANTS ? `${leaves.length} constants` : `${arg} · ${leaves.length} arrays`,
      shape: [],
      dtype: "",
      cluster: null,
      bundle: { labels: leaves.map((l) => l.label), bytes },
    };
    delete (node as { copyOf?: string }).copyOf; // a bundle of copies stands for no one leaf
    outNodes.push(node);
    const edge = {
      ...es[0]!,
      id: dir === "in" ? `${id}->${groupId}` : `${groupId}->${id}`,
      bytes,
      shape: [],
      dtype: "",
    };
    outEdges.push(dir === "in" ? { ...edge, source: id, target: groupId } : { ...edge, source: groupId, target: id });
    for (const l of leaves) bundled.set(l.id, id);
    for (const e of es) replacedEdges.add(e);
  }
  if (bundled.size === 0) return { nodes: [...nodes], edges: [...edges], bundled };
  return {
    nodes: [...nodes.filter((n) => !bundled.has(n.id)), ...outNodes],
    edges: [...edges.filter((e) => !replacedEdges.has(e)), ...outEdges],
    bundled,
  };
}
