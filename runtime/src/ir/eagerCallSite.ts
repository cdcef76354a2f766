// The call site of a profiled eager op whose call was not marked (ir/markedSites.ts: a program
// `jitscope profile` did not bundle), found from a shallow stack capture. Capturing costs per
// frame (V8 summarizes each, and reading builds a call-site object for each), and a profiled
// loop of tiny ops captures once per op; so each primitive captures as many frames as it has
// needed so far: np's own frames above `bind` are a fixed few for a given np function, and the
// user's frame comes right after them. A capture that fell short (a deeper np function calling
// the same primitive) is read again with a full capture, and that primitive then captures the
// most frames from then on: it never misses twice, and it never captures more than before.

import { captureUserLocation, lastUserFrameIndex, userFrameOfCapture } from "./location.js";
import type { SourceLocation } from "./types.js";

/** The most frames a profiled eager op captures (np's frames above bind, then the user's). */
export const SHALLOW_FRAMES = 6;

/** Frames each primitive captures: the deepest index its user frame was found at, plus one. */
const framesOf = new Map<string, number>();

/** Time spent finding eager ops' lines so far, ms: the profiler's own work, which an eager
 *  call's cost leaves out (trace/jit.ts). Two clock reads per capture and per read. */
let siteMs = 0;

export function eagerSiteMs(): number {
  return siteMs;
}

/** Captures the stack above `below` (bind) for `prim`'s call site; read it with `eagerSiteOf`. */
export function captureEagerSite(prim: string, below: (...args: never[]) => unknown): { stack?: unknown } {
  const t0 = performance.now();
  const holder = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = framesOf.get(prim) ?? SHALLOW_FRAMES;
  Error.captureStackTrace(holder, below);
  Error.stackTraceLimit = limit;
  siteMs += performance.now() - t0;
  return holder;
}

/** The user's frame in a capture of `captureEagerSite` (read it while the op's call is still on
 *  the stack: a capture that fell short is retaken whole from here). */
export function eagerSiteOf(prim: string, holder: { stack?: unknown }): SourceLocation | null {
  const t0 = performance.now();
  try {
    return siteOf(prim, holder);
  } finally {
    siteMs += performance.now() - t0;
  }
}

function siteOf(prim: string, holder: { stack?: unknown }): SourceLocation | null {
  const loc = userFrameOfCapture(holder);
  const frames = framesOf.get(prim);
  if (loc) {
    const needed = lastUserFrameIndex() + 1;
    if (needed > 0 && (frames === undefined || needed > frames)) framesOf.set(prim, Math.min(needed, SHALLOW_FRAMES));
    return loc;
  }
  // No user frame among the frames taken: take them all, and capture the most from now on.
  if (frames !== undefined && frames < SHALLOW_FRAMES) framesOf.set(prim, SHALLOW_FRAMES);
  return captureUserLocation();
}

/** Forgets what each primitive needed (tests). */
export function resetEagerSiteDepths(): void {
  framesOf.clear();
}

/** Frames `prim` captures now (tests). */
export function eagerSiteFrames(prim: string): number {
  return framesOf.get(prim) ?? SHALLOW_FRAMES;
}
