// The scopes of a pass graph: a tree built from the ops' name stacks (`trainStep › grad(loss) ›
// block › #2 › attention`), and where each kernel lies among them. The panel draws the tree as
// nested collapsible groups; the Kernels table and the editor's hover name a kernel's scope the
// same way, from here.
//
// The prefix every op shares (the jitted function's own name) is left out, and a scope whose
// only content is one child scope is merged with it ("grad(loss) › block"), so no group stands
// for nothing. An instance segment `#k` is labelled with its function: "block #2".

import { formatShortLocation } from "./format.js";
import type { Report } from "./report.js";
import type { GraphNode } from "./compilation.js";

export interface Scope {
  /** "scope:" + the op's name stack down to this scope, joined by "/". */
  id: string;
  /** What the group says: merged chains joined by " › ". */
  label: string;
  parent: string | null;
  children: string[];
  /** Op nodes directly in this scope (not in a child). */
  ops: string[];
  /** Op nodes in this scope and below. */
  allOps: string[];
  depth: number;
}

export interface ScopeTree {
  scopes: Map<string, Scope>;
  /** Top-level scopes. */
  roots: string[];
  /** The innermost scope of each op node that has one. */
  scopeOfNode: Map<string, string>;
}

export const SCOPE_PREFIX = "scope:";

export function buildScopeTree(nodes: readonly GraphNode[]): ScopeTree {
  const ops = nodes.filter((n) => n.kind === "op");
  // The common prefix of every op's stack.
  let common = ops.length ? ops[0]!.nameStack.length : 0;
  for (const n of ops) {
    let i = 0;
    while (i < common && i < n.nameStack.length && n.nameStack[i] === ops[0]!.nameStack[i]) i++;
    common = i;
  }
  const prefix = ops.length ? ops[0]!.nameStack.slice(0, common) : [];
  interface Raw {
    segs: string[];
    children: Map<string, Raw>;
    ops: string[];
  }
  const root: Raw = { segs: [], children: new Map(), ops: [] };
  for (const n of ops) {
    let at = root;
    for (const seg of n.nameStack.slice(common)) {
      let next = at.children.get(seg);
      if (!next) at.children.set(seg, (next = { segs: [...at.segs, seg], children: new Map(), ops: [] }));
      at = next;
    }
    at.ops.push(n.id);
  }
  const scopes = new Map<string, Scope>();
  const scopeOfNode = new Map<string, string>();
  // "#2" is the 2nd call of the function before it, which may lie in the common prefix: a step
  // that is all `layer(layer(x))` has scopes "#1" and "#2" under its shared `step › layer`.
  const segLabel = (segs: string[], i: number): string => {
    const before = i > 0 ? segs[i - 1] : prefix[prefix.length - 1];
    return segs[i]!.startsWith("#") && before !== undefined
      ? `${before.replace(/^.*\((.*)\)$/, "$1")} ${segs[i]}`
      : segs[i]!;
  };
  const emit = (raw: Raw, parent: string | null, depth: number): string => {
    // Merge a chain of single children with no ops of their own.
    const labels = [segLabel(raw.segs, raw.segs.length - 1)];
    let at = raw;
    while (at.ops.length === 0 && at.children.size === 1) {
      at = [...at.children.values()][0]!;
      labels.push(segLabel(at.segs, at.segs.length - 1));
    }
    const id = SCOPE_PREFIX + [...prefix, ...at.segs].join("/");
    // "block › block #2" says block twice: keep the instance only.
    const label = labels.filter((l, i) => !(i + 1 < labels.length && labels[i + 1]!.startsWith(`${l} #`))).join(" › ");
    const scope: Scope = { id, label, parent, children: [], ops: [...at.ops], allOps: [...at.ops], depth };
    scopes.set(id, scope);
    for (const o of at.ops) scopeOfNode.set(o, id);
    for (const child of at.children.values()) {
      const cid = emit(child, id, depth + 1);
      scope.children.push(cid);
      scope.allOps.push(...scopes.get(cid)!.allOps);
    }
    return id;
  };
  const roots = [...root.children.values()].map((c) => emit(c, null, 0));
  return { scopes, roots, scopeOfNode };
}

/** The outermost closed scope that hides op `nodeId`, or null when every scope around it is open. */
export function closedScopeOf(tree: ScopeTree, nodeId: string, isOpen: (scope: string) => boolean): string | null {
  let s = tree.scopeOfNode.get(nodeId) ?? null;
  let hiddenBy: string | null = null;
  while (s !== null) {
    if (!isOpen(s)) hiddenBy = s;
    s = tree.scopes.get(s)!.parent;
  }
  return hiddenBy;
}

/** The deepest scope holding all of `nodeIds` (null: the top level). */
export function commonScope(tree: ScopeTree, nodeIds: readonly string[]): string | null {
  let chain: string[] | null = null;
  for (const id of nodeIds) {
    const mine: string[] = [];
    for (let s = tree.scopeOfNode.get(id) ?? null; s !== null; s = tree.scopes.get(s)!.parent) mine.unshift(s);
    if (chain === null) chain = mine;
    else {
      let i = 0;
      while (i < chain.length && i < mine.length && chain[i] === mine[i]) i++;
      chain = chain.slice(0, i);
    }
    if (chain.length === 0) return null;
  }
  return chain && chain.length ? chain[chain.length - 1]! : null;
}

/**
 * The scopes just below `common` (null: the top level) that hold `nodeIds`, when each of them
 * lies in one of those and none in `common` itself, in the tree's order; otherwise empty. A
 * kernel that fuses Adam's last step with apply_updates' add lies in neither scope: its ops
 * are the two scopes' (`optim.adam.update + optim.apply_updates`), not the step's own.
 */
export function spannedScopes(tree: ScopeTree, nodeIds: readonly string[], common: string | null): string[] {
  const below = new Set<string>();
  for (const id of nodeIds) {
    let s = tree.scopeOfNode.get(id) ?? null;
    if (s === common) return [];
    while (s !== null && tree.scopes.get(s)!.parent !== common) s = tree.scopes.get(s)!.parent;
    if (s === null) return [];
    below.add(s);
  }
  if (below.size < 2) return [];
  const order = common === null ? tree.roots : tree.scopes.get(common)!.children;
  return order.filter((s) => below.has(s));
}

/** Each jit kernel's scope (the Kernels table's Scope column, the hover's "in …"), by kernel id:
 *  the deepest scope holding its ops at its compilation's fuse pass, where the graph draws the
 *  kernels among the scopes, or the scopes below it that hold them when none is its own; and
 *  where that scope was called from (null for several scopes, or none recorded). */
export function kernelScopes(report: Report): Map<string, { label: string; site: string | null }> {
  const out = new Map<string, { label: string; site: string | null }>();
  for (const c of report.compilations) {
    const pass = c.passes.find((p) => p.name === "fuse");
    if (!pass) continue;
    const tree = buildScopeTree(pass.graph.nodes);
    for (const k of report.kernels) {
      if (k.compilation !== c.id || k.opIds.length === 0) continue;
      const labels: string[] = [];
      const deepest = commonScope(tree, k.opIds);
      for (let s = deepest; s !== null; s = tree.scopes.get(s)!.parent) labels.unshift(tree.scopes.get(s)!.label);
      // "conv › conv #4" says conv twice (the function, then its 4th call): the instance only.
      const named = labels.filter((l, i) => !(i + 1 < labels.length && labels[i + 1]!.startsWith(`${l} #`)));
      // Ops all in two or more scopes under the common one: named by those, with no one site.
      const parts = spannedScopes(tree, k.opIds, deepest).map((s) => tree.scopes.get(s)!.label);
      if (parts.length) {
        const shown = parts.length > 3 ? [...parts.slice(0, 2), `${parts.length - 2} more`] : parts;
        // "block › block #1 + block #2": the instances say block already.
        const outer = parts.every((p) => p.startsWith(`${named[named.length - 1]} #`)) ? named.slice(0, -1) : named;
        out.set(k.id, { label: [...outer, shown.join(" + ")].join(" › "), site: null });
        continue;
      }
      const site = deepest === null ? undefined : c.scopeSites?.[deepest.slice(SCOPE_PREFIX.length)];
      if (named.length) out.set(k.id, { label: named.join(" › "), site: site ? formatShortLocation(site) : null });
    }
  }
  return out;
}
