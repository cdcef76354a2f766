// Device calibration: short microbenchmarks on the WebGPU device, timed with its own timestamp
// queries, measure the roofs every kernel is held against (advice/roofline.ts): peak read+write
// bandwidth (a vec4 copy, best of a few sizes and workgroup shapes), peak FMA throughput
// (register-resident vec4 FMA chains), the GPU time of an empty dispatch, and the timestamp
// tick. Well under a second on lavapipe; the result is cached per adapter (calibrationCache.ts).

import { cachedPeaks, calibrationCacheDir, type CalibrationResult, type MeasuredPeaks } from "./calibrationCache.js";
import { timestampTickNs } from "./stats.js";

const STORAGE = 0x80,
  MAP_READ = 0x01,
  COPY_DST = 0x08,
  COPY_SRC = 0x04,
  QUERY_RESOLVE = 0x200;

/** A copy of `per` neighbouring vec4s per invocation (several per invocation amortise the
 *  index arithmetic on CPU-backed adapters such as lavapipe). */
const COPY_WGSL = (wg: number, per: number) => `
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
@compute @workgroup_size(${wg})
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let n = arrayLength(&y);
  for (var j = 0u; j < ${per}u; j = j + 1u) {
    let i = g.x * ${per}u + j;
    if (i < n) { y[i] = x[i]; }
  }
}`;

/** Independent vec4 accumulators per thread: enough to hide an FMA's latency. */
const FMA_CHAINS = 8;
const FMA_ITERS = 256;
const FMA_WG = 64;
const FMA_WGSL = `
@group(0) @binding(0) var<storage, read_write> out: array<vec4<f32>>;
@compute @workgroup_size(${FMA_WG})
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let s = f32(g.x) * 1e-7;
  let m = vec4<f32>(0.999, 0.998, 0.997, 0.996);
  let c = vec4<f32>(1e-4, 2e-4, 3e-4, 4e-4);
${Array.from({ length: FMA_CHAINS }, (_, i) => `  var a${i} = vec4<f32>(s + ${i}.0);`).join("\n")}
  for (var i = 0u; i < ${FMA_ITERS}u; i = i + 1u) {
${Array.from({ length: FMA_CHAINS }, (_, i) => `    a${i} = fma(a${i}, m, c);`).join("\n")}
  }
  out[g.x] = ${Array.from({ length: FMA_CHAINS }, (_, i) => `a${i}`).join(" + ")};
}`;

export const EMPTY_WGSL = `@compute @workgroup_size(1) fn main() {}`;

/** Bandwidth: buffer sizes (bytes per buffer) and [workgroup size, vec4s per invocation] tried;
 *  the best is the peak. Buffers of 16 and 32 MiB outgrow the CPU caches a software adapter
 *  runs in (4 MiB read 1.5–1.8× faster than the bench's copy: cache, not memory). */
const COPY_BYTES = [16 << 20, 32 << 20];
const COPY_SHAPES: readonly (readonly [number, number])[] = [
  [64, 1],
  [256, 1],
  [64, 4],
];
/** Timed spans per configuration (the best counts) and dispatches inside each span. */
const RUNS = 3;
const COPY_PER_SPAN = 4;
const FMA_WORKGROUPS = 256;
const FMA_PER_SPAN = 2;
const EMPTY_PER_SPAN = 64;
const EMPTY_RUNS = 5;

export interface Kernel {
  pipeline: GPUComputePipeline;
  bindGroup: GPUBindGroup | null;
  workgroups: number;
}

/** How to wait on Dawn (backend/deviceWait.ts: on a software adapter the wait must not take a
 *  core from the kernels it measures). */
export type Wait = <T>(start: () => Promise<T>) => Promise<T>;

export function kernel(device: GPUDevice, code: string, buffers: GPUBuffer[], workgroups: number): Kernel {
  const module = device.createShaderModule({ code, label: "jitscope-calibration" });
  const pipeline = device.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main" } });
  const bindGroup =
    buffers.length === 0
      ? null
      : device.createBindGroup({
          layout: pipeline.getBindGroupLayout(0),
          entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
        });
  return { pipeline, bindGroup, workgroups };
}

/**
 * Runs `runs` spans of `perSpan` dispatches of `k`, each dispatch in its own compute pass (as the
 * runtime times them), a timestamp at the start of a span's first pass and the end of its last.
 * Returns each span's ns and every raw timestamp read (for the tick).
 */
async function timeSpans(
  device: GPUDevice,
  k: Kernel,
  perSpan: number,
  runs: number,
  wait: Wait,
): Promise<{ spans: number[]; stamps: bigint[] }> {
  const querySet = device.createQuerySet({ type: "timestamp", count: 2 * runs });
  const bytes = 16 * runs;
  const resolveBuf = device.createBuffer({ size: bytes, usage: QUERY_RESOLVE | COPY_SRC });
  const readBuf = device.createBuffer({ size: bytes, usage: MAP_READ | COPY_DST });
  try {
    const enc = device.createCommandEncoder();
    // One untimed dispatch first: the first run of a pipeline pays for its compilation on some drivers.
    encodePass(enc, k, undefined);
    for (let r = 0; r < runs; r++) {
      for (let d = 0; d < perSpan; d++) {
        const writes: GPUComputePassTimestampWrites = { querySet };
        if (d === 0) writes.beginningOfPassWriteIndex = 2 * r;
        if (d === perSpan - 1) writes.endOfPassWriteIndex = 2 * r + 1;
        encodePass(enc, k, d === 0 || d === perSpan - 1 ? writes : undefined);
      }
    }
    enc.resolveQuerySet(querySet, 0, 2 * runs, resolveBuf, 0);
    enc.copyBufferToBuffer(resolveBuf, 0, readBuf, 0, bytes);
    device.queue.submit([enc.finish()]);
    await wait(() => readBuf.mapAsync(MAP_READ, 0, bytes));
    const t = new BigUint64Array(readBuf.getMappedRange(0, bytes).slice(0));
    readBuf.unmap();
    const stamps = [...t];
    const spans = Array.from({ length: runs }, (_, r) => Math.max(0, Number(t[2 * r + 1]! - t[2 * r]!)));
    return { spans, stamps };
  } finally {
    querySet.destroy();
    resolveBuf.destroy();
    readBuf.destroy();
  }
}

export function encodePass(
  enc: GPUCommandEncoder,
  k: Kernel,
  timestampWrites: GPUComputePassTimestampWrites | undefined,
) {
  const pass = enc.beginComputePass(timestampWrites ? { timestampWrites } : {});
  pass.setPipeline(k.pipeline);
  if (k.bindGroup) pass.setBindGroup(0, k.bindGroup);
  pass.dispatchWorkgroups(k.workgroups);
  pass.end();
}

/** The shortest positive span: the run least disturbed by anything else on the machine. */
function best(spans: readonly number[]): number {
  const positive = spans.filter((s) => s > 0);
  return positive.length > 0 ? Math.min(...positive) : 0;
}

/** Measures the adapter's roofs on `device` (which must have `timestamp-query`). */
export async function measurePeaks(device: GPUDevice, wait: Wait = (start) => start()): Promise<MeasuredPeaks> {
  const stamps: bigint[] = [];
  const buffers: GPUBuffer[] = [];
  const buffer = (size: number) => {
    const b = device.createBuffer({ size, usage: STORAGE | COPY_DST | COPY_SRC });
    buffers.push(b);
    return b;
  };
  try {
    // Bandwidth: bytes read + bytes written per dispatch over its time.
    let gbPerS = 0;
    for (const size of COPY_BYTES) {
      const x = buffer(size);
      const y = buffer(size);
      for (const [wg, per] of COPY_SHAPES) {
        const k = kernel(device, COPY_WGSL(wg, per), [x, y], Math.ceil(size / 16 / wg / per));
        const r = await timeSpans(device, k, COPY_PER_SPAN, RUNS, wait);
        stamps.push(...r.stamps);
        const ns = best(r.spans) / COPY_PER_SPAN;
        if (ns > 0) gbPerS = Math.max(gbPerS, (2 * size) / ns);
      }
    }
    // FMA throughput: 2 flops per lane per FMA.
    const threads = FMA_WORKGROUPS * FMA_WG;
    const out = buffer(threads * 16);
    const fma = kernel(device, FMA_WGSL, [out], FMA_WORKGROUPS);
    const f = await timeSpans(device, fma, FMA_PER_SPAN, RUNS, wait);
    stamps.push(...f.stamps);
    const fmaNs = best(f.spans) / FMA_PER_SPAN;
    const flops = threads * FMA_ITERS * FMA_CHAINS * 4 * 2;
    const gflopPerS = fmaNs > 0 ? flops / fmaNs : 0;
    // An empty dispatch, each in its own pass: the fixed cost every kernel pays.
    const empty = kernel(device, EMPTY_WGSL, [], 1);
    const e = await timeSpans(device, empty, EMPTY_PER_SPAN, EMPTY_RUNS, wait);
    stamps.push(...e.stamps);
    const dispatchUs = best(e.spans) / EMPTY_PER_SPAN / 1000;
    // Every timestamp is a whole number of ticks: the gcd of their distances from the first.
    const base = stamps.reduce((m, s) => (s > 0n && (m === 0n || s < m) ? s : m), 0n);
    const tick = timestampTickNs(stamps.filter((s) => s > 0n).map((s) => Number(s - base))) ?? 1;
    return { gbPerS, gflopPerS, dispatchUs, timestampTickNs: tick };
  } finally {
    for (const b of buffers) b.destroy();
  }
}

/**
 * The adapter's peaks for the report: from the cache, else measured now and cached
 * (JITSCOPE_RECALIBRATE=1 measures again, e.g. after one taken on a busy machine). Null (with
 * the reason as a note) when calibration is turned off (JITSCOPE_CALIBRATE=0) or failed: a
 * failed calibration never stops the run.
 */
export async function calibrateDevice(
  device: GPUDevice,
  adapter: string,
  env: Record<string, string | undefined>,
  wait: Wait = (start) => start(),
): Promise<{ result: CalibrationResult | null; notes: string[] }> {
  if (env.JITSCOPE_CALIBRATE === "0")
    return { result: null, notes: ["JITSCOPE_CALIBRATE=0: the device was not calibrated, kernels are not classified"] };
  try {
    const result = await cachedPeaks(
      adapter,
      calibrationCacheDir(env),
      () => measurePeaks(device, wait),
      undefined,
      env.JITSCOPE_RECALIBRATE === "1",
    );
    return { result, notes: result.notes };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { result: null, notes: [`device calibration failed (${why}): kernels are not classified`] };
  }
}
