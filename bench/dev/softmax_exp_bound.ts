// How close row softmax on [4096, 1024] can come to the vec4 copy on this adapter, and what holds
// it back: every kernel below has the softmax's layout (a subgroup of 8 lanes per row, 8 rows per
// workgroup, each lane a contiguous quarter... eighth of the row), interleaved in one process with
// the bench's copy kernel, all writing one output buffer.
// - "row copy": y = 1.5x through that layout (the layout's own cost);
// - "2 passes, no exp": the online softmax's loops and reductions with exp replaced by a
//   multiply-add (what two reads of the row and the reductions cost);
// - "online softmax": pass 1 keeps a running max and a rescaled sum per lane (4 vec4s per step:
//   1.25 exps per element), pass 2 writes exp(x - max) / sum (1 exp per element);
// - the jit's kernel (the row read once into registers, 1 exp per element), and the same kernel
//   without its exp (timed only: not a softmax). Its max kept NaN bookkeeping until
//   codegen/rowNanCheck.ts dropped it: without it the kernel ran 1.17×, 1.04× and 1.00× as
//   fast in three runs of this script on 2026-12-03;
// - the jit's kernel with the max and the sum in one loop (codegen/rowOnline.ts, lanes
//   interleaved, 4 loads a step), the autotuner's other choice;
// - "row copy, interleaved": the copy in the jit's row layout (lane j takes every 8th vec4);
// - softmax with a row over 16 or 32 lanes, fewer vec4s held by each, combined after barriers;
// - softmax in the interleaved layout holding nothing: a max pass, a pass writing exp(x - max)
//   and summing it, a pass scaling what it wrote (1 or 4 vec4s a loop step), or one taking exp
//   again from x instead of reading y back;
// - the bench's flat copies of ×32 and ×64 interleaved vec4s per invocation.
// The difference between the online softmax and the same loops without exp prices one exp per
// element; a softmax needs at least one, so copy time ÷ (no-exp time + one exp's) bounds the
// bandwidth any softmax kernel of this layout reaches.
//   node --import tsx bench/dev/softmax_exp_bound.ts [rounds]

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { acquireDevice } from "../../runtime/src/backend/webgpuDevice.js";
import { deviceWaitMode, deviceWaiter } from "../../runtime/src/backend/deviceWait.js";
import { jit, nn, np } from "../../runtime/src/index.js";
import type { ConcreteArray } from "../../runtime/src/array.js";
import { storageBuffer } from "../handKernels.js";
import { onlineSoftmax } from "../handSuite.js";
import { median } from "../measure.js";
import { setRowOnline } from "../../runtime/src/codegen/rowDevKnobs.js";

const rounds = Number(process.argv[2] ?? 9);
const [R, C] = [4096, 1024];
const N = R * C;
const C4 = C / 4;
const here = dirname(fileURLToPath(import.meta.url));

const head = `enable subgroups;
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let lane = lid % 8u;
  let lo = min(wid.x * 8u + lid / 8u, ${R - 1}u) * ${C4}u + lane * ${C4 / 8}u;
  let hi = lo + ${C4 / 8}u;
`;
/** The online softmax (bench/handSuite.ts), with `e` for exp (the no-exp variant passes a multiply-add). */
const online = (e: (v: string) => string) => onlineSoftmax(R, C, 8, 8, e);
const rowCopy = head + `  for (var i = lo; i < hi; i = i + 1u) { y[i] = x[i] * 1.5; }\n}`;
/** Softmax with a row over `lanes` (16 or 32: two or four runs of 8) lanes, each holding fewer
 *  of the row's vec4s in registers; the runs' max and sum meet in workgroup memory. */
const wideRows = (lanes: number) => {
  const [runs, rowsPerWg, per] = [lanes / 8, 64 / lanes, C4 / lanes];
  return `enable subgroups;
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
var<workgroup> red: array<f32, 64>;
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let rw = lid / ${lanes}u;
  let run = (lid % ${lanes}u) / 8u;
  let lane = lid % 8u;
  let row = min(wid.x * ${rowsPerWg}u + rw, ${R - 1}u);
  let base = row * ${C4}u + run * ${C4 / runs}u + lane;
  var c: array<vec4<f32>, ${per}>;
  var m = vec4<f32>(-3.4028234e38);
  for (var j = 0u; j < ${per}u; j = j + 1u) { let v = x[base + j * 8u]; c[j] = v; m = max(m, v); }
  let sm = subgroupMax(max(max(m.x, m.y), max(m.z, m.w)));
  if (lane == 0u) { red[rw * ${runs}u + run] = sm; }
  workgroupBarrier();
  var rm = red[rw * ${runs}u];
  for (var q = 1u; q < ${runs}u; q = q + 1u) { rm = max(rm, red[rw * ${runs}u + q]); }
  workgroupBarrier();
  var s = vec4<f32>(0.0);
  for (var j = 0u; j < ${per}u; j = j + 1u) { let e = exp(c[j] - rm); c[j] = e; s = s + e; }
  let ss = subgroupAdd(s.x + s.y + s.z + s.w);
  if (lane == 0u) { red[rw * ${runs}u + run] = ss; }
  workgroupBarrier();
  var total = 0.0;
  for (var q = 0u; q < ${runs}u; q = q + 1u) { total = total + red[rw * ${runs}u + q]; }
  for (var j = 0u; j < ${per}u; j = j + 1u) { y[base + j * 8u] = c[j] / total; }
}`;
};
/** The row copy with the lanes interleaved, as the jit's row kernels read: lane j takes every 8th
 *  vec4 of the row from its start + j. */
const rowCopyInterleaved = `@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let row = min(wid.x * 8u + lid / 8u, ${R - 1}u);
  let end = min((row + 1u) * ${C4}u, arrayLength(&y));
  for (var i = row * ${C4}u + lid % 8u; i < end; i = i + 8u) { y[i] = x[i] * 1.5; }
}`;

/** Softmax in the interleaved row layout without holding the row: pass 1 takes the max, pass 2
 *  writes exp(x - max) and sums it, pass 3 scales what pass 2 wrote (re-read from cache, a row
 *  being 4 KiB). `unroll` vec4s per loop step; `recompute` makes pass 3 take exp again from x
 *  instead of reading y. */
const threePasses = (unroll: number, recompute = false) => {
  const steps = (body: (i: string) => string) =>
    Array.from({ length: unroll }, (_, u) => body(u === 0 ? "i" : `i + ${u * 8}u`)).join("\n    ");
  return `enable subgroups;
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let row = min(wid.x * 8u + lid / 8u, ${R - 1}u);
  let start = row * ${C4}u + lid % 8u;
  let end = (row + 1u) * ${C4}u;
  var m = vec4<f32>(-3.4028234e38);
  for (var i = start; i < end; i = i + ${8 * unroll}u) {
    ${steps((i) => `m = max(m, x[${i}]);`)}
  }
  let rm = vec4<f32>(subgroupMax(max(max(m.x, m.y), max(m.z, m.w))));
  var s = vec4<f32>(0.0);
  for (var i = start; i < end; i = i + ${8 * unroll}u) {
    ${steps((i) => (recompute ? `s = s + exp(x[${i}] - rm);` : `{ let e = exp(x[${i}] - rm); y[${i}] = e; s = s + e; }`))}
  }
  let inv = 1.0 / subgroupAdd(s.x + s.y + s.z + s.w);
  for (var i = start; i < end; i = i + ${8 * unroll}u) {
    ${steps((i) => (recompute ? `y[${i}] = exp(x[${i}] - rm) * inv;` : `y[${i}] = y[${i}] * inv;`))}
  }
}`;
};

const ctx = await acquireDevice();
const { device } = ctx;
const wait = deviceWaiter(deviceWaitMode(ctx.software, process.env));
const xs = Float32Array.from({ length: N }, (_, i) => ((i * 7919) % 4001) / 1000 - 2);
const [X, Y] = [storageBuffer(device, xs), storageBuffer(device, new Float32Array(N))];

const lowered = await jit((v: ConcreteArray) => nn.softmax(v, -1)).lower(
  np.reshape(np.array(xs), [R, C]) as ConcreteArray,
);
if (lowered.kernels.length !== 1) throw new Error(`the jit's softmax is ${lowered.kernels.length} kernels, not 1`);
const jitKernel = lowered.kernels[0]!;
// The same softmax with the max and the sum in one loop (codegen/rowOnline.ts), as the autotuner
// may choose it: a fresh jit, so that the compile cache does not hand back the first kernel.
const wasOnline = setRowOnline(true);
const onlineKernel = (
  await jit((v: ConcreteArray) => nn.softmax(v, -1)).lower(np.reshape(np.array(xs), [R, C]) as ConcreteArray)
).kernels[0]!;
setRowOnline(wasOnline);
if (!/online softmax/.test(onlineKernel.plan)) throw new Error("the jit's online softmax has no online loop");
/** The jit's kernel with its exp replaced by a multiply-add (not a softmax: timed only). */
function withoutExp(wgsl: string): string {
  const out = wgsl.replace(/exp\((v\d+_\d+)\)/, "($1 * 0.5 + vec4<f32>(1.0))");
  if (out === wgsl) throw new Error("the jit's softmax no longer calls exp on a named value");
  return out;
}
const none: Record<string, number> = {};
const kernels = [
  {
    name: "vec4 copy (wg64×4b)",
    code: readFileSync(join(here, "..", "kernels", "scale_copy.wgsl"), "utf8"),
    entryPoint: "main",
    constants: { WG: 64, PER: 4, BLOCKED: 1 } as Record<string, number>,
    grid: [N / 4 / 64 / 4, 1, 1],
  },
  ...[32, 64].map((per) => ({
    name: `vec4 copy ×${per} interleaved`,
    code: readFileSync(join(here, "..", "kernels", "scale_copy.wgsl"), "utf8"),
    entryPoint: "main",
    constants: { WG: 64, PER: per, INTERLEAVED: 1 } as Record<string, number>,
    grid: [N / 4 / 64 / per, 1, 1],
  })),
  { name: "row copy", code: rowCopy, entryPoint: "main", constants: none, grid: [R / 8, 1, 1] },
  {
    name: "2 passes, no exp",
    code: online((v) => `((${v}) * 0.5 + vec4<f32>(1.0))`),
    entryPoint: "main",
    constants: none,
    grid: [R / 8, 1, 1],
  },
  {
    name: "online softmax",
    code: online((v) => `exp(${v})`),
    entryPoint: "main",
    constants: none,
    grid: [R / 8, 1, 1],
  },
  {
    name: "jit softmax",
    code: jitKernel.wgsl,
    entryPoint: jitKernel.entryPoint,
    constants: none,
    grid: [...jitKernel.dispatch],
  },
  {
    name: "jit softmax, online",
    code: onlineKernel.wgsl,
    entryPoint: onlineKernel.entryPoint,
    constants: none,
    grid: [...onlineKernel.dispatch],
  },
  { name: "row copy, interleaved", code: rowCopyInterleaved, entryPoint: "main", constants: none, grid: [R / 8, 1, 1] },
  {
    name: "jit softmax, no exp",
    code: withoutExp(jitKernel.wgsl),
    entryPoint: jitKernel.entryPoint,
    constants: none,
    grid: [...jitKernel.dispatch],
  },
  { name: "softmax, 16 lanes a row", code: wideRows(16), entryPoint: "main", constants: none, grid: [R / 4, 1, 1] },
  { name: "softmax, 32 lanes a row", code: wideRows(32), entryPoint: "main", constants: none, grid: [R / 2, 1, 1] },
  { name: "3 passes, interleaved", code: threePasses(1), entryPoint: "main", constants: none, grid: [R / 8, 1, 1] },
  { name: "3 passes, ×4 a step", code: threePasses(4), entryPoint: "main", constants: none, grid: [R / 8, 1, 1] },
  { name: "2 exps, ×4 a step", code: threePasses(4, true), entryPoint: "main", constants: none, grid: [R / 8, 1, 1] },
].map((k) => {
  const pipeline = device.createComputePipeline({
    layout: "auto",
    compute: { module: device.createShaderModule({ code: k.code }), entryPoint: k.entryPoint, constants: k.constants },
  });
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [X, Y].map((b, binding) => ({ binding, resource: { buffer: b } })),
  });
  const run = async (n: number) => {
    const enc = device.createCommandEncoder();
    for (let i = 0; i < n; i++) {
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(k.grid[0]!, k.grid[1]!, k.grid[2]!);
      pass.end();
    }
    const t0 = performance.now();
    device.queue.submit([enc.finish()]);
    await wait(() => device.queue.onSubmittedWorkDone());
    return (performance.now() - t0) / n;
  };
  return { name: k.name, run, ms: [] as number[] };
});

const staging = device.createBuffer({ size: N * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
/** The largest difference from the host's softmax of every 97th row, after one run of `k`. */
async function offBy(k: (typeof kernels)[number]): Promise<number> {
  await k.run(1);
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(Y, 0, staging, 0, N * 4);
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const got = new Float32Array(staging.getMappedRange().slice(0));
  staging.unmap();
  let worst = 0;
  for (let r = 0; r < R; r += 97) {
    const row = xs.subarray(r * C, (r + 1) * C);
    const max = Math.max(...row);
    const sum = row.reduce((acc, v) => acc + Math.exp(v - max), 0);
    for (let c = 0; c < C; c++) worst = Math.max(worst, Math.abs(got[r * C + c]! - Math.exp(row[c]! - max) / sum));
  }
  return worst;
}
// Every kernel that claims to be a softmax must be one: checked against the host before timing.
let worst = 0;
for (const k of kernels.filter(
  (k) => /^(online softmax|jit softmax(, online)?)$/.test(k.name) || /lanes a row|3 passes|2 exps/.test(k.name),
)) {
  const off = await offBy(k);
  if (!(off < 1e-6)) throw new Error(`${k.name} is off by ${off}`);
  worst = Math.max(worst, off);
}

for (const k of kernels) await k.run(1);
for (let r = 0; r < rounds; r++) for (const k of r % 2 ? [...kernels].reverse() : kernels) k.ms.push(await k.run(5));
const copyMs = median(kernels[0]!.ms);
console.log(
  `${ctx.description}: [${R}, ${C}] f32, ${rounds} rounds of 5 dispatches (the hand softmaxes within ${worst.toExponential(1)} of the host)`,
);
for (const k of kernels)
  console.log(
    `  ${k.name.padEnd(22)} ${median(k.ms).toFixed(3).padStart(7)} ms  ${(copyMs / median(k.ms)).toFixed(2)}× the copy's bandwidth`,
  );
const noExp = median(kernels.find((k) => k.name === "2 passes, no exp")!.ms);
const perExp = (median(kernels.find((k) => k.name === "online softmax")!.ms) - noExp) / 2.25;
console.log(
  `  one exp per element costs ${perExp.toFixed(3)} ms; no softmax of this layout beats ` +
    `${(copyMs / (noExp + perExp)).toFixed(2)}× the copy (its loops without exp, plus one exp per element)`,
);
process.exit(0);
