// The process-wide recorder the runtime reports to (see recorderApi.ts). Off unless someone will
// read the report: JITSCOPE_EVENTS_FILE (the CLI parent's journal) or JITSCOPE_REPORT_FILE (the
// script writes its own report at exit). Off, every method returns at once.

import { writeFileSync } from "node:fs";
import type { RecorderEvent } from "./events.js";
import { JournalWriter, type EventSink } from "./journal.js";
import type { CallInputs, HostSync, JitCall, KernelInfo, KernelUpdate, Recorder } from "./recorderApi.js";
import { ReportBuilder } from "./reportBuilder.js";
import type {
  Compilation,
  ConsoleLine,
  DeviceInfo,
  HostSpan,
  ReportError,
  SourceLocation,
  SweepResult,
} from "@jitscope/contract";

/** A duration (a difference of two performance.now() readings, whole ns apart) as the whole
 *  ns it is: the subtraction leaves float noise, which journal formatting would pay for in
 *  V8's slow shortest-decimal path (eventLine.ts `num`); the value moves by under 1e-12 ms. */
export function nsGrid(ms: number): number {
  return Math.round(ms * 1e6) / 1e6;
}

/** Live bytes change at every allocation and free: in the worst case of bench/profile_overhead.ts
 *  (tiny eager ops) every change journaled made 3,385 of a run's 8,000 lines, each formatted and
 *  written on the program's thread. Per window of this length the journal gets the first change
 *  at once, then the window's peak and its last value (each at its own time) when the window
 *  closes: 618 lines. The report keeps at most LIVE_BYTES_LIMIT samples, peaks first, anyway. */
export const LIVE_WINDOW_MS = 1;

export class ProfileRecorder implements Recorder {
  private readonly output: EventSink | null;
  private readonly clock: () => number;
  private suspended = 0;
  private readonly kernelIds = new Set<string>();
  private callIds = 0;

  /** `clock`: milliseconds since the run's start (tests pass their own). */
  constructor(sink: EventSink | null, clock: () => number = () => performance.now()) {
    this.output = sink;
    this.clock = clock;
  }

  get enabled(): boolean {
    return this.output !== null && this.suspended === 0;
  }

  /** Where events go now: nowhere when off or suspended. */
  private get sink(): EventSink | null {
    return this.suspended === 0 ? this.output : null;
  }

  /** Stops recording until the returned function is called (nests). Sweeps use it. */
  suspend(): () => void {
    this.suspended++;
    let done = false;
    return () => {
      if (!done) this.suspended--;
      done = true;
    };
  }

  /** The recorder's one clock: performance.now() (from the process start, the run's start) unless a test gave its own. */
  now(): number {
    return this.clock();
  }

  registerKernel(info: KernelInfo): void {
    // Registered even while suspended: a backend registers a pipeline once and may dispatch it
    // again after the suspension ends.
    if (!this.output || this.kernelIds.has(info.id)) return;
    this.kernelIds.add(info.id);
    this.output.write({ e: "kernel", info });
  }

  updateKernel(id: string, update: KernelUpdate): void {
    if (!this.output || !this.kernelIds.has(id)) return;
    this.output.write({ e: "kernelUpdate", kernel: id, update });
  }

  recordDispatch(kernelId: string, gpuNs: number | null, startMs: number, callId?: number): void {
    if (!this.sink) return;
    this.sink.write(
      callId === undefined
        ? { e: "dispatch", kernel: kernelId, gpuNs, start: startMs }
        : { e: "dispatch", kernel: kernelId, gpuNs, start: startMs, callId },
    );
  }

  recordDispatches(kernels: string[], starts: number[], callId?: number): void {
    if (!this.sink || kernels.length === 0) return;
    this.sink.write(
      callId === undefined ? { e: "dispatches", kernels, starts } : { e: "dispatches", kernels, starts, callId },
    );
  }

  recordSample(kernelId: string, gpuNs: number, startMs: number, gpuT?: number, batch?: number): void {
    if (!this.sink) return;
    const ev: RecorderEvent =
      gpuT === undefined
        ? { e: "sample", kernel: kernelId, gpuNs, start: startMs }
        : { e: "sample", kernel: kernelId, gpuNs, start: startMs, gpuT };
    if (batch !== undefined && batch > 1) ev.batch = batch;
    this.sink.write(ev);
  }

  recordDriverCompile(kernelId: string, gpuNs: number, startMs: number, gpuT?: number): void {
    if (!this.sink) return;
    this.sink.write(
      gpuT === undefined
        ? { e: "driverCompile", kernel: kernelId, gpuNs, start: startMs }
        : { e: "driverCompile", kernel: kernelId, gpuNs, start: startMs, gpuT },
    );
  }

  span(name: string, cat: HostSpan["cat"], startMs: number, durMs: number, callId?: number): void {
    if (!this.sink) return;
    startMs = nsGrid(startMs);
    durMs = nsGrid(durMs);
    this.sink.write({
      e: "span",
      span:
        callId === undefined
          ? { name, cat, start: startMs, dur: durMs }
          : { name, cat, start: startMs, dur: durMs, callId },
    });
  }

  private lastLive = -1;
  private liveWindowEnd = -Infinity;
  /** Changes held back in the open window: its peak and its last value, as plain fields (this
   *  runs at every allocation; bytes −1: none held). */
  private peakT = 0;
  private peakBytes = -1;
  private lastT = 0;
  private lastBytes = -1;

  liveBytes(bytes: number): void {
    if (!this.sink || bytes === this.lastLive) return;
    this.lastLive = bytes;
    const t = this.clock();
    if (t < this.liveWindowEnd) {
      if (bytes > this.peakBytes) {
        this.peakT = t;
        this.peakBytes = bytes;
      }
      this.lastT = t;
      this.lastBytes = bytes;
      return;
    }
    this.writeHeldLive();
    this.liveWindowEnd = t + LIVE_WINDOW_MS;
    this.sink.write({ e: "live", t, bytes });
  }

  /** The open window's held changes, in time order (its peak, then its last value if later). */
  private writeHeldLive(): void {
    if (this.peakBytes < 0) return;
    this.output?.write({ e: "live", t: this.peakT, bytes: this.peakBytes });
    if (this.lastT > this.peakT) this.output?.write({ e: "live", t: this.lastT, bytes: this.lastBytes });
    this.peakBytes = this.lastBytes = -1;
  }

  registerCompilation(c: Compilation): void {
    this.sink?.write({ e: "compilation", c });
  }

  functionCall(
    name: string,
    location: SourceLocation | null,
    compilationId: string | null,
    wallMs: number,
    kernelsPerCall: number,
    profilerMs?: number,
  ): void {
    const ev: RecorderEvent = {
      e: "call",
      name,
      location,
      compilation: compilationId,
      wallMs: nsGrid(wallMs),
      kernelsPerCall,
    };
    if (profilerMs) ev.profilerMs = nsGrid(profilerMs);
    this.sink?.write(ev);
  }

  jitCall(c: JitCall): void {
    if (!this.sink) return;
    // Keys in one order (eventLine.ts writes this shape by hand).
    const ev: RecorderEvent = {
      e: "call",
      name: c.name,
      location: c.location,
      compilation: c.compilation,
      wallMs: nsGrid(c.wallMs),
      kernelsPerCall: c.kernelsPerCall,
      start: nsGrid(c.start),
    };
    if (c.callId !== undefined) ev.callId = c.callId;
    if (c.inputs !== undefined) ev.inputs = c.inputs;
    if (c.encode !== undefined) {
      ev.encodeStart = nsGrid(c.encode.start);
      ev.encodeMs = nsGrid(c.encode.dur);
      if (c.encode.bindGroupMs !== undefined) ev.bindGroupMs = nsGrid(c.encode.bindGroupMs);
    }
    if (c.fedBack !== undefined) ev.fedBack = c.fedBack;
    if (c.profilerMs) ev.profilerMs = nsGrid(c.profilerMs);
    this.sink.write(ev);
  }

  hostSync(sync: HostSync): void {
    this.sink?.write({ e: "sync", sync });
  }

  callInputs(call: CallInputs): void {
    this.sink?.write({ e: "inputs", call });
  }

  nextCallId(): number {
    return ++this.callIds;
  }

  setDeviceInfo(info: DeviceInfo): void {
    this.output?.write({ e: "device", info: { ...info, notes: [...info.notes] } });
  }

  // Beyond the runtime's interface: what profile.sweep and the CLI's child entry record.
  recordSweep(sweep: SweepResult): void {
    this.output?.write({ e: "sweep", sweep });
  }

  recordError(error: ReportError): void {
    this.output?.write({ e: "error", error });
  }

  recordConsole(line: ConsoleLine): void {
    this.output?.write({ e: "console", line });
  }

  flush(): void {
    this.writeHeldLive();
    this.output?.flush();
  }
}

/** Collects events in memory; `builder` assembles them. For tests and in-process reports. */
export class MemorySink implements EventSink {
  readonly events: RecorderEvent[] = [];
  readonly builder = new ReportBuilder();
  write(ev: RecorderEvent): void {
    this.events.push(ev);
    this.builder.apply(ev);
  }
  flush(): void {}
}

/** A fresh recorder (tests): with a sink it records, without one it is the no-op recorder. */
export function createRecorder(sink: EventSink | null = null, clock?: () => number): ProfileRecorder {
  return new ProfileRecorder(sink, clock);
}

/** The recorder the environment asks for. */
export function recorderFromEnv(env: Record<string, string | undefined>): ProfileRecorder {
  if (env.JITSCOPE_EVENTS_FILE) {
    const recorder = new ProfileRecorder(new JournalWriter(env.JITSCOPE_EVENTS_FILE));
    process.on("exit", () => recorder.flush());
    return recorder;
  }
  if (env.JITSCOPE_REPORT_FILE) {
    const path = env.JITSCOPE_REPORT_FILE;
    const memory = new MemorySink();
    const recorder = new ProfileRecorder(memory);
    process.on("exit", (code) => {
      recorder.flush();
      const report = memory.builder.build({
        script: process.argv[1] ?? "",
        status: code === 0 ? "completed" : "error",
        wallMs: performance.now(),
      });
      writeFileSync(path, JSON.stringify(report));
    });
    return recorder;
  }
  return new ProfileRecorder(null);
}

// One recorder per process even if two bundles (runtime, CLI child entry) both include this file.
const KEY = Symbol.for("jitscope.recorder");
const holder = globalThis as { [KEY]?: ProfileRecorder };
export const recorder: ProfileRecorder = (holder[KEY] ??= recorderFromEnv(
  typeof process !== "undefined" ? process.env : {},
));
