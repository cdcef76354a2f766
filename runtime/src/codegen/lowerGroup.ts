// FusionGroup → KernelSpec: picks the lowering for the group's kind. Eager ops come through
// lowerEqn (one-equation groups, cached), jitted programs through passes/fuse.ts' groups.

import type { FusionGroup, KernelSpec } from "./kernelPlan.js";
import { lowerElementwise } from "./lowerElementwise.js";
import { lowerConv } from "./lowerConv.js";
import { analyzeMatmul, lowerMatmul } from "./lowerMatmul.js";
import { matmulTuneKey } from "./matmulConfig.js";
import { tunedMatmulFor } from "./matmulTuning.js";
import { lowerReduction } from "./lowerReduction.js";
import { lowerRowLocal } from "./lowerRowLocal.js";
import { lowerPartialReduction } from "./lowerPartialReduction.js";
import { rowLanes, rowsPerWorkgroup } from "./subgroupSupport.js";
import { lowerSort } from "./lowerSort.js";

export function lowerGroup(group: FusionGroup, name?: string): KernelSpec {
  switch (group.kind) {
    case "elementwise":
    case "layout":
      return lowerElementwise(group, name);
    case "reduction":
      return group.partials ? lowerPartialReduction(group, name) : lowerReduction(group, name);
    case "row": {
      const lanes = rowLanes();
      if (lanes === 0) throw new Error(`internal: row group ${group.id} lowered without subgroups`);
      return lowerRowLocal(group, lanes, name, rowsPerWorkgroup());
    }
    case "matmul": {
      // The autotuner's choice for this shape class on this adapter, when it has one.
      const { shape } = analyzeMatmul(group);
      const tuned = tunedMatmulFor(group, shape);
      const spec = lowerMatmul(group, name, tuned?.config);
      return { ...spec, tuneKey: matmulTuneKey(shape), ...(tuned ? { autotune: tuned.record } : {}) };
    }
    case "conv":
      return lowerConv(group, name);
    case "sort":
      return lowerSort(group, name);
    case "loop":
      throw new Error(`internal: loop group ${group.id} has no kernel of its own (passes/lower.ts compiles its body)`);
    default:
      return group.kind satisfies never;
  }
}
