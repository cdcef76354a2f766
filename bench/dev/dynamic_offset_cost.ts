// Dev measurement (issue 15): what a dispatch costs on this adapter with a static bind group,
// with dynamic storage offsets (how a scan binds row t in place), and static with a 512-byte
// copyBufferToBuffer before it (the previous scheme: a copy per row per step, which also ends
// the compute pass). Process CPU µs per dispatch (lavapipe does the GPU work on this process's
// threads). `node --import tsx bench/dev/dynamic_offset_cost.ts`

import { initWebGpu, currentBackend } from "../../runtime/src/index.js";
import type { WebGpuBackend } from "../../runtime/src/backend/webgpu.js";
import { median } from "../measure.js";

await initWebGpu();
const device = (currentBackend() as unknown as WebGpuBackend).device;
const code = `@group(0) @binding(0) var<storage, read> a: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> b: array<vec4<f32>>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3<u32>) { if (g.x < 32u) { b[g.x] = a[g.x] * 2.0; } }`;
const module = device.createShaderModule({ code });
const variant = (dynamic: boolean) => {
  const layout = device.createBindGroupLayout({
    entries: [0, 1].map((binding) => ({
      binding,
      visibility: 4 /* COMPUTE */,
      buffer: { type: binding ? ("storage" as const) : ("read-only-storage" as const), hasDynamicOffset: dynamic },
    })),
  });
  const pipeline = device.createComputePipeline({
    layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
    compute: { module, entryPoint: "main" },
  });
  const group = device.createBindGroup({
    layout,
    entries: [0, 1].map((binding) => ({ binding, resource: { buffer: binding ? b : a, offset: 0, size: 512 } })),
  });
  return { pipeline, group };
};
const N = 2000;
const a = device.createBuffer({ size: 512 * N, usage: 0x80 /* STORAGE */ });
const b = device.createBuffer({ size: 512 * N, usage: 0x80 | 0x04 /* COPY_SRC */ });
const c = device.createBuffer({ size: 512, usage: 0x80 | 0x08 /* COPY_DST */ });
const plain = variant(false),
  dyn = variant(true);
const offsets = [0, 0];

async function run(kind: "static" | "dynamic" | "copy"): Promise<number> {
  const c0 = process.cpuUsage();
  const enc = device.createCommandEncoder();
  let pass = enc.beginComputePass();
  for (let i = 0; i < N; i++) {
    if (kind === "copy") {
      pass.end();
      enc.copyBufferToBuffer(b, i * 512, c, 0, 512);
      pass = enc.beginComputePass();
    }
    if (kind === "dynamic") {
      offsets[0] = offsets[1] = i * 512;
      pass.setPipeline(dyn.pipeline);
      pass.setBindGroup(0, dyn.group, offsets);
    } else {
      pass.setPipeline(plain.pipeline);
      pass.setBindGroup(0, plain.group);
    }
    pass.dispatchWorkgroups(1);
  }
  pass.end();
  device.queue.submit([enc.finish()]);
  await device.queue.onSubmittedWorkDone();
  const used = process.cpuUsage(c0);
  return (used.user + used.system) / N;
}

const kinds = ["static", "dynamic", "copy"] as const;
const us = new Map(kinds.map((k) => [k, [] as number[]]));
for (let r = 0; r < 12; r++) for (const k of kinds) us.get(k)!.push(await run(k));
console.log(
  `process CPU µs per dispatch (median of 12 × ${N}): static ${median(us.get("static")!).toFixed(1)}, ` +
    `dynamic offsets ${median(us.get("dynamic")!).toFixed(1)}, static + a 512-byte copy ${median(us.get("copy")!).toFixed(1)}`,
);
