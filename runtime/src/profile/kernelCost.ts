// A kernel's statistics from its timed samples (median, spread, outliers, robust total) and the
// GPU part of a jitted call from its kernels' reports: the figures README "What each number
// means" defines, computed in one place.

import type { KernelReport } from "@jitscope/contract";
import type { KernelInfo } from "./recorderApi.js";
import { median, outlierIndices, perNs, robustTotal, spreadOf } from "./stats.js";

/** The GPU part of a call and its spread (the kernels' p10s and p90s without their outliers,
 *  likewise weighted). */
export interface GpuPerCall {
  ns: number;
  p10Ns: number;
  p90Ns: number;
}

/**
 * The GPU part of a call: each kernel's total ÷ dispatches (its mean dispatch, the robust figure
 * the totals use) × its dispatches
 * per call, summed. Outside loops that is one dispatch; a scan body's kernel runs `runsPerCall`
 * times; a while loop's, a data-dependent number: its dispatches over the calls that ran it.
 */
export function jitGpuPerCall(kernels: readonly (KernelReport | undefined)[], callsOfCompilation: number): GpuPerCall {
  let ns = 0,
    p10Ns = 0,
    p90Ns = 0;
  for (const k of kernels) {
    if (!k || k.dispatches === 0) continue;
    const perCall = !k.loop
      ? 1
      : (k.loop.runsPerCall ?? (callsOfCompilation > 0 ? k.dispatches / callsOfCompilation : 1));
    ns += (k.totalNs / k.dispatches) * perCall;
    const spread = spreadWithoutOutliers(k);
    p10Ns += spread.p10 * perCall;
    p90Ns += spread.p90 * perCall;
  }
  return { ns, p10Ns, p90Ns };
}

/**
 * A while loop's kernels' dispatches per call: their dispatches over the calls of their
 * compilation (the measured mean, as in `jitGpuPerCall`). The condition's kernels run on every
 * iteration encoded, the body's on every iteration run. A compiled call's own count leaves them
 * out (webgpuWhile.ts: the trip count is a device value, known after the call returns).
 */
export function whileDispatchesPerCall(
  kernels: readonly (KernelReport | undefined)[],
  callsOfCompilation: number,
): number {
  if (callsOfCompilation <= 0) return 0;
  let n = 0;
  for (const k of kernels) if (k?.loop?.kind === "while" && k.loop.runsPerCall === null) n += k.dispatches;
  return n / callsOfCompilation;
}

/** A kernel's p10 and p90 over its samples other than outliers, as its total leaves them out: a
 *  first dispatch of 3 ms among 80 µs ones would otherwise set the p90 of every call's GPU part
 *  (a GPT step of 49 kernels, 5 samples each, read p10–p90 4.15–41.9 ms beside a 4.8 ms GPU part). */
function spreadWithoutOutliers(k: KernelReport): { p10: number; p90: number } {
  const out = new Set(k.outliers ?? []);
  const kept = out.size > 0 ? k.gpuTimesNs.filter((_, i) => !out.has(i)) : [];
  return kept.length > 0 ? spreadOf(kept) : { p10: k.p10Ns ?? k.medianNs, p90: k.p90Ns ?? k.medianNs };
}

/**
 * `dispatches` counts untimed ones too. The total is dispatches × the mean of the samples other
 * than outliers (stats.ts `robustTotal`); `tickNs` widens the outlier fence to one tick.
 */
export function kernelReport(
  info: KernelInfo,
  samples: readonly number[],
  dispatches = samples.length,
  tickNs = 0,
): KernelReport {
  const medianNs = median(samples);
  const outliers = outlierIndices(samples, tickNs);
  const spread = spreadOf(samples);
  return {
    ...info,
    dispatches,
    gpuTimesNs: [...samples],
    medianNs,
    p10Ns: spread.p10,
    p90Ns: spread.p90,
    outliers,
    totalNs: robustTotal(samples, dispatches, outliers),
    gbPerS: perNs(info.bytesRead + info.bytesWritten, medianNs),
    gflopPerS: perNs(info.flops, medianNs),
  };
}
