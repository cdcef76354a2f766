// What a timestamped pass adds to the span it measures. The profiler times a dispatch by giving
// it a compute pass of its own with a timestamp at its start and end; an unprofiled program runs
// its dispatches back to back. On lavapipe the two differ by far more than a tiny kernel's work:
// 32 dispatches of a one-workgroup kernel read 57-99 µs each when each pass was timestamped, and
// 23-36 µs each inside one span over all 32 (bench/dev/timestamp_overhead.ts); a GPT-style
// training step's 77 kernels read 10.6 ms of GPU time per call, timed one by one, in calls whose
// wall time was 7.5 ms unprofiled (host part included). The difference is the same few tens of µs
// for kernels of 256 to 65,536 elements (the writes flush lavapipe's queue, and its threads
// wake again), so it is measured once at the start of each profiled run, under that run's load,
// and every timed span is reduced by it (backend/timing.ts), never below the probe's own time
// back to back (no kernel runs faster than a near-empty one).

import type { DevicePeaks } from "@jitscope/contract";
import { encodePass, kernel, type Wait } from "./calibrate.js";
import { median, outlierIndices, robustMean, timestampTickNs } from "./stats.js";

const MAP_READ = 0x01,
  COPY_DST = 0x08,
  COPY_SRC = 0x04,
  QUERY_RESOLVE = 0x200;

/** The probe: one workgroup of 64 lanes copying 256 floats, a small kernel as programs have them
 *  (an empty one, no buffers and one lane, showed half the overhead that kernels of 256 to
 *  65,536 elements did). */
const PROBE_WGSL = `
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) i: u32) {
  for (var j = i; j < 256u; j = j + 64u) { y[j] = x[j] * 1.5; }
}`;
const STORAGE = 0x80;

/** Dispatches per round, timed one by one and then all in one span; rounds alternate. */
const PER_ROUND = 32;
const ROUNDS = 4;
/** Coarser timestamps (Dawn's 65.5 µs rounding) cannot resolve the difference: no correction. */
const MAX_TICK_NS = 1000;

export interface TimestampOverhead {
  /** Subtracted from every timed span, ns: the mean timestamped span of an empty dispatch
   *  (outliers set aside) less its time back to back with others. */
  readonly overheadNs: number;
  /** The probe kernel back to back with others, ns: the least a corrected sample reads. */
  readonly emptyDispatchNs: number;
}

/** Measures the overhead on `device` (which must have `timestamp-query`); null where the
 *  timestamps are too coarse to tell (the reason in `note`). */
export async function measureTimestampOverhead(
  device: GPUDevice,
  wait: Wait = (start) => start(),
): Promise<{ result: TimestampOverhead | null; note: string | null }> {
  const buffers = [0, 1].map(() => device.createBuffer({ size: 1024, usage: STORAGE }));
  const k = kernel(device, PROBE_WGSL, buffers, 1);
  const perRound = 2 * PER_ROUND + 2;
  const count = ROUNDS * perRound;
  const querySet = device.createQuerySet({ type: "timestamp", count });
  const bytes = 8 * count;
  const resolveBuf = device.createBuffer({ size: bytes, usage: QUERY_RESOLVE | COPY_SRC });
  const readBuf = device.createBuffer({ size: bytes, usage: MAP_READ | COPY_DST });
  try {
    const enc = device.createCommandEncoder();
    encodePass(enc, k, undefined);
    for (let r = 0; r < ROUNDS; r++) {
      const q = r * perRound;
      for (let d = 0; d < PER_ROUND; d++)
        encodePass(enc, k, { querySet, beginningOfPassWriteIndex: q + 2 * d, endOfPassWriteIndex: q + 2 * d + 1 });
      for (let d = 0; d < PER_ROUND; d++) {
        const writes: GPUComputePassTimestampWrites = { querySet };
        if (d === 0) writes.beginningOfPassWriteIndex = q + 2 * PER_ROUND;
        if (d === PER_ROUND - 1) writes.endOfPassWriteIndex = q + 2 * PER_ROUND + 1;
        encodePass(enc, k, d === 0 || d === PER_ROUND - 1 ? writes : undefined);
      }
    }
    enc.resolveQuerySet(querySet, 0, count, resolveBuf, 0);
    enc.copyBufferToBuffer(resolveBuf, 0, readBuf, 0, bytes);
    device.queue.submit([enc.finish()]);
    await wait(() => readBuf.mapAsync(MAP_READ, 0, bytes));
    const t = new BigUint64Array(readBuf.getMappedRange(0, bytes).slice(0));
    readBuf.unmap();
    return overheadFromStamps(t);
  } finally {
    querySet.destroy();
    resolveBuf.destroy();
    readBuf.destroy();
    for (const b of buffers) b.destroy();
  }
}

/** The arithmetic of `measureTimestampOverhead` on its resolved timestamps (exported for tests):
 *  per round, PER_ROUND (begin, end) pairs of single passes, then one pair spanning PER_ROUND. */
export function overheadFromStamps(t: BigUint64Array): { result: TimestampOverhead | null; note: string | null } {
  const span = (i: number) => Math.max(0, Number(t[i + 1]! - t[i]!));
  const single: number[] = [];
  const batched: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const q = r * (2 * PER_ROUND + 2);
    for (let d = 0; d < PER_ROUND; d++) single.push(span(q + 2 * d));
    batched.push(span(q + 2 * PER_ROUND) / PER_ROUND);
  }
  const base = t.reduce((m, s) => (s > 0n && (m === 0n || s < m) ? s : m), 0n);
  const tick = timestampTickNs([...t].filter((s) => s > 0n).map((s) => Number(s - base))) ?? 1;
  if (tick > MAX_TICK_NS)
    return {
      result: null,
      note: `timestamps tick every ${Math.round(tick / 1000)} µs: timed spans are not reduced by what a timestamped pass adds`,
    };
  // Whole ns, so corrected spans stay whole ticks (the report reads the tick off them).
  const singleMean = robustMean(single, outlierIndices(single)) ?? 0;
  const emptyDispatchNs = Math.round(median(batched));
  return { result: { overheadNs: Math.max(0, Math.round(singleMean - emptyDispatchNs)), emptyDispatchNs }, note: null };
}

/** The device note: what was taken off each timed span, in the report's words. */
export function overheadNote(o: TimestampOverhead): string {
  const us = (ns: number) => `${(ns / 1000).toFixed(ns < 10_000 ? 1 : 0)} µs`;
  return (
    `each timed kernel's span is reduced by ${us(o.overheadNs)}, what a timestamped pass added on this adapter at the start of the run ` +
    `(a small kernel timed alone against back to back with others), and reads at least one such dispatch back to back (${(o.emptyDispatchNs / 1000).toFixed(1)} µs)`
  );
}

/**
 * The roofline's latency floor (`peaks.dispatchUs`) is one empty dispatch, and no corrected
 * kernel time reads less than the probe back to back in this run. The calibration, cached from
 * another hour of a machine whose speed moves, can read more (29.8 µs against 22.9 on one
 * lavapipe VM), and a kernel at that floor then read "latency-bound · 130% of peak". Where the
 * run's dispatch is the lower, it is the floor, with a note saying so; every view reads it.
 */
export function peaksAtRunFloor(
  peaks: DevicePeaks,
  o: TimestampOverhead | null,
): { peaks: DevicePeaks; note: string | null } {
  const runUs = o ? o.emptyDispatchNs / 1000 : Infinity;
  if (!(runUs < peaks.dispatchUs)) return { peaks, note: null };
  const us = (v: number) => `${v.toFixed(1)} µs`;
  return {
    peaks: { ...peaks, dispatchUs: runUs },
    note:
      `empty dispatch ${us(runUs)}, as measured back to back at the start of this run (the calibration read ${us(peaks.dispatchUs)}): ` +
      `no kernel time reads less, so it is the latency floor`,
  };
}
