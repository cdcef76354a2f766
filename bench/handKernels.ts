// The hand-written WGSL baselines (bench/kernels/*.wgsl) as runnable dispatches on a device.

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const STORAGE = 0x80,
  COPY_DST = 0x08,
  COPY_SRC = 0x04;

export interface HandKernel {
  /** Encodes and submits one dispatch (its own encoder and submit, as a raw call would). */
  submit(): void;
  /** Encodes `n` dispatches in one encoder and submits once. */
  submitBatch(n: number): void;
  readonly output: GPUBuffer;
}

export function storageBuffer(device: GPUDevice, data: Float32Array): GPUBuffer {
  const buf = device.createBuffer({ size: Math.max(16, data.byteLength), usage: STORAGE | COPY_DST | COPY_SRC });
  device.queue.writeBuffer(buf, 0, data.buffer, data.byteOffset, data.byteLength);
  return buf;
}

export function handKernel(
  device: GPUDevice,
  file: string,
  inputs: GPUBuffer[],
  outputBytes: number,
  workgroups: [number, number, number],
  constants: Record<string, number> = {},
): HandKernel {
  const code = readFileSync(join(here, "kernels", file), "utf8");
  const module = device.createShaderModule({ code, label: file });
  const pipeline = device.createComputePipeline({
    layout: "auto",
    compute: { module, entryPoint: "main", constants },
    label: file,
  });
  const output = device.createBuffer({ size: outputBytes, usage: STORAGE | COPY_SRC });
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [...inputs, output].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const encode = (enc: GPUCommandEncoder) => {
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(...workgroups);
    pass.end();
  };
  return {
    output,
    submit() {
      const enc = device.createCommandEncoder();
      encode(enc);
      device.queue.submit([enc.finish()]);
    },
    submitBatch(n: number) {
      const enc = device.createCommandEncoder();
      for (let i = 0; i < n; i++) encode(enc);
      device.queue.submit([enc.finish()]);
    },
  };
}
