// A loop equation reaching eager level (vmap or grad of a loop outside jit, on a device backend):
// compiled like a one-equation jit program, so its body still becomes kernels once. The CPU
// reference interprets loop equations directly (ops/cpuLoops.ts) and never comes here.

import type { Atom, Eqn, Lit, Program, Var } from "../ir/types.js";
import { runPipeline } from "../passes/pipeline.js";
import type { Backend, DeviceArray } from "./backend.js";

let eagerLoops = 0;

export function runLoopEqn(backend: Backend, eqn: Eqn, storage: readonly (DeviceArray | Lit)[]): DeviceArray[] {
  // Literal operands stay literals; every other operand becomes a program input.
  const inputs: Var[] = [];
  const args: DeviceArray[] = [];
  const atoms = eqn.inputs.map((a, i): Atom => {
    const s = storage[i]!;
    if ("kind" in s && s.kind === "lit") return s;
    const v: Var = { kind: "var", id: 1_000_000 + i, aval: a.aval };
    inputs.push(v);
    args.push(s as DeviceArray);
    return v;
  });
  const outputs = eqn.outputs.map((o, j): Var => ({ kind: "var", id: 2_000_000 + j, aval: o.aval }));
  const program: Program = { name: `eager_${eqn.prim}`, inputs, eqns: [{ ...eqn, inputs: atoms, outputs }], outputs };
  const { state } = runPipeline(program, 0, { snapshots: false });
  const exe = backend.createExecutable({
    compilationId: `eager-loop${eagerLoops++}`,
    program: state.program,
    kernels: state.kernels ?? [],
    memory: state.memory!,
    outputs: state.program.outputs,
    ...(state.loops ? { loops: state.loops } : {}),
  });
  return exe.run(args);
}
