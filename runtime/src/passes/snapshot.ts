// What a pass leaves behind for the viewer: the printed IR and the graph of the compile state.
// Before fuse: the program. From fuse on: the program kernel by kernel, with the boundaries. A
// pass whose result reads otherwise (lower's kernel plans, memory's buffer plan) prints itself.

import type { ExecutablePlan, FusionGroup, LoopPlan, ScheduledProgram } from "../codegen/kernelPlan.js";
import { anchoredName, elementwiseName } from "../codegen/kernelName.js";
import { buildPassGraph, type CompiledBody, type GraphOptions } from "../ir/graph.js";
import { printProgram } from "../ir/printer.js";
import { isElementwise, type Program } from "../ir/types.js";
import { recurrenceName } from "../codegen/recurrence.js";
import { opNodeId, type GraphGroup, type PassGraph } from "@jitscope/contract";
import type { CompileState } from "./pass.js";
import { allKernels } from "./loopKernels.js";
import { fusionReportOf } from "./fusionReport.js";

/** A descriptive name for a group before codegen names it (same scheme as the code generator). */
export function groupName(g: FusionGroup): string {
  if (g.kind === "loop") return `${g.eqns[0]!.prim}_loop`;
  if (g.kind === "recurrence") return recurrenceName(g.eqns[g.eqns.length - 1]!); // after its fills
  const anchorIdx = g.eqns.findIndex((e) => !isElementwise(e.prim) && e.prim !== "broadcast" && e.prim !== "reshape");
  if (g.kind === "elementwise" || anchorIdx < 0) return elementwiseName(g.eqns);
  return anchoredName(g.eqns[anchorIdx]!, g.eqns.slice(0, anchorIdx), g.eqns.slice(anchorIdx + 1));
}

/** Each group's kernel name: loop groups have no kernel, so kernel i is group i only in
 *  programs without loops (looked up by id through one map, not a search per group). */
function kernelNames(state: CompileState, groups: readonly FusionGroup[]): string[] {
  const byId = new Map((state.kernels ?? []).map((k) => [k.id, k.name]));
  return groups.map((g) => byId.get(g.id) ?? groupName(g));
}

export function scheduleText(state: CompileState, schedule: ScheduledProgram): string {
  const names = kernelNames(state, schedule.groups);
  const sections = schedule.groups.map((g, i) => ({
    header: `kernel ${g.id} ${names[i]}: ${g.reason}`,
    eqns: g.eqns,
  }));
  const footer = schedule.boundaries.map(
    (b) => `boundary ${b.fromKernel} → ${b.toKernel} (${b.from} → ${b.to}): ${b.reason}`,
  );
  return printProgram(schedule.program, { sections, footer });
}

/** Each program's text: a pass that leaves the program as it was (simplify or dce with nothing
 *  to do) has the text of the pass before it. */
const programText = new WeakMap<Program, string>();

/** The state as text when its last pass does not print it: the program, or the program kernel
 *  by kernel (with the boundaries) once there is a schedule. */
export function snapshotText(state: CompileState): string {
  if (state.schedule) return scheduleText(state, state.schedule);
  let text = programText.get(state.program);
  if (text === undefined) programText.set(state.program, (text = printProgram(state.program)));
  return text;
}

/** `hadSchedule`: whether kernels existed before the pass; when the pass created them (fuse),
 *  the ops it fused with others count as changed, so the panel highlights what fusion did. */
export function snapshotGraph(state: CompileState, previous: Program | undefined, hadSchedule = true): PassGraph {
  const { schedule } = state;
  if (!schedule) return buildPassGraph(state.program, { previous, constInputs: state.constInputs });
  const prefix = state.idPrefix ?? "";
  const names = kernelNames(state, schedule.groups);
  const { groups, kernelOfEqn } = graphGroups(
    schedule,
    (g) => prefix + g.id,
    (_g, i) => names[i]!,
  );
  const fusedNow = hadSchedule
    ? undefined
    : new Set(schedule.groups.filter((g) => g.eqns.length > 1).flatMap((g) => g.eqns.map((e) => e.id)));
  return buildPassGraph(schedule.program, {
    previous,
    constInputs: state.constInputs,
    kernelOfEqn,
    groups,
    fusedNow,
    ...loopGraphs(state.loops ?? [], prefix),
  });
}

/** Each loop's kernels and compiled body under the report's kernel ids (`prefix` is the
 *  compilation's "c0/"): a body's group "k0" is kernel "c0/" + the loop's group id + ".k0",
 *  the ids its kernels ran under (pipeline.ts prefixPlan), for loops nested in bodies too. */
function loopGraphs(loops: readonly LoopPlan[], prefix: string): Pick<GraphOptions, "loopKernels" | "loopBodies"> {
  const loopKernels = new Map<number, string[]>();
  const loopBodies = new Map<number, CompiledBody>();
  for (const l of loops) {
    loopKernels.set(
      l.eqn.id,
      allKernels({ kernels: [], loops: [l] }).map((k) => prefix + k.kernel.id),
    );
    const body = compiledGraph(l.body, `${prefix}${l.groupId}.`, prefix);
    const cond = l.cond && compiledGraph(l.cond, `${prefix}${l.groupId}c.`, prefix);
    if (body) loopBodies.set(l.eqn.id, { ...body, ...(cond ? { cond } : {}) });
  }
  return { loopKernels, loopBodies };
}

/** A loop body's (or while condition's) plan as a graph: its schedule's group "k0" is the kernel
 *  `local` + "k0" (pipeline.ts prefixPlan: "c0/k3.k0", a condition's "c0/k3c.k0"). */
function compiledGraph(plan: ExecutablePlan, local: string, prefix: string): CompiledBody | undefined {
  const schedule = plan.schedule;
  if (!schedule) return undefined;
  const id = (groupId: string): string => local + groupId;
  const names = new Map(plan.kernels.map((k) => [prefix + k.id, k.name]));
  const { groups, kernelOfEqn } = graphGroups(
    schedule,
    (g) => id(g.id),
    (g) => names.get(id(g.id)) ?? groupName(g),
  );
  const graph = buildPassGraph(schedule.program, { kernelOfEqn, groups, ...loopGraphs(plan.loops ?? [], prefix) });
  return { graph, fusion: fusionReportOf(schedule, id) };
}

/** A schedule's groups as the graph lists them (under report ids, with their names) and the
 *  kernel of each equation (its first group). */
function graphGroups(
  schedule: ScheduledProgram,
  idOf: (g: FusionGroup) => string,
  nameOf: (g: FusionGroup, i: number) => string,
): { groups: GraphGroup[]; kernelOfEqn: Map<number, string> } {
  const kernelOfEqn = new Map<number, string>();
  const groups = schedule.groups.map((g, i) => {
    for (const e of g.eqns) if (!kernelOfEqn.has(e.id)) kernelOfEqn.set(e.id, idOf(g));
    return { id: idOf(g), name: nameOf(g, i), nodes: g.eqns.map((e) => opNodeId(e.id)) };
  });
  return { groups, kernelOfEqn };
}
