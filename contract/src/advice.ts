// The report's advice layer (issue 17): what the device can do, how close each kernel came to
// it, what to change at which source line, where memory goes, and what each pass was worth.
// Every field is optional in the report: reports written before it still load.

import type { SourceLocation } from "./location.js";

/**
 * The adapter's roofs, measured by short microbenchmarks on first use of an adapter and cached
 * on disk keyed by the adapter (runtime/src/profile/calibrate.ts).
 */
export interface DevicePeaks {
  /** Peak read+write bandwidth, GB/s (10^9 bytes per second), of the best copy kernel. */
  gbPerS: number;
  /** Peak f32 FMA throughput, GFLOP/s (an FMA counts 2 flops). */
  gflopPerS: number;
  /** The GPU time of an empty dispatch, µs: a kernel near it is latency bound. */
  dispatchUs: number;
  /** The timestamp resolution, ns (lavapipe: 65,536). */
  timestampTickNs: number;
  /** "measured" in this run, or read from the calibration cache. */
  source: "measured" | "cache";
  /** ISO time the peaks were measured. */
  measuredAt: string;
}

/** What limits a kernel: its bytes, its flops, or the fixed cost of a dispatch. */
export type KernelBound = "memory" | "compute" | "latency";

/** Kinds of advice, one purpose-built detector each (runtime/src/advice/). */
export type HintKind =
  | "dense-lookup"
  | "materialized-transpose"
  | "reshape-boundary"
  | "duplicate-compute"
  | "recompile"
  | "dispatch-bound"
  | "host-sync-in-loop"
  | "donate-arguments"
  | "unrolled-loop";

export const HINT_KINDS: readonly HintKind[] = [
  "dense-lookup",
  "materialized-transpose",
  "reshape-boundary",
  "duplicate-compute",
  "recompile",
  "dispatch-bound",
  "host-sync-in-loop",
  "donate-arguments",
  "unrolled-loop",
];

/** One piece of advice at a source line, with what following it would save. */
export interface Hint {
  kind: HintKind;
  /** One sentence: what was seen and what to change. */
  message: string;
  location: SourceLocation | null;
  /** Estimated saving per call of the enclosing function (or per run for eager code), ms, from
   *  the cost model fed with `device.peaks`. */
  estimatedSavingMs: number;
  /** Kernels the hint is about (ids in `kernels`). */
  kernels?: string[];
  /** The compilation it is about, when one. */
  compilation?: string;
  /** Supporting facts a view may list, e.g. the shapes a recompiling function saw. */
  details?: string[];
}

/** One device buffer of a compilation's memory plan, live from `start` to `end` (inclusive),
 *  counted in steps of the plan (kernel dispatches in order). */
export interface MemoryBuffer {
  id: string;
  bytes: number;
  start: number;
  end: number;
  kind: "input" | "output" | "intermediate" | "constant";
  /** What produced it, e.g. "matmul_relu_0" or the argument path "params.w1". */
  label: string;
  location: SourceLocation | null;
}

/** A compilation's memory plan: buffer lifetimes, the peak, and what is live there. */
export interface MemoryPlan {
  /** Number of steps (kernel dispatches of one call). */
  steps: number;
  peakBytes: number;
  /** The step at which the peak is reached. */
  peakStep: number;
  buffers: MemoryBuffer[];
}

/** Live device bytes over time in an eager run (ms since the run's start). */
export interface LiveBytesSample {
  t: number;
  bytes: number;
}

/** What turning one pass off cost each function (`jitscope profile --ablate <pass>`). */
export interface PassAblation {
  pass: string;
  functions: AblatedFunction[];
}

export interface AblatedFunction {
  name: string;
  location: SourceLocation | null;
  /** Dispatches per call with the pass on and with it off. */
  dispatchesWith: number;
  dispatchesWithout: number;
  /** The cost of a call (CallCost.ms) with the pass on and with it off. */
  msWith: number;
  msWithout: number;
}
