// stop_gradient inside a loop body. Eagerly and at a jit's top level, stopGradient unwraps the
// AD tracer it is given and leaves no equation. A loop body, though, is traced to a program first
// and differentiated later, by re-evaluating that program under jvp or grad (loopJvp.ts,
// loopVjp.ts): a value stopped while tracing the body would then get a tangent again. So inside a
// body stopGradient emits an identity (a reshape to the same shape) and marks its output here;
// evalProgram applies stopGradient again to a marked output, which keeps the mark in the program
// it traces.

import type { Tracer } from "./core.js";
import type { Var } from "../ir/types.js";

const stopped = new WeakSet<Var>();
let stopFn: ((x: Tracer) => Tracer) | null = null;

export function markStopped(v: Var): void {
  stopped.add(v);
}

export function isStopped(v: Var): boolean {
  return stopped.has(v);
}

/** stopGradient, registered by trace/stopGradient.ts (importing it here would be a cycle). */
export function setStopGradient(f: (x: Tracer) => Tracer): void {
  stopFn = f;
}

export function applyStopGradient(x: Tracer): Tracer {
  return stopFn ? stopFn(x) : x;
}
