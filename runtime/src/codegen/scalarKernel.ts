// The kernel spec of a group lowered by hand into one WGSL body over scalar bindings (a sort, a
// factorisation, a recurrence): every input and output bound element by element.

import type { FusionGroup, KernelSpec } from "./kernelPlan.js";
import { kernelFacts } from "./kernelFacts.js";
import { assembleModule, entryPointFor } from "./module.js";
import type { HelperName } from "./wgslHelpers.js";

export function scalarKernelSpec(
  group: FusionGroup,
  kernelName: string,
  plan: string,
  body: readonly string[],
  workgroupSize: number,
  dispatch: KernelSpec["dispatch"],
  /** Module-scope `var<workgroup>` declarations the body uses. */
  shared: readonly string[] = [],
  /** Helper functions the body calls (opExpr.ts's log1p, f32_to_i32, …). */
  helpers: Iterable<HelperName> = [],
): KernelSpec {
  const entryPoint = entryPointFor(kernelName);
  const wgsl = assembleModule({
    entryPoint,
    inputs: group.inputs,
    inputWidths: group.inputs.map(() => 1),
    outputs: group.outputs,
    outputWidths: group.outputs.map(() => 1),
    helpers,
    shared,
    workgroupSize,
    body,
    comment: `${kernelName}: ${plan}`,
  });
  return {
    id: group.id,
    name: kernelName,
    plan,
    wgsl,
    entryPoint,
    workgroupSize: [workgroupSize, 1, 1],
    dispatch,
    inputs: group.inputs,
    outputs: group.outputs,
    ...kernelFacts(group),
  };
}
