// What a GPU timestamp costs on this adapter, in raw Dawn: K dispatches of one small kernel per
// submit, waited for, (a) sharing one compute pass, (b) one pass each, (c) one pass each with
// timestampWrites, (d) as (c) plus the query resolve, copy and readback map. The figures behind
// backend/timingPolicy.ts. Run: node --import tsx bench/timestamp_cost.ts [elements] [K]

import { globals, create } from "webgpu";
import { median } from "./measure.js";
import { dawnFlags } from "../runtime/src/backend/webgpuDevice.js";
import { getConfig } from "../runtime/src/config.js";

Object.assign(globalThis, globals);
process.env.XDG_RUNTIME_DIR ??= "/tmp";
const N = Number(process.argv[2] ?? 4096);
const K = Number(process.argv[3] ?? 8);
// Dawn as the runtime creates it: timestamp quantization off unless JITSCOPE_TIMESTAMP_QUANTIZATION=1.
const gpu = create(dawnFlags(getConfig().timestampQuantization));
const adapter = await gpu.requestAdapter();
if (!adapter?.features.has("timestamp-query")) throw new Error("needs an adapter with timestamp-query");
const device = await adapter.requestDevice({ requiredFeatures: ["timestamp-query"] });
const module = device.createShaderModule({
  code: `@group(0) @binding(0) var<storage, read_write> b: array<f32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u) {
  if (g.x < arrayLength(&b)) { b[g.x] = tanh(b[g.x] * 1.01 + 0.1); }
}`,
});
const pipeline = device.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main" } });
const buffer = device.createBuffer({ size: N * 4, usage: GPUBufferUsage.STORAGE });
const bindGroup = device.createBindGroup({
  layout: pipeline.getBindGroupLayout(0),
  entries: [{ binding: 0, resource: { buffer } }],
});
const querySet = device.createQuerySet({ type: "timestamp", count: 2 * K });
const resolveBuf = device.createBuffer({ size: 16 * K, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
const readBuf = device.createBuffer({ size: 16 * K, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });

type Mode = "one pass" | "pass each" | "timestamps" | "timestamps + readback";
const MODES: Mode[] = ["one pass", "pass each", "timestamps", "timestamps + readback"];

async function submit(mode: Mode): Promise<void> {
  const encoder = device.createCommandEncoder();
  let pass: GPUComputePassEncoder | null = null;
  for (let i = 0; i < K; i++) {
    if (mode === "one pass") pass ??= encoder.beginComputePass();
    else if (mode === "pass each") pass = encoder.beginComputePass();
    else
      pass = encoder.beginComputePass({
        timestampWrites: { querySet, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 },
      });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(Math.ceil(N / 64));
    if (mode !== "one pass") {
      pass.end();
      pass = null;
    }
  }
  pass?.end();
  const readback = mode === "timestamps + readback";
  if (readback) {
    encoder.resolveQuerySet(querySet, 0, 2 * K, resolveBuf, 0);
    encoder.copyBufferToBuffer(resolveBuf, 0, readBuf, 0, 16 * K);
  }
  device.queue.submit([encoder.finish()]);
  const mapped = readback ? readBuf.mapAsync(GPUMapMode.READ).then(() => readBuf.unmap()) : null;
  await device.queue.onSubmittedWorkDone();
  await mapped;
}

for (const m of MODES) await submit(m);
const us: Record<Mode, number[]> = { "one pass": [], "pass each": [], timestamps: [], "timestamps + readback": [] };
for (let round = 0; round < 25; round++) {
  for (const m of MODES) {
    const t0 = performance.now();
    await submit(m);
    us[m].push(((performance.now() - t0) * 1000) / K);
  }
}
console.log(
  `${adapter.info.description}: ${K} dispatches of ${N} elements per submit, waited for; µs per dispatch (median of 25)`,
);
for (const m of MODES) console.log(`  ${m.padEnd(22)} ${median(us[m]).toFixed(1)}`);
process.exit(0);
