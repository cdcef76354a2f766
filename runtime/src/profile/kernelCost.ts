// A kernel's statistics from its timed samples (median, spread, outliers, robust total) and the
// GPU part of a jitted call from its kernels' reports: the figures README "What each number
// means" defines, computed in one place.

import type { KernelReport } from "@jitscope/contract";
import type { KernelInfo } from "./recorderApi.js";
import { shaderIdentity } from "../codegen/shaderIdentity.js";
import { countsFirstApart, median, outlierIndices, perNs, robustMean, robustTotal, spreadOf } from "./stats.js";

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
 * Kernels whose samples are interchangeable: one pipeline (the same WGSL up to comments and value
 * names, codegen/shaderIdentity.ts, as the pipeline cache shares them) on the same grid over as
 * many bytes and FLOPs (an eager op of one shape called from several lines, a jitted function
 * compiled again, a while_loop's body kernel and its twin after the loop). On a 2-core lavapipe
 * a tiny kernel's sample now and then takes milliseconds (its thread preempted): in one profile
 * of test/fixtures/programs/gpt_step.ts an eager subtract of 16 values, dispatched twice, read
 * 66 µs and 7,959 µs, too few samples for its own outlier fence, while its twin at another line
 * ran 67, 119 and 91 µs. Returns each kernel's pool (its own samples and its twins'), keyed by
 * id; kernels without twins, or timed in batches, get none.
 */
export function samePipelinePools(
  kernels: readonly { info: KernelInfo; samples: readonly number[]; batched: readonly number[] }[],
): Map<string, number[]> {
  const byKey = new Map<string, { ids: string[]; samples: number[] }>();
  for (const { info, samples, batched } of kernels) {
    if (batched.length > 0 || samples.length === 0) continue;
    const key = [
      shaderIdentity(info.wgsl),
      info.dispatch.join(","),
      info.bytesRead,
      info.bytesWritten,
      info.flops,
    ].join("\u0000");
    const pool = byKey.get(key) ?? { ids: [], samples: [] };
    pool.ids.push(info.id);
    pool.samples.push(...samples);
    byKey.set(key, pool);
  }
  const out = new Map<string, number[]>();
  for (const { ids, samples } of byKey.values()) if (ids.length > 1) for (const id of ids) out.set(id, samples);
  return out;
}

/**
 * `dispatches` counts untimed ones too. The total is the first sample plus the other dispatches ×
 * the mean of the other samples, outliers set aside (stats.ts `robustTotal`); `tickNs` widens the
 * outlier fence to one tick. With a `pool` (samePipelinePools) outliers are judged against it,
 * and a kernel all of whose samples are outliers takes the pool's mean without its outliers.
 */
export function kernelReport(
  info: KernelInfo,
  samples: readonly number[],
  dispatches = samples.length,
  tickNs = 0,
  pool?: readonly number[],
): KernelReport {
  const medianNs = median(samples);
  const outliers = outlierIndices(samples, tickNs, pool);
  const spread = spreadOf(samples);
  return {
    ...info,
    dispatches,
    gpuTimesNs: [...samples],
    medianNs,
    p10Ns: spread.p10,
    p90Ns: spread.p90,
    outliers,
    totalNs: robustTotal(samples, dispatches, outliers, pool ? poolMean(pool, tickNs) : 0),
    gbPerS: perNs(info.bytesRead + info.bytesWritten, medianNs),
    gflopPerS: perNs(info.flops, medianNs),
  };
}

/** What a dispatch other than the first costs, ns: the total less the first dispatch's share,
 *  over the other dispatches (stats.ts robustTotal); an untimed dispatch is never the first. */
export function untimedDispatchNs(k: Pick<KernelReport, "gpuTimesNs" | "dispatches" | "outliers" | "totalNs">): number {
  if (k.dispatches === 0) return 0;
  const s = k.gpuTimesNs;
  const firstApart = countsFirstApart(s.length, k.dispatches) && !(k.outliers ?? []).includes(0);
  return firstApart ? (k.totalNs - s[0]!) / (k.dispatches - 1) : k.totalNs / k.dispatches;
}

/** The mean of a pool's samples other than its own outliers. */
function poolMean(pool: readonly number[], tickNs: number): number {
  return robustMean(pool, outlierIndices(pool, tickNs)) ?? 0;
}
