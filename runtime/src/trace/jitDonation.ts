// jit's `donate_argnums`, as JAX's buffer donation: the arguments named give up their storage once
// the call has been encoded, so a training loop's old parameters and optimizer state go back to
// the buffer pool at once, not when V8 collects them. Memory then holds the state once rather than
// once per step not yet collected, and the next call's outputs take the freed buffers: a loop's
// state alternates between two sets of buffers, so the compiled kernels' bind groups over them
// (backend/bindGroupCache.ts) are made in the first calls and found after. A donated array is
// disposed: using it afterwards is an error that says where its storage went. Donation applies to
// compiled calls only; inside another transformation, or with jit disabled, arguments stay valid,
// as in JAX.

import { ConcreteArray } from "../array.js";
import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "./core.js";
import type { ArgSignature } from "./jitSignature.js";

/** The argument positions `donate_argnums` names (checked: integers, none static). */
export function donatedArgnums(
  fname: string,
  list: readonly number[],
  statics: ReadonlySet<number>,
): readonly number[] {
  for (const n of list) {
    if (!Number.isInteger(n) || n < 0)
      throw new JitScopeError(
        "value",
        `jit(${fname}): donate_argnums must be argument positions (integers ≥ 0), got ${String(n)}`,
      );
    if (statics.has(n))
      throw new JitScopeError(
        "value",
        `jit(${fname}): argument ${n} is both static and donated; a static argument has no storage to donate`,
      );
  }
  return [...new Set(list)].sort((a, b) => a - b);
}

/**
 * Disposes the array leaves of the donated arguments of a compiled call that has been encoded
 * (its commands read them before any later write to their buffers: backend/bufferPool.ts). In
 * reverse order, so that with the pool's last-in-first-out reuse the next call's first output
 * takes the first donated buffer of its size: a step whose results mirror its arguments gets
 * each result the buffer its argument had two calls before.
 */
export function donate(
  fname: string,
  donated: readonly number[],
  args: readonly ArgSignature[],
  leaves: readonly Tracer[],
): void {
  const starts: number[] = [];
  let at = 0;
  for (const a of args) {
    starts.push(at);
    at += a.leafCount;
  }
  const doomed: ConcreteArray[] = [];
  for (const n of donated) {
    const first = starts[n]!;
    for (let k = 0; k < args[n]!.leafCount; k++) {
      const leaf = leaves[first + k];
      if (leaf instanceof ConcreteArray) doomed.push(leaf);
    }
  }
  for (let i = doomed.length - 1; i >= 0; i--) {
    doomed[i]!.dispose(
      `the array was donated to jit(${fname}) (donate_argnums) and its storage reused; use what that call returned instead`,
    );
  }
}

/** Before a call: every donated position must name an argument. */
export function checkDonatedInRange(fname: string, donated: readonly number[], argCount: number): void {
  const bad = donated.find((n) => n >= argCount);
  if (bad !== undefined)
    throw new JitScopeError(
      "value",
      `jit(${fname}): donate_argnums ${bad} is out of range for a call with ${argCount} argument${argCount === 1 ? "" : "s"}`,
    );
}

/**
 * Which arguments of a profiled function's calls its previous call returned: `[params, state] =
 * step(params, state, x)`. Arguments it donates are left out (the advice is to donate the others).
 * Holds the last call's results weakly, so it keeps no array alive.
 */
export class FeedBack {
  private last = new WeakSet<object>();
  constructor(private readonly donated: readonly number[]) {}

  /** The positions of this call's arguments all of whose arrays the previous call returned;
   *  then remembers this call's results. */
  next(args: readonly ArgSignature[], leaves: readonly Tracer[], results: readonly object[]): number[] {
    const fed: number[] = [];
    let at = 0;
    args.forEach((a, i) => {
      const mine = leaves.slice(at, at + a.leafCount);
      at += a.leafCount;
      if (a.leafCount > 0 && !this.donated.includes(i) && mine.every((x) => this.last.has(x))) fed.push(i);
    });
    this.last = new WeakSet(results);
    return fed;
  }
}
