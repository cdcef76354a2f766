// The Roofline view's data, DOM-free: one point per kernel that has GPU time, at its arithmetic
// intensity (flops / bytes moved) and achieved GFLOP/s, and the device's roofs from
// `device.peaks` (the bandwidth slope up to the ridge point, the compute ceiling after it).
// A kernel with no flops (a copy, a gather, a layout change) has no place on a log axis: it is
// listed in a band of its own left of the chart, by total time.

import {
  kernelMedianText,
  type DevicePeaks,
  type KernelBound,
  type Report,
  type SourceLocation,
} from "@jitscope/contract";

export interface RooflinePoint {
  id: string;
  name: string;
  compilation: string | null;
  mode: "eager" | "jit";
  /** flops / (bytesRead + bytesWritten); null for a kernel without flops (drawn in the band). */
  intensity: number | null;
  gflopPerS: number;
  gbPerS: number;
  totalNs: number;
  medianNs: number;
  /** The median as every view writes it ("< 65.5 µs" below a tick of 65.5 µs). */
  medianText: string;
  /** Of the run's kernel time, 0..1. */
  share: number;
  bound?: KernelBound;
  efficiency?: number;
  opIds: string[];
  locations: SourceLocation[];
}

export interface Roofs {
  gbPerS: number;
  gflopPerS: number;
  /** Intensity where the two roofs meet, FLOP/byte. */
  ridge: number;
}

export interface RooflineModel {
  /** Kernels on the chart (flops > 0). */
  points: RooflinePoint[];
  /** Kernels without flops, for the band, by total time (largest first). */
  band: RooflinePoint[];
  roofs: Roofs | null;
  /** Log-axis domains, whole decades. */
  x: [number, number];
  y: [number, number];
  /** Kernels that never got a time (not drawn). */
  untimed: number;
}

export function roofsOf(peaks: DevicePeaks | undefined): Roofs | null {
  if (!peaks || !(peaks.gbPerS > 0) || !(peaks.gflopPerS > 0)) return null;
  return { gbPerS: peaks.gbPerS, gflopPerS: peaks.gflopPerS, ridge: peaks.gflopPerS / peaks.gbPerS };
}

const decadeBelow = (v: number): number => 10 ** Math.floor(Math.log10(v));
const decadeAbove = (v: number): number => 10 ** Math.ceil(Math.log10(v));

export function rooflineModel(report: Report): RooflineModel {
  const timed = report.kernels.filter((k) => k.totalNs > 0 && k.medianNs > 0);
  const total = report.totalGpuNs > 0 ? report.totalGpuNs : timed.reduce((s, k) => s + k.totalNs, 0);
  const all: RooflinePoint[] = timed.map((k) => {
    const bytes = k.bytesRead + k.bytesWritten;
    return {
      id: k.id,
      name: k.name,
      compilation: k.compilation,
      mode: k.mode,
      // A kernel that moves no bytes but computes is as compute-heavy as one can be: 1 byte.
      intensity: k.flops > 0 ? k.flops / Math.max(1, bytes) : null,
      gflopPerS: k.gflopPerS,
      gbPerS: k.gbPerS,
      totalNs: k.totalNs,
      medianNs: k.medianNs,
      medianText: kernelMedianText(k, report.device),
      share: total > 0 ? k.totalNs / total : 0,
      ...(k.bound !== undefined ? { bound: k.bound } : {}),
      ...(k.efficiency !== undefined ? { efficiency: k.efficiency } : {}),
      opIds: [...k.opIds],
      locations: [...k.locations],
    };
  });
  const points = all.filter((p) => p.intensity !== null && p.gflopPerS > 0);
  const band = all.filter((p) => !points.includes(p)).sort((a, b) => b.totalNs - a.totalNs);
  const roofs = roofsOf(report.device.peaks);
  const xs = points.map((p) => p.intensity!);
  const ys = points.map((p) => p.gflopPerS);
  if (roofs) {
    xs.push(roofs.ridge);
    ys.push(roofs.gflopPerS);
  }
  const x: [number, number] = xs.length
    ? [decadeBelow(Math.min(...xs) / 1.5), decadeAbove(Math.max(...xs) * 3)]
    : [0.01, 100];
  const y: [number, number] = ys.length
    ? [decadeBelow(Math.min(...ys) / 1.5), decadeAbove(Math.max(...ys) * 1.5)]
    : [0.01, 100];
  return { points, band, roofs, x, y, untimed: report.kernels.length - timed.length };
}

/** The roofline's attainable GFLOP/s at `intensity`: min(bandwidth × intensity, compute peak). */
export function attainable(roofs: Roofs, intensity: number): number {
  return Math.min(roofs.gbPerS * intensity, roofs.gflopPerS);
}
