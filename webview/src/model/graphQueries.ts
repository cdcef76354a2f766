// Questions asked of a built graph model: which nodes match a search, sit on a source line or
// belong to a kernel, and how a node or cluster is labelled. DOM-free, like the model itself.

import { formatBytes, type Compilation, type GraphNode, type PassGraph } from "@jitscope/contract";
import { COLLAPSED_PREFIX, type GraphModel, type ModelCluster, type ModelNode } from "./graphModel.js";
import { loopTimeText } from "./loopBadge.js";

/** Stroke width of an edge, 1..6 px, by the square root of its share of the largest tensor. */
export function edgeWidth(bytes: number, maxBytes: number): number {
  if (maxBytes <= 0 || bytes <= 0) return 1;
  return 1 + 5 * Math.sqrt(Math.min(1, bytes / maxBytes));
}

/**
 * A cluster label that fits `maxChars`: the kernel name is shortened with "…" before the time
 * is, since the time is what the tint is about. The full label stays in the tooltip.
 */
export function fitClusterLabel(c: Pick<ModelCluster, "name" | "timeText">, maxChars: number): string {
  const suffix = c.timeText ? ` · ${c.timeText}` : "";
  if (c.name.length + suffix.length <= maxChars) return c.name + suffix;
  const room = maxChars - suffix.length - 1;
  if (room >= 4) return `${c.name.slice(0, room)}…${suffix}`;
  return c.timeText && c.timeText.length <= maxChars ? c.timeText : `${c.name.slice(0, Math.max(1, maxChars - 1))}…`;
}

/** Ids of nodes whose op name (or collapsed kernel name) contains the query, case-insensitive. */
export function searchNodes(model: GraphModel, query: string): string[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  return model.nodes.filter((n) => n.label.toLowerCase().includes(q)).map((n) => n.id);
}

/** Ops matching the query inside loop bodies (and while conditions, nested loops' too) that the
 *  graph shown cannot draw: their count by the loop node holding them at this level. */
export function searchLoopBodies(graph: PassGraph, query: string): Map<string, number> {
  const q = query.trim().toLowerCase();
  const out = new Map<string, number>();
  if (!q) return out;
  const inside = (n: GraphNode): number =>
    n.loop ? [n.loop.body, ...(n.loop.cond ? [n.loop.cond] : [])].reduce((t, g) => t + count(g), 0) : 0;
  const count = (g: PassGraph): number =>
    g.nodes.reduce((t, n) => t + (n.kind === "op" && n.label.toLowerCase().includes(q) ? 1 : 0) + inside(n), 0);
  for (const n of graph.nodes) {
    const k = inside(n);
    if (k > 0) out.set(n.id, k);
  }
  return out;
}

/** Every node of the pass whose label matches, in graph order, drawn or hidden inside a closed
 *  scope or collapsed kernel (hidden constants excluded): the targets of search's next/previous. */
export function searchPass(compilation: Compilation, passIndex: number, model: GraphModel, query: string): string[] {
  const q = query.trim().toLowerCase();
  const pass = compilation.passes[passIndex];
  if (!q || !pass) return [];
  const drawn = new Set(model.nodes.map((n) => n.id));
  return pass.graph.nodes
    .filter((n) => n.label.toLowerCase().includes(q) && (drawn.has(n.id) || model.drawnFor[n.id] !== undefined))
    .map((n) => n.id);
}

/** The scope ids around a name stack, outermost first: all must be open for the op to show. */
export function scopesAround(nameStack: readonly string[]): string[] {
  return nameStack.map((_s, i) => `scope:${nameStack.slice(0, i + 1).join("/")}`);
}

/** Nodes of a kernel, for "reveal kernel": its ops, or its collapsed node. */
export function nodesOfKernel(model: GraphModel, kernel: string): string[] {
  const collapsed = model.nodes.find((n) => n.id === COLLAPSED_PREFIX + kernel);
  if (collapsed) return [collapsed.id];
  return model.nodes.filter((n) => n.cluster === kernel).map((n) => n.id);
}

/** Op nodes of a pass called on a source line, whether drawn or inside a closed scope. */
export function opsOnLine(compilation: Compilation, passIndex: number, file: string, line: number): string[] {
  const pass = compilation.passes[passIndex];
  if (!pass) return [];
  return pass.graph.nodes
    .filter((n) => n.location && n.location.file === file && n.location.line === line)
    .map((n) => n.id);
}

/** Nodes whose ops were called on a source line (the editor's "reveal in graph"). */
export function nodesOnLine(model: GraphModel, file: string, line: number): string[] {
  return model.nodes.filter((n) => n.location && n.location.file === file && n.location.line === line).map((n) => n.id);
}

/** The hover text of a node: op, shape and dtype, where, and the name stack. */
export function nodeTooltip(n: ModelNode, where: string): string {
  if (n.bundle) return bundleText(n.label, n.bundle);
  const lines = [`${n.label}  ${n.dtype}[${n.shape.join(",")}]`, where];
  if (n.loop) {
    lines.push(
      `body runs ${n.loop.tripCount ?? "a data-dependent number of"} times per call${n.loop.lastCall === null ? "" : ` (${n.loop.lastCall} in the last call)`} · ${n.loop.bodyText}`,
    );
    const time = loopTimeText(n.loop);
    if (time) lines.push(time);
  }
  if (n.nameStack.length) lines.push(n.nameStack.join(" › "));
  if (n.changed) lines.push("changed by this pass");
  if (n.loop) lines.push("click: open its body");
  return lines.join("\n");
}

/** What a bundle of leaves says: its arguments' leaves by name (the first dozen) and their size. */
export function bundleText(label: string, bundle: { labels: readonly string[]; bytes: number }): string {
  const shown = bundle.labels.slice(0, BUNDLE_LABELS_SHOWN).join(", ");
  const more =
    bundle.labels.length > BUNDLE_LABELS_SHOWN ? `, … ${bundle.labels.length - BUNDLE_LABELS_SHOWN} more` : "";
  return `${label}, ${formatBytes(bundle.bytes)} in all\n${shown}${more}`;
}
const BUNDLE_LABELS_SHOWN = 12;
