// Lanes and time extent of the Timeline view, DOM-free: host spans in one lane per category,
// GPU kernel dispatches in their own lane, with kernel names resolved, and above them the
// driver's compiles at first dispatch (device time too, but no kernel ran).

import type { HostSpan, LiveBytesSample, Report } from "@jitscope/contract";

export interface TimelineItem {
  lane: string;
  label: string;
  start: number;
  dur: number;
  /** Kernel id for GPU items. */
  kernel: string | null;
  callId: number | null;
  /** An untimed (sampled-out) dispatch drawn with its kernel's median duration. */
  estimated: boolean;
}

export interface TimelineModel {
  lanes: string[];
  items: TimelineItem[];
  /** [first start, last end] in ms, padded so a lone span still has width. */
  extent: [number, number];
}

const LANE_ORDER: HostSpan["cat"][] = ["call", "trace", "compile", "pipeline", "encode", "submit", "readback", "other"];
export const GPU_LANE = "GPU";
/** The driver compiling pipelines at their first dispatch (Report.driverCompile). */
export const DRIVER_LANE = "driver";

export function timelineModel(report: Report): TimelineModel {
  const names = new Map(report.kernels.map((k) => [k.id, k.name]));
  const items: TimelineItem[] = report.timeline.spans.map((s) => ({
    lane: s.cat,
    label: s.name,
    start: s.start,
    dur: s.dur,
    kernel: null,
    callId: s.callId ?? null,
    estimated: false,
  }));
  for (const d of report.timeline.dispatches) {
    const name = names.get(d.kernel) ?? d.kernel;
    items.push({
      lane: d.compile ? DRIVER_LANE : GPU_LANE,
      label: d.compile ? `compile ${name} (the driver, at its first dispatch)` : name,
      start: d.start,
      dur: d.dur,
      kernel: d.kernel,
      callId: d.callId ?? null,
      estimated: d.estimated === true,
    });
  }
  const used = new Set(items.map((i) => i.lane));
  const lanes = [...LANE_ORDER.filter((l) => used.has(l)), ...[DRIVER_LANE, GPU_LANE].filter((l) => used.has(l))];
  if (items.length === 0) return { lanes, items, extent: [0, 1] };
  let lo = Infinity;
  let hi = -Infinity;
  for (const i of items) {
    lo = Math.min(lo, i.start);
    hi = Math.max(hi, i.start + i.dur);
  }
  // The live-bytes lane shares the axis: its first allocation may precede the first span.
  for (const s of report.timeline.liveBytes ?? []) {
    lo = Math.min(lo, s.t);
    hi = Math.max(hi, s.t);
  }
  const pad = Math.max((hi - lo) * 0.02, 1e-3);
  return { lanes, items, extent: [lo - pad, hi + pad] };
}

/** Live-bytes samples for [from, to]: those inside, and the one before (its value holds at
 *  `from`), so a step curve drawn from them starts right. */
export function visibleLiveBytes(samples: readonly LiveBytesSample[], from: number, to: number): LiveBytesSample[] {
  let i = 0;
  while (i < samples.length && samples[i]!.t < from) i++;
  let j = i;
  while (j < samples.length && samples[j]!.t <= to) j++;
  return samples.slice(Math.max(0, i - 1), Math.min(samples.length, j + 1));
}

/** Items overlapping [from, to]: what a zoomed-in view needs to draw. */
export function visibleItems(items: readonly TimelineItem[], from: number, to: number): TimelineItem[] {
  return items.filter((i) => i.start <= to && i.start + i.dur >= from);
}
