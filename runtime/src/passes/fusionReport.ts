// A schedule's fusion decisions and boundaries as the report states them (contract FusionReport):
// the compilation's own, and each loop body's on its graph node, under the report's kernel ids.

import { opNodeId, type FusionReport } from "@jitscope/contract";
import type { ScheduledProgram } from "../codegen/kernelPlan.js";

/** `kernelIdOf` maps a schedule's group id ("k3") to the report's kernel id ("c0/k3"). */
export function fusionReportOf(schedule: ScheduledProgram, kernelIdOf: (groupId: string) => string): FusionReport {
  return {
    decisions: schedule.groups.map((g) => ({
      kernel: kernelIdOf(g.id),
      ops: g.eqns.map((e) => opNodeId(e.id)),
      kind: g.kind,
      reason: g.reason,
    })),
    boundaries: schedule.boundaries.map((b) => ({
      ...b,
      fromKernel: kernelIdOf(b.fromKernel),
      toKernel: kernelIdOf(b.toKernel),
    })),
  };
}
