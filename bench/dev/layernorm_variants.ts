// Layer norm [4096, 1024] as hand variants of the jit's row kernel (a subgroup of 8 lanes per
// row, 8 rows a workgroup; Welford or shifted sums, constant or run-time bounds, rows pipelined,
// the row kept in an array or, a workgroup per row, in registers), beside row copies and the
// statistics alone, against the bench's best copy (vec4, 64 per invocation, interleaved): what a
// layer norm loses to a copy on lavapipe. Each variant is checked against a CPU layer norm; then
// all run interleaved, medians of BENCH_RUNS (11) blocks of 5.
//   node --expose-gc --import tsx bench/dev/layernorm_variants.ts
import { currentBackend } from "../../runtime/src/index.js";
import type { WebGpuBackend } from "../../runtime/src/backend/webgpu.js";
import { handKernel, storageBuffer, type HandKernel } from "../handKernels.js";
import { median, timeBlock } from "../measure.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const gpu = currentBackend() as WebGpuBackend;
const device = gpu.device;
const [R, C] = [4096, 1024];
const N = R * C;
const V = C / 4;
const xs = Float32Array.from({ length: N }, (_, i) => ((i * 7919) % 4001) / 1000 - 2 + (i >> 10) / 4096);
const buf = storageBuffer(device, xs);

const ref = new Float32Array(N);
for (let r = 0; r < R; r++) {
  let m = 0;
  for (let c = 0; c < C; c++) m += xs[r * C + c]!;
  m /= C;
  let q = 0;
  for (let c = 0; c < C; c++) q += (xs[r * C + c]! - m) ** 2;
  const inv = 1 / Math.sqrt(q / C + 1e-5);
  for (let c = 0; c < C; c++) ref[r * C + c] = (xs[r * C + c]! - m) * inv;
}

const head = `enable subgroups;
@group(0) @binding(0) var<storage, read> in0: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> out0: array<vec4<f32>>;
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let slot = wid.x * 8u + lid / 8u;
  let row = i32(min(slot, ${R - 1}u));
  let lane = i32(lid % 8u);`;
/** The row's length in vec4s: a constant, or read at run time (LLVM then cannot unroll the loops). */
const bound = (runtime: boolean) => (runtime ? `let cols = i32(arrayLength(&out0) / ${R}u);` : `let cols = ${V};`);
const normalize = (mean: string, inv: string) => `
  for (var j = lane; j < cols; j = j + 8) {
    let i = row * cols + j;
    out0[i] = (in0[i] - vec4<f32>(${mean})) * vec4<f32>(${inv});
  }
}`;
const welford = (runtime: boolean) => `${head}
  ${bound(runtime)}
  let ws0 = in0[row * cols].x;
  var wn0 = 0.0;
  var wm0 = vec4<f32>(0.0);
  var wq0 = vec4<f32>(0.0);
  for (var j = lane; j < cols; j = j + 8) {
    let wx0 = in0[row * cols + j] - vec4<f32>(ws0);
    wn0 = wn0 + 1.0;
    let wd0 = wx0 - wm0;
    wm0 = wm0 + wd0 * (1.0 / wn0);
    wq0 = wq0 + wd0 * (wx0 - wm0);
  }
  let wt0 = subgroupAdd(wn0 * 4.0);
  let wa0 = subgroupAdd(wn0 * (wm0.x + wm0.y + wm0.z + wm0.w)) / wt0;
  let we0 = wm0 - vec4<f32>(wa0);
  let mean = ws0 + wa0;
  let q = subgroupAdd(wq0.x + wq0.y + wq0.z + wq0.w + wn0 * dot(we0, we0));
  let inv = 1.0 / sqrt(q / ${C}.0 + 1e-5);
${normalize("mean", "inv")}`;
// Shifted sums: Σ(x−s) and Σ(x−s)² in one loop, s the row's first value; no division per step.
const shiftedSums = `  let s = in0[row * cols].x;
  var a = vec4<f32>(0.0);
  var b = vec4<f32>(0.0);
  for (var j = lane; j < cols; j = j + 8) {
    let d = in0[row * cols + j] - vec4<f32>(s);
    a = a + d;
    b = b + d * d;
  }
  let sa = subgroupAdd(a.x + a.y + a.z + a.w);
  let sb = subgroupAdd(b.x + b.y + b.z + b.w);
`;
const shifted = (runtime: boolean) => `${head}
  ${bound(runtime)}
${shiftedSums}  let dm = sa / ${C}.0;
  let mean = s + dm;
  let inv = 1.0 / sqrt(max(sb / ${C}.0 - dm * dm, 0.0) + 1e-5);
${normalize("mean", "inv")}`;
// Two loops (mean, then squared deviations), as before Welford.
const twoLoops = (runtime: boolean) => `${head}
  ${bound(runtime)}
  var a = vec4<f32>(0.0);
  for (var j = lane; j < cols; j = j + 8) { a = a + in0[row * cols + j]; }
  let mean = subgroupAdd(a.x + a.y + a.z + a.w) / ${C}.0;
  var b = vec4<f32>(0.0);
  for (var j = lane; j < cols; j = j + 8) { let d = in0[row * cols + j] - vec4<f32>(mean); b = b + d * d; }
  let inv = 1.0 / sqrt(subgroupAdd(b.x + b.y + b.z + b.w) / ${C}.0 + 1e-5);
${normalize("mean", "inv")}`;

// The row layout's copy alone: what the normalize loop costs without statistics.
const rowCopy = (runtime: boolean) => `${head}
  ${bound(runtime)}
${normalize("0.0", "1.0")}`;
// u32 indices, as the copy's are.
const rowCopyU = `enable subgroups;
@group(0) @binding(0) var<storage, read> in0: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> out0: array<vec4<f32>>;
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let row = min(wid.x * 8u + lid / 8u, ${R - 1}u);
  let cols = arrayLength(&out0) / ${R}u;
  let end = (row + 1u) * cols;
  for (var i = row * cols + lid % 8u; i < end; i = i + 8u) { out0[i] = in0[i] * 1.0; }
}`;
// K rows per subgroup, pipelined: one loop normalizes row k−1 (its values still in cache) while
// it sums row k, so reads from memory and writes to it run together, as in a copy.
const pipelined = (K: number) => `enable subgroups;
@group(0) @binding(0) var<storage, read> in0: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> out0: array<vec4<f32>>;
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let first = (wid.x * 8u + lid / 8u) * ${K}u;
  let lane = lid % 8u;
  let cols = arrayLength(&out0) / ${R}u;
  var mean = 0.0;
  var inv = 0.0;
  for (var k = 0u; k <= ${K}u; k = k + 1u) {
    let row = min(first + k, ${R - 1}u);
    let s = in0[row * cols].x;
    var a = vec4<f32>(0.0);
    var b = vec4<f32>(0.0);
    let prev = (first + k - 1u) * cols;
    let reading = k < ${K}u;
    let writing = k > 0u;
    for (var j = lane; j < cols; j = j + 8u) {
      if (reading) {
        let d = in0[row * cols + j] - vec4<f32>(s);
        a = a + d;
        b = b + d * d;
      }
      if (writing) { out0[prev + j] = (in0[prev + j] - vec4<f32>(mean)) * vec4<f32>(inv); }
    }
    let sa = subgroupAdd(a.x + a.y + a.z + a.w);
    let sb = subgroupAdd(b.x + b.y + b.z + b.w);
    let dm = sa / ${C}.0;
    mean = s + dm;
    inv = 1.0 / sqrt(max(sb / ${C}.0 - dm * dm, 0.0) + 1e-5);
  }
}`;
// The statistics alone: each row read once, one value written per row.
const statsOnly = `${head}
  let cols = ${V};
${shiftedSums}  if (lane == 0) { out0[row * cols] = vec4<f32>(sa, sb, 0.0, 0.0); }
}`;
// Pipelined with the first and last rows peeled: the middle loop reads row k and writes row k−1
// with no condition inside.
const peeled = (K: number) => `enable subgroups;
@group(0) @binding(0) var<storage, read> in0: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> out0: array<vec4<f32>>;
fn stats(s: f32, a: vec4<f32>, b: vec4<f32>) -> vec2<f32> {
  let sa = subgroupAdd(a.x + a.y + a.z + a.w);
  let sb = subgroupAdd(b.x + b.y + b.z + b.w);
  let dm = sa / ${C}.0;
  return vec2<f32>(s + dm, 1.0 / sqrt(max(sb / ${C}.0 - dm * dm, 0.0) + 1e-5));
}
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let first = (wid.x * 8u + lid / 8u) * ${K}u;
  let lane = lid % 8u;
  let cols = arrayLength(&out0) / ${R}u;
  var s = in0[first * cols].x;
  var a = vec4<f32>(0.0);
  var b = vec4<f32>(0.0);
  for (var j = lane; j < cols; j = j + 8u) {
    let d = in0[first * cols + j] - vec4<f32>(s);
    a = a + d;
    b = b + d * d;
  }
  var mi = stats(s, a, b);
  for (var k = 1u; k < ${K}u; k = k + 1u) {
    let row = (first + k) * cols;
    let prev = row - cols;
    s = in0[row].x;
    a = vec4<f32>(0.0);
    b = vec4<f32>(0.0);
    for (var j = lane; j < cols; j = j + 8u) {
      let d = in0[row + j] - vec4<f32>(s);
      a = a + d;
      b = b + d * d;
      out0[prev + j] = (in0[prev + j] - vec4<f32>(mi.x)) * vec4<f32>(mi.y);
    }
    mi = stats(s, a, b);
  }
  let last = (first + ${K}u - 1u) * cols;
  for (var j = lane; j < cols; j = j + 8u) { out0[last + j] = (in0[last + j] - vec4<f32>(mi.x)) * vec4<f32>(mi.y); }
}`;
// Each lane keeps its ${V / 8} vec4s of the row in a function-scope array between the loops: the
// second loop reads them from there, not from the storage buffer again.
const kept = (shifted: boolean) => `${head}
  var vals: array<vec4<f32>, ${V / 8}>;
  let s = in0[row * ${V}].x;
  var a = vec4<f32>(0.0);
  var b = vec4<f32>(0.0);
  for (var k = 0; k < ${V / 8}; k = k + 1) {
    let v = in0[row * ${V} + lane + 8 * k];
    vals[k] = v;
    let d = v - vec4<f32>(s);
    a = a + d;
    ${shifted ? "b = b + d * d;" : ""}
  }
  let sa = subgroupAdd(a.x + a.y + a.z + a.w);
  let dm = sa / ${C}.0;
  let mean = s + dm;
  ${
    shifted
      ? `let sb = subgroupAdd(b.x + b.y + b.z + b.w);
  let inv = 1.0 / sqrt(max(sb / ${C}.0 - dm * dm, 0.0) + 1e-5);`
      : `for (var k = 0; k < ${V / 8}; k = k + 1) { let d = vals[k] - vec4<f32>(mean); b = b + d * d; }
  let inv = 1.0 / sqrt(subgroupAdd(b.x + b.y + b.z + b.w) / ${C}.0 + 1e-5);`
  }
  for (var k = 0; k < ${V / 8}; k = k + 1) {
    out0[row * ${V} + lane + 8 * k] = (vals[k] - vec4<f32>(mean)) * vec4<f32>(inv);
  }
}`;
// A workgroup of 64 lanes per row, each lane's ${V / 64} vec4s held in registers (the loop over them
// has a constant bound, so LLVM can unroll it and keep them out of memory): one read of the row.
// The lanes' sums meet in workgroup memory after the subgroups' own (one barrier).
const registers = `enable subgroups;
@group(0) @binding(0) var<storage, read> in0: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> out0: array<vec4<f32>>;
var<workgroup> part: array<vec2<f32>, 8>;
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let base = wid.x * ${V}u;
  let s = in0[base].x;
  var vals: array<vec4<f32>, ${V / 64}>;
  var a = vec4<f32>(0.0);
  var b = vec4<f32>(0.0);
  for (var t = 0u; t < ${V / 64}u; t = t + 1u) {
    let d = in0[base + lid + 64u * t] - vec4<f32>(s);
    vals[t] = d;
    a = a + d;
    b = b + d * d;
  }
  let sa = subgroupAdd(a.x + a.y + a.z + a.w);
  let sb = subgroupAdd(b.x + b.y + b.z + b.w);
  if (lid % 8u == 0u) { part[lid / 8u] = vec2<f32>(sa, sb); }
  workgroupBarrier();
  var tot = vec2<f32>(0.0);
  for (var g = 0u; g < 8u; g = g + 1u) { tot = tot + part[g]; }
  let dm = tot.x / ${C}.0;
  let inv = 1.0 / sqrt(max(tot.y / ${C}.0 - dm * dm, 0.0) + 1e-5);
  for (var t = 0u; t < ${V / 64}u; t = t + 1u) {
    out0[base + lid + 64u * t] = (vals[t] - vec4<f32>(dm)) * vec4<f32>(inv);
  }
}`;
const variants: [string, string][] = [
  ["registers, 1 row/wg", registers],
  ["kept in an array, shifted sums", kept(true)],
  ["kept in an array, two loops", kept(false)],
  ["peeled, 2 rows/subgroup", peeled(2)],
  ["peeled, 8 rows/subgroup", peeled(8)],
  ["peeled, 32 rows/subgroup", peeled(32)],
  ["row stats only", statsOnly],
  ["pipelined, 4 rows/subgroup", pipelined(4)],
  ["pipelined, 8 rows/subgroup", pipelined(8)],
  ["pipelined, 16 rows/subgroup", pipelined(16)],
  ["row copy, constant bound", rowCopy(false)],
  ["row copy, run-time bound", rowCopy(true)],
  ["row copy, u32 run-time end", rowCopyU],
  ["jit welford, constant bound", welford(false)],
  ["welford, run-time bound", welford(true)],
  ["shifted sums, constant bound", shifted(false)],
  ["shifted sums, run-time bound", shifted(true)],
  ["two loops, constant bound", twoLoops(false)],
  ["two loops, run-time bound", twoLoops(true)],
];
const kernels: HandKernel[] = [];
for (const [name, code] of variants) {
  const rowsPerGroup = name.includes("1 row/wg") ? 1 : 8 * Number(/(\d+) rows\/subgroup/.exec(name)?.[1] ?? 1);
  const k = handKernel(device, code, [buf], N * 4, [R / rowsPerGroup, 1, 1], {}, name);
  k.submit();
  const got = await k.read();
  let err = 0;
  for (let i = 0; i < N; i++) err = Math.max(err, Math.abs(got[i]! - ref[i]!));
  if (!(err < 1e-3) && !name.startsWith("row ")) throw new Error(`${name}: max error ${err}`);
  kernels.push(k);
}
const copy = handKernel(
  device,
  "scale_copy.wgsl",
  [buf],
  N * 4,
  [N / 4 / 64 / 64, 1, 1],
  {
    WG: 64,
    PER: 64,
    INTERLEAVED: 1,
  },
  "copy wg64×64i",
);
const all = [copy, ...kernels];
const wait = () => gpu.wait(() => device.queue.onSubmittedWorkDone());
for (const k of all) await timeBlock(2, () => k.submit(), wait);
const ms = all.map(() => [] as number[]);
for (let r = 0; r < RUNS; r++)
  for (const [i, k] of all.entries()) {
    (globalThis as { gc?: () => void }).gc?.();
    ms[i]!.push(await timeBlock(5, () => k.submit(), wait));
  }
const c = median(ms[0]!);
all.forEach((k, i) => {
  const ratios = ms[i]!.map((t, r) => ms[0]![r]! / t);
  console.log(
    `${k.name.padEnd(30)} ${median(ms[i]!).toFixed(2)} ms  copy/this ${(c / median(ms[i]!)).toFixed(2)} (paired ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`,
  );
});
