// host-sync-in-loop: a readback (`await x.data()`, `toArray()`) at one line, run again and again:
// each one drains the queue, waits for the map, and leaves the GPU idle while the host catches
// up. Keeping the values on the device (read once after the loop) removes the waits. Saving per
// readback: its wait beyond the GPU work it had to wait for anyway (the kernels enqueued since
// the previous readback), plus the overlap lost: without the sync the host's work between two
// readbacks would have run while the GPU ran those kernels (the smaller of the two). Summed over
// all but one readback of each loop, per run. A loop is a readback repeated on the same call path
// (its line and the user calls that led there, HostSync `callers`): a helper that reads back,
// called once from each of many places, repeats its line but is no loop.

import type { Hint, SourceLocation } from "@jitscope/contract";
import { AdviceContext, worthShowing } from "./adviceContext.js";
import type { HostSync } from "./hostSync.js";

/** Readbacks on one call path below this count are not a loop worth restructuring. */
export const SYNC_MIN = 10;
/** Call paths named in a hint's details. */
const PATHS_SHOWN = 4;

interface PathSyncs {
  callers: readonly SourceLocation[];
  first: HostSync;
  last: HostSync;
  count: number;
  stalls: number[];
  bytes: number;
}

const where = (l: SourceLocation): string => `${l.file}:${l.line}:${l.column}`;
const short = (l: SourceLocation): string => `${l.file.slice(l.file.lastIndexOf("/") + 1)}:${l.line}`;

export function hostSyncInLoop(ctx: AdviceContext): Hint[] {
  const syncs = [...ctx.facts.syncs].sort((a, b) => a.start - b.start);
  const stalls = stallsOf(ctx, syncs);
  // By the readback's line, then by the call path that reached it.
  const byLine = new Map<string, { at: HostSync; paths: Map<string, PathSyncs> }>();
  syncs.forEach((s, i) => {
    if (!s.location) return;
    const key = where(s.location);
    const line = byLine.get(key) ?? { at: s, paths: new Map<string, PathSyncs>() };
    byLine.set(key, line);
    const callers = s.callers ?? [];
    // Callers by line, not column: a loop in an async function is called synchronously on its
    // first iteration and resumed after (V8's async frame), at another column of the same line.
    const pathKey = callers.map((c) => `${c.file}:${c.line}`).join(" < ");
    const e = line.paths.get(pathKey) ?? { callers, first: s, last: s, count: 0, stalls: [], bytes: 0 };
    e.count++;
    e.last = s;
    e.stalls.push(stalls[i]!);
    e.bytes += s.bytes;
    line.paths.set(pathKey, e);
  });
  const hints: Hint[] = [];
  for (const line of byLine.values()) {
    const loops = [...line.paths.values()].filter((p) => p.count >= SYNC_MIN).sort((a, b) => b.count - a.count);
    if (loops.length === 0) continue;
    // One readback after each loop remains: drop each loop's largest wait.
    let saving = 0;
    const kept: number[] = [];
    for (const p of loops) {
      const sorted = [...p.stalls].sort((a, b) => a - b);
      saving += sorted.slice(0, -1).reduce((t, x) => t + x, 0);
      kept.push(...sorted.slice(0, -1));
    }
    kept.sort((a, b) => a - b);
    const count = loops.reduce((n, p) => n + p.count, 0);
    const bytes = loops.reduce((n, p) => n + p.bytes, 0);
    // Against the loops' own time (first to last readback on their paths), not the whole run's.
    const first = Math.min(...loops.map((p) => p.first.start));
    const last = Math.max(...loops.map((p) => p.last.start + p.last.dur));
    if (!worthShowing(saving, last - first)) continue;
    const others = line.paths.size - loops.length;
    const via = loops.filter((p) => p.callers.length > 0);
    hints.push({
      kind: "host-sync-in-loop",
      message:
        `a readback here ran ${count} times${loops.length === 1 && line.paths.size > 1 ? " from one call" : ""}, ` +
        `each waiting for the GPU (${saving.toFixed(1)} ms of waits beyond the kernels): ` +
        `keep the values on the device (sum or stack them there) and read once after the loop`,
      location: line.at.location,
      estimatedSavingMs: saving,
      details: [
        `${count} readbacks of ${(bytes / count).toFixed(0)} bytes each`,
        `median saving per readback: ${(kept[kept.length >> 1] ?? 0).toFixed(3)} ms`,
        ...via.slice(0, PATHS_SHOWN).map((p) => `${p.count} times called from ${short(p.callers[0]!)}`),
        ...(others > 0
          ? [
              `not counted: ${others} other call path${others === 1 ? "" : "s"} here, each run fewer than ${SYNC_MIN} times`,
            ]
          : []),
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
