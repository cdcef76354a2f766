// Layer norm [4096, 1024] as one row kernel, its mean and variance in one loop (Welford's update,
// codegen/rowVariance.ts) against the two loops of before (setRowWelford(false)), beside a vec4
// copy of the same bytes; interleaved, medians of BENCH_RUNS (default 11) runs of 5 calls.
//   node --expose-gc --import tsx bench/dev/layernorm_welford.ts
import { currentBackend, jit, np } from "../../runtime/src/index.js";
import type { ConcreteArray } from "../../runtime/src/array.js";
import type { WebGpuBackend } from "../../runtime/src/backend/webgpu.js";
import { setRowWelford } from "../../runtime/src/codegen/lowerRowLocal.js";
import { storageBuffer } from "../handKernels.js";
import { median, timeBlock } from "../measure.js";
import { layerNorm } from "../peers/ours.js";
type A = ConcreteArray;
const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const gpu = currentBackend() as WebGpuBackend;
const device = gpu.device;
const [R, C] = [4096, 1024];
const N = R * C;
const xs = Float32Array.from({ length: N }, (_, i) => ((i * 7919) % 4001) / 1000 - 2);
const x = np.reshape(np.array(xs), [R, C]) as A;
setRowWelford(true);
const lnW = jit((v: A) => layerNorm(v as never) as A);
await lnW(x).blockUntilReady();
setRowWelford(false);
const ln2 = jit((v: A) => layerNorm(v as never) as A);
await ln2(x).blockUntilReady();
setRowWelford(true);
const xBuf = storageBuffer(device, xs);
const COPY = `@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  for (var j = 0u; j < 4u; j++) { let i = gid.x * 4u + j; if (i < ${N / 4}u) { y[i] = x[i] * 1.5; } }
}`;
const m = device.createShaderModule({ code: COPY });
const pl = device.createComputePipeline({ layout: "auto", compute: { module: m, entryPoint: "main" } });
const o = device.createBuffer({ size: N * 4, usage: 0x80 | 0x04 });
const bg = device.createBindGroup({
  layout: pl.getBindGroupLayout(0),
  entries: [xBuf, o].map((buffer, binding) => ({ binding, resource: { buffer } })),
});
const arr = (name: string, f: () => A) => {
  let last: A | null = null;
  return {
    name,
    step() {
      last?.dispose();
      last = f();
    },
    wait: async () => void (await last!.blockUntilReady()),
  };
};
const cs = [
  {
    name: "copy",
    step() {
      const enc = device.createCommandEncoder();
      const p = enc.beginComputePass();
      p.setPipeline(pl);
      p.setBindGroup(0, bg);
      p.dispatchWorkgroups(N / 16 / 64);
      p.end();
      device.queue.submit([enc.finish()]);
    },
    wait: () => gpu.wait(() => device.queue.onSubmittedWorkDone()),
  },
  arr("jit ln welford", () => lnW(x)),
  arr("jit ln two-pass", () => ln2(x)),
];
for (const c of cs)
  await timeBlock(
    2,
    () => c.step(),
    () => c.wait(),
  );
const ms = cs.map(() => [] as number[]);
for (let r = 0; r < RUNS; r++)
  for (const [i, c] of cs.entries()) {
    (globalThis as { gc?: () => void }).gc?.();
    ms[i]!.push(
      await timeBlock(
        5,
        () => c.step(),
        () => c.wait(),
      ),
    );
  }
const copy = median(ms[0]!);
cs.forEach((c, i) =>
  console.log(`${c.name.padEnd(18)} ${median(ms[i]!).toFixed(2)} ms  copy/this ${(copy / median(ms[i]!)).toFixed(2)}`),
);
