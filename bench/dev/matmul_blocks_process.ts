// The three B-shared 1024² matmul blocks of the bench's hand suite, alone in a fresh process,
// optionally after initializing the peers (PEERS=1) or running their matmul once (PEERS=run):
// whether the peers in the process change which block is fastest. In `npm run bench` 4×16 led at
// 1024² on 2026-12-02 while 2×32 led in every fresh process. Not a test: timings depend on the
// machine's load.
//   [PEERS=1|run] node --expose-gc --import tsx bench/dev/matmul_blocks_process.ts

import "../peers/setup.js";
import { currentBackend } from "../../runtime/src/index.js";
import type { WebGpuBackend } from "../../runtime/src/backend/webgpu.js";
import { matmulVariants } from "../handSuite.js";
import { median, timeAll, type Contender } from "../measure.js";
import * as W from "../workloadData.js";

const gpu = currentBackend() as WebGpuBackend;
const device = gpu.device;
const peers = process.env.PEERS ?? "";
const { a, b } = W.matmulInputs(1024);
if (peers) {
  const { defaultDevice, init } = await import("@jax-js/jax");
  await init("webgpu");
  defaultDevice("webgpu");
  const { initTfjs, tfjs } = await import("../peers/tfjs.js");
  await initTfjs();
  if (peers === "run") {
    const { jaxjs } = await import("../peers/jaxjs.js");
    for (const f of [jaxjs, tfjs]) {
      const w = f.matmul(a, b, 1024);
      w.step();
      await w.wait();
    }
  }
}
const drain = () => gpu.wait(() => device.queue.onSubmittedWorkDone());
const hands = matmulVariants(device, a, b, 1024, 1024, 1024).filter((k) => k.name.includes("shared"));
const contenders: Contender[] = hands.map((k) => ({ name: k.name, iters: 2, step: () => k.submit(), wait: drain }));
const t = await timeAll(contenders, 6, drain);
console.log(
  `peers: ${peers || "none"} | ` +
    contenders.map((c) => `${c.name.replace("matmul ", "")}: ${median(t.get(c.name)!).toFixed(1)} ms`).join(" | "),
);
process.exit(0);
