// One autotune search: every candidate configuration of a matmul kernel (matmulConfig.ts)
// compiled and timed on the device with inputs of the kernel's shapes, within a time budget
// (tried in order; the search stops starting candidates once the budget is spent, as tinygrad's
// BEAM search does). Each candidate's output is checked against the default's: one that
// disagrees is a code generator bug, reported and never chosen.

import type { FusionGroup } from "../kernelPlan.js";
import { lowerMatmul } from "../lowerMatmul.js";
import {
  defaultMatmulConfig,
  describeMatmulConfig,
  matmulCandidates,
  type MatmulConfig,
  type MatmulShape,
} from "../matmulConfig.js";
import { sizeOf } from "../../ir/types.js";
import type { CachedTune } from "./tuneCache.js";

const STORAGE = 0x80,
  COPY_DST = 0x08,
  COPY_SRC = 0x04,
  MAP_READ = 0x01;
/** Timed blocks per candidate (the median is kept). */
const BLOCKS = 3;
/** A block lasts at least this long, so submit overhead does not decide between small kernels. */
const MIN_BLOCK_MS = 2;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function searchMatmul(
  device: GPUDevice,
  group: FusionGroup,
  shape: MatmulShape,
  budgetMs: number,
  candidates: readonly MatmulConfig[] = matmulCandidates(shape),
  onMismatch: (message: string) => void = () => {},
): Promise<CachedTune> {
  const t0 = performance.now();
  const buffers: GPUBuffer[] = [];
  const buffer = (bytes: number, usage: number) => {
    const b = device.createBuffer({ size: Math.max(16, bytes), usage });
    buffers.push(b);
    return b;
  };
  let seed = 12345;
  const inputs = group.inputs.map((v) => {
    const n = sizeOf(v.aval.shape);
    const data =
      v.aval.dtype === "float32"
        ? Float32Array.from(
            { length: n },
            () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1,
          )
        : Int32Array.from({ length: n }, (_, i) => (v.aval.dtype === "bool" ? i & 1 : (i % 7) - 3));
    const b = buffer(n * 4, STORAGE | COPY_DST);
    device.queue.writeBuffer(b, 0, data.buffer, data.byteOffset, data.byteLength);
    return b;
  });
  const outputs = group.outputs.map((v) => buffer(sizeOf(v.aval.shape) * 4, STORAGE | COPY_SRC));
  const outBytes = sizeOf(group.outputs[0]!.aval.shape) * 4;
  const readOutput = async (): Promise<Float32Array> => {
    const staging = device.createBuffer({ size: Math.max(16, outBytes), usage: MAP_READ | COPY_DST });
    const enc = device.createCommandEncoder();
    enc.copyBufferToBuffer(outputs[0]!, 0, staging, 0, Math.max(16, outBytes));
    device.queue.submit([enc.finish()]);
    await staging.mapAsync(MAP_READ);
    const copy = new Float32Array(staging.getMappedRange().slice(0, outBytes));
    staging.unmap();
    staging.destroy();
    return copy;
  };

  const dflt = describeMatmulConfig(defaultMatmulConfig(shape));
  const results: { config: string; medianNs: number }[] = [];
  let reference: Float32Array | null = null;
  try {
    // Every candidate compiles at once (the driver's compiler threads overlap them with the
    // timing below); only those reached within the budget are timed.
    const compiled = candidates.map((cfg) => {
      const spec = lowerMatmul(group, "autotune", cfg);
      const module = device.createShaderModule({ code: spec.wgsl });
      const pipeline = device.createComputePipelineAsync({
        layout: "auto",
        compute: { module, entryPoint: spec.entryPoint },
      });
      pipeline.catch(() => {}); // awaited below if reached; a failure then is reported there
      return { cfg, spec, pipeline };
    });
    for (const { cfg, spec, pipeline: pending } of compiled) {
      const name = describeMatmulConfig(cfg);
      if (results.length > 0 && performance.now() - t0 > budgetMs) break;
      const pipeline = await pending;
      const bindGroup = device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [...inputs, ...outputs].map((b, binding) => ({ binding, resource: { buffer: b } })),
      });
      const block = async (n: number): Promise<number> => {
        const enc = device.createCommandEncoder();
        for (let i = 0; i < n; i++) {
          const pass = enc.beginComputePass();
          pass.setPipeline(pipeline);
          pass.setBindGroup(0, bindGroup);
          pass.dispatchWorkgroups(...spec.dispatch);
          pass.end();
        }
        const start = performance.now();
        device.queue.submit([enc.finish()]);
        await device.queue.onSubmittedWorkDone();
        return (performance.now() - start) / n;
      };
      const first = await block(1); // warm-up: the driver finishes compiling here
      const got = await readOutput();
      if (reference === null) reference = got;
      else if (!agrees(got, reference)) {
        onMismatch(`autotune: ${name} disagrees with the default ${dflt} on ${spec.plan}; not used`);
        continue;
      }
      const reps = Math.max(1, Math.min(64, Math.ceil(MIN_BLOCK_MS / Math.max(first, 1e-3))));
      const times: number[] = [];
      for (let i = 0; i < BLOCKS; i++) times.push(await block(reps));
      results.push({ config: name, medianNs: Math.round(median(times) * 1e6) });
    }
  } finally {
    for (const b of buffers) b.destroy();
  }
  const best = results.reduce((a, b) => (b.medianNs < a.medianNs ? b : a));
  const dfltNs = results.find((r) => r.config === dflt)?.medianNs ?? best.medianNs;
  return {
    candidates: results,
    winner: best.config,
    defaultConfig: dflt,
    speedupOverDefault: best.medianNs > 0 ? dfltNs / best.medianNs : 1,
    budgetMs,
  };
}

function agrees(a: Float32Array, b: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!,
      y = b[i]!;
    if (Number.isNaN(x) !== Number.isNaN(y)) return false;
    if (Math.abs(x - y) > 1e-3 * Math.max(1, Math.abs(y))) return false;
  }
  return true;
}
