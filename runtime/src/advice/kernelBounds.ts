// Every kernel classified against the device's calibrated roofs, and every fusion boundary priced
// at its bandwidth (advice/roofline.ts holds the one definition of both). Applied when a report
// is assembled; without peaks (CPU backend, no timestamps) nothing is added.

import type { Compilation, DevicePeaks, KernelReport } from "@jitscope/contract";
import { bytesMs, classifyKernel } from "./roofline.js";

/** `bound` and `efficiency` on every kernel that has a measured time. */
export function classifyKernels(kernels: readonly KernelReport[], peaks: DevicePeaks | undefined): KernelReport[] {
  if (!peaks) return [...kernels];
  return kernels.map((k) => {
    if (!(k.gpuTimesNs.length > 0 && k.medianNs > 0)) return k;
    const { bound, efficiency } = classifyKernel(k, k.medianNs, peaks);
    return { ...k, bound, efficiency };
  });
}

/** Each boundary's bytes (written by the producer, read back by the consumer) as time at the
 *  peak bandwidth: what it costs a call. */
export function priceBoundaries(compilations: readonly Compilation[], peaks: DevicePeaks | undefined): Compilation[] {
  if (!peaks) return [...compilations];
  return compilations.map((c) => ({
    ...c,
    fusion: {
      ...c.fusion,
      boundaries: c.fusion.boundaries.map((b) =>
        b.bytes === undefined ? b : { ...b, costMs: bytesMs(b.bytes, peaks) },
      ),
    },
  }));
}
