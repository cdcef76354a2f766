// Rows of the Kernels view and their sorting, DOM-free.

import { baseName, gpuNsText, type KernelReport, type Report } from "@jitscope/contract";

export interface KernelRow {
  id: string;
  name: string;
  mode: KernelReport["mode"];
  compilation: string | null;
  calls: number;
  medianNs: number;
  /** The spread of the samples (p10, p90; the median when the report has none). */
  p10Ns: number;
  p90Ns: number;
  /** Below the timestamp tick these read "< 65.5 µs", never "0". */
  medianText: string;
  spreadText: string;
  /** Samples set aside from the total as outliers. */
  outliers: number;
  totalNs: number;
  gbPerS: number;
  gflopPerS: number;
  ops: string;
  /** "mlp.ts:2, mlp.ts:3" */
  lines: string;
  /** Share of the largest total, 0..1, for the bar. */
  bar: number;
}

export type KernelSortKey = "name" | "calls" | "medianNs" | "p90Ns" | "totalNs" | "gbPerS" | "gflopPerS" | "ops" | "lines";
export interface KernelSort {
  key: KernelSortKey;
  descending: boolean;
}

export const DEFAULT_KERNEL_SORT: KernelSort = { key: "totalNs", descending: true };

export function kernelRows(report: Report): KernelRow[] {
  const maxTotal = report.kernels.reduce((a, k) => Math.max(a, k.totalNs), 0);
  const tick = report.device.timestampTickNs;
  return report.kernels.map((k) => {
    const lines = [...new Set(k.locations.map((l) => `${baseName(l.file)}:${l.line}`))];
    const p10Ns = k.p10Ns ?? k.medianNs;
    const p90Ns = k.p90Ns ?? k.medianNs;
    return {
      id: k.id, name: k.name, mode: k.mode, compilation: k.compilation,
      calls: k.dispatches, medianNs: k.medianNs, p10Ns, p90Ns,
      medianText: gpuNsText(k.medianNs, tick),
      spreadText: k.gpuTimesNs.length > 1 ? `${gpuNsText(p10Ns, tick)}–${gpuNsText(p90Ns, tick)}` : "–",
      outliers: k.outliers?.length ?? 0,
      totalNs: k.totalNs,
      gbPerS: k.gbPerS, gflopPerS: k.gflopPerS, ops: k.ops.join(" "), lines: lines.join(", "),
      bar: maxTotal > 0 ? k.totalNs / maxTotal : 0,
    };
  });
}

/** Sorted copy; ties keep report order (stable), text compares case-insensitively. */
export function sortKernelRows(rows: readonly KernelRow[], sort: KernelSort): KernelRow[] {
  const sign = sort.descending ? -1 : 1;
  const k = sort.key;
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => {
      const x = a.row[k];
      const y = b.row[k];
      const c = typeof x === "number" && typeof y === "number"
        ? x - y
        : String(x).localeCompare(String(y), "en", { sensitivity: "base", numeric: true });
      return c !== 0 ? sign * c : a.i - b.i;
    })
    .map((e) => e.row);
}

/** Clicking a column header: the same column flips direction, a new one starts descending for numbers. */
export function toggleSort(current: KernelSort, key: KernelSortKey): KernelSort {
  if (current.key === key) return { key, descending: !current.descending };
  const textual = key === "name" || key === "ops" || key === "lines";
  return { key, descending: !textual };
}
