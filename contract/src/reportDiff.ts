// The difference between two reports of the same script (`jitscope diff`, `jitscope check`, the
// editor's "vs previous run" and the panel's Diff view): part of the report contract, so the
// extension and webview read the same result the CLI prints. Types and constants only.
//
// Kernels are matched by provenance (the source lines and ops they came from), never by their
// generated names; a time differs significantly only when the two runs' intervals of the median
// do not overlap (see DIFF_METHOD). Times are milliseconds.

import type { SourceLocation } from "./report.js";

export const REPORT_DIFF_VERSION = 1;

/** How every interval and verdict of a diff is computed (printed with the diff). */
export const DIFF_METHOD =
  "median of the kept samples with its 95% distribution-free confidence interval (order statistics " +
  "of Binomial(n, 1/2)); a change is significant only when the two runs' intervals do not overlap; " +
  "a GPU time's interval widens by half a timestamp tick each side; a sum of medians takes the sums of " +
  "the interval ends; fewer than 3 samples on a side: too few samples";

/** A median and its interval, in the unit of the field that holds it. */
export interface Estimate {
  median: number;
  low: number;
  high: number;
  /** Samples behind it (for a sum, the fewest of its parts). */
  samples: number;
}

export type Verdict = "faster" | "slower" | "no significant change" | "too few samples";

/** A measured quantity in both runs; null where a side does not have it (added or removed). */
export interface MeasuredDelta {
  old: Estimate | null;
  new: Estimate | null;
  /** new.median − old.median (0 when a side is missing). */
  delta: number;
  /** delta / old.median, null when old is missing or 0. */
  relative: number | null;
  verdict: Verdict;
}

/** A counted (exact) quantity: dispatches, kernels, compilations, bytes, compile ms. */
export interface CountDelta {
  old: number;
  new: number;
  delta: number;
}

/** How a group of kernels in the old run relates to a group in the new run. */
export type KernelChange = "same" | "changed" | "split" | "merged" | "regrouped" | "added" | "removed";

/** One kernel of one run, as the diff names it. */
export interface DiffKernelRef {
  id: string;
  name: string;
  /** Distinct "op" of its ops; with `lines`, its provenance. */
  ops: string[];
  /** Its source lines in its own run. */
  lines: number[];
}

export interface KernelDiffEntry {
  change: KernelChange;
  /** The jitted function (name) the kernels belong to, null for eager ops. */
  function: string | null;
  file: string | null;
  old: DiffKernelRef[];
  new: DiffKernelRef[];
  /** Lines of the new run this entry touches (of the old run, mapped, for a removal). */
  lines: number[];
  /** "add @ line 12": provenance present only on one side. */
  opsAdded: string[];
  opsRemoved: string[];
  /** GPU ms per call of the group (median per dispatch × dispatches per call, summed). */
  gpuMsPerCall: MeasuredDelta;
  dispatchesPerCall: CountDelta;
}

export interface FunctionDiffEntry {
  name: string;
  status: "matched" | "added" | "removed";
  oldLocation: SourceLocation | null;
  newLocation: SourceLocation | null;
  /** The cost of a call (the report's `cost`): its host part plus its GPU part, interval ends summed. */
  cost: MeasuredDelta;
  /** Host part of a call, from each call's own time (the report's `msPerCall`). */
  msPerCall: MeasuredDelta;
  /** GPU part: the medians of the latest compilation's kernels, summed. */
  gpuMsPerCall: MeasuredDelta;
  kernelsPerCall: CountDelta;
  compilations: CountDelta;
  compileMs: CountDelta;
  peakBytes: CountDelta;
  /** Counts of this function's kernel entries by change. */
  kernelChanges: Record<KernelChange, number>;
}

export interface LineDiffEntry {
  file: string;
  /** The line in each run; null where it has no counterpart. */
  oldLine: number | null;
  newLine: number | null;
  /** GPU ms per call attributed to the line (each kernel's split evenly among its lines). */
  gpuMsPerCall: MeasuredDelta;
  kernels: CountDelta;
  /** Changes of the kernels this line is part of (not "same"). */
  changes: KernelChange[];
  /** True when the line's time changed significantly or any of its kernels changed shape. */
  significant: boolean;
}

export interface DiffRunInfo {
  script: string;
  createdAt: string;
  adapter: string;
  status: string;
}

export interface ReportDiff {
  version: typeof REPORT_DIFF_VERSION;
  tool: "jitscope-diff";
  method: string;
  old: DiffRunInfo;
  new: DiffRunInfo;
  /** Old line → new line, per file of the new run, for lines that carry ops. */
  lineMap: { file: string; old: number; new: number }[];
  functions: FunctionDiffEntry[];
  kernels: KernelDiffEntry[];
  lines: LineDiffEntry[];
  summary: {
    /** Entries (functions, kernels, lines) whose change is significant or structural. */
    significant: number;
    kernelChanges: Record<KernelChange, number>;
    /** One sentence: "no significant change", or what moved. */
    text: string;
  };
}
