// The scopes of a pass graph: a tree built from the ops' name stacks (`trainStep › grad(loss) ›
// block › #2 › attention`), drawn as nested collapsible groups. DOM-free.
//
// The prefix every op shares (the jitted function's own name) is left out, and a scope whose
// only content is one child scope is merged with it ("grad(loss) › block"), so no group stands
// for nothing. An instance segment `#k` is labelled with its function: "block #2".

import type { GraphNode } from "@jitscope/contract";

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
  const segLabel = (segs: string[], i: number): string =>
    segs[i]!.startsWith("#") && i > 0 ? `${segs[i - 1]!.replace(/^.*\((.*)\)$/, "$1")} ${segs[i]}` : segs[i]!;
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

/** Above this many ops, scopes start collapsed and are opened only while the drawing stays small:
 *  every scope of a 222-op GRU step open drew 262 nodes at 2–3 px a label once fitted to the
 *  panel, and a 100-op CNN step 110 at 3 px; opened within the budget they draw 43 and 52. */
export const SCOPES_OPEN_LIMIT = 60;
/** Above this many kernels the kernel graph starts with its scopes closed: 148 kernels of a
 *  transformer step all drawn at once were a tangle; closed groups with their times are not. */
export const KERNEL_SCOPES_OPEN_LIMIT = 60;
/** Units (nodes and groups) a default opening may show. */
const DEFAULT_UNIT_BUDGET = 30;

/** A library composite the user called (`optim.adamw.update`, `nn.dot_product_attention`,
 *  `random.normal #2`): the runtime names them after their namespace, which no JS function
 *  name can contain. */
const LIBRARY_SCOPE = /^(optim|nn|random)\./;
export function isLibraryScope(s: Pick<Scope, "id">): boolean {
  const segs = s.id.slice(SCOPE_PREFIX.length).split("/");
  const last = segs[segs.length - 1]!.startsWith("#") ? segs[segs.length - 2] : segs[segs.length - 1];
  return LIBRARY_SCOPE.test(last ?? "");
}

/** Biggest first, the library's composites after the user's own scopes. */
function openingOrder(a: Scope, b: Scope): number {
  return Number(isLibraryScope(a)) - Number(isLibraryScope(b)) || b.allOps.length - a.allOps.length;
}

/**
 * The scopes open by default: all of them up to SCOPES_OPEN_LIMIT ops; past that, biggest first, each
 * scope opened while the number of things drawn stays within budget (or while fewer than eight
 * things are drawn at all, except a library composite once another scope is open: the ViT's
 * step opened its 680-op optimizer update beside the model by that rule).
 */
export function defaultOpenScopes(tree: ScopeTree, totalOps: number, limit = SCOPES_OPEN_LIMIT): Set<string> {
  const open = new Set<string>();
  if (totalOps <= limit) {
    for (const id of tree.scopes.keys()) open.add(id);
    return open;
  }
  // Biggest scopes first: the forward and backward pass before a four-op helper.
  let units = tree.roots.length;
  const queue = [...tree.roots];
  while (queue.length) {
    queue.sort((a, b) => openingOrder(tree.scopes.get(a)!, tree.scopes.get(b)!));
    const s = tree.scopes.get(queue.shift()!)!;
    const cost = s.ops.length + s.children.length - 1;
    // A top level of a handful of things says nothing: the biggest scope opens whatever it costs
    // (an unrolled loop shows its iterations, closed), then the budget rules.
    if (units + cost > DEFAULT_UNIT_BUDGET && (units >= 8 || (open.size > 0 && isLibraryScope(s)))) continue;
    units += cost;
    open.add(s.id);
    queue.push(...s.children);
  }
  return open;
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
