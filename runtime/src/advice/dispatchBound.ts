// dispatch-bound: eager code dispatching many tiny kernels, each doing so little work that the
// fixed cost of a dispatch is its time. jit fuses such a chain into a few kernels (and encodes
// them once); batching the iterations (vmap) does the same across them. Saving: what dispatching
// them cost, the larger of their GPU time and their count × the host's median time per dispatch
// (from one of them to the next enqueue; an eager op's cost is mostly the host's); fusion removes
// all but a few (an upper bound). Not the span from the first to the last of them: the program
// may do other work in between (a busy wait, a jitted training loop between two eager calls of a
// line), which no jit of these ops saves.

import type { Hint, KernelReport } from "@jitscope/contract";
import { roofFloors } from "./roofline.js";
import { AdviceContext, worthShowing } from "./adviceContext.js";

/** Tiny dispatches at a line below this count are setup code (parameter init, a check run a
 *  few times), not a loop worth a jit. */
export const DISPATCH_MIN = 500;
/** Without peaks, a kernel moving at most this many bytes (and near no flops) counts as tiny. */
const TINY_BYTES = 64 * 1024;
const TINY_FLOPS = 1e6;
const LINES_SHOWN = 6;

export function dispatchBound(ctx: AdviceContext): Hint[] {
  const byLine = new Map<string, { kernels: KernelReport[]; dispatches: number; ms: number }>();
  for (const k of ctx.report.kernels) {
    if (k.mode !== "eager" || k.dispatches === 0 || !isTiny(ctx, k)) continue;
    const at = k.locations[0];
    if (!at) continue;
    const key = `${at.file}:${at.line}`;
    const e = byLine.get(key) ?? { kernels: [], dispatches: 0, ms: 0 };
    e.kernels.push(k);
    e.dispatches += k.dispatches;
    e.ms += k.totalNs / 1e6;
    byLine.set(key, e);
  }
  const lines = [...byLine.entries()].filter(([, e]) => e.dispatches >= DISPATCH_MIN);
  if (lines.length === 0) return [];
  // One hint for the loop, at its busiest line; the other lines are listed in the details.
  lines.sort((a, b) => b[1].dispatches - a[1].dispatches);
  const dispatches = lines.reduce((n, [, e]) => n + e.dispatches, 0);
  const gpuMs = lines.reduce((t, [, e]) => t + e.ms, 0);
  const ids = new Set(lines.flatMap(([, e]) => e.kernels.map((k) => k.id)));
  const spanMs = ctx.dispatchSpanMs(ids);
  const perDispatchMs = ctx.hostMsPerDispatch(ids);
  const hostMs = (perDispatchMs ?? 0) * dispatches;
  const saving = Math.max(gpuMs, hostMs);
  // Against the loop's own time (first to last dispatch): the run's wall time also holds start-up
  // and other code.
  if (!worthShowing(saving, Math.max(spanMs, gpuMs))) return [];
  const top = lines[0]![1].kernels[0]!;
  const cost = ctx.peaks
    ? `each near one empty dispatch (${ctx.peaks.dispatchUs.toFixed(0)} µs)`
    : "each moving under 64 KiB";
  return [
    {
      kind: "dispatch-bound",
      message:
        `${dispatches} tiny eager kernels on ${lines.length} line${lines.length === 1 ? "" : "s"}, ${cost}: ` +
        `jit the loop body so its ops fuse into a few kernels, or batch the iterations (vmap)`,
      location: top.locations[0] ?? null,
      estimatedSavingMs: saving,
      kernels: [...ids],
      details: lines
        .slice(0, LINES_SHOWN)
        .map(
          ([key, e]) =>
            `${key.slice(key.lastIndexOf("/") + 1)}: ${e.dispatches} dispatches, ${e.ms.toFixed(2)} ms on the GPU`,
        )
        .concat(
          perDispatchMs === null
            ? []
            : [
                `${(perDispatchMs * 1e3).toFixed(1)} µs of host time per dispatch (median, to the next enqueue): ` +
                  `${hostMs.toFixed(1)} ms over ${dispatches}; first to last spans ${spanMs.toFixed(1)} ms, time with none of them dispatched not counted`,
              ],
        ),
    },
  ];
}

/** Whether the fixed cost of a dispatch dominates the kernel. */
function isTiny(ctx: AdviceContext, k: KernelReport): boolean {
  if (!ctx.peaks) return k.bytesRead + k.bytesWritten <= TINY_BYTES && k.flops <= TINY_FLOPS;
  const f = roofFloors(k, ctx.peaks);
  return f.latencyMs >= f.memoryMs && f.latencyMs >= f.computeMs;
}
