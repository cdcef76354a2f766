// What the runtime tells the profiler. The backend (webgpu.ts / cpu.ts) and the jit call path
// call these; profile/recorder.ts implements them and turns them into a Report. Keeping this an
// interface lets the runtime run with profiling off at near-zero cost (`recorder.enabled`).

import type { HostSync } from "../advice/hostSync.js";
import type { CallInputs } from "../advice/runtimeFacts.js";
import type { Compilation, DevicePeaks, HostSpan, KernelReport, SourceLocation } from "@jitscope/contract";

export type { CallInputs, HostSync };

/** One call of a jitted function as `Recorder.jitCall` takes it. */
export interface JitCall {
  readonly name: string;
  readonly location: SourceLocation | null;
  /** null: the call ran eagerly (disableJit). */
  readonly compilation: string | null;
  readonly start: number;
  readonly wallMs: number;
  readonly kernelsPerCall: number;
  readonly callId?: number | undefined;
  /** Array ids of the argument leaves (a compiled call): what duplicate-compute reads. */
  readonly inputs?: number[] | undefined;
  /** The profiler's own work inside the call (finding its eager ops' lines), ms. */
  readonly profilerMs?: number | undefined;
  /** When the backend encoded the call's commands (its "encode" span): it rides on the call's
   *  event instead of a span event of its own. */
  readonly encode?: { readonly start: number; readonly dur: number; readonly bindGroupMs?: number } | undefined;
  /** Positions of the arguments (not donated) every array of which the previous call of the
   *  same function returned: a loop feeding its results back (advice/donateArguments.ts). */
  readonly fedBack?: number[] | undefined;
}

/** A kernel as the backend knows it before it has run: the report's fields minus timings. */
export type KernelInfo = Omit<
  KernelReport,
  "dispatches" | "gpuTimesNs" | "medianNs" | "totalNs" | "gbPerS" | "gflopPerS"
>;

/** What may change about a kernel after it was registered: the autotuner's record, a while loop's
 *  last run (backend/webgpuWhile.ts), and the
 *  module it runs once a search's winner replaced the default (codegen/tune/tuner.ts). */
export type KernelUpdate = Partial<
  Pick<KernelInfo, "autotune" | "wgsl" | "wgslSources" | "workgroupSize" | "dispatch" | "loop">
>;

export interface Recorder {
  /** False when nobody will read the report: callers skip building what they'd record. */
  readonly enabled: boolean;
  /** ms since the run's start, on the clock every span and dispatch uses. */
  now(): number;
  /** Idempotent by `info.id`. */
  registerKernel(info: KernelInfo): void;
  /** Changes a registered kernel's record (optional: a recorder that keeps no kernels skips it). */
  updateKernel?(id: string, update: KernelUpdate): void;
  /** One execution of a kernel. `gpuNs` from timestamp queries (or host timing; see
   *  setDeviceInfo); null when the timing policy left this dispatch untimed (counted only). */
  recordDispatch(kernelId: string, gpuNs: number | null, startMs: number, callId?: number): void;
  /** A compiled call's dispatches, untimed so far, as one record: `recordDispatch(kernels[i], null,
   *  starts[i], callId)` for each i (a recorder without it gets those calls). The arrays are the
   *  recorder's from then on. */
  recordDispatches?(kernels: string[], starts: number[], callId?: number): void;
  /** The GPU time of a dispatch recorded earlier with `gpuNs` null (same kernel and start);
   *  `gpuT`: its start on the GPU clock, ns since the process's first timestamp; `batch` > 1:
   *  measured as that many back-to-back dispatches in one span, divided (sub-tick kernels). */
  recordSample(kernelId: string, gpuNs: number, startMs: number, gpuT?: number, batch?: number): void;
  /** The driver's compile of `kernelId`'s pipeline at its first dispatch, timed as a sample is
   *  (its empty dispatch encoded at `startMs`); a recorder without it drops them. */
  recordDriverCompile?(kernelId: string, gpuNs: number, startMs: number, gpuT?: number): void;
  span(name: string, cat: HostSpan["cat"], startMs: number, durMs: number, callId?: number): void;
  registerCompilation(c: Compilation): void;
  /** The live bytes of array storage after an allocation or a free (arrayMemory.ts). */
  liveBytes(bytes: number): void;
  /** One call of a jitted function (all modes): wall time of the call on the host. */
  functionCall(
    name: string,
    location: SourceLocation | null,
    compilationId: string | null,
    wallMs: number,
    kernelsPerCall: number,
    /** The profiler's own work inside the call, ms (JitCall.profilerMs). */
    profilerMs?: number,
  ): void;
  /** One jit call at once: its `call:<name>` span, its `functionCall` and (compiled) its
   *  `callInputs`, as one event (a recorder without it gets those three calls). */
  jitCall?(call: JitCall): void;
  /** A fresh id linking a jit call span to its dispatches. */
  nextCallId(): number;
  /** The host waited for the device at a user line (advice/hostSyncInLoop.ts). */
  hostSync?(sync: HostSync): void;
  /** The arrays a compiled call read (advice/duplicateCompute.ts). */
  callInputs?(call: CallInputs): void;
  setDeviceInfo(info: {
    backend: "webgpu" | "cpu";
    adapter: string;
    timestampQuery: boolean;
    notes: string[];
    /** The adapter's calibrated roofs (profile/calibrate.ts); absent on the CPU backend. */
    peaks?: DevicePeaks;
  }): void;
}
