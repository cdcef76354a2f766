// What a compiler pass is: a pure function of the compile state (the program, and from fuse on
// the schedule, kernels and memory plan) that says whether it changed anything. The pipeline
// (pipeline.ts) times each pass and takes the snapshot; no pass knows about the viewer.

import type { KernelSpec, LoopPlan, MemoryPlan, ScheduledProgram } from "../codegen/contract.js";
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

export interface Pass {
  readonly name: string;
  run(state: CompileState): { state: CompileState; changed: boolean };
}
