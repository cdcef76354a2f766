// FusionGroup → KernelSpec: picks the lowering for the group's kind. Eager ops come through
// lowerEqn (one-equation groups, cached), jitted programs through passes/fuse.ts' groups.

import type { FusionGroup, KernelSpec } from "./kernelPlan.js";
import { lowerElementwise } from "./lowerElementwise.js";
import { lowerTunable } from "./kernelTuning.js";
import { convSpace, elementwiseSpace, matmulSpace, reductionSpace, rowSpace } from "./tuneSpaces.js";
import { lowerPartialReduction } from "./lowerPartialReduction.js";
import { lowerSort } from "./lowerSort.js";
import { lowerLinalg } from "./lowerLinalg.js";
import { lowerRecurrence } from "./lowerRecurrence.js";
import { lowerUnrolledScan } from "./lowerUnrolledScan.js";
import { recurrenceMode } from "./recurrence.js";
import { wgslSources } from "./wgslSources.js";

export function lowerGroup(group: FusionGroup, name?: string): KernelSpec {
  const spec = lowerKind(group, name);
  return { ...spec, wgslSources: wgslSources(spec.wgsl, group.eqns) };
}

function lowerKind(group: FusionGroup, name?: string): KernelSpec {
  switch (group.kind) {
    // The autotuner's choice for the kernel's shape class on this adapter, when it has one
    // (kernelTuning.ts); layout kernels (transposes, pads, slices) have no knob to search.
    case "elementwise":
      return lowerTunable(elementwiseSpace, group, name);
    case "layout":
      return lowerElementwise(group, name);
    case "reduction":
      return group.partials ? lowerPartialReduction(group, name) : lowerTunable(reductionSpace, group, name);
    case "row":
      return lowerTunable(rowSpace, group, name);
    case "matmul":
      return lowerTunable(matmulSpace, group, name);
    case "conv":
      return lowerTunable(convSpace, group, name);
    case "sort":
      return lowerSort(group, name);
    case "linalg":
      return lowerLinalg(group, name);
    case "recurrence":
      // The scan is the group's last equation (after the fills it starts from).
      return recurrenceMode(group.eqns[group.eqns.length - 1]!)?.kind === "unrolled"
        ? lowerUnrolledScan(group, name)
        : lowerRecurrence(group, name);
    case "loop":
      throw new Error(`internal: loop group ${group.id} has no kernel of its own (passes/lower.ts compiles its body)`);
    default:
      return group.kind satisfies never;
  }
}
