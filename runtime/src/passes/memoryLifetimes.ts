// The memory plan as the report shows it: every value that lives in device memory during one call
// of a compiled program, with the steps (kernel dispatches, in order) it is live for. A step is
// one fusion group of the schedule; a loop (scan/while) is one step: its carries and outputs are
// buffers of the enclosing program written at that step, and its body's own intermediates are not
// drawn (they live in the body's slots, reused every iteration).
//
// Lifetimes: program inputs and captured constants are held by the caller for the whole call
// (step 0 to the last); an intermediate lives from the step that writes it to the last step that
// reads it; a program output from the step that writes it to the end of the call.
// peakBytes is the most bytes live at one step; the allocation (Compilation.peakBytes, the memory
// pass) can be higher, because a reused slot is sized for the largest value it ever holds.

import type { MemoryBuffer, MemoryPlan as ReportMemoryPlan, SourceLocation } from "@jitscope/contract";
import type { FusionGroup } from "../codegen/kernelPlan.js";
import { avalBytes, avalToString, type Eqn, type Program } from "../ir/types.js";

export interface LifetimeInputs {
  readonly program: Program;
  /** The schedule's groups in dispatch order. */
  readonly groups: readonly FusionGroup[];
  /** How many of the program's inputs (the last ones) are captured constants. */
  readonly constInputs: number;
  /** Argument paths of the other inputs, in order ("params.w1", "x"). */
  readonly inputLabels: readonly string[];
  /** The kernel name of each group id ("matmul_tanh_k0"); a loop group has none. */
  readonly kernelName: (groupId: string) => string | undefined;
}

export function memoryLifetimes(p: LifetimeInputs): ReportMemoryPlan {
  const { program, groups } = p;
  const steps = groups.length;
  const last = Math.max(0, steps - 1);
  const outputIds = new Set(program.outputs.flatMap((a) => (a.kind === "var" ? [a.id] : [])));
  const lastRead = new Map<number, number>();
  groups.forEach((g, t) => g.inputs.forEach((v) => lastRead.set(v.id, t)));
  const buffers: MemoryBuffer[] = [];

  const argCount = program.inputs.length - p.constInputs;
  program.inputs.forEach((v, i) => {
    const constant = i >= argCount;
    buffers.push({
      id: `v${v.id}`,
      bytes: avalBytes(v.aval),
      start: 0,
      end: last,
      kind: constant ? "constant" : "input",
      label: constant ? `constant ${avalToString(v.aval)}` : (p.inputLabels[i] ?? `input ${i}`),
      location: null,
    });
  });

  groups.forEach((g, t) => {
    const producer = new Map<number, Eqn>();
    for (const e of g.eqns) for (const o of e.outputs) producer.set(o.id, e);
    for (const v of g.outputs) {
      const output = outputIds.has(v.id);
      buffers.push({
        id: `v${v.id}`,
        bytes: avalBytes(v.aval),
        start: t,
        end: output ? last : Math.max(t, lastRead.get(v.id) ?? t),
        kind: output ? "output" : "intermediate",
        label: p.kernelName(g.id) ?? groupLabel(g),
        location: locationOf(producer.get(v.id), g),
      });
    }
  });

  // The live sum at each step; the first step where it is highest is the peak.
  let peakBytes = 0;
  let peakStep = 0;
  for (let t = 0; t < Math.max(1, steps); t++) {
    const live = buffers.reduce((s, b) => (b.start <= t && t <= b.end ? s + b.bytes : s), 0);
    if (live > peakBytes) {
      peakBytes = live;
      peakStep = t;
    }
  }
  return { steps, peakBytes, peakStep, buffers };
}

/** The buffers live at `step`, largest first. */
export function liveAt(plan: ReportMemoryPlan, step: number): MemoryBuffer[] {
  return plan.buffers.filter((b) => b.start <= step && step <= b.end).sort((a, b) => b.bytes - a.bytes);
}

function groupLabel(g: FusionGroup): string {
  const e = g.eqns[0];
  return g.kind === "loop" && e ? (e.prim === "scan" ? "scan" : "while_loop") : g.id;
}

/** The line of the op that wrote `v`, else the group's first located op. */
function locationOf(e: Eqn | undefined, g: FusionGroup): SourceLocation | null {
  return e?.location ?? g.eqns.find((x) => x.location)?.location ?? null;
}
