// host-sync-in-loop: a readback (`await x.data()`, `toArray()`) at one line, run again and again:
// each one drains the queue, waits for the map, and leaves the GPU idle while the host catches
// up. Keeping the values on the device (read once after the loop) removes the waits. Saving per
// readback: its wait beyond the GPU work it had to wait for anyway (the kernels enqueued since
// the previous readback), plus the overlap lost: without the sync the host's work between two
// readbacks would have run while the GPU ran those kernels (the smaller of the two). Summed over
// all but one readback, per run.

import type { Hint } from "@jitscope/contract";
import { AdviceContext, worthShowing } from "./adviceContext.js";
import type { HostSync } from "./hostSync.js";

/** Readbacks at one line below this count are not a loop worth restructuring. */
export const SYNC_MIN = 10;

export function hostSyncInLoop(ctx: AdviceContext): Hint[] {
  const syncs = [...ctx.facts.syncs].sort((a, b) => a.start - b.start);
  const stalls = stallsOf(ctx, syncs);
  const byLine = new Map<string, { at: HostSync; last: HostSync; count: number; stalls: number[]; bytes: number }>();
  syncs.forEach((s, i) => {
    if (!s.location) return;
    const key = `${s.location.file}:${s.location.line}:${s.location.column}`;
    const e = byLine.get(key) ?? { at: s, last: s, count: 0, stalls: [], bytes: 0 };
    e.count++;
    e.last = s;
    e.stalls.push(stalls[i]!);
    e.bytes += s.bytes;
    byLine.set(key, e);
  });
  const hints: Hint[] = [];
  for (const e of byLine.values()) {
    if (e.count < SYNC_MIN) continue;
    // One readback after the loop remains: drop the largest wait.
    const sorted = [...e.stalls].sort((a, b) => a - b);
    const saving = sorted.slice(0, -1).reduce((t, x) => t + x, 0);
    // Against the loop's own time (first to last readback here), not the whole run's.
    const last = e.last.start + e.last.dur;
    if (!worthShowing(saving, last - e.at.start)) continue;
    hints.push({
      kind: "host-sync-in-loop",
      message:
        `a readback here ran ${e.count} times, each waiting for the GPU (${saving.toFixed(1)} ms of waits beyond the kernels): ` +
        `keep the values on the device (sum or stack them there) and read once after the loop`,
      location: e.at.location,
      estimatedSavingMs: saving,
      details: [
        `${e.count} readbacks of ${(e.bytes / e.count).toFixed(0)} bytes each`,
        `median saving per readback: ${(sorted[sorted.length >> 1] ?? 0).toFixed(3)} ms`,
      ],
    });
  }
  return hints;
}

/** Each readback's wait beyond the GPU work enqueued since the one before, plus the lost overlap
 *  of that GPU work with the host's work in between. */
function stallsOf(ctx: AdviceContext, syncs: readonly HostSync[]): number[] {
  const dispatches = ctx.facts.dispatches;
  let d = 0;
  let prevEnd = -Infinity;
  return syncs.map((s) => {
    let pending = 0;
    while (d < dispatches.length && dispatches[d]!.start <= s.start) {
      const q = dispatches[d++]!;
      const k = ctx.kernels.get(q.kernel);
      if (q.start > prevEnd && k) pending += ctx.dispatchMs(k);
    }
    const hostMs = Number.isFinite(prevEnd) ? Math.max(0, s.start - prevEnd) : 0;
    prevEnd = s.start + s.dur;
    return Math.max(0, s.dur - pending) + Math.min(hostMs, pending);
  });
}
