// Dev measurement (issue 16): hand WGSL strategies for a row reduction, sum(exp(x - m[row]))
// over [4096, 1024] f32, against a vec4 copy of the same array, interleaved in one process.
// `node --expose-gc --import tsx bench/dev/rowreduce_hand.ts` (BENCH_RUNS).

import { currentBackend } from "../../runtime/src/index.js";
import type { WebGpuBackend } from "../../runtime/src/backend/webgpu.js";
import { storageBuffer } from "../handKernels.js";
import { median, timeBlock } from "../measure.js";
import { loadavg } from "node:os";

const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const ITERS = Number(process.env.BENCH_ITERS ?? 5);
const gpu = currentBackend() as WebGpuBackend;
const device = gpu.device;
const [R, C] = [4096, 1024];
const N = R * C;
const xs = Float32Array.from({ length: N }, (_, i) => ((i * 7919) % 4001) / 1000 - 2);
const xBuf = storageBuffer(device, xs);
const mBuf = storageBuffer(device, new Float32Array(R).fill(0.5));
const HEAD = `@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> m: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;`;
const TREE = (wg: number) => `  part[lid] = acc.x + acc.y + acc.z + acc.w;
  workgroupBarrier();
  for (var s = ${wg / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { part[lid] = part[lid] + part[lid + s]; }
    workgroupBarrier();
  }
  if (lid == 0u) { y[row] = part[0]; }`;
function perRow(wg: number, strided: boolean): string {
  const C4 = C / 4;
  const idx = strided ? `row * ${C4}u + j * ${wg}u + lid` : `row * ${C4}u + lid * ${C4 / wg}u + j`;
  return `${HEAD}
var<workgroup> part: array<f32, ${wg}>;
@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = wid.x;
  let mv = vec4<f32>(m[row]);
  var acc = vec4<f32>(0.0);
  for (var j = 0u; j < ${C4 / wg}u; j++) { acc = acc + exp(x[${idx}] - mv); }
${TREE(wg)}
}`;
}
/** `rpw` rows per workgroup, wg/rpw threads per row. */
function rowsPerWg(wg: number, rpw: number): string {
  const C4 = C / 4;
  const tpr = wg / rpw;
  return `${HEAD}
var<workgroup> part: array<f32, ${wg}>;
@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = wid.x * ${rpw}u + lid / ${tpr}u;
  let l = lid % ${tpr}u;
  let mv = vec4<f32>(m[row]);
  var acc = vec4<f32>(0.0);
  for (var j = 0u; j < ${C4 / tpr}u; j++) { acc = acc + exp(x[row * ${C4}u + j * ${tpr}u + l] - mv); }
  part[lid] = acc.x + acc.y + acc.z + acc.w;
  workgroupBarrier();
  for (var s = ${tpr / 2}u; s > 0u; s = s >> 1u) {
    if (l < s) { part[lid] = part[lid] + part[lid + s]; }
    workgroupBarrier();
  }
  if (l == 0u) { y[row] = part[lid]; }
}`;
}
function perThread(vec: boolean): string {
  return `${HEAD}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let row = gid.x;
  if (row >= ${R}u) { return; }
  let mv = vec4<f32>(m[row]);
  var acc = vec4<f32>(0.0);
  for (var j = 0u; j < ${C / 4}u; j++) { acc = acc + exp(x[row * ${C / 4}u + j] - mv); }
  y[row] = acc.x + acc.y + acc.z + acc.w;
}`.replace(vec ? "@@" : "", "");
}
const yBuf = device.createBuffer({ size: R * 4, usage: 0x80 | 0x04 });
const cBuf = device.createBuffer({ size: N * 4, usage: 0x80 | 0x04 });
function kernel(name: string, code: string, groups: number, bytes: number, copy = false) {
  const module = device.createShaderModule({ code });
  const pipeline = device.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main" } });
  const bufs = copy ? [xBuf, cBuf] : [xBuf, mBuf, yBuf];
  const bg = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: bufs.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  return {
    name,
    bytes,
    step() {
      const enc = device.createCommandEncoder();
      const p = enc.beginComputePass();
      p.setPipeline(pipeline);
      p.setBindGroup(0, bg);
      p.dispatchWorkgroups(groups);
      p.end();
      device.queue.submit([enc.finish()]);
    },
    wait: () => gpu.wait(() => device.queue.onSubmittedWorkDone()),
  };
}
const copyCode = `@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  for (var j = 0u; j < 4u; j++) { let i = gid.x * 4u + j; if (i < ${N / 4}u) { y[i] = x[i] * 1.5; } }
}`;
const contenders = [
  kernel("vec4 copy (read+write)", copyCode, N / 16 / 64, 2 * N * 4, true),
  kernel("thread per row vec4", perThread(true), R / 64, N * 4),
  kernel("wg64 per row strided", perRow(64, true), R, N * 4),
  kernel("wg64 per row contig", perRow(64, false), R, N * 4),
  kernel("wg256 per row strided", perRow(256, true), R, N * 4),
  kernel("wg32 per row strided", perRow(32, true), R, N * 4),
  kernel("wg64 4 rows (16 per row)", rowsPerWg(64, 4), R / 4, N * 4),
  kernel("wg64 8 rows (8 per row)", rowsPerWg(64, 8), R / 8, N * 4),
];
for (const c of contenders)
  await timeBlock(
    2,
    () => c.step(),
    () => c.wait(),
  );
const ms = contenders.map(() => [] as number[]);
const frac = contenders.map(() => [] as number[]);
for (let r = 0; r < RUNS; r++) {
  const row: number[] = [];
  for (const c of contenders)
    row.push(
      await timeBlock(
        ITERS,
        () => c.step(),
        () => c.wait(),
      ),
    );
  row.forEach((t, i) => {
    ms[i]!.push(t);
    frac[i]!.push(contenders[i]!.bytes / t / (contenders[0]!.bytes / row[0]!));
  });
}
console.log(
  `${RUNS} runs × ${ITERS} iters, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
contenders.forEach((c, i) => {
  const f = frac[i]!;
  console.log(
    `${c.name.padEnd(28)} ${median(ms[i]!).toFixed(2)} ms (min ${Math.min(...ms[i]!).toFixed(2)})  ${(c.bytes / median(ms[i]!) / 1e6).toFixed(1)} GB/s  of copy's: ${(median(f) * 100).toFixed(0)}% (${(Math.min(...f) * 100).toFixed(0)}–${(Math.max(...f) * 100).toFixed(0)}%)`,
  );
});
