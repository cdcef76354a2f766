// What jit(f) returns and what it reports, apart from how it works (jit.ts): its options, the
// compiled program `lower()` gives (JAX's `jit(f).lower(...)`), and the counters tests read.

import type { ConcreteArray } from "../array.js";
import type { KernelSpec, MemoryPlan, ScheduledProgram } from "../codegen/kernelPlan.js";
import type { Program, SourceLocation } from "../ir/types.js";
import type { FusionReport, PassSnapshot } from "@jitscope/contract";

export interface JitOptions {
  /** Positions of arguments that are compile-time values (part of the cache key, not traced). */
  static_argnums?: number | readonly number[];
  /** Parameter names of `f` whose arguments are static, as static_argnums by position
   *  (trace/jitArgnums.ts). */
  static_argnames?: string | readonly string[];
  /** Positions of arguments whose storage the compiled call may take (JAX's buffer donation):
   *  their arrays are disposed once the call is encoded (trace/jitDonation.ts). */
  donate_argnums?: number | readonly number[];
  /** Parameter names of `f` whose arguments are donated, as donate_argnums by position. */
  donate_argnames?: string | readonly string[];
  /** The name before JAX's spelling became the rule (README: "Names"): the same option. */
  staticArgnums?: number | readonly number[];
  /** Name used in reports and name stacks (default: f.name, else the name its result is bound to
   *  at the jit call, else "anonymous"). */
  name?: string;
}

/** The compiled program without running it (JAX's `jit(f).lower(...)`). */
export interface Lowered {
  readonly compilationId: string;
  readonly name: string;
  readonly signature: string;
  /** Why this compilation happened: "first call", "argument 0: shape [128,784] → [64,784]". */
  readonly reason: string;
  readonly program: Program;
  readonly passes: readonly PassSnapshot[];
  readonly fusion: FusionReport;
  /** Ids are report-wide ("c0/k0"), as in `fusion` and the snapshots' graph groups. */
  readonly kernels: readonly KernelSpec[];
  readonly peakBytes: number;
  /** Buffer slots of the intermediates (from the memory pass). */
  readonly memory: MemoryPlan;
  /** The fusion groups in dispatch order, with their boundaries (from the fuse pass). */
  readonly schedule: ScheduledProgram;
  /** Captured constants: the program inputs after the arguments' leaves. */
  readonly constants: readonly ConcreteArray[];
  /** Where each scope instance was called from, by name-stack path ("step/block/#2"). */
  readonly scopeSites: Readonly<Record<string, SourceLocation>>;
  /** The printed IR after `passName` (default: the last pass). */
  text(passName?: string): string;
}

// eslint-style note: `never[]` accepts every function type without `any`.
export type AnyFn = (...args: never[]) => unknown;

export type Jitted<F extends AnyFn> = ((...args: Parameters<F>) => ReturnType<F>) & {
  lower(...args: Parameters<F>): Promise<Lowered>;
  /** Number of compilations cached so far. */
  readonly cacheSize: number;
  readonly fnName: string;
  /** Times this function was traced and compiled (a retrace counts again). */
  readonly compileCount: number;
  /** Kernels the last compiled call ran (0 before any; an inlined or eager call does not count). */
  readonly lastCallKernels: number;
  /** What a test asserts on, in one snapshot (see `stats` in README). */
  stats(): JitStats;
};

/** Counters of one jitted function, for tests: the equivalent of JAX users' `assert_compiles`. */
export interface JitStats {
  /** Traces+compilations so far. */
  compiles: number;
  /** Calls that ran a compiled program (not inlined into an outer trace, not under disableJit). */
  compiledCalls: number;
  /** Kernels the last compiled call ran: its program's non-empty kernels, on any backend. */
  lastCallKernels: number;
  /** GPU dispatches the last compiled call made (0 on the CPU backend, which dispatches none). */
  lastCallDispatches: number;
  /** Why the last compilation happened: "first call", "argument 0: shape [2] → [3]"; null before any. */
  lastCompileReason: string | null;
}
