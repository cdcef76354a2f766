// Dev measurement (issue 16): hand row-softmax layouts on [4096, 1024] f32 against the vec4
// copy, interleaved in one process, to choose what codegen/lowerRowLocal.ts emits. Every kernel
// is a subgroup of 8 lanes per row, RPW rows per workgroup, lanes reading neighbouring vec4s:
// - 3 pass: max, sum of exp, write exp * 1/sum (3 reads, 2 exps per element);
// - online: max and rescaled sum in one pass, then the write (2 reads, 3 exps);
// - via out: max; sum of exp also storing exp into y; y *= 1/sum (2 reads of x, 1 of y, 1 exp);
// - cached: the lane's share held in registers (1 read, 1 exp).
// Results checked against a host softmax before timing.
// `node --expose-gc --import tsx bench/dev/softmax_variants.ts` (BENCH_RUNS, BENCH_ITERS).

import { currentBackend } from "../../runtime/src/index.js";
import type { WebGpuBackend } from "../../runtime/src/backend/webgpu.js";
import { handKernel, storageBuffer } from "../handKernels.js";
import { median, timeBlock } from "../measure.js";
import { loadavg } from "node:os";

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const ITERS = Number(process.env.BENCH_ITERS ?? 5);
const gpu = currentBackend() as WebGpuBackend;
const device = gpu.device;
const [R, C] = [4096, 1024];
const N = R * C;
const C4 = C / 4;
const xs = Float32Array.from({ length: N }, (_, i) => ((i * 7919) % 4001) / 1000 - 2);
const xBuf = storageBuffer(device, xs);

const head = (lanes: number, rpw: number) => `enable subgroups;
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
@compute @workgroup_size(${lanes * rpw})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = (wid.x * ${rpw}u + lid / ${lanes}u) * ${C4}u;
  let lane = lid % ${lanes}u;
  var m = vec4<f32>(-3.4e38);
  for (var j = lane; j < ${C4}u; j = j + ${lanes}u) { m = max(m, x[row + j]); }
  let rowMax = subgroupMax(max(max(m.x, m.y), max(m.z, m.w)));
`;
const threePass = (l: number, rpw: number) =>
  head(l, rpw) +
  `  var s = vec4<f32>(0.0);
  for (var j = lane; j < ${C4}u; j = j + ${l}u) { s = s + exp(x[row + j] - rowMax); }
  let inv = 1.0 / subgroupAdd(s.x + s.y + s.z + s.w);
  for (var j = lane; j < ${C4}u; j = j + ${l}u) { y[row + j] = exp(x[row + j] - rowMax) * inv; }
}`;
const viaOut = (l: number, rpw: number) =>
  head(l, rpw) +
  `  var s = vec4<f32>(0.0);
  for (var j = lane; j < ${C4}u; j = j + ${l}u) { let e = exp(x[row + j] - rowMax); y[row + j] = e; s = s + e; }
  let inv = 1.0 / subgroupAdd(s.x + s.y + s.z + s.w);
  for (var j = lane; j < ${C4}u; j = j + ${l}u) { y[row + j] = y[row + j] * inv; }
}`;
const online = (l: number, rpw: number) => `enable subgroups;
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
@compute @workgroup_size(${l * rpw})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = (wid.x * ${rpw}u + lid / ${l}u) * ${C4}u;
  let lane = lid % ${l}u;
  var m = vec4<f32>(-3.4e38);
  var s = vec4<f32>(0.0);
  for (var j = lane; j < ${C4}u; j = j + ${l}u) {
    let v = x[row + j];
    let mn = max(m, v);
    s = s * exp(m - mn) + exp(v - mn);
    m = mn;
  }
  let rowMax = subgroupMax(max(max(m.x, m.y), max(m.z, m.w)));
  let t = s * exp(m - rowMax);
  let inv = 1.0 / subgroupAdd(t.x + t.y + t.z + t.w);
  for (var j = lane; j < ${C4}u; j = j + ${l}u) { y[row + j] = exp(x[row + j] - rowMax) * inv; }
}`;
const cached = (l: number, rpw: number) => {
  const per = C4 / l;
  return `enable subgroups;
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
@compute @workgroup_size(${l * rpw})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = (wid.x * ${rpw}u + lid / ${l}u) * ${C4}u;
  let lane = lid % ${l}u;
  var v: array<vec4<f32>, ${per}>;
  var m = vec4<f32>(-3.4e38);
  for (var j = 0u; j < ${per}u; j++) { v[j] = x[row + lane + j * ${l}u]; m = max(m, v[j]); }
  let rowMax = subgroupMax(max(max(m.x, m.y), max(m.z, m.w)));
  var s = vec4<f32>(0.0);
  for (var j = 0u; j < ${per}u; j++) { v[j] = exp(v[j] - rowMax); s = s + v[j]; }
  let inv = 1.0 / subgroupAdd(s.x + s.y + s.z + s.w);
  for (var j = 0u; j < ${per}u; j++) { y[row + lane + j * ${l}u] = v[j] * inv; }
}`;
};

const want = new Float32Array(N);
for (let r = 0; r < R; r++) {
  let m = -Infinity;
  for (let c = 0; c < C; c++) m = Math.max(m, xs[r * C + c]!);
  let s = 0;
  for (let c = 0; c < C; c++) s += Math.exp(xs[r * C + c]! - m);
  for (let c = 0; c < C; c++) want[r * C + c] = Math.exp(xs[r * C + c]! - m) / s;
}
const kernels = [
  {
    name: "vec4 copy wg64×4",
    k: handKernel(device, "scale_copy.wgsl", [xBuf], N * 4, [N / 4 / 64 / 4, 1, 1], { WG: 64, PER: 4, BLOCKED: 0 }),
    check: false,
  },
];
for (const rpw of [1, 8]) {
  for (const [label, src] of [
    ["3 pass", threePass],
    ["online", online],
    ["via out", viaOut],
    ["cached", cached],
  ] as const) {
    const name = `softmax ${label} rpw ${rpw}`;
    kernels.push({ name, k: handKernel(device, src(8, rpw), [xBuf], N * 4, [R / rpw, 1, 1], {}, name), check: true });
  }
}
for (const { name, k, check } of kernels) {
  if (!check) continue;
  k.submit();
  const got = await k.read();
  let worst = 0;
  for (let i = 0; i < N; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / (1e-6 + want[i]!));
  if (!(worst < 1e-4)) throw new Error(`${name}: relative error ${worst}`);
}
const wait = () => gpu.wait(() => device.queue.onSubmittedWorkDone());
for (const { k } of kernels) await timeBlock(2, () => k.submit(), wait);
const ms = kernels.map(() => [] as number[]);
const ratio = kernels.map(() => [] as number[]);
const cpu = kernels.map(() => [] as number[]); // process CPU ms per iteration (lavapipe runs in-process)
const cpuRatio = kernels.map(() => [] as number[]);
for (let r = 0; r < RUNS; r++) {
  const row: number[] = [];
  const rowCpu: number[] = [];
  for (const { k } of kernels) {
    (globalThis as { gc?: () => void }).gc?.();
    const c0 = process.cpuUsage();
    row.push(await timeBlock(ITERS, () => k.submit(), wait));
    const c = process.cpuUsage(c0);
    rowCpu.push((c.user + c.system) / 1000 / ITERS);
  }
  row.forEach((t, i) => {
    ms[i]!.push(t);
    ratio[i]!.push(row[0]! / t);
    cpu[i]!.push(rowCpu[i]!);
    cpuRatio[i]!.push(rowCpu[0]! / rowCpu[i]!);
  });
}
console.log(
  `${RUNS} runs × ${ITERS} iters, interleaved, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
kernels.forEach(({ name }, i) => {
  const f = ratio[i]!;
  console.log(
    `${name.padEnd(28)} ${median(ms[i]!).toFixed(2)} ms (min ${Math.min(...ms[i]!).toFixed(2)})  copy/this ` +
      `${median(f).toFixed(2)}× (${Math.min(...f).toFixed(2)}–${Math.max(...f).toFixed(2)}); CPU ` +
      `${median(cpu[i]!).toFixed(2)} ms, copy/this ${median(cpuRatio[i]!).toFixed(2)}× ` +
      `(${Math.min(...cpuRatio[i]!).toFixed(2)}–${Math.max(...cpuRatio[i]!).toFixed(2)})`,
  );
});
process.exit(0);
