// Rows of the Kernels view and their sorting, DOM-free.

import {
  baseName,
  boundText,
  formatAutotune,
  formatAutotuneShort,
  isUntimed,
  kernelMedianCell,
  kernelScopes,
  kernelSpreadCell,
  type KernelReport,
  type Report,
} from "@jitscope/contract";

export interface KernelRow {
  id: string;
  name: string;
  mode: KernelReport["mode"];
  compilation: string | null;
  /** The jitted function the kernel belongs to (its compilation's functionName); "(eager)" for eager kernels. */
  fn: string;
  /** Where in the user's functions the kernel's ops are, as the graph labels its scopes
   *  ("forward › conv #3", "transpose › forward › conv #3" for its backward): the deepest scope
   *  holding them all, or the scopes below it that hold them when none is its own
   *  ("optim.adam.update + optim.apply_updates"); "–" for eager kernels and a jitted
   *  function's top level. */
  scope: string;
  /** The scope's end, short enough for a narrow panel ("…transpose › forward › conv #4"): the
   *  innermost call is the part that tells kernels apart. */
  scopeShort: string;
  /** Where that scope was called from ("resnet.ts:83"; the report's `scopeSites`), or null. */
  scopeSite: string | null;
  calls: number;
  medianNs: number;
  /** The spread of the samples (p10, p90; the median when the report has none). */
  p10Ns: number;
  p90Ns: number;
  /** Below the timestamp tick these read "< tick" (e.g. "< 65.5 µs" with Dawn's quantized ticks),
   *  never "0". */
  medianText: string;
  spreadText: string;
  /** Ran with no timed sample: its times read "not timed", its rates "–" (contract isUntimed). */
  untimed: boolean;
  /** Samples set aside from the total as outliers. */
  outliers: number;
  totalNs: number;
  gbPerS: number;
  gflopPerS: number;
  /** Achieved fraction of the kernel's roof; -1 when it is not classified (sorts last). */
  efficiency: number;
  /** "memory-bound · 62% of peak"; "" when not classified. */
  boundText: string;
  ops: string;
  /** "mlp.ts:2, mlp.ts:3" */
  lines: string;
  /** Share of the largest total, 0..1, for the bar. */
  bar: number;
  /** The autotuner's record in one sentence (contract formatAutotune); "" when not tuned. */
  autotune: string;
  /** The same, short enough for a cell (formatAutotuneShort); "" when not tuned. */
  autotuneShort: string;
}

export type KernelSortKey =
  | "name"
  | "fn"
  | "scope"
  | "calls"
  | "medianNs"
  | "p90Ns"
  | "totalNs"
  | "gbPerS"
  | "gflopPerS"
  | "efficiency"
  | "ops"
  | "lines"
  | "autotune";
export interface KernelSort {
  key: KernelSortKey;
  descending: boolean;
}

export const DEFAULT_KERNEL_SORT: KernelSort = { key: "totalNs", descending: true };

export const EAGER_FUNCTION = "(eager)";

export function kernelRows(report: Report): KernelRow[] {
  const fnOf = new Map(report.compilations.map((c) => [c.id, c.functionName]));
  const scopeOf = kernelScopes(report);
  const maxTotal = report.kernels.reduce((a, k) => Math.max(a, k.totalNs), 0);
  return report.kernels.map((k) => {
    const lines = [...new Set(k.locations.map((l) => `${baseName(l.file)}:${l.line}`))];
    const p10Ns = k.p10Ns ?? k.medianNs;
    const p90Ns = k.p90Ns ?? k.medianNs;
    return {
      id: k.id,
      name: k.name,
      mode: k.mode,
      compilation: k.compilation,
      fn: k.compilation === null ? EAGER_FUNCTION : (fnOf.get(k.compilation) ?? k.compilation),
      scope: scopeOf.get(k.id)?.label ?? "–",
      scopeShort: shortScope(scopeOf.get(k.id)?.label ?? "–"),
      scopeSite: scopeOf.get(k.id)?.site ?? null,
      calls: k.dispatches,
      medianNs: k.medianNs,
      p10Ns,
      p90Ns,
      medianText: kernelMedianCell(k, report.device),
      spreadText: k.gpuTimesNs.length > 1 ? kernelSpreadCell(k, report.device) : "–",
      untimed: isUntimed(k),
      outliers: k.outliers?.length ?? 0,
      totalNs: k.totalNs,
      gbPerS: k.gbPerS,
      gflopPerS: k.gflopPerS,
      efficiency: k.bound !== undefined ? (k.efficiency ?? 0) : -1,
      boundText: boundText(k),
      ops: k.ops.join(" "),
      // No line: an eager kernel profiled with --eager-sites off (or run outside the user's code).
      lines: lines.length > 0 ? lines.join(", ") : "–",
      bar: maxTotal > 0 ? k.totalNs / maxTotal : 0,
      autotune: k.autotune ? formatAutotune(k.autotune) : "",
      autotuneShort: k.autotune ? formatAutotuneShort(k.autotune) : "",
    };
  });
}

const SCOPE_CELL_CHARS = 32;
const SEP = " › ";

/**
 * A scope label cut to about `max` characters for its cell, at segment boundaries: the innermost
 * segments, and, when they leave it out, the innermost numbered call outside them ("block #2 ›
 * … › nn.dot_product_attention": the library's long names would otherwise push the block out).
 * Long argument lists go first ("optim.chain(…).update"); one segment is never cut.
 */
export function shortScope(label: string, max = SCOPE_CELL_CHARS): string {
  if (label.length <= max) return label;
  // A chain's parts ("optim.chain(clip_by_global_norm, adamw).update") are in the tooltip.
  const brief = label.replace(/\(([^()]{8,})\)/g, "(…)");
  if (brief !== label) return shortScope(brief, max);
  const segs = label.split(SEP);
  const numbered = (s: string): boolean => / #\d+$/.test(s);
  const call = segs.slice(0, -1).reverse().find(numbered);
  const keep = (budget: number): string[] => {
    const out = [segs[segs.length - 1]!];
    for (let i = segs.length - 2; i >= 0 && [segs[i]!, ...out].join(SEP).length <= budget; i--) out.unshift(segs[i]!);
    return out;
  };
  const inner = keep(max - 2);
  if (inner.length === segs.length) return label;
  if (call === undefined || inner.includes(call)) return `… ${inner.join(SEP)}`;
  return `${call}${SEP}…${SEP}${keep(max - call.length - 6).join(SEP)}`;
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
      const c =
        typeof x === "number" && typeof y === "number"
          ? x - y
          : String(x).localeCompare(String(y), "en", { sensitivity: "base", numeric: true });
      return c !== 0 ? sign * c : a.i - b.i;
    })
    .map((e) => e.row);
}

/** Clicking a column header: the same column flips direction, a new one starts descending for numbers. */
export function toggleSort(current: KernelSort, key: KernelSortKey): KernelSort {
  if (current.key === key) return { key, descending: !current.descending };
  const textual = key === "name" || key === "fn" || key === "ops" || key === "lines" || key === "autotune";
  return { key, descending: !textual };
}

export interface KernelGroup {
  fn: string;
  /** Sum of the rows' total GPU time. */
  totalNs: number;
  rows: KernelRow[];
}

/** Rows grouped by function: groups ordered by total GPU time (largest first), rows inside each
 *  group keep the order of `sorted`. */
export function groupKernelRows(sorted: readonly KernelRow[]): KernelGroup[] {
  const groups = new Map<string, KernelGroup>();
  for (const row of sorted) {
    let g = groups.get(row.fn);
    if (!g) groups.set(row.fn, (g = { fn: row.fn, totalNs: 0, rows: [] }));
    g.totalNs += row.totalNs;
    g.rows.push(row);
  }
  return [...groups.values()].sort((a, b) => b.totalNs - a.totalNs);
}
