// The S×S @ S×S matmul the dev matmul measurements lower and time: its fusion group (one matmul,
// no epilogue) and its three device buffers (A and B filled with a fixed pattern, C the output).

import type { FusionGroup } from "../../runtime/src/codegen/kernelPlan.js";
import type { Var } from "../../runtime/src/ir/types.js";

export function squareMatmulGroup(S: number): FusionGroup {
  let id = 1;
  const v = (shape: number[]): Var => ({ kind: "var", id: id++, aval: { shape, dtype: "float32" } });
  const [a, b, out] = [v([S, S]), v([S, S]), v([S, S])];
  return {
    id: "k0",
    kind: "matmul",
    eqns: [{ id: 1, prim: "matmul", params: {}, inputs: [a, b], outputs: [out], location: null, nameStack: [] }],
    inputs: [a, b],
    outputs: [out],
    reason: "bench",
  } as unknown as FusionGroup;
}

/** [A, B, C] for an S² matmul: every kernel of a measurement writes the same C. */
export function squareMatmulBuffers(device: GPUDevice, S: number): GPUBuffer[] {
  const buf = () => {
    const g = device.createBuffer({ size: S * S * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(
      g,
      0,
      Float32Array.from({ length: S * S }, (_, i) => ((i * 7919) % 13) / 13 - 0.5),
    );
    return g;
  };
  return [buf(), buf(), buf()];
}
