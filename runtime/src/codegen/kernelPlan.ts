// The hand-off between the compiler passes and code generation:
//   passes/fuse.ts decides FusionGroups (which equations share a kernel, and why);
//   codegen/lowerGroup.ts turns one group into a KernelSpec (WGSL, dispatch, costs, its plan);
//   passes/memory.ts plans buffers; the backend's createExecutable runs the kernels.
// Eager execution uses the same path with a one-equation group, so eager and jit share codegen.

import type { Atom, Eqn, Program, SourceLocation, Var } from "../ir/types.js";
import type { FusionBoundary, KernelAutotune, WgslSource } from "@jitscope/contract";

/** "loop": a scan/while equation; no kernel of its own, its body is compiled to kernels once.
 *  "row": reductions over the last axis of the same rows and the elementwise ops on those rows
 *  (softmax, layer norm) in one kernel (passes/fuseRows.ts, codegen/lowerRowLocal.ts).
 *  "linalg": one cholesky / triangular_solve / lu, one workgroup per matrix (codegen/lowerLinalg.ts).
 *  "recurrence": a scan whose body is elementwise, all its steps in one kernel (codegen/recurrence.ts). */
export type KernelKind =
  "elementwise" | "reduction" | "row" | "matmul" | "conv" | "layout" | "sort" | "linalg" | "recurrence" | "loop";

export interface FusionGroup {
  /** Kernel id, unique within the compilation ("k0", "k1", …; eager: a hash of the op). */
  readonly id: string;
  readonly kind: KernelKind;
  /** The group's equations, in program order. Elementwise/broadcast/reshape/… ops around a
   *  reduction (prologue: feeding its input; epilogue: consuming its output at the output
   *  shape) or around a matmul (epilogue only) belong to that reduction's/matmul's group. */
  readonly eqns: readonly Eqn[];
  /** Values the kernel reads from global memory, in binding order. */
  readonly inputs: readonly Var[];
  /** Values the kernel writes to global memory (used by later kernels or program outputs). */
  readonly outputs: readonly Var[];
  /** Why these ops went together ("elementwise chain", "reduction with prologue and epilogue"). */
  readonly reason: string;
  /** A whole-array reduction's first stage (passes/fuseSplitReductions.ts): this many workgroups
   *  each reduce a slice of the input; output 0 holds their partial results. */
  readonly partials?: number;
}

export interface ScheduledProgram {
  readonly program: Program;
  /** In dispatch order (a valid topological order of the groups). */
  readonly groups: readonly FusionGroup[];
  readonly boundaries: readonly FusionBoundary[];
}

export interface KernelSpec {
  readonly id: string;
  /** Descriptive, e.g. "fused_tanh_mul_sub", "matmul_add_relu", "sum_exp_sub". */
  readonly name: string;
  /** How the code generator lowered the group, e.g. "elementwise kernel, 6 elements, flat",
   *  "[1×] 64×64 @ 64×64, 4×4 per thread in registers". */
  readonly plan: string;
  readonly wgsl: string;
  readonly entryPoint: string;
  readonly workgroupSize: [number, number, number];
  readonly dispatch: [number, number, number];
  /** Binding order: inputs are @binding(0..n-1) read-only storage, outputs follow. */
  readonly inputs: readonly Var[];
  readonly outputs: readonly Var[];
  readonly bytesRead: number;
  readonly bytesWritten: number;
  readonly flops: number;
  readonly ops: readonly string[];
  /** Graph node ids (`op${eqn.id}`) of the group's equations. */
  readonly opIds: readonly string[];
  readonly locations: readonly SourceLocation[];
  /** The WGSL lines that compute a value of one of the group's ops (wgslSources.ts). */
  readonly wgslSources?: readonly WgslSource[];
  /** A matmul kernel's shape class, as the autotuner keys it (tune/tuneKey.ts, under codegen/). */
  readonly tuneKey?: string;
  /** Set when the autotuner chose this kernel's configuration. */
  readonly autotune?: KernelAutotune;
}

/** Buffer assignment for one compiled program: intermediates share slots by liveness. */
export interface MemoryPlan {
  /** Byte size of each slot. */
  readonly slots: readonly number[];
  /** Var id → slot, for every value that lives in global memory between kernels
   *  (not program inputs; program outputs get fresh buffers, never aliased with live inputs). */
  readonly slotOf: ReadonlyMap<number, number>;
  readonly peakBytes: number;
}

export interface ExecutablePlan {
  readonly compilationId: string;
  readonly program: Program;
  readonly kernels: readonly KernelSpec[];
  readonly memory: MemoryPlan;
  /** Program outputs may be inputs or literals too. */
  readonly outputs: readonly Atom[];
  /** The program's loops (scan/while equations), each run between two of `kernels`. */
  readonly loops?: readonly LoopPlan[];
  /** A loop body's fusion groups and boundaries under its own pipeline's ids ("k0"), for the
   *  graph's loop nodes (snapshot.ts); the body's kernels carry them prefixed ("k3.k0"). */
  readonly schedule?: ScheduledProgram;
}

/** A scan/while equation of a compiled program: its body (and condition) compiled once. */
export interface LoopPlan {
  /** The loop's group id in the enclosing schedule ("k3"); its body kernels are "k3.k0", … */
  readonly groupId: string;
  /** The compilation graph's node holding this loop ("op12"): its own eqn's at top level; a loop
   *  nested in a body is not drawn, so it names the top-level loop around it. */
  readonly node: string;
  readonly eqn: Eqn;
  /** The loop runs before the enclosing plan's kernel of this index (after all kernels: length). */
  readonly at: number;
  /** Iterations per run: a scan's length; null for a while loop (known only when it runs). */
  readonly tripCount: number | null;
  readonly body: ExecutablePlan;
  /** while: the condition's program (its one output is the bool scalar). */
  readonly cond?: ExecutablePlan;
}
