// Scopes that are not the user's own functions: `named_scope("attention", fn)` (jax.named_scope),
// and the library's composites a user calls (an optimizer's update, attention, a loss, a sampler).
// Without them an optimizer's update over 30 parameters was 168 ops at the top level of a ResNet's
// step, each leaf's kernel drawn apart with edges to its inputs; as a scope it is one closed group.
//
// Each open scope call becomes a frame among the user frames an op is traced under (scopes.ts
// labels them), inserted below the user frames that were on the stack when it opened. Its `call`
// serial tells two calls from one site apart (a loop calling named_scope twice at one line).

import { userFrameOfCapture, userFramesOfCapture, type UserFrame } from "../ir/location.js";

interface ScopeCall {
  frame: UserFrame;
  /** How many user frames were on the stack when it opened: it goes right below them. */
  depth: number;
  /** A library composite: the ops of whatever it calls stay in it (no scope of its own inside). */
  library: boolean;
}

let tracking = false;
const open: ScopeCall[] = [];
let serial = 0;

/** Called by core.ts's withScopeTracking: scope calls are recorded only while a jit traces. */
export function trackScopeCalls(on: boolean): void {
  tracking = on;
}

/** Runs `fn` as a scope named `name` in the traced program's name stacks (no effect eagerly). */
export function withScope<R>(name: string, fn: () => R, library = false): R {
  if (!tracking) return fn();
  // Inside a library composite, the library's own inner composites are its business.
  if (library && open.length > 0 && open[open.length - 1]!.library) return fn();
  const holder: { stack?: unknown } = {};
  Error.captureStackTrace(holder, withScope);
  const depth = userFramesOfCapture(holder).length;
  const site = userFrameOfCapture(holder);
  const frame = { name, file: site?.file ?? "", line: site?.line ?? 0, column: site?.column ?? 0, call: ++serial };
  open.push({ frame, depth, library });
  try {
    return fn();
  } finally {
    open.pop();
  }
}

/** A library composite's scope: `libraryScope("optim.apply_updates", () => …)`. */
export function libraryScope<R>(name: string, fn: () => R): R {
  return withScope(name, fn, true);
}

/** The user frames of an op's stack with the open scope calls inserted where they opened. */
export function withScopeCalls(frames: readonly UserFrame[]): readonly UserFrame[] {
  if (open.length === 0) return frames;
  const out: UserFrame[] = [];
  let k = 0;
  frames.forEach((f, i) => {
    while (k < open.length && open[k]!.depth <= i) out.push(open[k++]!.frame);
    out.push(f);
  });
  while (k < open.length) out.push(open[k++]!.frame);
  return out;
}
