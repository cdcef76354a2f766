// What a pass leaves behind for the viewer: the printed IR and the graph of the compile state.
// Before fuse: the program. From fuse on: the program kernel by kernel, with the boundaries;
// lower: each kernel's plan; wgsl: the generated modules; memory: the buffer plan.

import type { FusionGroup, KernelSpec, ScheduledProgram } from "../codegen/contract.js";
import { anchoredName, elementwiseName } from "../codegen/kernelName.js";
import { buildPassGraph } from "../ir/graph.js";
import { namer, printProgram, shortLocation } from "../ir/printer.js";
import { avalToString, isElementwise, type Program } from "../ir/types.js";
import { formatBytes, opNodeId, type GraphGroup, type PassGraph } from "@jitscope/contract";
import type { CompileState } from "./pass.js";

/** A descriptive name for a group before codegen names it (same scheme as the code generator). */
export function groupName(g: FusionGroup): string {
  const anchorIdx = g.eqns.findIndex((e) => !isElementwise(e.prim) && e.prim !== "broadcast" && e.prim !== "reshape");
  if (g.kind === "elementwise" || anchorIdx < 0) return elementwiseName(g.eqns);
  return anchoredName(g.eqns[anchorIdx]!, g.eqns.slice(0, anchorIdx), g.eqns.slice(anchorIdx + 1));
}

function kernelName(state: CompileState, g: FusionGroup, i: number): string {
  return state.kernels?.[i]?.name ?? groupName(g);
}

export function scheduleText(state: CompileState, schedule: ScheduledProgram): string {
  const sections = schedule.groups.map((g, i) => ({
    header: `kernel ${g.id} ${kernelName(state, g, i)}: ${g.reason}`,
    eqns: g.eqns,
  }));
  const footer = schedule.boundaries.map((b) => `boundary ${b.fromKernel} → ${b.toKernel} (${b.from} → ${b.to}): ${b.reason}`);
  return printProgram(schedule.program, { sections, footer });
}

function kernelPlanText(program: Program, k: KernelSpec): string {
  const name = namer(program);
  const vars = (vs: KernelSpec["inputs"]) => vs.map((v) => `${name(v)}:${avalToString(v.aval)}`).join(" ") || "-";
  const locs = [...new Set(k.locations.map(shortLocation))].join(", ");
  // The code generator opens each module with a comment saying how it lowered the kernel
  // ("elementwise kernel, 6 elements, flat", "64×64 tiles, 4×4 per thread"): show it here.
  const how = k.wgsl.split("\n").find((l) => l.startsWith(`// ${k.name}:`))?.slice(`// ${k.name}:`.length).trim();
  return [
    `kernel ${k.id} ${k.name}${how ? `: ${how}` : ""}`,
    `  workgroup [${k.workgroupSize.join(",")}]  dispatch [${k.dispatch.join(",")}]`,
    `  reads  ${vars(k.inputs)}`,
    `  writes ${vars(k.outputs)}`,
    `  ${formatBytes(k.bytesRead)} read, ${formatBytes(k.bytesWritten)} written, ${k.flops} flops`,
    `  ops ${k.ops.join(" ")}${locs ? `  # ${locs}` : ""}`,
  ].join("\n");
}

export function snapshotText(pass: string, state: CompileState): string {
  const { schedule, kernels, memory, program } = state;
  if (pass === "lower" && kernels) return kernels.map((k) => kernelPlanText(program, k)).join("\n\n");
  if (pass === "wgsl" && kernels) return kernels.map((k) => `// kernel ${k.id}: ${k.name}\n${k.wgsl.trimEnd()}`).join("\n\n");
  if (pass === "memory" && memory && schedule) {
    const name = namer(program);
    const lines = [`peak ${formatBytes(memory.peakBytes)} (inputs + ${memory.slots.length} reused slot(s) + outputs)`];
    memory.slots.forEach((bytes, s) => {
      const users = schedule.groups.flatMap((g) => g.outputs.filter((v) => memory.slotOf.get(v.id) === s).map((v) => `${name(v)} (${g.id})`));
      lines.push(`slot ${s}: ${formatBytes(bytes)} ← ${users.join(", ")}`);
    });
    return lines.join("\n");
  }
  if (schedule) return scheduleText(state, schedule);
  return printProgram(program);
}

/** `hadSchedule`: whether kernels existed before the pass; when the pass created them (fuse),
 *  the ops it fused with others count as changed, so the panel highlights what fusion did. */
export function snapshotGraph(state: CompileState, previous: Program | undefined, hadSchedule = true): PassGraph {
  const { schedule } = state;
  if (!schedule) return buildPassGraph(state.program, { previous, constInputs: state.constInputs });
  const kernelOfEqn = new Map<number, string>();
  const prefix = state.idPrefix ?? "";
  const groups: GraphGroup[] = schedule.groups.map((g, i) => {
    for (const e of g.eqns) if (!kernelOfEqn.has(e.id)) kernelOfEqn.set(e.id, prefix + g.id);
    return { id: prefix + g.id, name: kernelName(state, g, i), nodes: g.eqns.map((e) => opNodeId(e.id)) };
  });
  const fusedNow = hadSchedule ? undefined : new Set(schedule.groups.filter((g) => g.eqns.length > 1).flatMap((g) => g.eqns.map((e) => e.id)));
  return buildPassGraph(schedule.program, { previous, constInputs: state.constInputs, kernelOfEqn, groups, fusedNow });
}
