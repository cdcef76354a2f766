// The roofline model every piece of advice is priced with: a kernel cannot run faster than its
// bytes at the device's peak bandwidth, its flops at the peak FMA rate, or one empty dispatch.
// Whichever of the three floors is highest is what bounds it; its efficiency is that floor over
// the time it took. One definition, stated in the README ("bound", "efficiency").

import type { DevicePeaks, KernelBound } from "@jitscope/contract";

/** What a kernel moves and computes: the report's kernel facts. */
export interface KernelWork {
  bytesRead: number;
  bytesWritten: number;
  flops: number;
}

/** The three floors of a kernel's time, ms. */
export interface RoofFloors {
  memoryMs: number;
  computeMs: number;
  latencyMs: number;
}

/** Time to move `bytes` at the peak bandwidth, ms (GB/s = 10^6 bytes per ms). */
export function bytesMs(bytes: number, peaks: DevicePeaks): number {
  return peaks.gbPerS > 0 ? bytes / (peaks.gbPerS * 1e6) : 0;
}

/** Time to do `flops` at the peak FMA rate, ms. */
export function flopsMs(flops: number, peaks: DevicePeaks): number {
  return peaks.gflopPerS > 0 ? flops / (peaks.gflopPerS * 1e6) : 0;
}

export function roofFloors(work: KernelWork, peaks: DevicePeaks): RoofFloors {
  return {
    memoryMs: bytesMs(work.bytesRead + work.bytesWritten, peaks),
    computeMs: flopsMs(work.flops, peaks),
    latencyMs: peaks.dispatchUs / 1000,
  };
}

/** The least time the roofline allows for one dispatch of this kernel, ms. */
export function roofTimeMs(work: KernelWork, peaks: DevicePeaks): number {
  const f = roofFloors(work, peaks);
  return Math.max(f.memoryMs, f.computeMs, f.latencyMs);
}

/** Which floor is highest, and the achieved fraction of it given the measured median (ns). */
export function classifyKernel(
  work: KernelWork,
  medianNs: number,
  peaks: DevicePeaks,
): { bound: KernelBound; efficiency: number } {
  const f = roofFloors(work, peaks);
  const bound: KernelBound =
    f.latencyMs >= f.memoryMs && f.latencyMs >= f.computeMs
      ? "latency"
      : f.computeMs > f.memoryMs
        ? "compute"
        : "memory";
  const floorMs = bound === "latency" ? f.latencyMs : bound === "compute" ? f.computeMs : f.memoryMs;
  const measuredMs = medianNs / 1e6;
  return { bound, efficiency: measuredMs > 0 ? floorMs / measuredMs : 0 };
}
