// Name stacks from the user's own functions. While a jitted function is traced, each op's stack
// names the user functions it was called under (`trainStep › loss › block › attention`); the
// transformations' names (`grad(loss)`, `transpose`, `vmap(f)`) are merged in where their
// function appears. A function whose position goes back to an earlier line at the same place in
// its caller (the next call in a loop, or the next pass of a loop inside it: a stack cannot tell
// them apart) starts a new instance, an instance segment,
// `#2`, `#3`, …, so an unrolled loop reads as one group per iteration; the first instance is
// renamed `#1` once a second exists (`numberFirstInstances`).

import type { UserFrame } from "../ir/location.js";
import type { SourceLocation } from "../ir/types.js";

/** Is `b` still the same call as `a`, further on? Lines only: nested calls on one line run
 *  inside out (`f(g(x))` calls g at a later column first), so columns go backwards in one call.
 *  A named scope's frame (scopeCalls.ts) stays at its call site: its serial says. */
function continues(a: UserFrame, b: UserFrame): boolean {
  return a.call !== undefined || b.call !== undefined ? a.call === b.call : b.line >= a.line;
}

const sameSite = (a: UserFrame, b: UserFrame): boolean =>
  a.name === b.name && a.file === b.file && a.line === b.line && a.column === b.column && a.call === b.call;

/**
 * Labels each op's user frames with instance numbers, in trace order. One per jit trace: the
 * numbering compares each op's frames with the previous op's.
 */
export class ScopeTracker {
  private prev: readonly UserFrame[] = [];
  private prevLabels: readonly string[] = [];
  private readonly counts = new Map<string, number>();
  /** Where each instance was called from, by its labels joined with "/": its caller's frame's
   *  position, as the caller is stopped at the call for as long as the instance runs. */
  private readonly sites = new Map<string, SourceLocation>();

  /** Call sites by the ops' name-stack paths (labels merged with transformation names). */
  readonly pathSites = new Map<string, SourceLocation>();
  private lastStack = "";

  /** Records where the scopes of an op's name stack `stack` were called from: `labels` are the
   *  labels it was merged from, `ends[j]` label j's last segment in it (mergeNameStack). */
  noteSites(labels: readonly string[], stack: readonly string[], ends: readonly number[]): void {
    const key = stack.join("/");
    if (key === this.lastStack) return; // the common case: the same scopes as the op before
    this.lastStack = key;
    for (let j = 1; j < labels.length; j++) {
      const path = stack.slice(0, ends[j]! + 1).join("/");
      if (this.pathSites.has(path)) continue;
      const site = this.sites.get(labels.slice(0, j + 1).join("/"));
      if (site) this.pathSites.set(path, site);
    }
  }

  /** Labels for `frames` (outermost first): the function's name, `name#k` from its k-th instance. */
  label(frames: readonly UserFrame[]): string[] {
    const prev = this.prev;
    let d = 0;
    while (d < frames.length && d < prev.length && sameSite(frames[d]!, prev[d]!)) d++;
    const labels = this.prevLabels.slice(0, d);
    for (let j = d; j < frames.length; j++) {
      const f = frames[j]!;
      const p = prev[j];
      const sameFunction = j === d && p !== undefined && p.name === f.name && p.file === f.file;
      if (sameFunction && continues(p, f)) {
        labels.push(this.prevLabels[j]!); // further on in the same call
        continue;
      }
      // A new call (or the same place reached again: a new instance of the function).
      const key = `${labels.join("/")}/${f.name}`;
      const n = (this.counts.get(key) ?? 0) + 1;
      this.counts.set(key, n);
      labels.push(n === 1 ? f.name : `${f.name}#${n}`);
      // A named scope's frame sits at its own call; a function's caller is stopped at the call.
      const caller = f.call !== undefined ? f : j > 0 ? (f.calledFrom ?? frames[j - 1]) : undefined;
      // A named scope opened where no user frame was seen has no line to give.
      if (caller && caller.file && caller.line > 0)
        this.sites.set(labels.join("/"), { file: caller.file, line: caller.line, column: caller.column });
    }
    this.prev = frames;
    this.prevLabels = labels;
    return labels;
  }
}

const baseName = (label: string): string => {
  const i = label.lastIndexOf("#");
  return i > 0 ? label.slice(0, i) : label;
};

/** Does transformation name `t` (`trainStep`, `grad(loss)`, `vmap(f)`) stand for function `fn`? */
const standsFor = (t: string, fn: string): boolean => t === fn || t.endsWith(`(${fn})`);

/**
 * One name stack from the transformations' names (outermost first, as `withName` pushed them)
 * and the user frames' labels: a transformation takes the place of the function it applies to;
 * one with no frame of its own (`transpose`, a jit given another name) goes where it was pushed.
 * An instance label `f#k` becomes two segments, `f` then `#k`. `ends[j]` is set to the index of
 * label j's last segment.
 */
export function mergeNameStack(names: readonly string[], labels: readonly string[], ends: number[] = []): string[] {
  const out: string[] = [];
  let i = 0;
  const flushUnmatched = (from: number): void => {
    while (i < names.length && !labels.slice(from).some((l) => standsFor(names[i]!, baseName(l))))
      out.push(names[i++]!);
  };
  flushUnmatched(0);
  labels.forEach((label, j) => {
    const base = baseName(label);
    const instance = label.length > base.length ? label.slice(base.length) : null;
    if (i < names.length && standsFor(names[i]!, base)) {
      out.push(names[i++]!);
      ends[j] = out.length - 1;
      // `transpose` belongs to grad(f) itself, before f's instance: grad(loss)/transpose/#3.
      flushUnmatched(j + 1);
      if (instance) ends[j] = out.push(instance) - 1;
    } else {
      out.push(base);
      if (instance) out.push(instance);
      ends[j] = out.length - 1;
      flushUnmatched(j + 1);
    }
  });
  while (i < names.length) out.push(names[i++]!);
  return out;
}

/** Within one program: where a scope has a `#2`, its first instance (no segment yet) gets `#1`.
 *  Scope paths (stacks joined with "/", as `sites` is keyed) are renamed alike. */
export function numberFirstInstances(
  stacks: readonly (readonly string[])[],
  sites: ReadonlyMap<string, SourceLocation> = new Map(),
): { stacks: string[][]; sites: Record<string, SourceLocation> } {
  const repeated = new Set<string>();
  for (const s of stacks) {
    s.forEach((seg, j) => {
      if (seg === "#2") repeated.add(s.slice(0, j).join("/"));
    });
  }
  const renumber = (s: readonly string[]): string[] => {
    if (repeated.size === 0) return [...s];
    const out: string[] = [];
    s.forEach((seg, j) => {
      out.push(seg);
      const next = s[j + 1];
      if (!next?.startsWith("#") && repeated.has(s.slice(0, j + 1).join("/"))) out.push("#1");
    });
    return out;
  };
  const renamed: Record<string, SourceLocation> = {};
  for (const [path, site] of sites) renamed[renumber(path.split("/")).join("/")] = site;
  return { stacks: stacks.map(renumber), sites: renamed };
}
