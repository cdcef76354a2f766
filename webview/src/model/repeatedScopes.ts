// Closed scopes that are calls of one function (`loss #1` … `loss #32`: a JS loop's iterations
// unrolled at trace time, or a model's repeated blocks) drawn as one node, "▸ loss #1–#32 ×32".
// The unrolled RNN fixture drew its 32 iterations as 32 closed groups in a diagonal staircase,
// each a speck at panel size. A click unfolds them. DOM-free.

import type { ScopeTree } from "@jitscope/contract";

/** Fewer calls than this stay apart. */
export const SCOPE_FOLD_MIN = 4;
export const SCOPE_FOLD_PREFIX = "scopes:";

export interface ScopeFold {
  /** `scopes:` and the calls' common path with `#` for the instance: "scopes:step/grad(loss)/#". */
  id: string;
  /** The folded scopes, in call order. */
  members: string[];
  /** "loss #1–#32 ×32" */
  label: string;
  parent: string | null;
}

/**
 * Folds of the closed scopes in `closed` that are instances (`…/#k`) of one function under one
 * parent, SCOPE_FOLD_MIN or more of them; those whose id is in `unfolded` are left out. Maps each
 * member scope to its fold.
 */
export function foldInstanceScopes(
  tree: ScopeTree,
  closed: ReadonlySet<string>,
  unfolded?: ReadonlySet<string>,
): Map<string, ScopeFold> {
  const groups = new Map<string, { k: number; id: string }[]>();
  for (const id of closed) {
    const m = /^(.*\/#)(\d+)$/.exec(id);
    const sc = tree.scopes.get(id);
    if (!m || !sc) continue;
    const key = `${sc.parent ?? ""}|${m[1]!}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push({ k: Number(m[2]), id });
  }
  const out = new Map<string, ScopeFold>();
  for (const [key, members] of groups) {
    if (members.length < SCOPE_FOLD_MIN) continue;
    const id = SCOPE_FOLD_PREFIX + key.slice(key.indexOf("|") + 1).replace(/^scope:/, "");
    if (unfolded?.has(id)) continue;
    members.sort((a, b) => a.k - b.k);
    const first = tree.scopes.get(members[0]!.id)!;
    const last = members[members.length - 1]!;
    // "loss #1" → "loss #1–#32 ×32".
    const label = `${first.label}–#${last.k} ×${members.length}`;
    const fold: ScopeFold = { id, members: members.map((m) => m.id), label, parent: first.parent };
    for (const m of members) out.set(m.id, fold);
  }
  return out;
}

/** The fold's hover line: its calls, their ops and kernels, their GPU time summed. */
export function describeScopeFold(
  fold: ScopeFold,
  parts: readonly { ops: number; kernels: number; ns: number; share: number }[],
  formatNs: (ns: number) => string,
): string {
  const ops = parts.reduce((a, p) => a + p.ops, 0);
  const kernels = parts.reduce((a, p) => a + p.kernels, 0);
  const ns = parts.reduce((a, p) => a + p.ns, 0);
  const share = parts.reduce((a, p) => a + p.share, 0);
  const time = ns > 0 ? ` · ${formatNs(ns)} (${Math.round(share * 100)}%)` : "";
  return (
    `${fold.label}: ${fold.members.length} calls of one function, folded · ${ops} ops · ` +
    `${kernels} kernel${kernels === 1 ? "" : "s"}${time} · click to unfold`
  );
}
