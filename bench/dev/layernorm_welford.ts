// Layer norm [4096, 1024] as one row kernel, its mean and variance in one loop (Welford's update,
// codegen/rowVariance.ts) against the two loops of before (setRowWelford(false)), beside a vec4
// copy of the same bytes; interleaved, medians of BENCH_RUNS (default 11) runs of 5 calls.
//   node --expose-gc --import tsx bench/dev/layernorm_welford.ts
import { currentBackend, jit, np } from "../../runtime/src/index.js";
import type { ConcreteArray } from "../../runtime/src/array.js";
import type { WebGpuBackend } from "../../runtime/src/backend/webgpu.js";
import { setRowWelford } from "../../runtime/src/codegen/rowDevKnobs.js";
import { handKernel, storageBuffer } from "../handKernels.js";
import { latestResult, median, timeBlock } from "../measure.js";
import { layerNorm } from "../peers/ours.js";

type A = ConcreteArray;
const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const gpu = currentBackend() as WebGpuBackend;
const device = gpu.device;
const [R, C] = [4096, 1024];
const N = R * C;
const xs = Float32Array.from({ length: N }, (_, i) => ((i * 7919) % 4001) / 1000 - 2);
const x = np.reshape(np.array(xs), [R, C]) as A;
/** Layer norm compiled with or without the one-loop statistics (the choice is made at compile). */
const compiled = async (welford: boolean) => {
  const was = setRowWelford(welford);
  const f = jit((v: A) => layerNorm(v as never) as A);
  await f(x).blockUntilReady();
  setRowWelford(was);
  return f;
};
const [lnW, ln2] = [await compiled(true), await compiled(false)];
const copy = handKernel(device, "scale_copy.wgsl", [storageBuffer(device, xs)], N * 4, [N / 4 / 64 / 4, 1, 1], {
  WG: 64,
  PER: 4,
  BLOCKED: 0,
});
const cs = [
  { name: "vec4 copy", step: () => copy.submit(), wait: () => gpu.wait(() => device.queue.onSubmittedWorkDone()) },
  latestResult("jit ln welford", () => lnW(x)),
  latestResult("jit ln two-pass", () => ln2(x)),
];
for (const c of cs) await timeBlock(2, c.step, c.wait);
const ms = cs.map(() => [] as number[]);
for (let r = 0; r < RUNS; r++)
  for (const [i, c] of cs.entries()) {
    (globalThis as { gc?: () => void }).gc?.();
    ms[i]!.push(await timeBlock(5, c.step, c.wait));
  }
const copyMs = median(ms[0]!);
cs.forEach((c, i) =>
  console.log(
    `${c.name.padEnd(18)} ${median(ms[i]!).toFixed(2)} ms  copy/this ${(copyMs / median(ms[i]!)).toFixed(2)}`,
  ),
);
