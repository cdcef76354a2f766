// GPU slices on the GPU's own clock. A dispatch's timestamps say when the GPU ran it, on a clock of
// the GPU's; the host only knows when it enqueued it. Every dispatch starts on the GPU at or after
// its enqueue, so the offset from GPU clock to host clock is at least (host enqueue − GPU start)
// for every timed dispatch: the largest of these is the calibration (the tightest bound the run
// gives, reached by any dispatch that found the queue idle). Mapped through it, timed slices sit
// where the GPU ran them, one after another in queue order, never overlapping; an untimed dispatch
// goes between its timed neighbours, its length its kernel's estimate (squeezed to fit the gap),
// and stays marked estimated.

import type { KernelDispatch } from "@jitscope/contract";

/** A timeline entry as the builder collects it, in queue (enqueue) order. */
export interface QueuedDispatch extends KernelDispatch {
  /** GPU-clock start, ms (timed with timestamps only). */
  gpuT?: number;
  /** Entries of one process share a GPU clock; each run of the CLI is its own epoch. */
  epoch: number;
}

/** `dispatches` with the driver's compiles at first dispatch put in queue order: each compile's
 *  empty dispatch was encoded just before its kernel's dispatch, at the same host time, so it
 *  goes before the first dispatch enqueued at or after it. */
export function inQueueOrder(
  dispatches: readonly QueuedDispatch[],
  compiles: readonly QueuedDispatch[],
): QueuedDispatch[] {
  if (compiles.length === 0) return [...dispatches];
  const sorted = [...compiles].sort((a, b) => a.epoch - b.epoch || a.start - b.start);
  const out: QueuedDispatch[] = [];
  let c = 0;
  for (const d of dispatches) {
    while (
      c < sorted.length &&
      (sorted[c]!.epoch < d.epoch || (sorted[c]!.epoch === d.epoch && sorted[c]!.start <= d.start))
    )
      out.push(sorted[c++]!);
    out.push(d);
  }
  while (c < sorted.length) out.push(sorted[c++]!);
  return out;
}

/** Host-clock placement of every dispatch; `estimateMs` is an untimed dispatch's length. */
export function placeOnGpuClock(
  queued: readonly QueuedDispatch[],
  estimateMs: (kernel: string) => number,
): KernelDispatch[] {
  const out: KernelDispatch[] = [];
  let i = 0;
  let cursor = -Infinity;
  while (i < queued.length) {
    let j = i;
    while (j < queued.length && queued[j]!.epoch === queued[i]!.epoch) j++;
    cursor = placeEpoch(queued.slice(i, j), estimateMs, cursor, out);
    i = j;
  }
  return out;
}

/** Places one epoch after `cursor` (the end of the previous one's last slice) into `out`; returns
 *  the end of its own last slice. */
function placeEpoch(
  q: readonly QueuedDispatch[],
  estimateMs: (kernel: string) => number,
  after: number,
  out: KernelDispatch[],
): number {
  let offset = -Infinity;
  for (const d of q) if (d.gpuT !== undefined) offset = Math.max(offset, d.start - d.gpuT);
  const mapped = (d: QueuedDispatch): number | null =>
    d.gpuT !== undefined && Number.isFinite(offset) ? d.gpuT + offset : null;
  let cursor = after;
  let i = 0;
  while (i < q.length) {
    const d = q[i]!;
    if (!d.estimated) {
      const start = Math.max(mapped(d) ?? d.start, cursor);
      out.push(strip(d, start, d.dur));
      cursor = start + d.dur;
      i++;
      continue;
    }
    // A run of untimed dispatches up to the next timed one: they fit in the gap before it.
    let j = i;
    while (j < q.length && q[j]!.estimated) j++;
    const next = j < q.length ? (mapped(q[j]!) ?? q[j]!.start) : Infinity;
    const run = q.slice(i, j);
    const from = Math.max(cursor, run[0]!.start);
    const wanted = run.map((r) => Math.max(0, estimateMs(r.kernel)));
    const total = wanted.reduce((a, b) => a + b, 0);
    const room = Math.max(0, next - from);
    const scale = total > room ? room / total : 1;
    let t = from;
    run.forEach((r, k) => {
      // Never before its own enqueue, unless that would overrun the next timed slice.
      const start =
        scale === 1 ? Math.min(Math.max(t, r.start), Math.max(t, next - (total - sumBefore(wanted, k)))) : t;
      const dur = wanted[k]! * scale;
      out.push(strip(r, start, dur));
      t = start + dur;
    });
    cursor = t;
    i = j;
  }
  return cursor;
}

function sumBefore(xs: readonly number[], k: number): number {
  let s = 0;
  for (let i = 0; i < k; i++) s += xs[i]!;
  return s;
}

function strip(d: QueuedDispatch, start: number, dur: number): KernelDispatch {
  const out: KernelDispatch = { kernel: d.kernel, start, dur };
  if (d.callId !== undefined) out.callId = d.callId;
  if (d.estimated) out.estimated = true;
  if (d.compile) out.compile = true;
  return out;
}
