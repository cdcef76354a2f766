// The hand kernels the bench times, each in a few variants (the best of them, by median in the
// same run, is the baseline): elementwise kernels over vec4s with 64- or 256-wide workgroups and
// 1 to 64 vec4s per invocation (lanes apart, neighbours, neighbours in a loop bounded at run time,
// or interleaved over runs of 8 lanes); register-blocked matmuls of 4×4 to 8×8 outputs per
// invocation, and of 4×16 and 2×32 with B shared by a subgroup's lanes; row softmax and layer
// norm with a workgroup per row, a thread per row, or a subgroup per row (where the device has
// subgroups), softmax also holding its row in registers or as an online softmax.

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { handKernel, storageBuffer, type HandKernel } from "./handKernels.js";
import { blockName, matmulGrid, matmulWgsl, sharedBBlocks, type MatmulBlock } from "./matmulKernel.js";

/** Where an invocation's vec4s lie: WG apart ("strided"), neighbours ("blocked"), neighbours
 *  walked by a loop bounded at run time ("chunk"; see the kernels' CHUNK), or 8 apart within a
 *  run of 8 lanes ("interleaved"; the kernels' INTERLEAVED). */
type EwLayout = "strided" | "blocked" | "chunk" | "interleaved";
/** [workgroup size, vec4s per invocation, layout]. */
const EW_VARIANTS: readonly (readonly [number, number, EwLayout])[] = [
  [256, 1, "strided"],
  [64, 4, "strided"],
  [64, 4, "blocked"],
  [64, 16, "strided"],
  [64, 8, "chunk"],
  [64, 16, "chunk"],
  [64, 64, "chunk"],
  [64, 16, "interleaved"],
  [64, 32, "interleaved"],
  [64, 64, "interleaved"],
];

/** One variant of an elementwise kernel (scale_copy.wgsl or chain_vec4.wgsl) per EW_VARIANTS row. */
export function elementwiseVariants(device: GPUDevice, file: string, input: GPUBuffer, n: number): HandKernel[] {
  return EW_VARIANTS.map(([wg, per, layout]) =>
    handKernel(
      device,
      file,
      [input],
      n * 4,
      [Math.ceil(n / 4 / wg / per), 1, 1],
      {
        WG: wg,
        PER: per,
        BLOCKED: layout === "blocked" ? 1 : 0,
        CHUNK: layout === "chunk" ? 1 : 0,
        INTERLEAVED: layout === "interleaved" ? 1 : 0,
      },
      `${file.replace(".wgsl", "")} wg${wg}×${per}${layout === "strided" ? "" : layout[0]}`,
    ),
  );
}

const MATMUL_BLOCKS: readonly MatmulBlock[] = [
  { rows: 4, cols4: 1, wx: 8, wy: 8 },
  { rows: 4, cols4: 2, wx: 8, wy: 8 },
  { rows: 8, cols4: 1, wx: 8, wy: 8 },
  { rows: 8, cols4: 2, wx: 8, wy: 8 },
];

/** The 8×8 kernel of bench/dev (accumulators in an array, rows in a loop): one more variant. */
const DEV_8X8 = join(dirname(fileURLToPath(import.meta.url)), "dev", "matmul_hand_8x8.wgsl");

/** C = A @ B for row-major A [m,k] and B [k,n], one kernel per block shape that fits. */
export function matmulVariants(
  device: GPUDevice,
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
): HandKernel[] {
  const [ab, bb] = [storageBuffer(device, a), storageBuffer(device, b)];
  const unshared = MATMUL_BLOCKS.filter((bl) => m % bl.rows === 0 && n % (4 * bl.cols4) === 0 && k % 4 === 0);
  // B shared by the lanes of a subgroup, where every subgroup has one width (8 on lavapipe, 32
  // on NVIDIA) that divides the run's B block; rows may be ragged, columns may not.
  const { min, max } = subgroupSizes(device);
  const shared = min >= 4 && min === max && k % 4 === 0 ? sharedBBlocks(min, n) : [];
  const blocks = [...unshared, ...shared];
  const kernels = blocks.map((bl) =>
    handKernel(
      device,
      matmulWgsl(bl),
      [ab, bb],
      m * n * 4,
      matmulGrid(bl, m, n),
      { M: m, N: n, K: k },
      `matmul ${blockName(bl)}`,
    ),
  );
  if (m % 8 === 0 && n % 8 === 0 && k % 4 === 0)
    kernels.push(
      handKernel(
        device,
        readFileSync(DEV_8X8, "utf8"),
        [ab, bb],
        m * n * 4,
        [Math.ceil(n / 8 / 8), Math.ceil(m / 8 / 8), 1],
        { M: m, N: n, K: k },
        "matmul 8×8 loop (bench/dev)",
      ),
    );
  return kernels;
}

/** Row softmax ("softmax") or layer norm ("layernorm") on an r×c matrix: a workgroup per row
 *  (64 or 256 wide, shared-memory reductions), and an invocation per row (no barriers). */
export function rowVariants(
  device: GPUDevice,
  op: "softmax" | "layernorm",
  input: GPUBuffer,
  r: number,
  c: number,
): HandKernel[] {
  const perRow = [64, 256]
    .filter((wg) => c % (4 * wg) === 0 && c / 4 / wg <= 16)
    .map((wg) =>
      handKernel(device, `${op}_rows.wgsl`, [input], r * c * 4, [r, 1, 1], { WG: wg, C: c }, `${op}_rows wg${wg}`),
    );
  const each = handKernel(
    device,
    `${op}_row_each.wgsl`,
    [input],
    r * c * 4,
    [Math.ceil(r / 64), 1, 1],
    { WG: 64, C: c },
    `${op}_row_each wg64`,
  );
  // A subgroup per row (lanes read neighbouring vec4s, subgroupAdd/Max combine them): one row per
  // workgroup of a subgroup's width, or several rows per 64-wide one where every subgroup has the
  // same width (8 on lavapipe, 32 on NVIDIA); softmax also with the lane's share of the row kept
  // in registers (one read and one exp per element).
  const lanes = subgroupLanes(device);
  const subgroup = lanes === null || c % (4 * lanes) !== 0 ? [] : subgroupRowVariants(device, op, input, r, c, lanes);
  return [...perRow, each, ...subgroup];
}

/** The adapter's smallest and largest subgroup widths (0 when unknown or without subgroups). */
function subgroupSizes(device: GPUDevice): { min: number; max: number } {
  if (!device.features.has("subgroups")) return { min: 0, max: 0 };
  const info = (device as GPUDevice & { adapterInfo?: { subgroupMinSize?: number; subgroupMaxSize?: number } })
    .adapterInfo;
  return { min: info?.subgroupMinSize ?? 0, max: info?.subgroupMaxSize ?? 0 };
}

/** The lanes of a row's subgroup: the adapter's smallest width (a workgroup that narrow is one
 *  subgroup, partly filled at worst); null without subgroups. */
function subgroupLanes(device: GPUDevice): number | null {
  const { min } = subgroupSizes(device);
  return min >= 4 ? min : null;
}

function subgroupRowVariants(
  device: GPUDevice,
  op: "softmax" | "layernorm",
  input: GPUBuffer,
  r: number,
  c: number,
  lanes: number,
): HandKernel[] {
  const file = `${op}_rows_subgroup.wgsl`;
  // Several rows per workgroup only where every subgroup is `lanes` wide (each row's lanes stay in
  // one subgroup).
  const { max } = subgroupSizes(device);
  const rowsPerGroup = max === lanes && lanes < 64 ? [1, 64 / lanes] : [1];
  const kernels = rowsPerGroup
    .filter((rpw) => r % rpw === 0)
    .map((rpw) =>
      handKernel(
        device,
        file,
        [input],
        r * c * 4,
        [r / rpw, 1, 1],
        { C: c, LANES: lanes, RPW: rpw },
        `${op} subgroup×${lanes} ${rpw} row/wg`,
      ),
    );
  if (op === "softmax" && c / 4 / lanes <= 64)
    kernels.push(
      handKernel(
        device,
        cachedSoftmax(c, lanes),
        [input],
        r * c * 4,
        [r, 1, 1],
        {},
        `softmax subgroup×${lanes} in registers`,
      ),
    );
  const rpw = rowsPerGroup[rowsPerGroup.length - 1]!;
  if (op === "softmax" && c % (16 * lanes) === 0)
    kernels.push(
      handKernel(
        device,
        onlineSoftmax(r, c, lanes, rpw),
        [input],
        r * c * 4,
        [Math.ceil(r / rpw), 1, 1],
        {},
        `softmax subgroup×${lanes} online`,
      ),
    );
  return kernels;
}

/** Online softmax, a subgroup of `lanes` lanes per row and `rpw` rows per workgroup, each lane a
 *  contiguous share of the row: one pass keeps a running max and a sum rescaled to it (4 vec4s a
 *  step: 1.25 exps per element), the second writes exp(x − max) / sum. It reads the row twice and
 *  holds nothing: on lavapipe's AVX-512 CPU it ran 1.09–1.19× faster than the kernel holding the
 *  row in registers (bench/dev/softmax_exp_bound.ts, 2026-12-03), which spill there. `e` stands
 *  for exp (that script times the loops with a multiply-add instead). */
export function onlineSoftmax(
  r: number,
  c: number,
  lanes: number,
  rpw: number,
  e: (v: string) => string = (v) => `exp(${v})`,
): string {
  const share = c / 4 / lanes;
  return `enable subgroups;
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
@compute @workgroup_size(${lanes * rpw})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let lo = min(wid.x * ${rpw}u + lid / ${lanes}u, ${r - 1}u) * ${c / 4}u + lid % ${lanes}u * ${share}u;
  let hi = lo + ${share}u;
  var m = vec4<f32>(-3.4028234e38);
  var s = vec4<f32>(0.0);
  for (var i = lo; i < hi; i = i + 4u) {
    let v0 = x[i];
    let v1 = x[i + 1u];
    let v2 = x[i + 2u];
    let v3 = x[i + 3u];
    let mn = max(m, max(max(v0, v1), max(v2, v3)));
    s = s * ${e("m - mn")} + ${e("v0 - mn")} + ${e("v1 - mn")} + ${e("v2 - mn")} + ${e("v3 - mn")};
    m = mn;
  }
  let rm = vec4<f32>(subgroupMax(max(max(m.x, m.y), max(m.z, m.w))));
  let sl = s * ${e("m - rm")};
  let inv = 1.0 / subgroupAdd(sl.x + sl.y + sl.z + sl.w);
  for (var i = lo; i < hi; i = i + 1u) { y[i] = ${e("x[i] - rm")} * inv; }
}`;
}

/** Softmax, a subgroup of `lanes` lanes per row, each lane's c/4/lanes vec4s held in registers. */
function cachedSoftmax(c: number, lanes: number): string {
  const per = c / 4 / lanes;
  return `enable subgroups;
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
@compute @workgroup_size(${lanes})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let row = wid.x * ${c / 4}u;
  var v: array<vec4<f32>, ${per}>;
  var m = vec4<f32>(-3.4e38);
  for (var j = 0u; j < ${per}u; j++) { v[j] = x[row + lane + j * ${lanes}u]; m = max(m, v[j]); }
  let rowMax = subgroupMax(max(max(m.x, m.y), max(m.z, m.w)));
  var s = vec4<f32>(0.0);
  for (var j = 0u; j < ${per}u; j++) { v[j] = exp(v[j] - rowMax); s = s + v[j]; }
  let inv = 1.0 / subgroupAdd(s.x + s.y + s.z + s.w);
  for (var j = 0u; j < ${per}u; j++) { y[row + lane + j * ${lanes}u] = v[j] * inv; }
}`;
}

/** Row-major transpose on the host (hand kernels get their operands in the layout they read best). */
export function transposed(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = x[i * cols + j]!;
  return out;
}
