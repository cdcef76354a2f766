// Dev measurement (issue 16): a whole-array sum and max of 2^22 f32 as one workgroup (before) and
// split over many workgroups (passes/fuseSplitReductions.ts), against a vec4 copy of the same
// array, interleaved in one process. Ratio = copy time / this time (a reduction reads half the
// copy's bytes, so 2× is the bandwidth limit). `node --expose-gc --import tsx bench/dev/sum_split.ts`.

import { currentBackend, jit, np } from "../../runtime/src/index.js";
import type { ConcreteArray } from "../../runtime/src/array.js";
import type { WebGpuBackend } from "../../runtime/src/backend/webgpu.js";
import { handKernel, storageBuffer } from "../handKernels.js";
import { latestResult, median, timeBlock } from "../measure.js";
import { setSplitMinElements, SPLIT_MIN_ELEMENTS } from "../../runtime/src/passes/fuseSplitReductions.js";
import { loadavg } from "node:os";

type A = ConcreteArray;
const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const ITERS = Number(process.env.BENCH_ITERS ?? 5);
const gpu = currentBackend() as WebGpuBackend;
const device = gpu.device;
const N = 1 << 22;
const xs = Float32Array.from({ length: N }, (_, i) => ((i * 7919) % 4001) / 1000 - 2);
const copyKernel = handKernel(device, "scale_copy.wgsl", [storageBuffer(device, xs)], N * 4, [N / 4 / 64 / 4, 1, 1], {
  WG: 64,
  PER: 4,
  BLOCKED: 0,
});
const x = np.array(xs) as A;
const make = async (split: boolean) => {
  const was = setSplitMinElements(split ? SPLIT_MIN_ELEMENTS : Infinity);
  const sum = jit((v: A) => np.sum(v) as A);
  const max = jit((v: A) => np.max(v) as A);
  await sum(x).blockUntilReady();
  await max(x).blockUntilReady();
  setSplitMinElements(was);
  const tag = split ? "split" : "one workgroup";
  return [latestResult(`jit sum 2^22 (${tag})`, () => sum(x)), latestResult(`jit max 2^22 (${tag})`, () => max(x))];
};
const contenders = [
  {
    name: "vec4 copy",
    step: () => copyKernel.submit(),
    wait: () => gpu.wait(() => device.queue.onSubmittedWorkDone()),
  },
  ...(await make(false)),
  ...(await make(true)),
];
for (const c of contenders) await timeBlock(2, c.step, c.wait);
const ms = contenders.map(() => [] as number[]);
for (let r = 0; r < RUNS; r++)
  for (const [i, c] of contenders.entries()) {
    (globalThis as { gc?: () => void }).gc?.();
    ms[i]!.push(await timeBlock(ITERS, c.step, c.wait));
  }
console.log(
  `${RUNS} runs × ${ITERS} iters, interleaved, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
contenders.forEach((c, i) => {
  const ratios = ms[i]!.map((t, r) => ms[0]![r]! / t);
  console.log(
    `${c.name.padEnd(32)} ${median(ms[i]!).toFixed(2)} ms (min ${Math.min(...ms[i]!).toFixed(2)})  copy/this ` +
      `${median(ratios).toFixed(2)}× (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`,
  );
});
process.exit(0);
