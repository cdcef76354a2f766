// The CPU backend runs a compiled (jit) program by interpreting it equation by equation.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createCpuBackend } from "../../../runtime/src/backend/cpu.js";
import type { ExecutablePlan } from "../../../runtime/src/codegen/kernelPlan.js";
import type { Atom, Eqn, Lit, Program, Var } from "../../../runtime/src/ir/types.js";

const v = (id: number, shape: number[]): Var => ({ kind: "var", id, aval: { shape, dtype: "float32" } });
const lit = (value: number): Lit => ({ kind: "lit", value, aval: { shape: [], dtype: "float32" } });

function plan(program: Program): ExecutablePlan {
  return {
    compilationId: "c0",
    program,
    kernels: [],
    memory: { slots: [], slotOf: new Map(), peakBytes: 0 },
    outputs: program.outputs,
  };
}

test("(x, w) => sum(tanh(x @ w) * 2, axis 1), an input and a literal as extra outputs", async () => {
  const x = v(0, [2, 2]),
    w = v(1, [2, 1]),
    mm = v(2, [2, 1]),
    t = v(3, [2, 1]),
    m = v(4, [2, 1]),
    s = v(5, [2]);
  const eqn = <P extends Eqn["prim"]>(
    id: number,
    prim: P,
    params: Eqn<P>["params"],
    inputs: Atom[],
    outputs: Var[],
  ): Eqn => ({ id, prim, params, inputs, outputs, location: null, nameStack: ["f"] }) as Eqn;
  const program: Program = {
    name: "f",
    inputs: [x, w],
    eqns: [
      eqn(0, "matmul", {}, [x, w], [mm]),
      eqn(1, "tanh", {}, [mm], [t]),
      eqn(2, "mul", {}, [t, lit(2)], [m]),
      eqn(3, "reduce_sum", { axes: [1] }, [m], [s]),
    ],
    outputs: [s, x, lit(7)],
  };
  const cpu = createCpuBackend();
  const exe = cpu.createExecutable(plan(program));
  assert.equal(exe.dispatchesPerCall, 0);
  const xs = cpu.fromHost(Float32Array.from([1, 0, 0, 1]), x.aval);
  const ws = cpu.fromHost(Float32Array.from([0.5, -1]), w.aval);
  const [sum, xOut, seven] = exe.run([xs, ws]);
  assert.deepEqual(Array.from(await cpu.read(sum!)), [Math.fround(2 * Math.tanh(0.5)), Math.fround(2 * Math.tanh(-1))]);
  assert.deepEqual(Array.from(await cpu.read(xOut!)), [1, 0, 0, 1]);
  assert.deepEqual(Array.from(await cpu.read(seven!)), [7]);
  // The returned input is a copy: freeing it leaves the caller's array intact.
  cpu.free(xOut!);
  assert.deepEqual(Array.from(await cpu.read(xs)), [1, 0, 0, 1]);
  assert.throws(() => exe.run([xs]), /f: expected 2 inputs, got 1/);
});

test("when profiling, each kernel of the plan gets one host-timed dispatch per call, linked to the call", async () => {
  const x = v(0, [3]),
    e = v(1, [3]),
    s = v(2, []);
  const program: Program = {
    name: "g",
    inputs: [x],
    eqns: [
      { id: 10, prim: "exp", params: {}, inputs: [x], outputs: [e], location: null, nameStack: [] },
      { id: 11, prim: "reduce_sum", params: { axes: [0] }, inputs: [e], outputs: [s], location: null, nameStack: [] },
    ],
    outputs: [s],
  };
  const kernel = (id: string, opIds: string[]) => ({
    id,
    name: id,
    plan: "",
    wgsl: "",
    entryPoint: "main",
    workgroupSize: [64, 1, 1] as [number, number, number],
    dispatch: [1, 1, 1] as [number, number, number],
    inputs: [],
    outputs: [],
    bytesRead: 0,
    bytesWritten: 0,
    flops: 0,
    ops: [],
    opIds,
    locations: [],
  });
  const dispatches: { id: string; ns: number; callId: number | undefined }[] = [];
  let clock = 0;
  const recorder = {
    enabled: true,
    now: () => (clock += 1),
    registerKernel: () => {},
    span: () => {},
    registerCompilation: () => {},
    functionCall: () => {},
    nextCallId: () => 1,
    setDeviceInfo: () => {},
    liveBytes: () => {},
    recordSample: () => {},
    recordDispatch: (id: string, ns: number, _start: number, callId?: number) =>
      void dispatches.push({ id, ns, callId }),
  };
  const cpu = createCpuBackend(recorder);
  const exe = cpu.createExecutable({
    ...plan(program),
    compilationId: "c7",
    kernels: [kernel("k0", ["op10", "op11"])],
  });
  const [out] = exe.run([cpu.fromHost(Float32Array.from([0, 0, 0]), x.aval)], 42);
  assert.deepEqual(Array.from(await cpu.read(out!)), [3]);
  // Two equations of one kernel, each 1 ms on the fake clock: one dispatch of 2 ms.
  assert.deepEqual(dispatches, [{ id: "c7/k0", ns: 2_000_000, callId: 42 }]);
});
