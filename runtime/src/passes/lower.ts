// lower: each fusion group becomes a KernelSpec (kernel IR with index arithmetic, vectorised
// where shapes allow, WGSL, dispatch and costs) through the code generator's lowerGroup. The
// `lower` snapshot shows each kernel's plan (dispatch, bindings, costs, ops); `wgsl` shows the
// generated modules. Both passes read the same lowering: WGSL is produced once.

import { lowerGroup } from "../codegen/lowerGroup.js";
import type { KernelSpec } from "../codegen/contract.js";
import type { Pass } from "./pass.js";

export const lowerPass: Pass = {
  name: "lower",
  run(state) {
    if (!state.schedule) throw new Error("lower pass needs the fuse pass's schedule");
    // A loop group has no kernel of its own: the pipeline compiles its body (pipeline.ts).
    const kernels: KernelSpec[] = state.schedule.groups.filter((g) => g.kind !== "loop").map((g) => lowerGroup(g));
    return { state: { ...state, kernels }, changed: kernels.length > 0 };
  },
};

/** The wgsl stage: the modules were generated with the kernels; this snapshot shows them. */
export const wgslPass: Pass = {
  name: "wgsl",
  run(state) {
    if (!state.kernels) throw new Error("wgsl pass needs the lower pass's kernels");
    return { state, changed: state.kernels.length > 0 };
  },
};
