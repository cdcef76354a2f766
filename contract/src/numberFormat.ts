// How the report's figures read, in the CLI, the HTML page, the editor and the panel alike: one
// function per kind of figure so that a kernel's median, its spread and a call's cost are written
// the same way everywhere, on format.ts's one formatter per quantity.

import { formatMs, formatNs, formatRate, formatSpeedup } from "./format.js";
import type { CallCost, ComparedFunction, DeviceInfo, FunctionReport, KernelReport } from "./report.js";

/** The cost of a call of `fn` (report.ts `CallCost`); a report from before it existed gets host +
 *  GPU parts with no spread. */
export function callCostOf(fn: FunctionReport): CallCost {
  const ms = fn.msPerCall + fn.gpuMsPerCall;
  return fn.cost ?? { ms, p10: ms, p90: ms, hostMs: fn.msPerCall, gpuMs: fn.gpuMsPerCall };
}

/** " (first run)" after a cost of a call that only first runs gave (CallCost.firstRun), else "". */
export function firstRunMark(cost: { firstRun?: boolean } | undefined): string {
  return cost?.firstRun ? " (first run)" : "";
}

/** "compiled 3×" when a function compiled more than once, else "". */
export function compiledTimesText(fn: Pick<FunctionReport, "compilations">): string {
  return fn.compilations.length > 1 ? `compiled ${fn.compilations.length}×` : "";
}

/**
 * A GPU time measured with timestamps of resolution `tickNs`: below one tick it reads
 * "< 65.5 µs" at a 65.5 µs tick (the timestamps cannot tell it from 0), never "0". Without a
 * known tick a 0 reads "< timer resolution".
 */
export function gpuNsText(ns: number, tickNs?: number): string {
  if (tickNs !== undefined && tickNs > 0 && ns < tickNs) return `< ${formatNs(tickNs)}`;
  if (ns === 0) return "< timer resolution";
  return formatNs(ns);
}

/** "p10–p90 41.0–52.3 µs" ("< 65.5 µs" ends where below one tick). */
export function spreadNsText(p10: number, p90: number, tickNs?: number): string {
  return `p10–p90 ${gpuNsText(p10, tickNs)}–${gpuNsText(p90, tickNs)}`;
}

/** The resolution of a kernel's samples: the tick, or the tick / batch size when the kernel was
 *  measured in batches of back-to-back dispatches. */
export function kernelTickNs(
  k: Pick<KernelReport, "batch">,
  device: Pick<DeviceInfo, "timestampTickNs">,
): number | undefined {
  const tick = device.timestampTickNs;
  return tick !== undefined && k.batch && k.batch.size > 1 ? tick / k.batch.size : tick;
}

/** "measured in batches of 16 (below one tick)" or "". */
export function batchText(k: Pick<KernelReport, "batch">): string {
  return k.batch && k.batch.samples > 0
    ? `${k.batch.samples} sample${k.batch.samples === 1 ? "" : "s"} measured as ${k.batch.size} back-to-back dispatches ÷ ${k.batch.size} (below one tick)`
    : "";
}

/** Dispatches per call ("400", "46.5": a while loop's is a mean over the calls). */
export function dispatchesPerCallText(n: number): string {
  if (!Number.isFinite(n)) return "–";
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** "400 dispatches/call", "1 dispatch/call", "46.5 dispatches/call". */
export function dispatchesPerCallPhrase(n: number): string {
  return `${dispatchesPerCallText(n)} ${n === 1 ? "dispatch" : "dispatches"}/call`;
}

/** What a kernel's times read when it ran but none of its dispatches was timed. */
export const NOT_TIMED = "not timed";

/** A kernel that ran with no timed sample (the timing policy, or timestamps that never came
 *  back): its time is unknown, not 0. Its report keeps `medianNs`/`totalNs` at 0 (numbers the
 *  schema requires), and every view reads them as NOT_TIMED instead. */
export function isUntimed(k: Pick<KernelReport, "dispatches" | "gpuTimesNs">): boolean {
  return k.dispatches > 0 && k.gpuTimesNs.length === 0;
}

/** A kernel's median as the tables show it: "41.0 µs", "< 1 ns", "2.10 µs (batch ×16)" or "not timed". */
export function kernelMedianCell(k: KernelReport, device: Pick<DeviceInfo, "timestampTickNs">): string {
  if (isUntimed(k)) return NOT_TIMED;
  return `${gpuNsText(k.medianNs, kernelTickNs(k, device))}${k.batch ? ` (batch ×${k.batch.size})` : ""}`;
}

/** A kernel's p10–p90 as the tables show it ("–" without samples to spread). */
export function kernelSpreadCell(k: KernelReport, device: Pick<DeviceInfo, "timestampTickNs">): string {
  if (isUntimed(k) || k.p10Ns === undefined || k.p90Ns === undefined) return "–";
  const tick = kernelTickNs(k, device);
  return `${gpuNsText(k.p10Ns, tick)}–${gpuNsText(k.p90Ns, tick)}`;
}

/** A kernel's total ("not timed" when it has no sample). */
export function kernelTotalText(k: KernelReport): string {
  return isUntimed(k) ? NOT_TIMED : formatNs(k.totalNs);
}

/** A kernel's achieved rate, from its median ("–" when it has no sample: not 0 GB/s). */
export function kernelRateText(k: KernelReport, rate: number, unit: string): string {
  return isUntimed(k) ? "–" : formatRate(rate, unit);
}

/** A kernel's median with its spread: "262 µs (p10–p90 196–328 µs)". */
export function kernelMedianText(k: KernelReport, device: Pick<DeviceInfo, "timestampTickNs">): string {
  if (isUntimed(k)) return NOT_TIMED;
  const tick = kernelTickNs(k, device);
  const median = gpuNsText(k.medianNs, tick);
  if (k.p10Ns === undefined || k.p90Ns === undefined || k.gpuTimesNs.length < 2) return median;
  if (tick !== undefined && k.p90Ns < tick) return median;
  return `${median} (${spreadNsText(k.p10Ns, k.p90Ns, tick)})`;
}

/** "2 outliers left out of the total" or "" when none. */
export function outlierText(k: KernelReport): string {
  const n = k.outliers?.length ?? 0;
  return n === 0 ? "" : `${n} outlier${n === 1 ? "" : "s"} left out of the total`;
}

/** The cost of a call with its spread and parts: "1.42 ms/call (p10–p90 1.30–1.71 ms; host 0.41 ms + GPU 1.01 ms)". */
export function callCostText(c: CallCost): string {
  return `${formatMs(c.ms)}/call${firstRunMark(c)} (p10–p90 ${formatMs(c.p10)}–${formatMs(c.p90)}; host ${formatMs(c.hostMs)} + GPU ${formatMs(c.gpuMs)})`;
}

/**
 * The speedup of jit over eager, or "no significant difference" when the two costs' spreads
 * overlap: "4.2× faster", "1.3× slower", "no significant difference (0.9–1.2×)".
 */
export function speedupText(c: Pick<ComparedFunction, "speedup" | "speedupRange" | "significant">): string {
  if (!Number.isFinite(c.speedup) || c.speedup <= 0) return "–";
  const range = c.speedupRange
    ? ` (${formatSpeedup(c.speedupRange[0]).replace("×", "")}–${formatSpeedup(c.speedupRange[1])})`
    : "";
  if (c.significant === false) return `no significant difference${range}`;
  const head = c.speedup >= 1 ? `${formatSpeedup(c.speedup)} faster` : `${formatSpeedup(1 / c.speedup)} slower`;
  return `${head}${range}`;
}

/** "break-even after 19 calls" / "jit never catches up": the report's one figure. */
/**
 * The break-even every view states for a function: the compared function's (computed once from
 * the cost of a call in both modes; null when jit never catches up), else its sweep's own. A
 * null of the compared function is an answer, not a gap to fill from the sweep.
 */
export function reportedBreakEvenCalls(
  fn: { breakEvenCalls: number | null } | null | undefined,
  sweep: { breakEvenCalls: number | null } | null | undefined,
): number | null {
  return fn ? fn.breakEvenCalls : (sweep?.breakEvenCalls ?? null);
}

export function breakEvenText(calls: number | null): string {
  return calls === null ? "jit never catches up" : `break-even after ${calls} call${calls === 1 ? "" : "s"}`;
}
