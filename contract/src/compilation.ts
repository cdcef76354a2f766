// Compilations, part of the report contract (report.ts re-exports them): one per (function,
// input signature) that jit traced and compiled, with the program after every pass as a graph and
// fusion's record of why ops are or are not in the same kernel.

import type { MemoryPlan } from "./advice.js";
import type { SourceLocation } from "./location.js";

/** A node of a pass snapshot's graph: one equation (op), an input, a constant or an output. */
export interface GraphNode {
  id: string;
  /** "op" for equations; "input" / "output" / "const" for the program's edges. */
  kind: "op" | "input" | "output" | "const";
  /** Primitive name for ops ("add", "matmul", "reduce_sum"), variable name otherwise. */
  label: string;
  shape: number[];
  dtype: string;
  location: SourceLocation | null;
  /** Enclosing transformations/functions, outermost first, e.g. ["step", "grad(loss)", "transpose"]. */
  nameStack: string[];
  /** Set from the `fuse` pass on: the kernel this op landed in. */
  kernel?: string;
  /** Whether the pass that produced this snapshot created or rewrote this node. */
  changed?: boolean;
  /** A loop (lax.scan / while_loop): one node whose body runs `tripCount` times per call. */
  loop?: LoopInfo;
}

/** What a loop node holds: draw its body once, marked "× tripCount". */
export interface LoopInfo {
  kind: "scan" | "while";
  /** Iterations per run; null for a while loop (data dependent). */
  tripCount: number | null;
  /** The body's program as a graph, its own node ids. Before the fuse pass, the body as traced;
   *  from the fuse pass on, the body as its own pipeline compiled it: its ops in their kernels
   *  (`groups`, with the report's kernel ids) and its loops' bodies inside it. Its inputs are
   *  labelled "const i", "carry i" and a scan's "x i"; its outputs "carry i" and "y i". A while
   *  loop's condition is not in it. */
  body: PassGraph;
  /** Kernel ids the body compiled to, its condition's too (from the fuse pass on; empty before). */
  bodyKernels: string[];
  /** From the fuse pass on: why the body's ops are or are not in one kernel, in `body`'s node ids
   *  and the report's kernel ids. A boundary's `bytes` are one iteration's; it has no `costMs`. */
  bodyFusion?: FusionReport;
  /** A while loop's condition, as `body` is (as traced before the fuse pass, as compiled from it
   *  on): inputs "const i" and "carry i", its output "continue". It runs before each iteration
   *  and once more to end the loop. `condFusion` as `bodyFusion`. */
  cond?: PassGraph;
  condFusion?: FusionReport;
}

export interface GraphEdge {
  source: string;
  target: string;
  /** Size of the tensor flowing along the edge. */
  bytes: number;
  shape: number[];
  dtype: string;
}

/** A kernel cluster (from `fuse` on). */
export interface GraphGroup {
  /** Kernel id (same as `KernelReport.id`). */
  id: string;
  name: string;
  nodes: string[];
}

export interface PassGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  groups: GraphGroup[];
}

/** What a pass did, in its own words (the viewer shows it; it never branches on pass names). */
export interface PassEffect {
  /** What it counted, e.g. { "equations removed": 3 }, { kernels: 4 }. */
  counts: Record<string, number>;
  /** The rewrite rules that fired and how often, e.g. { "x * 1 → x": 2 }. */
  rules: Record<string, number>;
  notes: string[];
}

export interface PassSnapshot {
  /** "trace", "simplify", "cse", "dce", "fuse", "lower", "memory". */
  name: string;
  ms: number;
  changed: boolean;
  /** The program printed after the pass (jaxpr-like text). */
  text: string;
  graph: PassGraph;
  /** What the pass did (absent in reports written before passes described themselves). */
  effect?: PassEffect;
}

/** Why two ops are in different kernels: user-facing text answering "why wasn't this fused?". */
export interface FusionBoundary {
  /** Producer op node id and consumer op node id (graph node ids of the `fuse` snapshot). */
  from: string;
  to: string;
  fromKernel: string;
  toKernel: string;
  /** Short machine tag: "reduction-broadcast", "matmul-operand", "multi-consumer", "buffer-limit", "output", "shape", … */
  rule: string;
  /** e.g. "reduction result is broadcast back over axis 1". */
  reason: string;
  /** Bytes the producer writes and the consumer reads back because of this boundary. */
  bytes?: number;
  /** Those bytes' time at the device's measured bandwidth (`device.peaks.gbPerS`), ms per call. */
  costMs?: number;
}

export interface FusionDecision {
  kernel: string;
  /** Op node ids fused into this kernel. */
  ops: string[];
  /** What kind of kernel: "elementwise", "reduction", "matmul", "copy", … */
  kind: string;
  /** Why these went together, e.g. "elementwise chain", "reduction with prologue". */
  reason: string;
}

export interface FusionReport {
  decisions: FusionDecision[];
  boundaries: FusionBoundary[];
}

export interface Compilation {
  id: string;
  /** The jitted function's name (`f.name`, or "anonymous"). */
  functionName: string;
  /** Where `jit(` was called. */
  location: SourceLocation | null;
  /** e.g. "(float32[128,784], float32[784,256]) -> float32[128,256]". */
  signature: string;
  /** Why this compilation happened: "first call", "argument 0: shape [128,784] → [64,784]". */
  reason: string;
  passes: PassSnapshot[];
  fusion: FusionReport;
  /** Kernel ids, in dispatch order. */
  kernels: string[];
  compileMs: { total: number; perPass: Record<string, number> };
  /** The driver's compile of its kernels' pipelines at their first dispatch (Report.driverCompile's
   *  parts), ms; a kernel on a pipeline compiled before adds nothing. Absent where none was timed. */
  driverCompileMs?: number;
  peakBytes: number;
  /** The memory plan's buffer lifetimes (advice.ts). */
  memory?: MemoryPlan;
  /** Where each scope instance was called from, keyed by its name-stack path joined with "/"
   *  (`trainStep/grad(loss)/forward/conv/#4`): the line of the call, in the caller. */
  scopeSites?: Record<string, SourceLocation>;
  /** The library compiled it for an eager call (linalg's qr, svd, eigh): compiled once per input
   *  shape, as an eager op's pipeline is, so the recompile hint leaves it alone. */
  library?: boolean;
}
