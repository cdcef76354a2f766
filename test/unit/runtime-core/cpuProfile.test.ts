// The CPU backend reports eager ops to the recorder as host-timed kernels with their location,
// and records nothing when the recorder is disabled.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createCpuBackend } from "../../../runtime/src/backend/cpu.js";
import type { KernelInfo, Recorder } from "../../../runtime/src/profile/recorderApi.js";
import type { Eqn, Lit, Var } from "../../../runtime/src/ir/types.js";

function fakeRecorder(enabled: boolean) {
  const kernels: KernelInfo[] = [];
  const dispatches: { id: string; ns: number | null; start: number }[] = [];
  let clock = 0;
  const r: Recorder = {
    enabled,
    now: () => (clock += 0.5), // each reading advances half a millisecond
    registerKernel: (info) => void kernels.push(info),
    recordDispatch: (id, ns, start) => void dispatches.push({ id, ns, start }),
    recordSample: () => {},
    span: () => {},
    registerCompilation: () => {},
    functionCall: () => {},
    liveBytes: () => {},
    nextCallId: () => 1,
    setDeviceInfo: () => {},
  };
  return { r, kernels, dispatches };
}

const v = (id: number, shape: number[]): Var => ({ kind: "var", id, aval: { shape, dtype: "float32" } });
const two: Lit = { kind: "lit", value: 2, aval: { shape: [], dtype: "float32" } };
const loc = { file: "/work/example.ts", line: 12, column: 5 };
const mulEqn: Eqn<"mul"> = {
  id: 0,
  prim: "mul",
  params: {},
  inputs: [v(0, [2, 3]), two],
  outputs: [v(1, [2, 3])],
  location: loc,
  nameStack: [],
};

test("an eager op on the CPU backend is a kernel with its location, bytes, flops and host time", async () => {
  const { r, kernels, dispatches } = fakeRecorder(true);
  const cpu = createCpuBackend(r);
  const x = cpu.fromHost(Float32Array.from([1, 2, 3, 4, 5, 6]), { shape: [2, 3], dtype: "float32" });
  const [y] = cpu.executeOp(mulEqn, [x, two]);
  assert.deepEqual(Array.from(await cpu.read(y!)), [2, 4, 6, 8, 10, 12]);
  cpu.executeOp(mulEqn, [x, two]); // same op, same site: same kernel, a second dispatch
  assert.equal(kernels.length, 1);
  const k = kernels[0]!;
  assert.equal(k.name, "eager_mul");
  assert.equal(k.mode, "eager");
  assert.equal(k.compilation, null);
  assert.deepEqual(k.ops, ["mul"]);
  assert.deepEqual(k.locations, [loc]);
  assert.equal(k.bytesRead, 24); // the literal is inlined, only the array is read
  assert.equal(k.bytesWritten, 24);
  assert.equal(k.flops, 6);
  assert.equal(dispatches.length, 2);
  assert.deepEqual(dispatches[0], { id: k.id, ns: 500_000, start: 0.5 });
});

test("matmul counts 2·m·n·k flops; another call site is another kernel", () => {
  const { r, kernels } = fakeRecorder(true);
  const cpu = createCpuBackend(r);
  const a = cpu.fromHost(new Float32Array(6), { shape: [2, 3], dtype: "float32" });
  const b = cpu.fromHost(new Float32Array(12), { shape: [3, 4], dtype: "float32" });
  const mm: Eqn<"matmul"> = {
    id: 1,
    prim: "matmul",
    params: {},
    inputs: [v(0, [2, 3]), v(1, [3, 4])],
    outputs: [v(2, [2, 4])],
    location: loc,
    nameStack: [],
  };
  cpu.executeOp(mm, [a, b]);
  cpu.executeOp({ ...mm, location: { ...loc, line: 13 } }, [a, b]);
  assert.equal(kernels.length, 2);
  assert.equal(kernels[0]!.flops, 2 * 2 * 4 * 3);
  assert.equal(kernels[0]!.bytesRead, (6 + 12) * 4);
  assert.deepEqual(kernels[1]!.locations, [{ ...loc, line: 13 }]);
});

test("a disabled recorder records nothing", () => {
  const { r, kernels, dispatches } = fakeRecorder(false);
  const cpu = createCpuBackend(r);
  const x = cpu.fromHost(Float32Array.from([1, 2, 3, 4, 5, 6]), { shape: [2, 3], dtype: "float32" });
  cpu.executeOp(mulEqn, [x, two]);
  assert.equal(kernels.length + dispatches.length, 0);
});
