// Dev measurement (issue 16): row softmax and layer norm over [4096, 1024] f32, and whole-array
// sums, against a hand vec4 copy of the same bytes, in one process, interleaved. Bandwidth of a
// row op = (input + output bytes) / time, as a fraction of the copy's (input + output) / time.
// `node --expose-gc --import tsx bench/dev/rows_vs_copy.ts` (BENCH_RUNS).

import { currentBackend, jit, nn, np } from "../../runtime/src/index.js";
import type { ConcreteArray } from "../../runtime/src/array.js";
import type { WebGpuBackend } from "../../runtime/src/backend/webgpu.js";
import { storageBuffer } from "../handKernels.js";
import { median, timeBlock } from "../measure.js";
import { loadavg } from "node:os";

type A = ConcreteArray;
const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const ITERS = Number(process.env.BENCH_ITERS ?? 5);
const gpu = currentBackend() as WebGpuBackend;
if (gpu.name !== "webgpu") throw new Error("needs WebGPU");
const device = gpu.device;
const [R, C] = [4096, 1024];
const N = R * C;
const xs = Float32Array.from({ length: N }, (_, i) => ((i * 7919) % 4001) / 1000 - 2);
const x = np.reshape(np.array(xs), [R, C]) as A;
const gamma = np.array(Float32Array.from({ length: C }, (_, i) => 1 + i / C)) as A;
const beta = np.array(Float32Array.from({ length: C }, (_, i) => i / C - 0.5)) as A;
const flat = np.array(xs) as A;
const softmax = jit((v: A) => nn.softmax(v, -1) as A);
const layerNorm = jit((v: A, g: A, b: A) => {
  const mean = np.mean(v, -1, { keepdims: true });
  const d = np.subtract(v, mean);
  const variance = np.mean(np.square(d), -1, { keepdims: true });
  return np.add(np.multiply(np.divide(d, np.sqrt(np.add(variance, 1e-5))), g), b) as A;
});
const sum = jit((v: A) => np.sum(v) as A);

const xBuf = storageBuffer(device, xs);
const copyCode = `@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  for (var j = 0u; j < 4u; j++) { let i = gid.x * 4u + j; if (i < ${N / 4}u) { y[i] = x[i] * 1.5; } }
}`;
const module = device.createShaderModule({ code: copyCode });
const pipeline = device.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main" } });
const out = device.createBuffer({ size: N * 4, usage: 0x80 | 0x04 });
const bg = device.createBindGroup({
  layout: pipeline.getBindGroupLayout(0),
  entries: [xBuf, out].map((buffer, binding) => ({ binding, resource: { buffer } })),
});
const copy = {
  name: "hand vec4 copy [4096,1024]",
  bytes: 2 * N * 4,
  step() {
    const enc = device.createCommandEncoder();
    const p = enc.beginComputePass();
    p.setPipeline(pipeline);
    p.setBindGroup(0, bg);
    p.dispatchWorkgroups(N / 16 / 64);
    p.end();
    device.queue.submit([enc.finish()]);
  },
  wait: () => gpu.wait(() => device.queue.onSubmittedWorkDone()),
};
function arrays(name: string, bytes: number, f: () => A) {
  let last: A | null = null;
  return {
    name,
    bytes,
    step() {
      last?.dispose();
      last = f();
    },
    wait: async () => void (await last!.blockUntilReady()),
  };
}
// Bytes the compiled kernels move (their facts: each input read once, each output written once).
const factBytes = async (lo: Promise<{ kernels: readonly { bytesRead: number; bytesWritten: number }[] }>) =>
  (await lo).kernels.reduce((s, k) => s + k.bytesRead + k.bytesWritten, 0);
const smBytes = await factBytes(softmax.lower(x));
const lnBytes = await factBytes(layerNorm.lower(x, gamma, beta));
const contenders = [
  copy,
  arrays("jit softmax rows", 2 * N * 4, () => softmax(x)),
  arrays("jit layer norm rows", 2 * N * 4, () => layerNorm(x, gamma, beta)),
  arrays("jit sum 2^22", N * 4, () => sum(flat)),
];
const kernelBytes = [copy.bytes, smBytes, lnBytes, N * 4];
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
  for (const c of contenders) {
    (globalThis as { gc?: () => void }).gc?.();
    row.push(
      await timeBlock(
        ITERS,
        () => c.step(),
        () => c.wait(),
      ),
    );
  }
  row.forEach((t, i) => {
    ms[i]!.push(t);
    frac[i]!.push(contenders[i]!.bytes / t / (copy.bytes / row[0]!));
  });
}
console.log(
  `${RUNS} runs × ${ITERS} iters, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
contenders.forEach((c, i) => {
  const f = frac[i]!;
  const gbs = c.bytes / median(ms[i]!) / 1e6;
  const kb = kernelBytes[i]! / c.bytes;
  console.log(
    `${c.name.padEnd(28)} ${median(ms[i]!).toFixed(2)} ms (min ${Math.min(...ms[i]!).toFixed(2)})  ${gbs.toFixed(1)} GB/s  of copy's: ${(median(f) * 100).toFixed(0)}% (${(Math.min(...f) * 100).toFixed(0)}–${(Math.max(...f) * 100).toFixed(0)}%)` +
      (kb !== 1 ? `; by kernel facts (${kb.toFixed(2)}× the bytes): ${(median(f) * kb * 100).toFixed(0)}%` : ""),
  );
});
