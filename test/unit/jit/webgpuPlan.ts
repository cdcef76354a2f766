// Runs a compiled plan (jit(...).lower()) on the WebGPU backend's own executable, whichever
// backend `jit` currently defaults to, so fusion + generated WGSL + memory plan are checked on a
// real device. Without an adapter the caller skips loudly (or fails with JITSCOPE_REQUIRE_WEBGPU=1).
import { cpuBackend } from "../../../runtime/src/backend/select.js";
import { nest, type ConcreteArray } from "../../../runtime/src/array.js";
import type { Backend } from "../../../runtime/src/backend/backend.js";
import type { Lowered } from "../../../runtime/src/trace/jit.js";
import { np } from "../../../runtime/src/index.js";

export { webgpuBackendOrSkip as webgpuDeviceOrSkip } from "../ops/harness.js";

/** A deterministic input of `shape` with both signs and no repeats (sin of the flat index). */
export const ramp = (shape: number[], scale = 0.1, offset = 0): ConcreteArray => {
  const n = shape.reduce((a, b) => a * b, 1);
  return np.reshape(
    np.array(Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + offset) * scale * 10)),
    shape,
  ) as ConcreteArray;
};

/** Runs `lo` on `gpu` with CPU-held arguments; returns each output as nested JS arrays. */
export async function runPlanOnWebGpu(gpu: Backend, lo: Lowered, args: readonly ConcreteArray[]): Promise<unknown[]> {
  const exe = gpu.createExecutable({
    compilationId: lo.compilationId,
    program: lo.program,
    memory: lo.memory,
    outputs: lo.program.outputs,
    // The executable names kernels "<compilation>/<group id>" itself: hand it the group ids.
    kernels: lo.kernels.map((k, i) => ({ ...k, id: lo.schedule.groups[i]!.id })),
  });
  const inputs = [...args, ...lo.constants].map((c) => gpu.fromHost(cpuBackend().hostData(c.device), c.aval));
  const outs = exe.run(inputs);
  const values: unknown[] = [];
  for (const o of outs) values.push(nest(await gpu.read(o), o.aval.shape, o.aval.dtype));
  for (const d of [...inputs, ...outs]) gpu.free(d);
  return values;
}
