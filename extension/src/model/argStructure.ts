// A compilation's arguments by their structure in the user's code: the trace labels each graph
// input with its argument path (`p.w1`, `opt.m[1]`, `x`), and the hover regroups those leaves by
// top-level argument (`p: {w1: float32[8,32], b1: float32[32]}`) instead of a flat aval list.

import { formatAval, type Compilation, type GraphNode } from "@jitscope/contract";

type Tree =
  | { kind: "leaf"; aval: string }
  | { kind: "dict"; entries: Map<string, Tree> }
  | { kind: "list"; entries: Map<number, Tree> };
type Segment = { kind: "dict"; key: string } | { kind: "list"; index: number };

/** Entries shown per container before "… N more": a hover line stays readable for big optimizer states. */
const MAX_ENTRIES = 8;
const IDENT = /^[A-Za-z_$][\w$]*/;

/** `p.w1` → ["p", [.w1]]; `opt.m[1]` → ["opt", [.m, [1]]]; `d["a b"]` too. Null when it is no path. */
function parsePath(path: string): { root: string; segments: Segment[] } | null {
  const root = IDENT.exec(path)?.[0];
  if (!root) return null;
  const segments: Segment[] = [];
  let rest = path.slice(root.length);
  while (rest) {
    const dot = /^\.([A-Za-z_$][\w$]*)/.exec(rest);
    const index = /^\[(\d+)\]/.exec(rest);
    const quoted = /^\[("(?:[^"\\]|\\.)*")\]/.exec(rest);
    if (dot) segments.push({ kind: "dict", key: dot[1]! });
    else if (index) segments.push({ kind: "list", index: Number(index[1]) });
    else if (quoted) segments.push({ kind: "dict", key: JSON.parse(quoted[1]!) as string });
    else return null;
    rest = rest.slice((dot ?? index ?? quoted)![0].length);
  }
  return { root, segments };
}

const avalOf = (n: GraphNode) => formatAval(n.dtype, n.shape);

/** Puts `aval` at `segments` under `into`; false when the paths disagree (a leaf and a container). */
function insert(into: Tree, segments: Segment[], aval: string): boolean {
  const [first, ...rest] = segments;
  if (!first) return false;
  if (into.kind !== first.kind) return false;
  const entries = into.entries as Map<string | number, Tree>;
  const key = first.kind === "dict" ? first.key : first.index;
  const existing = entries.get(key);
  if (rest.length === 0) {
    if (existing) return false;
    entries.set(key, { kind: "leaf", aval });
    return true;
  }
  const child =
    existing ??
    (rest[0]!.kind === "dict"
      ? { kind: "dict", entries: new Map<string, Tree>() }
      : { kind: "list", entries: new Map<number, Tree>() });
  entries.set(key, child);
  return insert(child, rest, aval);
}

function render(t: Tree): string {
  if (t.kind === "leaf") return t.aval;
  const items =
    t.kind === "dict"
      ? [...t.entries].map(([k, v]) => `${IDENT.exec(k)?.[0] === k ? k : JSON.stringify(k)}: ${render(v)}`)
      : [...t.entries].sort(([a], [b]) => a - b).map(([, v]) => render(v));
  const shown = items.slice(0, MAX_ENTRIES);
  if (items.length > MAX_ENTRIES) shown.push(`… ${items.length - MAX_ENTRIES} more`);
  return t.kind === "dict" ? `{${shown.join(", ")}}` : `[${shown.join(", ")}]`;
}

/**
 * One `name: structure` text per top-level argument, in argument order, from the first pass's
 * input nodes; null when the report has no labelled inputs or a label is no argument path.
 */
export function argumentStructure(comp: Compilation): string[] | null {
  const nodes = comp.passes[0]?.graph.nodes ?? [];
  const inputs = nodes
    .map((n) => ({ n, i: n.kind === "input" ? /^in(\d+)$/.exec(n.id)?.[1] : undefined }))
    .filter((x): x is { n: GraphNode; i: string } => x.i !== undefined)
    .sort((a, b) => Number(a.i) - Number(b.i));
  if (inputs.length === 0) return null;
  const roots = new Map<string, Tree>();
  for (const { n } of inputs) {
    const path = parsePath(n.label);
    if (!path) return null;
    const existing = roots.get(path.root);
    if (path.segments.length === 0) {
      if (existing) return null;
      roots.set(path.root, { kind: "leaf", aval: avalOf(n) });
      continue;
    }
    const tree =
      existing ??
      (path.segments[0]!.kind === "dict"
        ? { kind: "dict", entries: new Map<string, Tree>() }
        : { kind: "list", entries: new Map<number, Tree>() });
    roots.set(path.root, tree);
    if (!insert(tree, path.segments, avalOf(n))) return null;
  }
  return [...roots].map(([name, t]) => `${name}: ${render(t)}`);
}
