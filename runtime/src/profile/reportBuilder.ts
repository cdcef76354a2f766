// Turns recorder events into a Report: per-kernel statistics, jitted functions, the line index,
// the timeline. Used in the script's own process (JITSCOPE_REPORT_FILE) and by the CLI parent,
// which replays the child's journal, so a crashed run still yields the report gathered so far.

import { adviseReport } from "../advice/hints.js";
import type { RecorderEvent } from "./events.js";
import { inQueueOrder, placeOnGpuClock, type QueuedDispatch } from "./gpuClock.js";
import { DriverCompiles } from "./driverCompiles.js";
import { classifyKernels, priceBoundaries } from "../advice/kernelBounds.js";
import { buildLineIndex } from "./lineIndex.js";
import { LiveBytesTrack } from "./liveBytes.js";
import type { HostSync } from "./recorderApi.js";
import { CallPairs, FeedBacks } from "../advice/runtimeFacts.js";
import { CallsByFunction } from "./functionCalls.js";
import {
  REPORT_VERSION,
  type Compilation,
  type Comparison,
  type ConsoleLine,
  type DeviceInfo,
  type DevicePeaks,
  type FunctionReport,
  type HostSpan,
  type KernelDispatch,
  type KernelReport,
  type Report,
  type ReportError,
  type SourceLocation,
  type SweepResult,
} from "@jitscope/contract";
import { median, spreadOf, sum, timestampTickNs } from "./stats.js";
import {
  jitGpuPerCall,
  kernelReport,
  samePipelinePools,
  untimedDispatchNs,
  whileDispatchesPerCall,
} from "./kernelCost.js";
import { SetupSpans } from "./setupTime.js";
import { eagerCallCost } from "./eagerCallCost.js";
import { measurementNotes } from "./measurementNotes.js";
import { inDispatchOrder, kernelRecord, placeholderInfo, singles, type KernelRecord } from "./kernelRecord.js";

export interface RunMeta {
  script: string;
  status: Report["status"];
  wallMs: number;
  createdAt?: string;
  comparison?: Comparison | null;
  /** The device's roofs for the hints' cost model, when the device info does not carry them. */
  peaks?: DevicePeaks;
}

/** Timeline entries beyond this many are dropped (samples are still counted in the kernels). */
export const TIMELINE_LIMIT = 50_000;
/** Console lines kept in the report (the terminal still shows them all). */
export const CONSOLE_LIMIT = 10_000;

const UNKNOWN_DEVICE: DeviceInfo = {
  backend: "cpu",
  adapter: "unknown (the script never initialised the runtime)",
  timestampQuery: false,
  notes: ["the runtime reported no device (the script did not load jitscope, or failed before it did)"],
};

export class ReportBuilder {
  private readonly kernels = new Map<string, KernelRecord>();
  private readonly compilations = new Map<string, Compilation>();
  private readonly calls = new CallsByFunction();
  private readonly spans: HostSpan[] = [];
  private readonly setup = new SetupSpans();
  private lastCallSpan: HostSpan | null = null;
  /** In queue order, at their host enqueue times; placed on the GPU clock at build(). */
  private readonly dispatches: QueuedDispatch[] = [];
  /** Timeline entries of dispatches recorded untimed, by kernel and start, until a sample lands. */
  private readonly awaitingSample = new Map<string, QueuedDispatch>();
  private readonly driverCompiles = new DriverCompiles();
  /** `dispatches` placed on the GPU's clock, as of the last build(). */
  private timelineDispatches: KernelDispatch[] = [];
  private readonly sweeps: SweepResult[] = [];
  private readonly live = new LiveBytesTrack();
  private readonly consoleLines: ConsoleLine[] = [];
  private readonly errors: ReportError[] = [];
  /** Readbacks at their user lines (advice/hostSyncInLoop.ts). */
  private readonly syncs: HostSync[] = [];
  /** Compiled calls back to back on shared arrays (advice/duplicateCompute.ts). */
  private readonly callPairs = new CallPairs();
  private readonly feedBacks = new FeedBacks();
  private device: DeviceInfo | null = null;
  private timelineTruncated = false;
  private consoleDropped = 0;
  /** Added to every time applied; lets several runs share one timeline. */
  timeOffsetMs = 0;

  apply(ev: RecorderEvent): void {
    switch (ev.e) {
      case "kernel":
        if (!this.kernels.has(ev.info.id)) this.kernels.set(ev.info.id, kernelRecord(ev.info));
        break;
      case "kernelUpdate": {
        const k = this.kernels.get(ev.kernel);
        if (k) k.info = { ...k.info, ...ev.update };
        break;
      }
      case "dispatch": {
        // A sample that is not a time (NaN from a failed query) would poison every statistic.
        if (!Number.isFinite(ev.start) || (ev.gpuNs !== null && !(Number.isFinite(ev.gpuNs) && ev.gpuNs >= 0))) break;
        const k = this.kernels.get(ev.kernel) ?? this.placeholderKernel(ev.kernel);
        k.dispatches++;
        const callId = ev.callId !== undefined ? { callId: ev.callId } : {};
        const start = ev.start + this.timeOffsetMs;
        const epoch = this.timeOffsetMs;
        if (ev.gpuNs !== null) {
          k.samples.push(ev.gpuNs);
          k.starts.push(start);
          this.pushTimeline(this.dispatches, { kernel: ev.kernel, start, dur: ev.gpuNs / 1e6, epoch, ...callId });
          break;
        }
        // Untimed so far: its duration is its kernel's estimate (filled in at build()) unless a
        // sample for it arrives.
        const entry: QueuedDispatch = { kernel: ev.kernel, start, dur: 0, estimated: true, epoch, ...callId };
        if (this.pushTimeline(this.dispatches, entry)) this.awaitingSample.set(`${ev.kernel}@${start}`, entry);
        break;
      }
      case "dispatches": {
        // One compiled call's dispatches (recorder.recordDispatches): each as its own event.
        if (!Array.isArray(ev.kernels) || !Array.isArray(ev.starts)) break;
        const n = Math.min(ev.kernels.length, ev.starts.length);
        for (let i = 0; i < n; i++) {
          const kernel = ev.kernels[i]!;
          const start = ev.starts[i]!;
          this.apply(
            ev.callId === undefined
              ? { e: "dispatch", kernel, gpuNs: null, start }
              : { e: "dispatch", kernel, gpuNs: null, start, callId: ev.callId },
          );
        }
        break;
      }
      case "sample": {
        if (!(Number.isFinite(ev.gpuNs) && ev.gpuNs >= 0 && Number.isFinite(ev.start))) break;
        const k = this.kernels.get(ev.kernel) ?? this.placeholderKernel(ev.kernel);
        if (ev.batch !== undefined && ev.batch > 1) {
          k.batched.push(k.samples.length);
          k.batchSize = ev.batch;
        }
        k.samples.push(ev.gpuNs);
        k.starts.push(ev.start + this.timeOffsetMs);
        const key = `${ev.kernel}@${ev.start + this.timeOffsetMs}`;
        const entry = this.awaitingSample.get(key);
        if (entry) {
          this.awaitingSample.delete(key);
          entry.dur = ev.gpuNs / 1e6;
          delete entry.estimated;
          if (ev.gpuT !== undefined && Number.isFinite(ev.gpuT)) entry.gpuT = ev.gpuT / 1e6;
        }
        break;
      }
      case "driverCompile":
        if (!this.driverCompiles.add(ev, this.timeOffsetMs, TIMELINE_LIMIT)) this.timelineTruncated = true;
        break;
      case "span": {
        const span = { ...ev.span, start: ev.span.start + this.timeOffsetMs };
        this.setup.add(span);
        if (span.cat === "call") this.lastCallSpan = span;
        this.pushTimeline(this.spans, span);
        break;
      }
      case "live":
        this.live.push(ev.t + this.timeOffsetMs, ev.bytes);
        break;
      case "compilation":
        this.compilations.set(ev.c.id, ev.c);
        break;
      case "call":
        if (!(Number.isFinite(ev.wallMs) && ev.wallMs >= 0)) break;
        // The call's encode span rode on its event (recorder.jitCall): it goes where its own
        // span event went, before the call's record and span.
        if (ev.encodeStart !== undefined && ev.encodeMs !== undefined) {
          const encode: HostSpan = {
            name: "encode",
            cat: "encode",
            start: ev.encodeStart + this.timeOffsetMs,
            dur: ev.encodeMs,
          };
          if (ev.callId !== undefined) encode.callId = ev.callId;
          this.setup.add(encode);
          this.pushTimeline(this.spans, encode);
        }
        this.calls.add({
          name: ev.name,
          location: ev.location,
          compilation: ev.compilation,
          wallMs: ev.wallMs,
          setupMs: this.setupOf(ev),
          profilerMs: ev.profilerMs !== undefined && ev.profilerMs > 0 ? ev.profilerMs : 0,
          kernelsPerCall: ev.kernelsPerCall,
        });
        // Written by recorder.jitCall: the call's span and inputs came in this one event.
        if (ev.start !== undefined) {
          const start = ev.start + this.timeOffsetMs;
          const span: HostSpan = { name: `call:${ev.name}`, cat: "call", start, dur: ev.wallMs };
          if (ev.callId !== undefined) span.callId = ev.callId;
          this.pushTimeline(this.spans, span);
          if (ev.inputs !== undefined && ev.compilation !== null)
            this.callPairs.add({ compilation: ev.compilation, inputs: ev.inputs, start });
          if (ev.bindGroupMs !== undefined && ev.compilation !== null)
            this.feedBacks.add(ev.compilation, ev.bindGroupMs, ev.fedBack);
        }
        break;
      case "device":
        this.device = ev.info;
        break;
      case "sweep":
        this.sweeps.push(ev.sweep);
        break;
      case "console":
        if (this.consoleLines.length < CONSOLE_LIMIT)
          this.consoleLines.push({ ...ev.line, t: ev.line.t + this.timeOffsetMs });
        else this.consoleDropped++;
        break;
      case "error":
        this.errors.push(ev.error);
        break;
      case "sync":
        this.syncs.push({ ...ev.sync, start: ev.sync.start + this.timeOffsetMs });
        break;
      case "inputs":
        this.callPairs.add({ ...ev.call, start: ev.call.start + this.timeOffsetMs });
        break;
      default:
        ev satisfies never;
    }
  }

  /** Console lines printed but not handed over (the CLI keeps CONSOLE_LIMIT of a run's lines). */
  countDroppedConsole(lines: number): void {
    this.consoleDropped += lines;
  }

  get sweepResults(): readonly SweepResult[] {
    return this.sweeps;
  }

  get errorCount(): number {
    return this.errors.length;
  }

  build(meta: RunMeta): Report {
    // Kernels that never ran are left out unless a compilation lists them (sweeps register
    // kernels while recording is suspended).
    const listed = new Set([...this.compilations.values()].flatMap((c) => c.kernels));
    for (const id of listed) if (!this.kernels.has(id)) this.placeholderKernel(id);
    const ran = [...this.kernels.values()].filter(({ info, dispatches }) => dispatches > 0 || listed.has(info.id));
    // Samples land as their readbacks do; the total counts the first dispatch's apart (stats.ts).
    for (const k of ran) inDispatchOrder(k);
    // The tick from single-dispatch samples only (a batched one is a span divided).
    const tick = this.device?.timestampQuery
      ? timestampTickNs(ran.flatMap((k) => (k.batched.length ? singles(k) : k.samples)))
      : null;
    const peaks = this.device?.peaks;
    const pools = samePipelinePools(ran);
    const measured = ran.map(({ info, samples, dispatches, batched, batchSize }) => {
      const fenceTick = tick === null ? 0 : batched.length ? tick / batchSize : tick;
      const k = kernelReport(info, samples, dispatches, fenceTick, pools.get(info.id));
      return batched.length > 0 ? { ...k, batch: { samples: batched.length, size: batchSize } } : k;
    });
    const kernels = classifyKernels(measured, peaks);
    const totalGpuNs = sum(kernels.map((k) => k.totalNs));
    const perDispatchMs = new Map(kernels.map((k) => [k.id, untimedDispatchNs(k) / 1e6]));
    this.timelineDispatches = placeOnGpuClock(
      inQueueOrder(this.dispatches, this.driverCompiles.slices),
      (id) => perDispatchMs.get(id) ?? 0,
    );
    const compilations = priceBoundaries([...this.compilations.values()], peaks).map((c) =>
      this.driverCompiles.ofCompilation(c),
    );
    const device: DeviceInfo = { ...(this.device ?? UNKNOWN_DEVICE) };
    if (tick !== null) device.timestampTickNs = tick;
    device.notes = [
      ...device.notes,
      ...measurementNotes({
        kernels,
        backend: device.backend,
        totalGpuNs,
        wallMs: meta.wallMs,
        consoleDropped: this.consoleDropped,
        consoleLimit: CONSOLE_LIMIT,
        timelineLimit: this.timelineTruncated ? TIMELINE_LIMIT : null,
        ...this.driverCompiles.result(),
      }),
    ];
    const comparison = meta.comparison ?? (this.sweeps.length > 0 ? { functions: [], sweeps: [...this.sweeps] } : null);
    const report: Report = {
      version: REPORT_VERSION,
      tool: "jitscope",
      createdAt: meta.createdAt ?? new Date().toISOString(),
      script: meta.script,
      status: meta.status,
      device,
      wallMs: meta.wallMs,
      totalGpuNs,
      ...this.driverCompiles.result(),
      console: [...this.consoleLines],
      errors: [...this.errors],
      compilations,
      kernels,
      functions: this.functionReports(kernels, compilations),
      lines: buildLineIndex(kernels, compilations, totalGpuNs),
      timeline: {
        spans: [...this.spans],
        dispatches: this.timelineDispatches,
        ...(this.live.length > 0 ? { liveBytes: this.live.result() } : {}),
      },
      comparison,
    };
    const facts = {
      syncs: this.syncs,
      dispatches: this.dispatches,
      callPairs: this.callPairs.list(),
      feedBacks: this.feedBacks.list(),
      driverCompileNs: this.driverCompiles.byKernel,
    };
    const hints = adviseReport(report, facts, meta.peaks ?? device.peaks);
    return hints.length > 0 ? { ...report, hints } : report;
  }

  /** A call's setup (its spans come before its call event, written when it returns): from the
   *  event's start, or from the call span written just before it (recorder.functionCall). */
  private setupOf(ev: { name: string; start?: number; wallMs: number }): number {
    const span = this.lastCallSpan;
    this.lastCallSpan = null;
    if (ev.start !== undefined) return this.setup.within(ev.start + this.timeOffsetMs, ev.wallMs);
    return span && span.name === `call:${ev.name}` ? this.setup.within(span.start, span.dur) : 0;
  }

  private functionReports(kernels: readonly KernelReport[], compilations: readonly Compilation[]): FunctionReport[] {
    const byId = new Map(kernels.map((k) => [k.id, k]));
    return this.calls.functions().map((calls) => {
      const ids = new Set<string>();
      for (const id of calls.perCompilation.keys()) if (id) ids.add(id);
      for (const c of compilations)
        if (c.functionName === calls.name && sameLocation(c.location, calls.location)) ids.add(c.id);
      const last = calls.last;
      const latest = last.compilation ? this.compilations.get(last.compilation) : undefined;
      const latestKernels = latest ? latest.kernels.map((id) => byId.get(id)) : [];
      const callsOfLatest = calls.perCompilation.get(last.compilation) ?? 0;
      const gpu = latest
        ? jitGpuPerCall(latestKernels, callsOfLatest)
        : eagerCallCost(this.callSpans(calls.name), this.dispatches, byId);
      const whileDispatches = whileDispatchesPerCall(latestKernels, callsOfLatest);
      // Calls that did one-time work still ran their first encode and first dispatches: the cost
      // is taken over the others where there are any, and is marked a first run where not.
      const { ms: host, firstRun } = calls.hostTimes();
      const hostMs = median(host);
      const hostSpread = spreadOf(host);
      return {
        name: calls.name,
        location: calls.location,
        calls: calls.count,
        compilations: [...ids],
        kernelsPerCall: this.kernelsPerCall(calls.name, last.kernelsPerCall + whileDispatches, latest),
        msPerCall: hostMs,
        gpuMsPerCall: gpu.ns / 1e6,
        cost: {
          ms: hostMs + gpu.ns / 1e6,
          p10: hostSpread.p10 + gpu.p10Ns / 1e6,
          p90: hostSpread.p90 + gpu.p90Ns / 1e6,
          hostMs,
          gpuMs: gpu.ns / 1e6,
          ...(firstRun ? { firstRun: true } : {}),
        },
      };
    });
  }

  private callSpans(name: string): HostSpan[] {
    return this.spans.filter((s) => s.cat === "call" && s.name === `call:${name}`);
  }

  /** Dispatches per call (README "What each number means"): the call's own count plus its while
   *  loops' measured mean. A backend that runs a compiled program without dispatches (CPU)
   *  reports 0: there each of its kernels runs once per call. */
  private kernelsPerCall(name: string, recorded: number, latest: Compilation | undefined): number {
    if (recorded > 0) return recorded;
    return latest ? latest.kernels.length : eagerCallCost(this.callSpans(name), this.dispatches, new Map()).dispatches;
  }

  private placeholderKernel(id: string): KernelRecord {
    const k = kernelRecord(placeholderInfo(id));
    this.kernels.set(id, k);
    return k;
  }

  private pushTimeline<T>(list: T[], item: T): boolean {
    if (list.length < TIMELINE_LIMIT) {
      list.push(item);
      return true;
    }
    this.timelineTruncated = true;
    return false;
  }
}

function sameLocation(a: SourceLocation | null, b: SourceLocation | null): boolean {
  if (!a || !b) return a === b;
  return a.file === b.file && a.line === b.line && a.column === b.column;
}
