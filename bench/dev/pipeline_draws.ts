// Whether one compiled pipeline of a kernel runs at a speed of its own: D pipelines of the same
// WGSL (the jit's default 1024² matmul, or KERNEL=copy for the bench's vec4 copy of 2^22 floats),
// created one after another on one device and timed in R interleaved rounds (order reversed every
// other round), all writing one output buffer. If pipelines differed only by noise, a pipeline's
// median over the even rounds would say nothing about its median over the odd ones; the script
// prints their rank correlation (Spearman) with each pipeline's median and its per-round times.
// On lavapipe on 2026-12-02 identical 1024² matmul pipelines ran 56-95 ms in one process, each
// keeping its speed across rounds: a benchmark that compiles each contender once compares draws.
//   node --import tsx bench/dev/pipeline_draws.ts [draws] [rounds]

import { acquireDevice } from "../../runtime/src/backend/webgpuDevice.js";
import { deviceWaitMode, deviceWaiter } from "../../runtime/src/backend/deviceWait.js";
import { lowerMatmul } from "../../runtime/src/codegen/lowerMatmul.js";
import { setSubgroupSupport } from "../../runtime/src/codegen/subgroupSupport.js";
import { storageBuffer } from "../handKernels.js";
import { median } from "../measure.js";
import { timedDispatches, type KernelSource } from "./timedDispatches.js";
import { squareMatmulBuffers, squareMatmulGroup } from "./squareMatmul.js";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Spearman's rank correlation of two equally long samples (no ties expected in timings). */
function spearman(a: readonly number[], b: readonly number[]): number {
  const ranks = (xs: readonly number[]) => {
    const r = new Array<number>(xs.length);
    [...xs.keys()].sort((i, j) => xs[i]! - xs[j]!).forEach((i, rank) => (r[i] = rank));
    return r;
  };
  const [ra, rb] = [ranks(a), ranks(b)];
  const n = a.length;
  const d2 = ra.reduce((s, r, i) => s + (r - rb[i]!) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}

const draws = Number(process.argv[2] ?? 6);
const rounds = Number(process.argv[3] ?? 10);
const ctx = await acquireDevice();
const { device } = ctx;
setSubgroupSupport(ctx.subgroups ? ctx.subgroupMinSize : 0, ctx.software, ctx.subgroupMaxSize);
const wait = deviceWaiter(deviceWaitMode(ctx.software, process.env));

function matmul(): { kernel: KernelSource; buffers: GPUBuffer[]; reps: number } {
  const S = 1024;
  const k = lowerMatmul(squareMatmulGroup(S), "mm");
  return {
    kernel: { code: k.wgsl, entryPoint: k.entryPoint, grid: k.dispatch },
    buffers: squareMatmulBuffers(device, S),
    reps: 2,
  };
}
function copy(): { kernel: KernelSource; buffers: GPUBuffer[]; reps: number } {
  const n = 1 << 22;
  const here = dirname(fileURLToPath(import.meta.url));
  const code = readFileSync(join(here, "..", "kernels", "scale_copy.wgsl"), "utf8");
  const x = storageBuffer(
    device,
    Float32Array.from({ length: n }, (_, i) => (i % 97) / 97),
  );
  const y = device.createBuffer({ size: n * 4, usage: GPUBufferUsage.STORAGE });
  return {
    kernel: {
      code,
      entryPoint: "main",
      grid: [Math.ceil(n / 4 / 64 / 16), 1, 1],
      constants: { WG: 64, PER: 16, INTERLEAVED: 1 },
    },
    buffers: [x, y],
    reps: 10,
  };
}
const { kernel, buffers, reps } = process.env.KERNEL === "copy" ? copy() : matmul();
const runs = Array.from({ length: draws }, () => timedDispatches(device, wait, kernel, buffers));
for (const run of runs) await run(1);
const ms: number[][] = runs.map(() => []);
for (let r = 0; r < rounds; r++) {
  const order = r % 2 ? [...runs.keys()].reverse() : [...runs.keys()];
  for (const i of order) ms[i]!.push(await runs[i]!(reps));
}
const half = (parity: number) => ms.map((xs) => median(xs.filter((_, r) => r % 2 === parity)));
console.log(
  `${ctx.description}: ${draws} pipelines of one ${process.env.KERNEL === "copy" ? "copy" : "1024² matmul"} kernel, ${rounds} rounds of ${reps} dispatches (ms per dispatch)`,
);
ms.forEach((xs, i) =>
  console.log(
    `  pipeline ${i + 1}: median ${median(xs).toFixed(2).padStart(7)} | ${xs.map((x) => x.toFixed(1).padStart(6)).join(" ")}`,
  ),
);
const meds = ms.map(median);
console.log(
  `  slowest / fastest pipeline: ${(Math.max(...meds) / Math.min(...meds)).toFixed(2)}×; ` +
    `rank correlation of the even rounds' medians with the odd rounds': ${spearman(half(0), half(1)).toFixed(2)}`,
);
process.exit(0);
