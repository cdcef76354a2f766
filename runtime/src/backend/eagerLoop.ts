// A loop equation reaching eager level (vmap or grad of a loop outside jit, on a device backend):
// compiled like a one-equation jit program, so its body still becomes kernels once. The CPU
// reference interprets loop equations directly (ops/cpuLoops.ts) and never comes here.
//
// The executable is cached by the printed program (bodies, shapes and literals included): an
// executable owns its slot and loop buffers for its lifetime, so building one per call would leak
// them in a training loop that differentiates a scan eagerly, and recompile every step.

import type { Atom, Eqn, Lit, Program, Var } from "../ir/types.js";
import { runPipeline } from "../passes/pipeline.js";
import { printProgram } from "../ir/printer.js";
import type { Backend, CompiledProgram, DeviceArray } from "./backend.js";

let eagerLoops = 0;
/** Per backend, the most recent eager loop programs' executables (oldest evicted first). */
const cache = new WeakMap<Backend, Map<string, CompiledProgram>>();
const CACHED_PER_BACKEND = 32;

/** How many eager loop programs were compiled so far (tests: a repeated loop compiles once). */
export function eagerLoopCompilations(): number {
  return eagerLoops;
}

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
  const key = printProgram(program);
  let byKey = cache.get(backend);
  if (!byKey) cache.set(backend, (byKey = new Map()));
  const hit = byKey.get(key);
  if (hit) {
    byKey.delete(key); // most recent last
    byKey.set(key, hit);
    return hit.run(args);
  }
  const { state } = runPipeline(program, 0, { snapshots: false });
  const exe = backend.createExecutable({
    compilationId: `eager-loop${eagerLoops++}`,
    program: state.program,
    kernels: state.kernels ?? [],
    memory: state.memory!,
    outputs: state.program.outputs,
    ...(state.loops ? { loops: state.loops } : {}),
  });
  byKey.set(key, exe);
  if (byKey.size > CACHED_PER_BACKEND) byKey.delete(byKey.keys().next().value!);
  return exe.run(args);
}
