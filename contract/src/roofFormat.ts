// How the roofline figures read wherever they are shown (hover, Kernels table, CLI summary, HTML
// page): a kernel's bound and efficiency, a fusion boundary's cost, the device's peaks and what
// an ablated pass was worth. Definitions: README "bound", "efficiency", "boundary cost".

import type { AblatedFunction, DevicePeaks, KernelBound } from "./advice.js";
import { formatBytes, formatMs, formatNs, formatRate, formatShare } from "./format.js";
import type { DeviceInfo, FusionBoundary } from "./report.js";

/** "memory-bound · 62% of peak"; "" for a kernel not classified (no peaks, no time). */
export function boundText(k: { bound?: KernelBound; efficiency?: number }): string {
  if (k.bound === undefined) return "";
  return k.efficiency === undefined ? `${k.bound}-bound` : `${k.bound}-bound · ${formatShare(k.efficiency)} of peak`;
}

/** "2.00 MiB written and read back · 312 µs per call"; "" when the boundary carries no bytes. */
export function boundaryCostText(b: Pick<FusionBoundary, "bytes" | "costMs">): string {
  if (b.bytes === undefined) return "";
  const bytes = `${formatBytes(b.bytes)} written and read back`;
  return b.costMs === undefined ? bytes : `${bytes} · ${formatMs(b.costMs)} per call`;
}

/** The device's roofs in one line, or why there are none. */
export function peaksText(device: Pick<DeviceInfo, "backend" | "timestampQuery" | "peaks">): string {
  const p: DevicePeaks | undefined = device.peaks;
  if (!p) {
    if (device.backend === "cpu") return "no peaks: the CPU backend is not calibrated, kernels are not classified";
    if (!device.timestampQuery) return "no peaks: calibration needs GPU timestamp queries, kernels are not classified";
    return "no peaks: the device was not calibrated, kernels are not classified";
  }
  return (
    `peaks (${p.source === "cache" ? `calibration cache, measured ${p.measuredAt}` : "measured in this run"}): ` +
    `${formatRate(p.gbPerS, "GB/s")} · ${formatRate(p.gflopPerS, "GFLOP/s")} · ` +
    `empty dispatch ${formatMs(p.dispatchUs / 1000)} · timestamp tick ${formatNs(p.timestampTickNs)}`
  );
}

const signed = (v: number, text: string) => `${v > 0 ? "+" : v < 0 ? "−" : "±"}${text}`;

/** What turning `pass` off changed, read as what the pass is worth: "fuse: −26 dispatches,
 *  −3.10 ms per call" (negative: the pass saves that much). */
export function ablationText(pass: string, f: AblatedFunction): string {
  const dd = f.dispatchesWith - f.dispatchesWithout;
  const dm = f.msWith - f.msWithout;
  const n = Math.abs(dd);
  const count = Number.isInteger(n) ? `${n}` : n.toFixed(1);
  return `${pass}: ${signed(dd, `${count} dispatch${n === 1 ? "" : "es"}`)}, ${signed(dm, formatMs(Math.abs(dm)))} per call`;
}

const dispatchCount = (n: number) => (Number.isInteger(n) ? `${n}` : n.toFixed(1));

/** An ablated function's figures, with → without: { dispatches: "1 → 8", cost: "512 µs → 1.89 ms" }. */
export function ablationFigures(f: AblatedFunction): { dispatches: string; cost: string } {
  return {
    dispatches: `${dispatchCount(f.dispatchesWith)} → ${dispatchCount(f.dispatchesWithout)}`,
    cost: `${formatMs(f.msWith)} → ${formatMs(f.msWithout)}`,
  };
}
