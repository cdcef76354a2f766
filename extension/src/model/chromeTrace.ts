// Report timeline → Chrome Trace Event JSON (opens in Perfetto / chrome://tracing): host spans on
// one track, GPU kernel dispatches on another, flows linking a jit call to its dispatches.

import type { Report } from "../../../runtime/src/profile/report.js";

export interface TraceEvent {
  name: string;
  ph: "X" | "M" | "s" | "f";
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  id?: number;
  bp?: "e";
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: "ms";
  otherData: Record<string, string>;
}

const HOST_TID = 1;
const GPU_TID = 2;
const PID = 1;
/** Report times are ms; trace events are µs. */
const us = (ms: number) => Math.round(ms * 1000 * 1000) / 1000;

export function toChromeTrace(report: Report): ChromeTrace {
  const names = new Map(report.kernels.map((k) => [k.id, k]));
  const events: TraceEvent[] = [
    { name: "process_name", ph: "M", pid: PID, tid: 0, args: { name: `jitscope ${report.script}` } },
    { name: "thread_name", ph: "M", pid: PID, tid: HOST_TID, args: { name: "host" } },
    { name: "thread_name", ph: "M", pid: PID, tid: GPU_TID, args: { name: `GPU (${report.device.adapter})` } },
  ];
  const flowStarted = new Set<number>();
  for (const s of report.timeline.spans) {
    events.push({ name: s.name, cat: s.cat, ph: "X", pid: PID, tid: HOST_TID, ts: us(s.start), dur: us(s.dur) });
    if (s.callId !== undefined && !flowStarted.has(s.callId)) {
      flowStarted.add(s.callId);
      events.push({ name: "dispatch", cat: "flow", ph: "s", id: s.callId, pid: PID, tid: HOST_TID, ts: us(s.start) });
    }
  }
  for (const d of report.timeline.dispatches) {
    const k = names.get(d.kernel);
    events.push({
      name: k?.name ?? d.kernel,
      cat: k?.mode ?? "kernel",
      ph: "X",
      pid: PID,
      tid: GPU_TID,
      ts: us(d.start),
      dur: us(d.dur),
      args: k ? { kernel: k.id, ops: k.ops.join(","), bytes: k.bytesRead + k.bytesWritten, flops: k.flops } : { kernel: d.kernel },
    });
    if (d.callId !== undefined && flowStarted.has(d.callId)) {
      events.push({ name: "dispatch", cat: "flow", ph: "f", bp: "e", id: d.callId, pid: PID, tid: GPU_TID, ts: us(d.start) });
    }
  }
  return { traceEvents: events, displayTimeUnit: "ms", otherData: { tool: "jitscope", createdAt: report.createdAt, device: report.device.adapter } };
}
