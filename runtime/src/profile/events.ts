// What the recorder writes down, one plain JSON record per thing that happened. The same records
// feed the in-process report (JITSCOPE_REPORT_FILE) and the CLI's journal file, which the parent
// process reads back even when the child crashed: a report is always assembled from these.

import type {
  Compilation,
  ConsoleLine,
  DeviceInfo,
  HostSpan,
  ReportError,
  SourceLocation,
  SweepResult,
} from "@jitscope/contract";
import type { CallInputs, HostSync, KernelInfo, KernelUpdate } from "./recorderApi.js";

export type RecorderEvent =
  | { e: "kernel"; info: KernelInfo }
  /** A registered kernel's record changed: the autotuner's result landed, or its winner replaced
   *  the default's module (later dispatches run that one). */
  | { e: "kernelUpdate"; kernel: string; update: KernelUpdate }
  /** `gpuNs` null: counted now, its time (if it is timed: backend/timingPolicy.ts) comes later
   *  as a `sample`, so a run killed before its timestamps land still counts the dispatch. */
  | { e: "dispatch"; kernel: string; gpuNs: number | null; start: number; callId?: number }
  /** A compiled call's dispatches in the order encoded, as one event: the same as one `dispatch`
   *  (gpuNs null) per kernel, `kernels[i]` at `starts[i]`. A call of a program of dozens of
   *  kernels writes one journal line instead of dozens. */
  | { e: "dispatches"; kernels: string[]; starts: number[]; callId?: number }
  /** The GPU time of the dispatch recorded earlier with the same kernel and start; `gpuT` where
   *  it began on the GPU's own clock (ns since the process's first timestamp), when timestamps
   *  gave it: the report builder maps it onto the host clock for the timeline. `batch`: the time
   *  is a span of that many back-to-back dispatches divided by it (a kernel below one tick). */
  | { e: "sample"; kernel: string; gpuNs: number; start: number; gpuT?: number; batch?: number }
  /** The driver compiling `kernel`'s pipeline at its first dispatch: the GPU time of the empty
   *  dispatch encoded before the kernel's first timed one (backend/pipelinePrimer.ts), `start`
   *  when that was encoded, `gpuT` as a sample's. Not a run of the kernel. */
  | { e: "driverCompile"; kernel: string; gpuNs: number; start: number; gpuT?: number }
  | { e: "span"; span: HostSpan }
  /** Live array storage bytes after an allocation or a free (ms since the run's start). */
  | { e: "live"; t: number; bytes: number }
  | { e: "compilation"; c: Compilation }
  /** One call of a jitted function. Written by `recorder.jitCall`, it also stands for the call's
   *  span (`call:<name>`, from `start` for `wallMs`, linked by `callId`), for a compiled call the
   *  arrays it read (`inputs`), and its encode span (`encodeStart` for `encodeMs`, when the
   *  backend encoded commands): one event per call instead of four. */
  | {
      e: "call";
      name: string;
      location: SourceLocation | null;
      compilation: string | null;
      wallMs: number;
      kernelsPerCall: number;
      start?: number;
      callId?: number;
      inputs?: number[];
      encodeStart?: number;
      encodeMs?: number;
      /** Of the encode span, the time spent making bind groups, ms (with encodeMs). */
      bindGroupMs?: number;
      /** Arguments the previous call of the function returned (JitCall.fedBack). */
      fedBack?: number[];
      /** The profiler's own work inside the call (finding its eager ops' lines), ms: left out
       *  of the call's cost. */
      profilerMs?: number;
    }
  | { e: "device"; info: DeviceInfo }
  | { e: "sweep"; sweep: SweepResult }
  | { e: "console"; line: ConsoleLine }
  | { e: "error"; error: ReportError }
  /** The host waited for the device at a user line (a readback): what host-sync-in-loop reads. */
  | { e: "sync"; sync: HostSync }
  /** The arrays a compiled call read: two functions reading the same ones may compute a value twice. */
  | { e: "inputs"; call: CallInputs };
