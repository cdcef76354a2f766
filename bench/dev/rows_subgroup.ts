// Dev measurement (issue 16): hand row softmax / layer norm kernels over [4096, 1024] f32 (an
// invocation per row, a subgroup per row with 1 or 8 rows per workgroup) and the jit's, against a
// vec4 scaled copy of the same bytes, interleaved in one process. Ratio = copy time / kernel time
// (both move 2 × 16 MiB), per run (median and range) and of the minima over runs (on a loaded
// machine the least disturbed run of each is the closest to its cost).
// `node --expose-gc --import tsx bench/dev/rows_subgroup.ts` (BENCH_RUNS, BENCH_ITERS, ONLY_HAND=1,
// ONLY_JIT=1, ALL_HAND=1 for the slower hand layouts too).

import { currentBackend, jit, nn, np } from "../../runtime/src/index.js";
import type { ConcreteArray } from "../../runtime/src/array.js";
import type { WebGpuBackend } from "../../runtime/src/backend/webgpu.js";
import { handKernel, storageBuffer } from "../handKernels.js";
import { latestResult, median, timeBlock } from "../measure.js";
import { loadavg } from "node:os";
import { forceRowKernels, forceSubgroupFallback } from "../../runtime/src/codegen/subgroupSupport.js";
import {
  setRowCacheLimit,
  setRowInputCache,
  setRowsPerWorkgroupLimit,
  setRowStash,
  setRowVec4,
} from "../../runtime/src/codegen/rowDevKnobs.js";

type A = ConcreteArray;
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const ITERS = Number(process.env.BENCH_ITERS ?? 5);
const ONLY_HAND = process.env.ONLY_HAND === "1";
const gpu = currentBackend() as WebGpuBackend;
const device = gpu.device;
const [R, C] = [4096, 1024];
const N = R * C;
const xs = Float32Array.from({ length: N }, (_, i) => ((i * 7919) % 4001) / 1000 - 2);
const xBuf = storageBuffer(device, xs);
const hand = (file: string, groups: number, consts: Record<string, number>, name: string) => {
  const k = handKernel(device, file, [xBuf], N * 4, [groups, 1, 1], consts, name);
  return { name, step: () => k.submit(), wait: () => gpu.wait(() => device.queue.onSubmittedWorkDone()) };
};
/** Softmax with the lane's share of the row held in registers: one read, one exp per element. */
const cachedSoftmax = (lanes: number, rpw: number) => {
  const per = C / 4 / lanes;
  return `enable subgroups;
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
@compute @workgroup_size(${lanes * rpw})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = (wid.x * ${rpw}u + lid / ${lanes}u) * ${C / 4}u;
  let lane = lid % ${lanes}u;
  var v: array<vec4<f32>, ${per}>;
  var m = vec4<f32>(-3.4e38);
  for (var j = 0u; j < ${per}u; j++) { v[j] = x[row + lane + j * ${lanes}u]; m = max(m, v[j]); }
  let rowMax = subgroupMax(max(max(m.x, m.y), max(m.z, m.w)));
  var s = vec4<f32>(0.0);
  for (var j = 0u; j < ${per}u; j++) { v[j] = exp(v[j] - rowMax); s = s + v[j]; }
  let inv = 1.0 / subgroupAdd(s.x + s.y + s.z + s.w);
  for (var j = 0u; j < ${per}u; j++) { y[row + lane + j * ${lanes}u] = v[j] * inv; }
}`;
};
// A row's lanes: the adapter's subgroup width (8 on lavapipe, 32 on NVIDIA), 64 / lanes rows per
// workgroup (as the jit's row kernels make them where every subgroup has that width).
const lanes = (device as GPUDevice & { adapterInfo?: { subgroupMinSize?: number } }).adapterInfo?.subgroupMinSize ?? 8;
const rpw = Math.max(1, 64 / lanes);
const contenders = [
  hand("scale_copy.wgsl", N / 4 / 64 / 4, { WG: 64, PER: 4, BLOCKED: 0 }, "vec4 copy wg64×4"),
  hand("softmax_rows_subgroup.wgsl", R / rpw, { C, LANES: lanes, RPW: rpw }, `softmax subgroup ${rpw} rows/wg`),
  hand(cachedSoftmax(lanes, rpw), R / rpw, {}, `softmax sg cached ${rpw} rows/wg`),
  hand("layernorm_rows_subgroup.wgsl", R / rpw, { C, LANES: lanes, RPW: rpw }, `layernorm subgroup ${rpw} rows/wg`),
];
if (process.env.ALL_HAND === "1")
  contenders.push(
    hand("softmax_row_each.wgsl", R / 64, { WG: 64, C }, "softmax row_each"),
    hand("softmax_rows_subgroup.wgsl", R, { C, LANES: lanes, RPW: 1 }, "softmax subgroup 1 row/wg"),
    hand(cachedSoftmax(lanes, 1), R, {}, "softmax sg cached 1 row/wg"),
    hand("layernorm_row_each.wgsl", R / 64, { WG: 64, C }, "layernorm row_each"),
    hand("layernorm_rows_subgroup.wgsl", R, { C, LANES: lanes, RPW: 1 }, "layernorm subgroup 1 row/wg"),
  );
if (process.env.ONLY_JIT === "1") contenders.splice(1);
forceRowKernels(true); // row kernels on a CPU adapter too: they are what is measured here
if (!ONLY_HAND) {
  const x = np.reshape(np.array(xs), [R, C]) as A;
  const layerNorm = jit((v: A) => {
    const mean = np.mean(v, -1, { keepdims: true });
    const d = np.subtract(v, mean);
    const variance = np.mean(np.square(d), -1, { keepdims: true });
    return np.divide(d, np.sqrt(np.add(variance, 1e-5))) as A;
  });
  const arrays = latestResult;
  /** softmax and layer norm compiled (at their first call) under `settings`, undone after. */
  const variant = async (label: string, settings: () => () => void) => {
    const sm = jit((v: A) => nn.softmax(v, -1) as A);
    const ln = jit((v: A) => layerNorm(v));
    const undo = settings();
    await sm(x).blockUntilReady();
    await ln(x).blockUntilReady();
    undo();
    return [arrays(`jit softmax ${label}`, () => sm(x)), arrays(`jit layer norm ${label}`, () => ln(x))];
  };
  const none = () => () => {};
  const [smOld, lnOld] = await variant("(no subgroups)", () => {
    const was = forceSubgroupFallback(true);
    return () => forceSubgroupFallback(was);
  });
  const [sm1, ln1] = await variant("1 row/wg", () => {
    const was = setRowsPerWorkgroupLimit(1);
    return () => setRowsPerWorkgroupLimit(was);
  });
  const [smStash, lnStash] = await variant("stash, no register cache", () => {
    const was = setRowCacheLimit(0);
    return () => setRowCacheLimit(was);
  });
  const [smPlain, lnPlain] = await variant("no register cache or stash", () => {
    const was = [setRowCacheLimit(0), setRowStash(false)] as const;
    return () => {
      setRowCacheLimit(was[0]);
      setRowStash(was[1]);
    };
  });
  const [smScalar, lnScalar] = await variant("scalar lanes", () => {
    const was = setRowVec4(false);
    return () => setRowVec4(was);
  });
  const [smReread, lnReread] = await variant("row read by every loop", () => {
    const was = setRowInputCache(false);
    return () => setRowInputCache(was);
  });
  const [sm, ln] = await variant("(default)", none);
  contenders.push(smOld!, sm1!, smStash!, smPlain!, smScalar!, smReread!, sm!);
  contenders.push(lnOld!, ln1!, lnStash!, lnPlain!, lnScalar!, lnReread!, ln!);
}
// ONLY=<regex>: just the contenders whose names match (the copy is always kept: the reference).
if (process.env.ONLY) {
  const keep = new RegExp(process.env.ONLY);
  contenders.splice(0, contenders.length, ...contenders.filter((c, i) => i === 0 || keep.test(c.name)));
}
for (const c of contenders) await timeBlock(2, c.step, c.wait);
const ms = contenders.map(() => [] as number[]);
const ratio = contenders.map(() => [] as number[]);
// Process CPU time per iteration too: lavapipe's "GPU" is this process's threads, so CPU time is
// less disturbed by the other processes on a shared machine than the wall clock.
const cpu = contenders.map(() => [] as number[]);
const cpuRatio = contenders.map(() => [] as number[]);
for (let r = 0; r < RUNS; r++) {
  const row: number[] = [];
  const rowCpu: number[] = [];
  for (const c of contenders) {
    (globalThis as { gc?: () => void }).gc?.();
    const c0 = process.cpuUsage();
    row.push(await timeBlock(ITERS, c.step, c.wait));
    const d = process.cpuUsage(c0);
    rowCpu.push((d.user + d.system) / 1000 / ITERS);
  }
  row.forEach((t, i) => {
    ms[i]!.push(t);
    ratio[i]!.push(row[0]! / t);
    cpu[i]!.push(rowCpu[i]!);
    cpuRatio[i]!.push(rowCpu[0]! / rowCpu[i]!);
  });
}
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))]!;
const load = loadavg().map((l) => l.toFixed(2));
console.log(`${RUNS} runs × ${ITERS} iters, interleaved, load ${load.join(" ")}`);
contenders.forEach((c, i) => {
  const f = ratio[i]!;
  console.log(
    `${c.name.padEnd(36)} ${median(ms[i]!).toFixed(2)} ms (min ${Math.min(...ms[i]!).toFixed(2)})  copy/this ` +
      `${median(f).toFixed(2)}× (${Math.min(...f).toFixed(2)}–${Math.max(...f).toFixed(2)}); ` +
      `by minima ${(Math.min(...ms[0]!) / Math.min(...ms[i]!)).toFixed(2)}×; CPU ${median(cpu[i]!).toFixed(2)} ms, ` +
      `copy/this ${median(cpuRatio[i]!).toFixed(2)}× (${Math.min(...cpuRatio[i]!).toFixed(2)}–` +
      `${Math.max(...cpuRatio[i]!).toFixed(2)}), 10th percentile ${pct(ms[i]!, 0.1).toFixed(2)} ms`,
  );
});
process.exit(0);
