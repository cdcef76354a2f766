// Runs a fused schedule kernel by kernel on the CPU: each kernel sees only its declared inputs
// (what it would read from global memory) and publishes only its declared outputs. A fusion
// decision that reads a value no kernel wrote, or a kernel missing an op, fails here without a
// GPU, so the property tests check fusion itself, not just the traced program.
import type { ScheduledProgram } from "../../../runtime/src/codegen/kernelPlan.js";
import type { Atom } from "../../../runtime/src/ir/types.js";
import { cpuApply } from "../../../runtime/src/ops/cpu.js";
import { litValue, type HostValue } from "../../../runtime/src/ops/cpuValue.js";

export function runScheduleOnCpu(s: ScheduledProgram, inputs: readonly HostValue[]): HostValue[] {
  const memory = new Map<number, HostValue>();
  s.program.inputs.forEach((v, i) => memory.set(v.id, inputs[i]!));
  for (const g of s.groups) {
    const local = new Map<number, HostValue>();
    for (const v of g.inputs) {
      const value = memory.get(v.id);
      if (!value) throw new Error(`kernel ${g.id} reads v${v.id}, which no earlier kernel wrote`);
      local.set(v.id, value);
    }
    const atom = (a: Atom): HostValue => {
      if (a.kind === "lit") return litValue(a);
      const value = local.get(a.id);
      if (!value) throw new Error(`kernel ${g.id} uses v${a.id}, neither computed in it nor among its inputs`);
      return value;
    };
    for (const e of g.eqns) {
      const outs = cpuApply(
        e.prim,
        e.params,
        e.inputs.map(atom),
        e.outputs.map((o) => o.aval),
      );
      e.outputs.forEach((o, i) => local.set(o.id, outs[i]!));
    }
    for (const v of g.outputs) memory.set(v.id, local.get(v.id)!);
  }
  return s.program.outputs.map((a) => {
    if (a.kind === "lit") return litValue(a);
    const value = memory.get(a.id);
    if (!value) throw new Error(`program output v${a.id} was never written`);
    return value;
  });
}
