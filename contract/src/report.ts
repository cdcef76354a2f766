// The report: the contract between the runtime (which writes it), the extension (which maps it
// onto the editor) and the webview (which draws it). Versioned JSON. A report read from disk is
// untrusted input: it goes through `validateReport` (validate.ts) before anything uses it.
//
// The contract module has no DOM and no Node (contract/tsconfig.json), so every side can bundle
// it. Times are milliseconds unless the name says otherwise (`…Ns`).

import type { DevicePeaks, Hint, KernelBound, LiveBytesSample, PassAblation } from "./advice.js";
import type { SourceLocation } from "./location.js";

export const REPORT_VERSION = 2;

export type { SourceLocation } from "./location.js";
// Compilations and their pass snapshots: compilation.ts, part of the same contract.
export * from "./compilation.js";
import type { Compilation } from "./compilation.js";

export type BackendName = "webgpu" | "cpu";

/** Which kernel dispatches get GPU timestamps (the CLI's `--timing`, the extension's setting). */
export type TimingMode = "every" | "sampled";

export interface DeviceInfo {
  backend: BackendName;
  /** e.g. "llvmpipe (LLVM 15.0.6, 256 bits) · Mesa 25.0.7 · vulkan" or "CPU reference backend". */
  adapter: string;
  /** Whether kernel times come from GPU timestamp queries; false means host timing. */
  timestampQuery: boolean;
  /** Loud, user-facing notes: "No WebGPU adapter: ran on the CPU backend", "host timing", … */
  notes: string[];
  /** The timestamp resolution, ns, read off the samples (every one is a whole number of ticks;
   *  1 on lavapipe and NVIDIA; 65,536 with Dawn's quantization kept). A time below it is shown
   *  as "< tick", never as 0. Absent: unknown. */
  timestampTickNs?: number;
  /** What a timestamped pass adds to the span it measures, ns, measured at the start of the run
   *  (an empty dispatch timed alone against back to back): every timed span was reduced by it
   *  (never below one empty dispatch). Absent: spans are as read. */
  timestampOverheadNs?: number;
  /** The adapter's measured roofs (advice.ts); absent on the CPU backend or before calibration. */
  peaks?: DevicePeaks;
}

export interface ConsoleLine {
  stream: "stdout" | "stderr";
  text: string;
  /** ms since the start of the run. */
  t: number;
}

export interface ReportError {
  /** "syntax" | "runtime" | "shape" | "timeout" | "crash" | "cancelled" | "trace" */
  kind: "syntax" | "runtime" | "shape" | "timeout" | "crash" | "cancelled" | "trace";
  message: string;
  /** Where in the user's file, when known (mapped through source maps). */
  location: SourceLocation | null;
  stack?: string;
}

// ---------------------------------------------------------------------------------------------
// Kernels: every distinct GPU program that ran (eager ops and jit kernels alike).

export interface KernelReport {
  id: string;
  /** Descriptive and stable, e.g. "fused_tanh_mul_sub_3", "matmul_relu_0", "eager_add". */
  name: string;
  /** The compilation it belongs to, or null for an eager op. */
  compilation: string | null;
  mode: "eager" | "jit";
  wgsl: string;
  /** Primitive names of the ops in this kernel, in program order. */
  ops: string[];
  /** Graph node ids (of the compilation's `fuse` snapshot) of those ops; empty for eager. A loop
   *  body's kernel gives its loop's node (`loop.node`): the body's ops are not drawn. */
  opIds: string[];
  locations: SourceLocation[];
  /** Which line of yours each WGSL line computes, where the generated code names it: per op of a
   *  jit kernel, the lines that define its values (runtime/src/codegen/wgslSources.ts); absent for
   *  eager kernels and where no line was mapped. See wgslSourceText.ts. */
  wgslSources?: WgslSource[];
  workgroupSize: [number, number, number];
  dispatch: [number, number, number];
  bytesRead: number;
  bytesWritten: number;
  flops: number;
  /** How many times it ran. */
  dispatches: number;
  /** Every measured sample, nanoseconds: one per dispatch, or fewer where the timing policy
   *  sampled a short kernel (backend/timingPolicy.ts; the device notes say so). In dispatch
   *  order: the first is the kernel's first dispatch (always timed), which `totalNs` counts apart. */
  gpuTimesNs: number[];
  /** Derived from the median sample. */
  medianNs: number;
  /** The spread of the samples: 10th and 90th percentiles, ns (reports since issue 12). */
  p10Ns?: number;
  p90Ns?: number;
  /** Indices into `gpuTimesNs` of samples beyond median + 5 robust deviations of the kernel's
   *  samples pooled with its twins' (same WGSL, grid, bytes and FLOPs; stats.ts `outlierIndices`):
   *  kept there, left out of `totalNs`. */
  outliers?: number[];
  /** How many of the samples were measured as a batch: a kernel shorter than a timestamp tick is
   *  timed over several back-to-back dispatches in one span, divided (backend/timingPolicy.ts). */
  batch?: { samples: number; size: number };
  /** The first sample (the kernel's first dispatch, always timed) + the other dispatches × the
   *  mean of the other samples, outliers set aside (stats.ts `robustTotal`; an outlier first
   *  sample counts as that mean); where all are outliers, dispatches × the twins' mean. */
  totalNs: number;
  gbPerS: number;
  gflopPerS: number;
  /** Set for a kernel of a loop body: it runs `runsPerCall` times per call of its function
   *  (`dispatches` counts them all; `medianNs` is a time per iteration). */
  loop?: KernelLoop;
  /** What limits it, from its bytes, flops and time against `device.peaks` (advice.ts). */
  bound?: KernelBound;
  /** Achieved fraction of its roof, 0..1: memory → gbPerS / peak, compute → gflopPerS / peak,
   *  latency → dispatchUs / its median. */
  efficiency?: number;
  /** Set when the autotuner chose this kernel's configuration (runtime/src/codegen/tune/). */
  autotune?: KernelAutotune;
}

/** One of a kernel's ops and the WGSL lines that compute its values. */
export interface WgslSource {
  /** The op's primitive ("exp", "add"). */
  op: string;
  /** Its graph node id (`op${eqn.id}`); a loop body's op is numbered in the body, not drawn. */
  opId: string;
  /** Where the user called it. */
  location: SourceLocation;
  /** 1-based lines of `KernelReport.wgsl`, ascending. */
  lines: number[];
}

/** The autotuner's record for a kernel's shape class on this adapter: every configuration it
 *  timed, the winner, and the winner's margin over the untuned default. */
export interface KernelAutotune {
  /** In the order tried; `medianNs` is the median of that configuration's timed runs. */
  candidates: { config: string; medianNs: number }[];
  /** The configuration this kernel uses: a matmul's "4×8 vec4 wg8×8" (rows×columns per
   *  invocation, load width, workgroup), a conv's "4×8 wg64" or "4×8 split-K 64" (output
   *  pixels×features per invocation; workgroup width, or taps split over that many
   *  invocations), an elementwise kernel's "vec4 ×4 wg64" (vector width, vec4s or scalars per
   *  invocation, workgroup width), a reduction's "wg64, a workgroup per output" (workgroup
   *  width; a workgroup, a thread, or a column reduction's "8 threads per output"), a row kernel's
   *  "online, 8 rows/wg" (a row's max and sum of exp(x − max) in one loop or "two loops", "a thread
   *  per row" or a subgroup, rows per workgroup). */
  winner: string;
  /** What the compiler emits without tuning. */
  defaultConfig: string;
  /** The default's median time ÷ the winner's (1 when the default won). */
  speedupOverDefault: number;
  /** "search": measured in this run; "cache": reused from the on-disk autotune cache. */
  source: "search" | "cache";
  /** The search's time budget, ms (the search stops trying candidates once it is spent). */
  budgetMs: number;
  /** The shape class the record is cached under for this adapter, which every kernel of that
   *  class shares ("conv float32 [32,3,16,16]*[16,3,3,3]->… s1,1 p1,1/1,1 d1,1/1,1 g1",
   *  "elementwise 1048576 mul·add·tanh·… in float32[1048576] out float32"). Absent in older
   *  reports. */
  shapeClass?: string;
  /** A candidate whose median beat the default's but that lost to it in the paired blocks that
   *  must confirm a winner (README, Autotune); the default then stays. */
  unconfirmed?: string;
}

export interface KernelLoop {
  /** The loop's graph node id in the compilation ("op12"); for a loop nested in a loop body, the
   *  outermost loop's (the one drawn). */
  node: string;
  kind: "scan" | "while";
  /** null inside a while loop (data dependent). */
  runsPerCall: number | null;
  /** A while loop on WebGPU: its last call as measured on the device (backend/webgpuWhile.ts). */
  lastCall?: WhileLoopRun;
}

/** One run of a while loop on the device: the condition is evaluated there and its flag read back
 *  once per chunk of iterations (16, doubling up to 256). */
export interface WhileLoopRun {
  /** Iterations the body ran (the trip count). */
  iterations: number;
  /** Chunks submitted, each followed by one read of the flag. */
  chunks: number;
  /** Iterations encoded (the last chunk's rest ran as no-ops). */
  encoded: number;
}

/** One jitted function as called by the script (all its compilations together). */
export interface FunctionReport {
  name: string;
  location: SourceLocation | null;
  calls: number;
  compilations: string[];
  /** Dispatches per call (of the most recent compilation; the name is historical): each of its
   *  kernels once outside loops, × the trip count in a scan body, and a while_loop's kernels'
   *  dispatches ÷ the calls (a measured mean, possibly fractional). Not the number of kernels in
   *  the compiled program (`Compilation.kernels.length`). README "What each number means". */
  kernelsPerCall: number;
  /** Host part of a call: wall time on the host from the call until it returns, median. */
  msPerCall: number;
  /** GPU part of a call: its kernels' GPU time (each kernel's total / dispatches), summed. */
  gpuMsPerCall: number;
  /** THE cost of a call, the figure CodeLens, hover, Compare, CLI and HTML show (callCost.ts). */
  cost?: CallCost;
}

/**
 * The cost of one call: wall time from the call until its results are ready on the device, taken
 * as its host part (encoding, submitting; not the one-time work of a call that compiles) followed
 * by its GPU part (its kernels), as on an idle queue. `ms` is the median; `p10`/`p90` its spread
 * over the calls.
 */
export interface CallCost {
  ms: number;
  p10: number;
  p90: number;
  hostMs: number;
  gpuMs: number;
  /** Every call did one-time work (it compiled, or created pipelines): the cost is a first run's,
   *  its first encode and first dispatches included, not a call's in a loop. Otherwise the calls
   *  that did such work are left out of the median. */
  firstRun?: boolean;
}

/** The index a hover is a lookup in: key `${file}:${line}`. */
export interface LineEntry {
  file: string;
  line: number;
  /** Kernel ids this line's ops landed in. */
  kernels: string[];
  /** GPU time attributed to this line: each kernel's total split evenly among its lines. */
  gpuNs: number;
  /** Share of the run's total GPU time, 0..1. */
  share: number;
  /** Ops on this line that were *not* fused with a neighbour, and why; with the boundary's
   *  bytes and cost per call (FusionBoundary) when the report has them. */
  unfused: { op: string; reason: string; bytes?: number; costMs?: number }[];
  /** With a comparison: this line's eager and jit cost per call, ms. */
  eagerMs?: number;
  jitMs?: number;
}

// ---------------------------------------------------------------------------------------------
// Timeline: host spans and GPU kernels on one clock (ms since the run's start).

export interface HostSpan {
  /** "trace:step", "pass:fuse", "ir:fuse" (the IR snapshot after a pass), "finish:step" (the
   *  report's record of a compilation), "executable:step", "pipeline:k", "encode", "readback",
   *  "call:step", …; trace, compile and pipeline spans inside a call are left out of its cost. */
  name: string;
  cat: "trace" | "compile" | "pipeline" | "encode" | "submit" | "readback" | "call" | "other";
  start: number;
  dur: number;
  /** Links a jit call span to its kernel dispatches (Chrome trace flow). */
  callId?: number;
}

/** The driver's compile of a pipeline at its first dispatch: before a kernel's first timed
 *  dispatch the profiler encodes an empty dispatch of it in a timestamped pass of its own
 *  (runtime/src/backend/pipelinePrimer.ts), whose span is that compile where the driver compiles
 *  then, and about one empty dispatch's where it compiled when the pipeline was created. */
export interface DriverCompile {
  /** Pipelines whose first dispatch was timed so. */
  pipelines: number;
  /** Their spans summed, ns. */
  totalNs: number;
}

export interface KernelDispatch {
  kernel: string;
  start: number;
  dur: number;
  callId?: number;
  /** Not timed (sampling): `dur` is the kernel's median. */
  estimated?: boolean;
  /** Not a run of the kernel: the driver compiling its pipeline at its first dispatch (see
   *  Report.driverCompile). */
  compile?: boolean;
}

export interface Timeline {
  spans: HostSpan[];
  dispatches: KernelDispatch[];
  /** Live device bytes over time (eager arrays and jit buffers). */
  liveBytes?: LiveBytesSample[];
}

// ---------------------------------------------------------------------------------------------
// Eager vs jit.

export interface ModeCost {
  /** The cost of a call (CallCost.ms), median over the runs. */
  msPerCall: number;
  dispatchesPerCall: number;
  /** Spread of the cost: over the runs' medians (lowest, highest) with several runs, else the
   *  calls' p10–p90. */
  p10?: number;
  p90?: number;
  /** Host and GPU parts of the cost, median over the runs. */
  hostMs?: number;
  gpuMs?: number;
  /** The cost of a call in each run, in run order. */
  runs?: number[];
  /** Every run's cost is a first run's (CallCost.firstRun). */
  firstRun?: boolean;
}

export interface SweepPoint {
  calls: number;
  /** Total wall time for that many calls, including compile for jit (the seed's figure). */
  eagerMs: number;
  jitMs: number;
}

export interface SweepResult {
  name: string;
  location: SourceLocation | null;
  points: SweepPoint[];
  compileMs: number;
  /** Calls after which jit's total time drops below eager's; null when it never does. */
  breakEvenCalls: number | null;
  /** True when the points are projected from the measured per-call costs and compile time of a
   *  `--compare` run (compile + N × per call), not timed call by call with `profile.sweep`. */
  modeled?: boolean;
}

export interface ComparedFunction {
  name: string;
  location: SourceLocation | null;
  eager: ModeCost;
  jit: ModeCost;
  compileMs: number;
  /** The one break-even figure (stats.ts `breakEvenCalls` on the two costs): every view reads it. */
  breakEvenCalls: number | null;
  speedup: number;
  /** The speedup's range from the two spreads (eager low / jit high, eager high / jit low). */
  speedupRange?: [number, number];
  /** False when the two spreads overlap: "no significant difference", not a speedup. */
  significant?: boolean;
}

export interface Comparison {
  functions: ComparedFunction[];
  sweeps: SweepResult[];
}

// ---------------------------------------------------------------------------------------------

export interface Report {
  version: typeof REPORT_VERSION;
  /** "jitscope" marks the file as ours. */
  tool: "jitscope";
  createdAt: string;
  script: string;
  /** "completed" or why the run ended early (the report then holds what was gathered so far). */
  status: "completed" | "error" | "timeout" | "cancelled" | "crashed";
  device: DeviceInfo;
  wallMs: number;
  totalGpuNs: number;
  /** Where the driver compiles a pipeline at its first dispatch (lavapipe): those compiles,
   *  timed with timestamps. Absent where none was timed. */
  driverCompile?: DriverCompile;
  console: ConsoleLine[];
  errors: ReportError[];
  compilations: Compilation[];
  kernels: KernelReport[];
  functions: FunctionReport[];
  lines: Record<string, LineEntry>;
  timeline: Timeline;
  comparison: Comparison | null;
  /** Advice at source lines, largest estimated saving first (advice.ts). */
  hints?: Hint[];
  /** `--ablate <pass>` runs: what each pass was worth per function. */
  ablations?: PassAblation[];
}
