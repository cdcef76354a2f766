// The cost of a call of a function run with jit disabled: it runs op by op and the runtime does
// not count its dispatches, so they are found on the timeline.

import type { HostSpan, KernelReport } from "@jitscope/contract";
import type { QueuedDispatch } from "./gpuClock.js";
import type { GpuPerCall } from "./kernelCost.js";
import { median, spreadOf } from "./stats.js";

/**
 * The dispatches enqueued inside the function's call spans `calls`, and their GPU time (each
 * kernel's total / dispatches), per call; the spread is over the calls. `dispatches` are at their
 * host enqueue times.
 */
export function eagerCallCost(
  calls: readonly HostSpan[],
  dispatches: readonly QueuedDispatch[],
  byId: ReadonlyMap<string, KernelReport>,
): { dispatches: number } & GpuPerCall {
  if (calls.length === 0) return { dispatches: 0, ns: 0, p10Ns: 0, p90Ns: 0 };
  const sorted = [...dispatches].sort((a, b) => a.start - b.start);
  const firstAtOrAfter = (t: number) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]!.start < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  let count = 0;
  const perCall: number[] = [];
  for (const c of calls) {
    const end = firstAtOrAfter(c.start + c.dur + 1e-9);
    let ns = 0;
    for (let i = firstAtOrAfter(c.start); i < end; i++) {
      count++;
      const k = byId.get(sorted[i]!.kernel);
      if (k && k.dispatches > 0) ns += k.totalNs / k.dispatches;
    }
    perCall.push(ns);
  }
  const spread = spreadOf(perCall);
  return { dispatches: count / calls.length, ns: median(perCall), p10Ns: spread.p10, p90Ns: spread.p90 };
}
