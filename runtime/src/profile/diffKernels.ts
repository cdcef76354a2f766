// Kernels of two runs matched by provenance. Within one scope (a jitted function at one input
// signature, or the eager ops), kernels whose (line, op) multisets are equal after the line
// alignment are the same kernel. The rest are grouped by the provenance they share: one old to
// one new is a changed kernel, one to many a split, many to one a merge, none to some an addition.

import { countDelta, estimateOf, measuredDelta, scaled, sumOf, withinTick } from "./diffStats.js";
import type { Atom, Provenance } from "./diffProvenance.js";
import type { DiffKernelRef, Estimate, KernelChange, KernelDiffEntry } from "@jitscope/contract";
import type { KernelReport, Report } from "@jitscope/contract";

/** A kernel with what the diff needs of it, lines already in the new run's numbering. */
export interface SideKernel {
  k: KernelReport;
  atoms: Atom[];
  /** Atom keys after mapping ("file:line:op"; an old line without counterpart: "file:old12:op"). */
  keys: string[];
  /** Dispatches per call of its function (per run for eager kernels). */
  perCall: number;
  /** GPU ms per call: median per dispatch × dispatches per call. */
  time: Estimate | null;
  /** Its distinct (file, new-numbered line) keys, for the per-line split. */
  lineKeys: string[];
}

export function sideKernels(
  p: Provenance,
  mapLine: (file: string, line: number) => number | null,
): Map<string, SideKernel[]> {
  const r = p.report;
  const callsOf = new Map<string, number>();
  for (const c of r.compilations)
    callsOf.set(c.id, Math.max(1, ...c.kernels.map((id) => r.kernels.find((k) => k.id === id)?.dispatches ?? 0)));
  const scopes = new Map<string, SideKernel[]>();
  for (const k of r.kernels) {
    const atoms = p.atoms(k);
    const keys = atoms.map((a) => {
      const l = mapLine(a.file, a.line);
      return `${a.file}:${l === null ? `old${a.line}` : l}:${a.op}`;
    });
    const perCall = k.compilation ? k.dispatches / (callsOf.get(k.compilation) ?? 1) : k.dispatches;
    const est = withinTick(estimateOf(k.gpuTimesNs), r.device.timestampTickNs);
    const lineKeys = [...new Set(keys.map((key) => key.slice(0, key.lastIndexOf(":"))))];
    const s: SideKernel = { k, atoms, keys, perCall, time: est ? scaled(est, perCall / 1e6) : null, lineKeys };
    const scope = scopeOf(r, k);
    let list = scopes.get(scope);
    if (!list) scopes.set(scope, (list = []));
    list.push(s);
  }
  return scopes;
}

/** "jit:<function>|<input signature>" or "eager". The output part of a signature is left out:
 *  an edit may change it, and the inputs are what selects a compilation. */
function scopeOf(r: Report, k: KernelReport): string {
  if (!k.compilation) return "eager";
  const c = r.compilations.find((x) => x.id === k.compilation);
  return c ? `jit:${c.functionName}|${c.signature.split(" -> ")[0]}` : `jit:?${k.compilation}`;
}

/** Scope pairs: equal keys; then a function with one unpaired scope on each side (its inputs
 *  changed shape, say) pairs those two. */
function pairScopes(old: Map<string, SideKernel[]>, now: Map<string, SideKernel[]>): [SideKernel[], SideKernel[]][] {
  const fn = (scope: string) => scope.split("|")[0]!;
  const pairs: [SideKernel[], SideKernel[]][] = [];
  const oldLeft = [...old.keys()].filter((s) => !now.has(s));
  const newLeft = [...now.keys()].filter((s) => !old.has(s));
  for (const [scope, n] of now) if (old.has(scope)) pairs.push([old.get(scope)!, n]);
  for (const s of newLeft) {
    const o = oldLeft.filter((x) => fn(x) === fn(s));
    if (o.length === 1 && newLeft.filter((x) => fn(x) === fn(s)).length === 1) {
      pairs.push([old.get(o[0]!)!, now.get(s)!]);
      oldLeft.splice(oldLeft.indexOf(o[0]!), 1);
    } else pairs.push([[], now.get(s)!]);
  }
  for (const s of oldLeft) pairs.push([old.get(s)!, []]);
  return pairs;
}

export function functionOf(r: Report, k: KernelReport): string | null {
  return k.compilation ? (r.compilations.find((c) => c.id === k.compilation)?.functionName ?? null) : null;
}

/** Entries for every kernel of both runs, scope by scope. */
export function matchKernels(
  oldR: Report,
  newR: Report,
  old: Map<string, SideKernel[]>,
  now: Map<string, SideKernel[]>,
): KernelDiffEntry[] {
  const entries: KernelDiffEntry[] = [];
  for (const [oldScope, newScope] of pairScopes(old, now)) {
    const o = [...oldScope];
    const n = newScope;
    // Same provenance multiset: the same kernel (pairs in dispatch order).
    const sig = (s: SideKernel) => [...s.keys].sort().join("|");
    const rest: SideKernel[] = [];
    for (const s of n) {
      const i = o.findIndex((x) => sig(x) === sig(s));
      if (i >= 0) entries.push(entry(oldR, newR, "same", [o.splice(i, 1)[0]!], [s]));
      else rest.push(s);
    }
    for (const [og, ng] of components(o, rest)) entries.push(entry(oldR, newR, changeOf(og.length, ng.length), og, ng));
  }
  return entries;
}

function changeOf(o: number, n: number): KernelChange {
  if (o === 0) return "added";
  if (n === 0) return "removed";
  if (o === 1 && n === 1) return "changed";
  if (o === 1) return "split";
  if (n === 1) return "merged";
  return "regrouped";
}

/** Connected groups of old and new kernels linked by a shared (line, op). */
function components(old: SideKernel[], now: SideKernel[]): [SideKernel[], SideKernel[]][] {
  const all = [...old, ...now];
  const parent = all.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const byKey = new Map<string, number>();
  all.forEach((s, i) => {
    for (const key of new Set(s.keys)) {
      const j = byKey.get(key);
      if (j === undefined) byKey.set(key, i);
      else parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, [SideKernel[], SideKernel[]]>();
  all.forEach((s, i) => {
    const root = find(i);
    let g = groups.get(root);
    if (!g) groups.set(root, (g = [[], []]));
    (i < old.length ? g[0] : g[1]).push(s);
  });
  return [...groups.values()];
}

function ref(s: SideKernel): DiffKernelRef {
  return {
    id: s.k.id,
    name: s.k.name,
    ops: [...new Set(s.k.ops)],
    lines: [...new Set(s.atoms.map((a) => a.line))].sort((a, b) => a - b),
  };
}

function entry(oldR: Report, newR: Report, change: KernelChange, o: SideKernel[], n: SideKernel[]): KernelDiffEntry {
  const oldKeys = new Set(o.flatMap((s) => s.keys));
  const newKeys = new Set(n.flatMap((s) => s.keys));
  const describe = (key: string) => {
    const [line, op] = key.slice(key.lastIndexOf(":", key.lastIndexOf(":") - 1) + 1).split(":");
    return line!.startsWith("old") ? `${op} @ old line ${line!.slice(3)}` : `${op} @ line ${line}`;
  };
  const lines = new Set<number>();
  for (const key of [...newKeys, ...(n.length === 0 ? oldKeys : [])]) {
    const line = key.split(":").at(-2)!;
    if (!line.startsWith("old")) lines.add(Number(line));
  }
  const first = n[0] ?? o[0]!;
  const perCall = (g: SideKernel[]) => g.reduce((t, s) => t + s.perCall, 0);
  const time = (g: SideKernel[]) => (g.length === 0 ? null : sumOf(g.map((s) => s.time)));
  return {
    change,
    function: functionOf(n.length > 0 ? newR : oldR, first.k),
    file: first.atoms[0]?.file ?? null,
    old: o.map(ref),
    new: n.map(ref),
    lines: [...lines].sort((a, b) => a - b),
    opsAdded: change === "same" ? [] : [...newKeys].filter((key) => !oldKeys.has(key)).map(describe),
    opsRemoved: change === "same" ? [] : [...oldKeys].filter((key) => !newKeys.has(key)).map(describe),
    gpuMsPerCall: measuredDelta(time(o), time(n)),
    dispatchesPerCall: countDelta(perCall(o), perCall(n)),
  };
}
