// Call sites marked in the user's code when it is bundled for a profile (cli/callSiteMarks.ts),
// so a profiled eager op finds its line without a stack capture (one cost 10-15 µs per op in a
// loop of tiny ops each waited for, most of the profiler's overhead there: ir/eagerCallSite.ts).
// Every call in the user's files becomes `restore(saved(), f(a, mark(id, b)))`: `mark` runs after
// the arguments, just before f is entered, and `restore` puts the previous mark back when f
// returns. So the mark is always the innermost user call still running, which is the first user
// frame a stack capture finds. A call that throws leaves its mark until the next one; an op bound
// with no mark (code that was not bundled, or a runtime continuation after an await, where every
// call before it has returned) falls back to the stack.

import type { SourceLocation } from "./types.js";

/** Marked call sites, by id (0: no mark). Registered by the bundle before any of its code runs. */
const sites: (SourceLocation | null)[] = [null];
let current = 0;

/** Registers a bundle's call sites: flat (file index, line, column) triples, ids counting from 1. */
export function registerMarkedSites(files: readonly string[], flat: readonly number[]): void {
  const objects = files.map(() => new Map<number, SourceLocation>());
  for (let i = 0; i + 2 < flat.length; i += 3) {
    const f = flat[i]!;
    const line = flat[i + 1]!;
    const column = flat[i + 2]!;
    // One object per position: callers key their caches by a location's identity.
    const byPos = objects[f]!;
    const key = line * 2 ** 21 + column;
    let loc = byPos.get(key);
    if (!loc) byPos.set(key, (loc = { file: files[f]!, line, column }));
    sites.push(loc);
  }
}

/** The user call being made right now, if the bundle marked it. */
export function markedSite(): SourceLocation | null {
  return current === 0 ? null : (sites[current] ?? null);
}

/** `f(a, mark(id, b))`: marks call `id` once its arguments are evaluated; returns the last one. */
export function markCall<T>(id: number, lastArgument: T): T {
  current = id;
  return lastArgument;
}

const NO_ARGUMENTS: readonly never[] = Object.freeze([]);

/** `f(...markNoArgs(id))`: marks a call that has no arguments (and passes none). */
export function markCallNoArgs(id: number): readonly never[] {
  current = id;
  return NO_ARGUMENTS;
}

/** The mark before a call (`restoreMark` puts it back once the call returns). */
export function savedMark(): number {
  return current;
}

export function restoreMark<T>(saved: number, result: T): T {
  current = saved;
  return result;
}

/** Forgets every mark (tests). */
export function resetMarkedSites(): void {
  sites.length = 1;
  current = 0;
}
