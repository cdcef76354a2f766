// The process-wide recorder for an in-process WebGPU test: every event goes straight into a
// ReportBuilder (no journal). Installed at Symbol.for("jitscope.recorder") before the runtime
// loads, as profile/recorder.ts expects; import this module first in a test file.
import type { RecorderEvent } from "../../../runtime/src/profile/events.js";
import type { HostSync, KernelInfo, KernelUpdate, Recorder } from "../../../runtime/src/profile/recorderApi.js";
import { ReportBuilder } from "../../../runtime/src/profile/reportBuilder.js";
import type { Compilation, DeviceInfo, HostSpan, SourceLocation } from "@jitscope/contract";

export class BuilderRecorder implements Recorder {
  readonly enabled = true;
  readonly builder = new ReportBuilder();
  private ids = 0;
  private readonly kernels = new Set<string>();
  write(ev: RecorderEvent): void {
    this.builder.apply(ev);
  }
  now(): number {
    return performance.now();
  }
  registerKernel(info: KernelInfo): void {
    if (this.kernels.has(info.id)) return;
    this.kernels.add(info.id);
    this.write({ e: "kernel", info });
  }
  updateKernel(id: string, update: KernelUpdate): void {
    if (this.kernels.has(id)) this.write({ e: "kernelUpdate", kernel: id, update });
  }
  recordDispatch(kernel: string, gpuNs: number | null, start: number, callId?: number): void {
    this.write(
      callId === undefined ? { e: "dispatch", kernel, gpuNs, start } : { e: "dispatch", kernel, gpuNs, start, callId },
    );
  }
  /** "dispatches" events written: a compiled call's dispatches recorded as one. */
  dispatchRuns = 0;
  recordDispatches(kernels: string[], starts: number[], callId?: number): void {
    this.dispatchRuns++;
    this.write(
      callId === undefined ? { e: "dispatches", kernels, starts } : { e: "dispatches", kernels, starts, callId },
    );
  }
  recordSample(kernel: string, gpuNs: number, start: number, gpuT?: number, batch?: number): void {
    this.write({
      e: "sample",
      kernel,
      gpuNs,
      start,
      ...(gpuT === undefined ? {} : { gpuT }),
      ...(batch !== undefined && batch > 1 ? { batch } : {}),
    });
  }
  recordDriverCompile(kernel: string, gpuNs: number, start: number, gpuT?: number): void {
    this.write({ e: "driverCompile", kernel, gpuNs, start, ...(gpuT === undefined ? {} : { gpuT }) });
  }
  hostSync(sync: HostSync): void {
    this.write({ e: "sync", sync });
  }
  span(name: string, cat: HostSpan["cat"], start: number, dur: number, callId?: number): void {
    this.write({
      e: "span",
      span: callId === undefined ? { name, cat, start, dur } : { name, cat, start, dur, callId },
    });
  }
  liveBytes(bytes: number): void {
    this.write({ e: "live", t: performance.now(), bytes });
  }
  registerCompilation(c: Compilation): void {
    this.write({ e: "compilation", c });
  }
  functionCall(
    name: string,
    location: SourceLocation | null,
    compilation: string | null,
    wallMs: number,
    kernelsPerCall: number,
    profilerMs?: number,
  ): void {
    this.write({
      e: "call",
      name,
      location,
      compilation,
      wallMs,
      kernelsPerCall,
      ...(profilerMs ? { profilerMs } : {}),
    });
  }
  nextCallId(): number {
    return ++this.ids;
  }
  setDeviceInfo(info: DeviceInfo): void {
    this.write({ e: "device", info: { ...info, notes: [...info.notes] } });
  }
}

export const live = new BuilderRecorder();
(globalThis as Record<symbol, unknown>)[Symbol.for("jitscope.recorder")] = live;
