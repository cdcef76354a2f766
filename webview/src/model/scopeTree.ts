// The scopes the graph opens by default (the tree itself, and where kernels lie in it, are the
// contract's: contract/src/scopeTree.ts). DOM-free.

import { SCOPE_PREFIX, type Scope, type ScopeTree } from "@jitscope/contract";

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
