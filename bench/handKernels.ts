// The hand-written WGSL baselines (bench/kernels/*.wgsl, or generated source) as runnable
// dispatches on a device, with a read-back to check their results before they are timed.

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const STORAGE = 0x80,
  COPY_DST = 0x08,
  COPY_SRC = 0x04,
  MAP_READ = 0x01;

export interface HandKernel {
  readonly name: string;
  /** Encodes and submits one dispatch (its own encoder and submit, as a raw call would). */
  submit(): void;
  /** Encodes `n` dispatches in one encoder and submits once. */
  submitBatch(n: number): void;
  /** Replaces its pipeline by a new one of the same WGSL: on lavapipe one compiled pipeline can
   *  run 1.1-1.5× slower than another of the same code and keeps that speed (a draw; see
   *  bench/dev/pipeline_draws.ts). The next dispatch compiles it. */
  redraw(): void;
  /** The output buffer's contents (after the work submitted so far). */
  read(): Promise<Float32Array>;
  readonly output: GPUBuffer;
}

export function storageBuffer(device: GPUDevice, data: Float32Array): GPUBuffer {
  const buf = device.createBuffer({ size: Math.max(16, data.byteLength), usage: STORAGE | COPY_DST | COPY_SRC });
  device.queue.writeBuffer(buf, 0, data.buffer, data.byteOffset, data.byteLength);
  return buf;
}

/** `source`: a file under bench/kernels/ (ending in .wgsl) or WGSL source. */
export function handKernel(
  device: GPUDevice,
  source: string,
  inputs: GPUBuffer[],
  outputBytes: number,
  workgroups: [number, number, number],
  constants: Record<string, number> = {},
  name = source.endsWith(".wgsl") ? source : "generated",
): HandKernel {
  const code = source.endsWith(".wgsl") ? readFileSync(join(here, "kernels", source), "utf8") : source;
  const output = device.createBuffer({ size: outputBytes, usage: STORAGE | COPY_SRC });
  const draw = () => {
    const module = device.createShaderModule({ code, label: name });
    const p = device.createComputePipeline({
      layout: "auto",
      compute: { module, entryPoint: "main", constants },
      label: name,
    });
    const bg = device.createBindGroup({
      layout: p.getBindGroupLayout(0),
      entries: [...inputs, output].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    return [p, bg] as const;
  };
  let [pipeline, bindGroup] = draw();
  const encode = (enc: GPUCommandEncoder) => {
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(...workgroups);
    pass.end();
  };
  return {
    name,
    output,
    submit() {
      const enc = device.createCommandEncoder();
      encode(enc);
      device.queue.submit([enc.finish()]);
    },
    redraw() {
      [pipeline, bindGroup] = draw();
    },
    submitBatch(n: number) {
      const enc = device.createCommandEncoder();
      for (let i = 0; i < n; i++) encode(enc);
      device.queue.submit([enc.finish()]);
    },
    async read() {
      const staging = device.createBuffer({ size: outputBytes, usage: MAP_READ | COPY_DST });
      const enc = device.createCommandEncoder();
      enc.copyBufferToBuffer(output, 0, staging, 0, outputBytes);
      device.queue.submit([enc.finish()]);
      await staging.mapAsync(MAP_READ);
      const out = new Float32Array(staging.getMappedRange().slice(0));
      staging.unmap();
      staging.destroy();
      return out;
    },
  };
}
