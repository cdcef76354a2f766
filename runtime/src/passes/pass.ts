// What a compiler pass is: a pure function of the compile state (the program, and from fuse on
// the schedule, kernels and memory plan) that returns the new state and what it did, in its own
// words (counts, the rules that fired, notes). The pipeline (pipeline.ts) times each pass and
// takes the snapshot from what the pass returned and how the pass prints its result; no pass
// knows about the viewer, and the snapshot code knows no pass by name.

import type { PassEffect } from "@jitscope/contract";
import type { KernelSpec, LoopPlan, MemoryPlan, ScheduledProgram } from "../codegen/kernelPlan.js";
import type { Program } from "../ir/types.js";

export interface CompileState {
  readonly program: Program;
  /** How many trailing program inputs are captured constants (drawn as "const" nodes). */
  readonly constInputs: number;
  /** Prefix that makes a group id ("k0", unique within the compilation) a report-wide kernel id
   *  ("c3/" → "c3/k0", the id the backend registers with the recorder). */
  readonly idPrefix?: string;
  readonly schedule?: ScheduledProgram;
  readonly kernels?: readonly KernelSpec[];
  readonly memory?: MemoryPlan;
  /** The loops of the schedule with their bodies compiled (by the pipeline, after lower). */
  readonly loops?: readonly LoopPlan[];
}

/** A pass's result: the new state, whether anything changed, and what it did. */
export interface PassResult extends Partial<PassEffect> {
  readonly state: CompileState;
  readonly changed: boolean;
}

export interface Pass {
  readonly name: string;
  run(state: CompileState): PassResult;
  /** How the state after this pass reads (its snapshot's text). Without it: the program, or the
   *  program kernel by kernel once there is a schedule. */
  print?(state: CompileState): string;
}

/** Adds `n` to `counts[key]` (for rule tallies). */
export function tally(counts: Record<string, number>, key: string, n = 1): void {
  counts[key] = (counts[key] ?? 0) + n;
}
