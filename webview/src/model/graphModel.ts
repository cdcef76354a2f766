// The graph the Graph view draws, built from one pass snapshot, DOM-free: op nodes, tensor
// edges (width by bytes), kernel clusters tinted by their share of the compilation's GPU time,
// "why not fused" reasons on boundary edges, and the large-graph controls (hide constants,
// collapse a cluster to one node, fold alike kernels and repeated calls, search by op name).

import type { Compilation, GraphNode, KernelReport, SourceLocation } from "@jitscope/contract";
import {
  buildScopeTree,
  closedScopeOf,
  commonScope,
  formatNs,
  formatShortLocation,
  isUntimed,
  kernelMedianCell,
  SCOPE_PREFIX,
  type DeviceInfo,
} from "@jitscope/contract";
import { loopOf, type ModelLoop } from "./loopBadge.js";
import { changedNodeIds } from "./passStepper.js";
import { defaultOpenScopes, KERNEL_SCOPES_OPEN_LIMIT } from "./scopeTree.js";
import { copyFanouts, placeTerminals } from "./terminals.js";
import { bundleTerminals } from "./terminalBundles.js";
import { describeFold, findRepeats, type RepeatGroup } from "./repeatedKernels.js";
import { drawnEdges, type ModelEdge } from "./graphEdges.js";
import { describeScopeFold, foldInstanceScopes } from "./repeatedScopes.js";

export type { ModelEdge } from "./graphEdges.js";

export interface ModelNode {
  id: string;
  /** "kernel" is a collapsed cluster standing in for its ops; "scope" a closed scope. */
  kind: GraphNode["kind"] | "kernel" | "scope";
  label: string;
  shape: number[];
  dtype: string;
  location: SourceLocation | null;
  nameStack: string[];
  /** Kernel (cluster) id this node sits in, if any and not collapsed. */
  cluster: string | null;
  /** The open scope group it is drawn in when not in a kernel cluster (kernel and scope nodes too). */
  scope: string | null;
  changed: boolean;
  /** Kernel and scope nodes: share of the function's GPU time (their tint), and a summary line. */
  share?: number;
  summary?: string;
  /** A loop node: drawn with its "× T" badge and body size. */
  loop?: ModelLoop;
  /** A closed scope: the ops inside it. */
  ops?: number;
  /** One of the copies of an input read by many nodes (terminals.ts): the id of that input. */
  copyOf?: string;
  /** The leaves of one argument drawn as one node (terminalBundles.ts): their labels and bytes. */
  bundle?: { labels: string[]; bytes: number };
}

export interface ModelCluster {
  id: string;
  name: string;
  nodeIds: string[];
  /** Share of the compilation's GPU time, 0..1 (0 when nothing was measured). */
  share: number;
  medianNs: number | null;
  /** "38.0 µs", or null when the kernel was never timed. */
  timeText: string | null;
  /** "matmul_tanh_0 · 38.0 µs" */
  label: string;
}

/** An open scope, drawn as a group around its ops, kernels and child scopes. */
export interface ModelScope {
  id: string;
  label: string;
  parent: string | null;
  depth: number;
  ops: number;
  kernels: number;
  /** GPU time attributed to the scope: each kernel's total split evenly over its ops. */
  ns: number;
  share: number;
  /** "attention · 34 ops · 5 kernels · 1.20 ms (12%)" */
  summary: string;
}

export interface GraphModel {
  nodes: ModelNode[];
  edges: ModelEdge[];
  /** Expanded clusters only; collapsed ones appear as `kernel` nodes. */
  clusters: ModelCluster[];
  /** Open scopes with something drawn inside; closed ones appear as `scope` nodes. */
  scopes: ModelScope[];
  /** Each kernel cluster's enclosing scope group (null: top level). */
  clusterScope: Record<string, string | null>;
  kernelView: boolean;
  /** For a node not drawn (in a closed scope or a collapsed kernel): the node drawn for it. */
  drawnFor: Record<string, string>;
  /** Ops in the pass, and kernels (expanded or collapsed) drawn. */
  opCount: number;
  kernelCount: number;
  hiddenConstants: number;
  maxBytes: number;
  /** Alike kernels side by side (repeatedKernels.ts): folded into one node unless unfolded. */
  repeats: (RepeatGroup & { folded: boolean })[];
}

export interface GraphOptions {
  hideConstants: boolean;
  /** Cluster (kernel) ids drawn as one node. */
  collapsed: ReadonlySet<string>;
  /** Scopes opened or closed by the user; the others follow defaultOpenScopes. */
  scopeToggles?: Readonly<Record<string, boolean>>;
  /** Kernel graph: every kernel drawn as one node. */
  kernelView?: boolean;
  /** Kernels the user expanded where they are collapsed by default (kernel graph, big programs),
   *  and folds the user unfolded (`repeat:` ids of alike kernels, `scopes:` ids of calls). */
  expanded?: ReadonlySet<string>;
  /** The graph is a loop's body (loopBody.ts): its boundaries' bytes are one iteration's. */
  loopBody?: boolean;
}

/** Ops in view above which kernels start collapsed (a big program with no scopes to close). */
export const KERNELS_COLLAPSED_ABOVE = 2000;

export const COLLAPSED_PREFIX = "kernel:";

/** Builds the drawable graph of `compilation.passes[passIndex]`. */
export function buildGraphModel(
  compilation: Compilation,
  passIndex: number,
  kernels: ReadonlyMap<string, KernelReport>,
  options: GraphOptions,
  /** For each kernel's time as the tables write it (`kernelMedianCell`: ticks, batches, "not timed"). */
  device: Pick<DeviceInfo, "timestampTickNs">,
): GraphModel {
  const pass = compilation.passes[passIndex];
  if (!pass)
    return {
      nodes: [],
      edges: [],
      clusters: [],
      scopes: [],
      clusterScope: {},
      kernelView: false,
      drawnFor: {},
      opCount: 0,
      kernelCount: 0,
      hiddenConstants: 0,
      maxBytes: 0,
      repeats: [],
    };
  const changed = changedNodeIds(compilation.passes, passIndex);
  const { nodes: rawNodes, edges: rawEdges, groups } = pass.graph;

  // A constant nothing reads any more (a schedule's breakpoints once simplify folded them) is
  // left out at every setting: drawn, it was a pill with no edge.
  const read = new Set(rawEdges.map((e) => e.source));
  const hidden = new Set(
    rawNodes.filter((n) => n.kind === "const" && (options.hideConstants || !read.has(n.id))).map((n) => n.id),
  );
  const clusterOf = new Map<string, string>();
  for (const g of groups) for (const id of g.nodes) clusterOf.set(id, g.id);

  const totalNs = groups.reduce((a, g) => a + (kernels.get(g.id)?.totalNs ?? 0), 0);
  const allClusters: ModelCluster[] = groups.map((g) => {
    const k = kernels.get(g.id);
    const untimed = k !== undefined && isUntimed(k);
    const medianNs = k && !untimed ? k.medianNs : null;
    const timeText = k ? kernelMedianCell(k, device) : null;
    return {
      id: g.id,
      name: g.name,
      nodeIds: g.nodes.filter((id) => !hidden.has(id)),
      share: k && totalNs > 0 ? k.totalNs / totalNs : 0,
      medianNs,
      timeText,
      label: timeText === null ? g.name : `${g.name} · ${timeText}`,
    };
  });
  // The kernel graph keeps the scopes too (each kernel in the deepest scope holding its ops):
  // 148 kernels of a transformer step in one flat layer were a tangle; grouped by block and
  // by forward / backward they read as the program does. Open while kernels are few (60).
  const tree = buildScopeTree(rawNodes);
  const opCount = rawNodes.filter((n) => n.kind === "op").length;
  const defaults = options.kernelView
    ? defaultOpenScopes(tree, groups.length, KERNEL_SCOPES_OPEN_LIMIT)
    : defaultOpenScopes(tree, opCount);
  const isOpen = (sc: string): boolean => options.scopeToggles?.[sc] ?? defaults.has(sc);
  const hiddenBy = new Map<string, string>(); // op node → the closed scope drawn for it
  for (const n of rawNodes) {
    const h = tree.scopes.size ? closedScopeOf(tree, n.id, isOpen) : null;
    if (h) hiddenBy.set(n.id, h);
  }
  // Kernels drawn as one node: all in the kernel graph, those the user collapsed, and past
  // KERNELS_COLLAPSED_ABOVE ops in view (a big program without scopes) all but those expanded.
  const opsInView = rawNodes.filter((n) => n.kind === "op" && !hiddenBy.has(n.id)).length;
  const collapseAll = options.kernelView === true || opsInView > KERNELS_COLLAPSED_ABOVE;
  const collapsed = new Set(
    allClusters
      .filter((c) => options.collapsed.has(c.id) || (collapseAll && !options.expanded?.has(c.id)))
      .map((c) => c.id),
  );
  // Inputs, constants and outputs: inside the scope of the ops they touch (terminals.ts).
  const terminals = placeTerminals(rawNodes, rawEdges, tree, hiddenBy);
  for (const [id, place] of terminals) if (place.hiddenBy !== null) hiddenBy.set(id, place.hiddenBy);
  // Closed calls of one function side by side or in a chain: one node (repeatedScopes.ts).
  const scopeFolds = foldInstanceScopes(tree, new Set(hiddenBy.values()), options.expanded);
  for (const [id, h] of hiddenBy) if (scopeFolds.has(h)) hiddenBy.set(id, scopeFolds.get(h)!.id);
  const membersOfKernel = new Map<string, string[]>();
  for (const g of groups) membersOfKernel.set(g.id, [...g.nodes]);
  const kernelScope = (k: string): string | null => commonScope(tree, membersOfKernel.get(k) ?? []);
  // Alike kernels side by side, drawn (an op of each in view): one node, unless the user unfolded it.
  const inView = new Set(allClusters.filter((c) => c.nodeIds.some((id) => !hiddenBy.has(id))).map((c) => c.id));
  const repeats = findRepeats(groups, rawNodes, rawEdges, inView, kernelScope);
  const repeatOf = new Map<string, RepeatGroup>();
  for (const r of repeats) if (!options.expanded?.has(r.id)) for (const k of r.kernels) repeatOf.set(k, r);
  // Where each raw node is drawn: itself, or the closed scope, fold or collapsed kernel that swallowed it.
  const drawnAs = (id: string): string => {
    const h = hiddenBy.get(id);
    if (h) return h;
    const c = clusterOf.get(id);
    if (c === undefined) return id;
    const r = repeatOf.get(c);
    if (r) return r.id;
    return collapsed.has(c) ? COLLAPSED_PREFIX + c : id;
  };

  const nodes: ModelNode[] = [];
  for (const n of rawNodes) {
    if (hidden.has(n.id) || hiddenBy.has(n.id)) continue;
    const c = clusterOf.get(n.id) ?? null;
    if (c && (collapsed.has(c) || repeatOf.has(c))) continue;
    const loop = loopOf(n, compilation.id, kernels, options.loopBody === true);
    nodes.push({
      id: n.id,
      kind: n.kind,
      label: n.label,
      shape: n.shape,
      dtype: n.dtype,
      location: n.location,
      nameStack: n.nameStack,
      cluster: c,
      scope: tree.scopeOfNode.get(n.id) ?? terminals.get(n.id)?.scope ?? null,
      changed: changed.has(n.id),
      ...(loop ? { loop } : {}),
    });
  }
  const visibleKernels = new Set<string>();
  // Each collapsed kernel's drawn members, in graph order (one pass: 11,000 kernels × 47,000 nodes
  // filtered per kernel took minutes).
  const drawnMembers = new Map<string, GraphNode[]>();
  for (const n of rawNodes) {
    const k = clusterOf.get(n.id);
    if (k === undefined || !collapsed.has(k) || hiddenBy.has(n.id)) continue;
    (drawnMembers.get(k) ?? drawnMembers.set(k, []).get(k)!).push(n);
  }
  for (const c of allClusters) {
    if (!collapsed.has(c.id) || repeatOf.has(c.id)) continue;
    const members = drawnMembers.get(c.id) ?? [];
    if (!members.length) continue;
    visibleKernels.add(c.id);
    const last = members[members.length - 1];
    nodes.push({
      id: COLLAPSED_PREFIX + c.id,
      kind: "kernel",
      label: c.label,
      shape: last?.shape ?? [],
      dtype: last?.dtype ?? "",
      location: members.find((m) => m.location)?.location ?? null,
      nameStack: [],
      cluster: null,
      scope: kernelScope(c.id),
      changed: members.some((m) => changed.has(m.id)),
      share: c.share,
      summary: `${c.label} · ${Math.round(c.share * 100)}% of GPU time · ${members.length} ops`,
    });
  }

  const clusterById = new Map(allClusters.map((c) => [c.id, c]));
  const rawById = new Map(rawNodes.map((n) => [n.id, n]));
  for (const r of repeats) {
    if (!repeatOf.has(r.kernels[0]!)) continue; // unfolded
    const ops = r.kernels.flatMap((k) => membersOfKernel.get(k) ?? []).map((id) => rawById.get(id)!);
    const fold = describeFold(
      r,
      r.kernels.map((k) => clusterById.get(k)!),
      membersOfKernel.get(r.kernels[0]!)?.length ?? 0,
      formatNs,
    );
    nodes.push({
      id: r.id,
      kind: "kernel",
      ...fold,
      shape: [],
      dtype: "",
      location: ops.find((m) => m.location)?.location ?? null,
      nameStack: [],
      cluster: null,
      scope: kernelScope(r.kernels[0]!),
      changed: ops.some((m) => changed.has(m.id)),
    });
  }

  // Scopes: GPU time split evenly over each kernel's ops, then summed per scope.
  const nsOfOp = new Map<string, number>();
  for (const g of groups) {
    const ns = kernels.get(g.id)?.totalNs ?? 0;
    for (const id of g.nodes) nsOfOp.set(id, ns / Math.max(1, g.nodes.length));
  }
  const scopeSummary = (id: string): Omit<ModelScope, "parent" | "depth"> => {
    const sc = tree.scopes.get(id)!;
    const ks = new Set(sc.allOps.map((o) => clusterOf.get(o)).filter((k) => k !== undefined));
    const ns = sc.allOps.reduce((a, o) => a + (nsOfOp.get(o) ?? 0), 0);
    const share = totalNs > 0 ? ns / totalNs : 0;
    const time = ns > 0 ? ` · ${formatNs(ns)} (${Math.round(share * 100)}%)` : "";
    const site = compilation.scopeSites?.[id.slice(SCOPE_PREFIX.length)];
    const called = site ? ` · called at ${formatShortLocation(site)}` : "";
    return {
      id,
      label: sc.label,
      ops: sc.allOps.length,
      kernels: ks.size,
      ns,
      share,
      summary: `${sc.label} · ${sc.allOps.length} ops · ${ks.size} kernel${ks.size === 1 ? "" : "s"}${time}${called}`,
    };
  };
  const closedShown = new Set(hiddenBy.values());
  const foldById = new Map([...scopeFolds.values()].map((f) => [f.id, f]));
  for (const id of closedShown) {
    const fold = foldById.get(id);
    const inside = fold?.members ?? [id];
    const parts = inside.map(scopeSummary);
    const members = inside.flatMap((s) => tree.scopes.get(s)!.allOps.map((o) => rawById.get(o)!));
    const sc = tree.scopes.get(inside[0]!)!;
    nodes.push({
      id,
      kind: "scope",
      label: `▸ ${fold?.label ?? sc.label}`,
      shape: [],
      dtype: "",
      location: members.find((m) => m.location)?.location ?? null,
      nameStack: [],
      cluster: null,
      scope: sc.parent,
      changed: members.some((m) => changed.has(m.id)),
      share: parts.reduce((a, p) => a + p.share, 0),
      summary: fold ? describeScopeFold(fold, parts, formatNs) : parts[0]!.summary,
      ops: members.length,
    });
  }
  // Open scopes with something drawn in them (directly or below).
  const used = new Set<string>();
  const markUp = (sc: string | null): void => {
    for (let s2 = sc; s2 !== null && !used.has(s2); s2 = tree.scopes.get(s2)!.parent) used.add(s2);
  };
  for (const n of nodes) if (n.kind !== "kernel" && n.cluster === null) markUp(n.scope);
  const clusterScope: Record<string, string | null> = {};
  const drawnOps = new Set(nodes.map((n) => n.id));
  for (const c of allClusters) {
    // Only kernels drawn: expanded with an op in view, or collapsed into a node.
    if (collapsed.has(c.id) ? !visibleKernels.has(c.id) : !c.nodeIds.some((id) => drawnOps.has(id))) continue;
    const sc = kernelScope(c.id);
    clusterScope[c.id] = sc;
    markUp(sc);
  }
  for (const n of nodes) if (n.kind === "kernel") markUp(n.scope);
  const scopes: ModelScope[] = [...used]
    .map((id) => {
      const sc = tree.scopes.get(id)!;
      return { ...scopeSummary(id), parent: sc.parent, depth: sc.depth };
    })
    .sort((a, b) => a.depth - b.depth);

  const edges = drawnEdges(rawEdges, {
    hidden,
    drawnAs,
    clusterOf,
    boundaries: groups.length > 0 ? compilation.fusion.boundaries : [],
    loopBody: options.loopBody === true,
  });

  const shownClusters = allClusters
    .map((c) => ({ ...c, nodeIds: c.nodeIds.filter((id) => !hiddenBy.has(id)) }))
    .filter((c) => !collapsed.has(c.id) && !repeatOf.has(c.id) && c.nodeIds.length > 0);
  // An input read by many drawn nodes: one copy beside each reader (terminals.ts).
  const split = copyFanouts(nodes, edges, (r) => (r.cluster !== null ? (clusterScope[r.cluster] ?? null) : r.scope));
  // The leaves of one argument that only a closed group reads or writes: one node (terminalBundles.ts).
  const bundles = bundleTerminals(split.nodes, split.edges);
  const drawnFor: Record<string, string> = {};
  for (const n of rawNodes) {
    const d = split.copies.get(drawnAs(n.id)) ?? drawnAs(n.id);
    const shown = bundles.bundled.get(d) ?? d;
    if (shown !== n.id) drawnFor[n.id] = shown;
  }
  return {
    nodes: bundles.nodes,
    edges: bundles.edges,
    clusters: shownClusters,
    scopes,
    clusterScope,
    opCount,
    kernelView: options.kernelView === true,
    drawnFor,
    kernelCount: shownClusters.length + visibleKernels.size + repeats.filter((r) => repeatOf.has(r.kernels[0]!)).length,
    hiddenConstants: options.hideConstants ? hidden.size : 0,
    maxBytes: edges.reduce((a, e) => Math.max(a, e.bytes), 0),
    repeats: repeats.map((r) => ({ ...r, folded: repeatOf.has(r.kernels[0]!) })),
  };
}
