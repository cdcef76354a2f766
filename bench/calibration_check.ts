// Calibrated peaks (runtime/src/profile/calibrate.ts) next to the hand benchmarks measured in
// the same run on the same device: the best bandwidth of every variant of the hand vec4 copy
// (bench/handSuite.ts over bench/kernels/scale_copy.wgsl, at 16 and 32 MiB) and the best GFLOP/s
// of every register-blocked hand matmul at 1024² (the bench's baselines), each timed on the host
// over a batch of back-to-back dispatches (best of several batches). Issue 17's
// target: the calibrated figures within 30% of these. Run: node --import tsx bench/calibration_check.ts

import { acquireDevice } from "../runtime/src/backend/webgpuDevice.js";
import { deviceWaitMode, deviceWaiter } from "../runtime/src/backend/deviceWait.js";
import { measurePeaks } from "../runtime/src/profile/calibrate.js";
import { storageBuffer, type HandKernel } from "./handKernels.js";
import { elementwiseVariants, matmulVariants } from "./handSuite.js";
import { timeBlock } from "./measure.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ctx = await acquireDevice();
const { device } = ctx;
if (!ctx.timestampQuery) {
  console.error("calibration_check: the adapter has no timestamp-query; nothing to calibrate with");
  process.exit(1);
}
// Waited for as the runtime waits (a software adapter keeps its cores: backend/deviceWait.ts).
const wait = deviceWaiter(deviceWaitMode(ctx.software, process.env));
const done = () => wait(() => device.queue.onSubmittedWorkDone());

/** Best ms per dispatch over RUNS batches of `iters` dispatches in one submit. */
async function bestMs(k: HandKernel, iters: number): Promise<number> {
  k.submitBatch(1);
  await done();
  let best = Infinity;
  for (let r = 0; r < RUNS; r++) best = Math.min(best, (await timeBlock(1, () => k.submitBatch(iters), done)) / iters);
  return best;
}

const t0 = performance.now();
const peaks = await measurePeaks(device, wait);
const calibrationMs = performance.now() - t0;

let handGbPerS = 0;
for (const n of [1 << 22, 1 << 23]) {
  const x = storageBuffer(device, new Float32Array(n).fill(1));
  for (const copy of elementwiseVariants(device, "scale_copy.wgsl", x, n)) {
    const ms = await bestMs(copy, 8);
    handGbPerS = Math.max(handGbPerS, (2 * n * 4) / (ms * 1e6));
  }
}

const S = 1024;
const a = Float32Array.from({ length: S * S }, (_, i) => ((i * 31) % 97) / 97 - 0.5);
const b = Float32Array.from({ length: S * S }, (_, i) => ((i * 17) % 89) / 89 - 0.5);
let handGflopPerS = 0;
for (const mm of matmulVariants(device, a, b, S, S, S))
  handGflopPerS = Math.max(handGflopPerS, (2 * S * S * S) / ((await bestMs(mm, 2)) * 1e6));

const row = (what: string, calibrated: number, hand: number, unit: string) => {
  const ratio = calibrated / hand;
  const ok = Math.abs(ratio - 1) <= 0.3 ? "within 30%" : "NOT within 30%";
  console.log(
    `| ${what} | ${calibrated.toFixed(2)} ${unit} | ${hand.toFixed(2)} ${unit} | ${ratio.toFixed(2)} | ${ok} |`,
  );
};
console.log(`Calibration on ${ctx.description}: ${calibrationMs.toFixed(0)} ms`);
console.log("| figure | calibrated | hand benchmark (same run) | calibrated / hand | target ±30% |");
console.log("|---|---|---|---|---|");
row("bandwidth (vec4 copy)", peaks.gbPerS, handGbPerS, "GB/s");
row("FMA throughput (vs best hand matmul 1024²)", peaks.gflopPerS, handGflopPerS, "GFLOP/s");
console.log(`empty dispatch: ${peaks.dispatchUs.toFixed(1)} µs; timestamp tick: ${peaks.timestampTickNs} ns`);
process.exit(0);
