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

const us = (ms: number) => Math.round(ms * 1000 * 1000) / 1000;

export function toChromeTrace(report: Report): ChromeTrace {
  const names = new Map(report.kernels.map((k) => [k.id, k.name]));
  const events: TraceEvent[] = [
    { name: "process_name", ph: "M", pid: TRACE_PID, tid: HOST_TID, args: { name: `jitscope ${report.script}` } },
    { name: "thread_name", ph: "M", pid: TRACE_PID, tid: HOST_TID, args: { name: "Host" } },
    { name: "thread_name", ph: "M", pid: TRACE_PID, tid: GPU_TID, args: { name: `GPU (${report.device.timestampQuery ? "timestamp queries" : "host timing"})` } },
    { name: "thread_sort_index", ph: "M", pid: TRACE_PID, tid: HOST_TID, args: { sort_index: 0 } },
    { name: "thread_sort_index", ph: "M", pid: TRACE_PID, tid: GPU_TID, args: { sort_index: 1 } },
  ];

  const callStart = new Map<number, number>();
  const callSpans: { start: number; end: number }[] = [];
  for (const s of report.timeline.spans) {
    events.push({ name: s.name, cat: s.cat, ph: "X", pid: TRACE_PID, tid: HOST_TID, ts: us(s.start), dur: us(s.dur), ...(s.callId !== undefined ? { args: { callId: s.callId } } : {}) });
    if (s.cat !== "call") continue;
    callSpans.push({ start: s.start, end: s.start + s.dur });
    if (s.callId !== undefined && !callStart.has(s.callId)) callStart.set(s.callId, s.start);
  }
  callSpans.sort((a, b) => a.start - b.start);

  let flowId = 0;
  for (const d of report.timeline.dispatches) {
    const name = names.get(d.kernel) ?? d.kernel;
    events.push({ name, cat: "gpu", ph: "X", pid: TRACE_PID, tid: GPU_TID, ts: us(d.start), dur: us(d.dur), args: { kernel: d.kernel, ...(d.callId !== undefined ? { callId: d.callId } : {}), ...(d.estimated ? { estimated: "untimed: the kernel's median" } : {}) } });
    const from = (d.callId !== undefined ? callStart.get(d.callId) : undefined) ?? enclosingCallStart(callSpans, d.start);
    if (from === undefined) continue;
    // One flow per (call, kernel): a start on the call's span, an end bound to the kernel's slice.
    flowId++;
    events.push({ name: "dispatch", cat: "flow", ph: "s", id: flowId, pid: TRACE_PID, tid: HOST_TID, ts: us(from) });
    events.push({ name: "dispatch", cat: "flow", ph: "f", bp: "e", id: flowId, pid: TRACE_PID, tid: GPU_TID, ts: us(d.start) });
  }

  return {
    traceEvents: events,
    displayTimeUnit: "ms",
    otherData: { tool: "jitscope", script: report.script, device: report.device.adapter, backend: report.device.backend },
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
