// lower: each fusion group becomes a KernelSpec (index arithmetic, vectorised where shapes allow,
// WGSL, dispatch and costs) through the code generator's lowerGroup. Its snapshot shows each
// kernel's plan (how it was lowered, dispatch, bindings, costs, ops) followed by its module.

import { formatBytes } from "@jitscope/contract";
import { lowerGroup } from "../codegen/lowerGroup.js";
import type { KernelSpec } from "../codegen/kernelPlan.js";
import { namer, shortLocation } from "../ir/printer.js";
import { avalToString } from "../ir/types.js";
import type { Pass } from "./pass.js";

export const lowerPass: Pass = {
  name: "lower",
  run(state) {
    if (!state.schedule) throw new Error("lower pass needs the fuse pass's schedule");
    // A loop group has no kernel of its own: the pipeline compiles its body (pipeline.ts).
    const kernels: KernelSpec[] = state.schedule.groups.filter((g) => g.kind !== "loop").map((g) => lowerGroup(g));
    const vec4 = kernels.filter((k) => /vec4/.test(k.plan)).length;
    return {
      state: { ...state, kernels },
      changed: kernels.length > 0,
      counts: { kernels: kernels.length, "with vec4 access": vec4 },
    };
  },
  print(state) {
    const name = namer(state.program); // once: naming walks the whole program
    return (state.kernels ?? []).map((k) => `${kernelPlanText(name, k)}\n\n${k.wgsl.trimEnd()}`).join("\n\n");
  },
};

function kernelPlanText(name: (v: KernelSpec["inputs"][number]) => string, k: KernelSpec): string {
  const vars = (vs: KernelSpec["inputs"]) => vs.map((v) => `${name(v)}:${avalToString(v.aval)}`).join(" ") || "-";
  const locs = [...new Set(k.locations.map(shortLocation))].join(", ");
  return [
    `kernel ${k.id} ${k.name}: ${k.plan}`,
    `  workgroup [${k.workgroupSize.join(",")}]  dispatch [${k.dispatch.join(",")}]`,
    `  reads  ${vars(k.inputs)}`,
    `  writes ${vars(k.outputs)}`,
    `  ${formatBytes(k.bytesRead)} read, ${formatBytes(k.bytesWritten)} written, ${k.flops} flops`,
    `  ops ${k.ops.join(" ")}${locs ? `  # ${locs}` : ""}`,
  ].join("\n");
}
