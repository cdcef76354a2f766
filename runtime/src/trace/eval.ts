// Level 0 of the trace stack: eager evaluation. Every op runs at once on the current backend
// (one kernel per op on WebGPU); nothing is recorded here (the backend reports its own work).

import { evalMain, installEvalTrace, Trace, Tracer, type BindContext, type MainTrace } from "./core.js";
import { JitScopeError } from "../ir/errors.js";
import { avalToString, isLoopPrim, type Atom, type Eqn, type Lit, type Primitive, type PrimParams, type SourceLocation, type Var } from "../ir/types.js";
import { ConcreteArray } from "../array.js";
import { currentBackend } from "../backend/select.js";
import { storageOn } from "../backend/placement.js";
import type { Backend, DeviceArray } from "../backend/backend.js";
import { runPipeline } from "../passes/pipeline.js";

let eagerEqnIds = 0;

export class EvalTrace extends Trace {
  lift(x: Tracer): Tracer {
    throw new JitScopeError("trace", `internal: nothing lies below eager evaluation to lift ${x.toString()} from`);
  }

  processPrimitive<P extends Primitive>(prim: P, params: PrimParams[P], inputs: readonly (Tracer | Lit)[], ctx: BindContext): Tracer[] {
    const backend = currentBackend();
    const moved: DeviceArray[] = [];
    const storage = inputs.map((x) => (x instanceof Tracer ? place(prim, x, backend, moved) : x));
    const eqn = eagerEqn(prim, params, inputs, ctx);
    try {
      // A loop reaching eager level (vmap or grad of a loop, outside jit): on a device backend it
      // is compiled like a one-equation jit program (the CPU reference interprets it directly).
      if (isLoopPrim(prim) && backend.name !== "cpu") return runLoopCompiled(backend, eqn, storage).map((d) => new ConcreteArray(d, backend));
      return backend.executeOp(eqn, storage).map((d) => new ConcreteArray(d, backend));
    } finally {
      // Temporary copies from another backend: the queued work keeps what it needs.
      for (const d of moved) backend.free(d);
    }
  }
}

/** The equation the backend runs: avals and literals of the inputs, fresh output vars. */
function eagerEqn<P extends Primitive>(prim: P, params: PrimParams[P], inputs: readonly (Tracer | Lit)[], ctx: BindContext): Eqn<P> {
  const atoms: Atom[] = inputs.map((x, i): Atom => (x instanceof Tracer ? ({ kind: "var", id: i, aval: x.aval } satisfies Var) : x));
  const outputs = ctx.outAvals.map((aval, j): Var => ({ kind: "var", id: inputs.length + j, aval }));
  return {
    id: eagerEqnIds++,
    prim,
    params,
    inputs: atoms,
    outputs,
    // Lazy: finding the user's frame costs a stack parse, paid only by whoever reads it.
    get location(): SourceLocation | null {
      return ctx.location;
    },
    nameStack: ctx.nameStack,
  };
}

/** An input's storage on `backend`; CPU arrays are copied over synchronously, others must be
 *  moved explicitly (their data may still be on the GPU). */
function place(prim: Primitive, x: Tracer, backend: Backend, moved: DeviceArray[]): DeviceArray {
  if (!(x instanceof ConcreteArray)) {
    throw new JitScopeError("trace", `internal: ${prim} got a ${x.trace.main.kind} tracer (${avalToString(x.aval)}) at eager level`);
  }
  return storageOn(x, backend, moved, (from) =>
    `${prim}: an input (${avalToString(x.aval)}) lives on the ${from.name} backend but the current backend is ${backend.name}; ` +
      `move it with \`await x.to("${backend.name}")\``);
}

let instance: EvalTrace | null = null;
installEvalTrace((main: MainTrace) => (instance ??= new EvalTrace(main)));

/** The one eval trace (every concrete array's `trace`). */
export function evalTrace(): EvalTrace {
  return (instance ??= new EvalTrace(evalMain()));
}

let eagerLoops = 0;

/** Runs a loop equation on `backend` through the compiler (its body becomes kernels once). */
function runLoopCompiled(backend: Backend, eqn: Eqn, storage: readonly (DeviceArray | Lit)[]): DeviceArray[] {
  // Literal operands become program inputs too, so every operand arrives as storage.
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
  const program = { name: `eager_${eqn.prim}`, inputs, eqns: [{ ...eqn, inputs: atoms, outputs }], outputs };
  const { state } = runPipeline(program, 0, { snapshots: false });
  const exe = backend.createExecutable({
    compilationId: `eager-loop${eagerLoops++}`, program: state.program, kernels: state.kernels ?? [], memory: state.memory!, outputs: state.program.outputs,
    ...(state.loops ? { loops: state.loops } : {}),
  });
  return exe.run(args);
}
