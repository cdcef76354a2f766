// Chrome Trace Event JSON (opens in Perfetto and chrome://tracing): host spans on one track, GPU
// kernels on another, and a flow arrow from each jit call to every kernel it dispatched.
// Format: https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU

import type { Report } from "./report.js";

export interface TraceEvent {
  name: string;
  ph: "X" | "M" | "s" | "f" | "i";
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  id?: number;
  bp?: "e";
  s?: "g" | "p" | "t";
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: "ms";
  otherData: Record<string, string>;
}

export const TRACE_PID = 1;
export const HOST_TID = 1;
export const GPU_TID = 2;
/** Further host tracks, for spans that would mis-nest on the first. */
export const HOST_LANE_TID = 10;

const us = (ms: number) => Math.round(ms * 1000 * 1000) / 1000;

export function toChromeTrace(report: Report): ChromeTrace {
  const names = new Map(report.kernels.map((k) => [k.id, k.name]));
  const events: TraceEvent[] = [
    { name: "process_name", ph: "M", pid: TRACE_PID, tid: HOST_TID, args: { name: `jitscope ${report.script}` } },
    { name: "thread_name", ph: "M", pid: TRACE_PID, tid: HOST_TID, args: { name: "Host" } },
    {
      name: "thread_name",
      ph: "M",
      pid: TRACE_PID,
      tid: GPU_TID,
      args: { name: `GPU (${report.device.timestampQuery ? "timestamp queries" : "host timing"})` },
    },
    { name: "thread_sort_index", ph: "M", pid: TRACE_PID, tid: HOST_TID, args: { sort_index: 0 } },
    { name: "thread_sort_index", ph: "M", pid: TRACE_PID, tid: GPU_TID, args: { sort_index: 100 } },
  ];

  const callStart = new Map<number, number>();
  const callSpans: { start: number; end: number }[] = [];
  // Slices on one track must nest: a span that straddles the end of another (an async readback
  // across a call, say) goes to the next host lane where it nests.
  const lanes = hostLanes(report.timeline.spans);
  const extraLanes = lanes.reduce((a, b) => Math.max(a, b), 0);
  for (let l = 1; l <= extraLanes; l++) {
    events.push({
      name: "thread_name",
      ph: "M",
      pid: TRACE_PID,
      tid: HOST_LANE_TID + l - 1,
      args: { name: `Host (overlapping ${l})` },
    });
    events.push({
      name: "thread_sort_index",
      ph: "M",
      pid: TRACE_PID,
      tid: HOST_LANE_TID + l - 1,
      args: { sort_index: l },
    });
  }
  report.timeline.spans.forEach((s, i) => {
    const lane = lanes[i]!;
    const tid = lane === 0 ? HOST_TID : HOST_LANE_TID + lane - 1;
    events.push({
      name: s.name,
      cat: s.cat,
      ph: "X",
      pid: TRACE_PID,
      tid,
      ts: us(s.start),
      dur: us(s.dur),
      ...(s.callId !== undefined ? { args: { callId: s.callId } } : {}),
    });
    if (s.cat !== "call") return;
    callSpans.push({ start: s.start, end: s.start + s.dur });
    if (s.callId !== undefined && !callStart.has(s.callId)) callStart.set(s.callId, s.start);
  });
  callSpans.sort((a, b) => a.start - b.start);

  let flowId = 0;
  for (const d of report.timeline.dispatches) {
    const name = names.get(d.kernel) ?? d.kernel;
    events.push({
      name: d.compile ? `compile ${name}` : name,
      cat: d.compile ? "driver compile" : "gpu",
      ph: "X",
      pid: TRACE_PID,
      tid: GPU_TID,
      ts: us(d.start),
      dur: us(d.dur),
      args: {
        kernel: d.kernel,
        ...(d.callId !== undefined ? { callId: d.callId } : {}),
        ...(d.estimated ? { estimated: "untimed: placed between its timed neighbours, its kernel's mean length" } : {}),
        ...(d.compile ? { compile: "the driver compiling the kernel's pipeline at its first dispatch" } : {}),
      },
    });
    if (d.compile) continue;
    const from =
      (d.callId !== undefined ? callStart.get(d.callId) : undefined) ?? enclosingCallStart(callSpans, d.start);
    if (from === undefined) continue;
    // One flow per (call, kernel): a start on the call's span, an end bound to the kernel's slice.
    flowId++;
    events.push({ name: "dispatch", cat: "flow", ph: "s", id: flowId, pid: TRACE_PID, tid: HOST_TID, ts: us(from) });
    events.push({
      name: "dispatch",
      cat: "flow",
      ph: "f",
      bp: "e",
      id: flowId,
      pid: TRACE_PID,
      tid: GPU_TID,
      ts: us(d.start),
    });
  }

  return {
    traceEvents: events,
    displayTimeUnit: "ms",
    otherData: {
      tool: "jitscope",
      script: report.script,
      device: report.device.adapter,
      backend: report.device.backend,
    },
  };
}

/**
 * The start of the call span during which a dispatch was issued on the host, for dispatches whose
 * call id does not name a call span (a backend that numbers its dispatches on its own).
 */
function enclosingCallStart(spans: readonly { start: number; end: number }[], t: number): number | undefined {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid]!.start <= t) lo = mid + 1;
    else hi = mid;
  }
  const s = spans[lo - 1];
  return s && t <= s.end ? s.start : undefined;
}

/**
 * A lane per span (0 = the main host track) such that on every lane slices nest or follow each
 * other: each span goes to the first lane whose open slices it fits inside (or after).
 */
export function hostLanes(spans: readonly { start: number; dur: number }[]): number[] {
  const order = spans
    .map((s, i) => i)
    .sort((a, b) => spans[a]!.start - spans[b]!.start || spans[b]!.dur - spans[a]!.dur);
  const stacks: number[][] = []; // per lane: ends of the open slices, innermost last
  const lanes = new Array<number>(spans.length).fill(0);
  for (const i of order) {
    const { start, dur } = spans[i]!;
    const end = start + dur;
    let lane = 0;
    for (; ; lane++) {
      const stack = (stacks[lane] ??= []);
      while (stack.length > 0 && stack[stack.length - 1]! <= start) stack.pop();
      const top = stack[stack.length - 1];
      if (top === undefined || end <= top) {
        stack.push(end);
        break;
      }
    }
    lanes[i] = lane;
  }
  return lanes;
}
