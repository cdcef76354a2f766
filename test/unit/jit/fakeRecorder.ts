// A recording stand-in for the profiler, installed as the process-wide recorder before the
// runtime loads (profile/recorder.ts picks up whatever sits at Symbol.for("jitscope.recorder")).
// Import this module first in a test file.
import type { KernelInfo, Recorder } from "../../../runtime/src/profile/recorderApi.js";
import type { Compilation, HostSpan, SourceLocation } from "@jitscope/contract";

export interface RecordedCall {
  name: string;
  location: SourceLocation | null;
  compilationId: string | null;
  wallMs: number;
  kernelsPerCall: number;
}

export class FakeRecorder implements Recorder {
  readonly enabled = true;
  readonly kernels: KernelInfo[] = [];
  readonly compilations: Compilation[] = [];
  readonly calls: RecordedCall[] = [];
  readonly spans: (HostSpan & { callId?: number })[] = [];
  private ids = 0;
  now(): number {
    return performance.now();
  }
  registerKernel(info: KernelInfo): void {
    if (!this.kernels.some((k) => k.id === info.id)) this.kernels.push(info);
  }
  recordDispatch(): void {}
  recordSample(): void {}
  span(name: string, cat: HostSpan["cat"], start: number, dur: number, callId?: number): void {
    this.spans.push(callId === undefined ? { name, cat, start, dur } : { name, cat, start, dur, callId });
  }
  /** Every live-bytes report, in order. */
  readonly live: number[] = [];
  liveBytes(bytes: number): void {
    this.live.push(bytes);
  }
  registerCompilation(c: Compilation): void {
    this.compilations.push(c);
  }
  functionCall(
    name: string,
    location: SourceLocation | null,
    compilationId: string | null,
    wallMs: number,
    kernelsPerCall: number,
  ): void {
    this.calls.push({ name, location, compilationId, wallMs, kernelsPerCall });
  }
  nextCallId(): number {
    return ++this.ids;
  }
  setDeviceInfo(): void {}
}

export const fake = new FakeRecorder();
(globalThis as Record<symbol, unknown>)[Symbol.for("jitscope.recorder")] = fake;
