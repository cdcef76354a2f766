// The kernels of a compiled program including those of its loop bodies, with how many times
// each runs per call: what jit registers with the recorder and the graph's loop nodes list.

import type { KernelSpec, LoopPlan } from "../codegen/kernelPlan.js";

/** Every kernel of a plan and of its loops' bodies, with how many times each runs per call
 *  (null: inside a while loop, known only at run time). */
export function allKernels(
  plan: { kernels: readonly KernelSpec[]; loops?: readonly LoopPlan[] },
  runs: number | null = 1,
): PlannedKernel[] {
  const out: PlannedKernel[] = plan.kernels.map((kernel) => ({ kernel, runsPerCall: runs, loop: null }));
  for (const l of plan.loops ?? []) {
    const inner = runs === null || l.tripCount === null ? null : runs * l.tripCount;
    for (const k of [...allKernels(l.body, inner), ...(l.cond ? allKernels(l.cond, inner) : [])])
      out.push({ ...k, loop: k.loop ?? l });
  }
  return out;
}

export interface PlannedKernel {
  readonly kernel: KernelSpec;
  /** null: inside a while loop. */
  readonly runsPerCall: number | null;
  /** The innermost loop holding it, or null for a kernel of the program itself. */
  readonly loop: LoopPlan | null;
}
