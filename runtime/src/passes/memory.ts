// memory: buffer reuse by liveness. Every value written by one kernel and read by a later one
// (an intermediate) gets a slot; a slot is free again after the last kernel that reads its value
// and is reused by the next value that fits (best fit). A kernel never writes into a slot it also
// reads (WebGPU forbids binding one buffer as both read-only and writable storage in one
// dispatch), so slots are released only after the kernel. Program inputs are the caller's;
// program outputs get fresh buffers, never aliased with live inputs.
// peakBytes = program inputs + all slots + program outputs: what one call holds at most.

import type { FusionGroup, MemoryPlan } from "../codegen/kernelPlan.js";
import { formatBytes } from "@jitscope/contract";
import { namer } from "../ir/printer.js";
import { avalBytes, type Program, type Var } from "../ir/types.js";
import type { Pass } from "./pass.js";

const bytesOf = (v: Var): number => avalBytes(v.aval);

export function planMemory(program: Program, groups: readonly FusionGroup[]): MemoryPlan {
  const outputIds = new Set(program.outputs.flatMap((a) => (a.kind === "var" ? [a.id] : [])));
  const lastUse = new Map<number, number>();
  groups.forEach((g, t) => g.inputs.forEach((v) => lastUse.set(v.id, t)));

  const slots: number[] = [];
  const slotOf = new Map<number, number>();
  const free: number[] = [];
  const releaseAt = new Map<number, number[]>(); // kernel index → slots free after it

  groups.forEach((g, t) => {
    for (const v of g.outputs) {
      if (outputIds.has(v.id)) continue;
      const need = bytesOf(v);
      // Best fit among free slots; grow the largest free one if none fits; else a new slot.
      let pick = -1;
      for (const s of free) if (slots[s]! >= need && (pick < 0 || slots[s]! < slots[pick]!)) pick = s;
      if (pick < 0 && free.length) {
        pick = free.reduce((a, b) => (slots[a]! >= slots[b]! ? a : b));
        slots[pick] = need;
      }
      if (pick >= 0) free.splice(free.indexOf(pick), 1);
      else {
        pick = slots.length;
        slots.push(need);
      }
      slotOf.set(v.id, pick);
      const until = lastUse.get(v.id) ?? t;
      const list = releaseAt.get(until);
      if (list) list.push(pick);
      else releaseAt.set(until, [pick]);
    }
    for (const s of releaseAt.get(t) ?? []) free.push(s);
  });

  const inputBytes = program.inputs.reduce((s, v) => s + bytesOf(v), 0);
  const outputBytes = program.outputs.reduce((s, a) => s + (a.kind === "var" ? bytesOf(a) : 0), 0);
  const peakBytes = inputBytes + slots.reduce((a, b) => a + b, 0) + outputBytes;
  return { slots, slotOf, peakBytes };
}

export const memoryPass: Pass = {
  name: "memory",
  run(state) {
    if (!state.schedule) throw new Error("memory pass needs the fuse pass's schedule");
    const memory = planMemory(state.program, state.schedule.groups);
    return {
      state: { ...state, memory },
      changed: memory.slots.length > 0,
      counts: { "reused slots": memory.slots.length, "peak bytes": memory.peakBytes },
    };
  },
  print(state) {
    const { memory, schedule, program } = state;
    if (!memory || !schedule) return "";
    const name = namer(program);
    const lines = [`peak ${formatBytes(memory.peakBytes)} (inputs + ${memory.slots.length} reused slot(s) + outputs)`];
    const users: string[][] = memory.slots.map(() => []); // one pass over the outputs, not one per slot
    for (const g of schedule.groups)
      for (const v of g.outputs) {
        const s = memory.slotOf.get(v.id);
        if (s !== undefined) users[s]!.push(`${name(v)} (${g.id})`);
      }
    memory.slots.forEach((bytes, s) => lines.push(`slot ${s}: ${formatBytes(bytes)} ← ${users[s]!.join(", ")}`));
    return lines.join("\n");
  },
};
