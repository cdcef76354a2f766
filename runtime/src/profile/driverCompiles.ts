// The driver's compiles at first dispatch (events.ts `driverCompile`), gathered for the report:
// their total (Report.driverCompile) and their slices, which the timeline puts in queue order
// before their kernels' first runs (gpuClock.ts inQueueOrder). Kept apart from the dispatches,
// so no kernel figure counts them.

import type { Compilation, DriverCompile } from "@jitscope/contract";
import type { RecorderEvent } from "./events.js";
import type { QueuedDispatch } from "./gpuClock.js";

export class DriverCompiles {
  readonly slices: QueuedDispatch[] = [];
  /** Each kernel's compiles summed, ns (all of them: the timeline's slices may be capped). */
  readonly byKernel = new Map<string, number>();
  private totalNs = 0;
  private count = 0;

  /** Counts the compile; keeps its slice unless `limit` slices are kept already (then false).
   *  `offsetMs`: the builder's time offset, its run's epoch. */
  add(ev: Extract<RecorderEvent, { e: "driverCompile" }>, offsetMs: number, limit: number): boolean {
    if (!(Number.isFinite(ev.gpuNs) && ev.gpuNs >= 0 && Number.isFinite(ev.start))) return true;
    this.totalNs += ev.gpuNs;
    this.count++;
    this.byKernel.set(ev.kernel, (this.byKernel.get(ev.kernel) ?? 0) + ev.gpuNs);
    if (this.slices.length >= limit) return false;
    const start = ev.start + offsetMs;
    const slice: QueuedDispatch = { kernel: ev.kernel, start, dur: ev.gpuNs / 1e6, epoch: offsetMs, compile: true };
    if (ev.gpuT !== undefined && Number.isFinite(ev.gpuT)) slice.gpuT = ev.gpuT / 1e6;
    this.slices.push(slice);
    return true;
  }

  /** `c` with its kernels' driver compiles summed, where any was timed. */
  ofCompilation(c: Compilation): Compilation {
    let ns = 0;
    for (const k of c.kernels) ns += this.byKernel.get(k) ?? 0;
    return ns > 0 ? { ...c, driverCompileMs: ns / 1e6 } : c;
  }

  /** `{ driverCompile }` for the report, or nothing where no compile was timed. */
  result(): { driverCompile?: DriverCompile } {
    return this.count > 0 ? { driverCompile: { pipelines: this.count, totalNs: this.totalNs } } : {};
  }
}
