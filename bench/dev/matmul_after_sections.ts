// Does `npm run bench`'s process slow its 1024² matmul blocks? In one process: the two B-shared
// hand blocks of the bench's hand suite (2×32 and 4×16, workgroup 8×1) and the jit's matmul, timed
// fresh and then again after each stage the bench runs before its 1024² section (the peers
// initialized, the elementwise chain section, the 512² section, the peers' 1024² matmuls, ours
// beside TensorFlow.js's, an autotune search, 20 s of idling). On 2026-12-02 no stage moved them;
// the machine's state did: the first measurement of one process took 86-123 ms per block and the
// next ones 55-62 ms. Not a test: timings depend on the machine's load.
//   STAGES=init,chain,mm512,peers1024,tfjsBeside,autotune,sleep node --expose-gc --import tsx bench/dev/matmul_after_sections.ts

import "../peers/setup.js";
import { defaultDevice, init as initJax } from "@jax-js/jax";
import { currentBackend, np } from "../../runtime/src/index.js";
import type { WebGpuBackend } from "../../runtime/src/backend/webgpu.js";
import { storageBuffer } from "../handKernels.js";
import { elementwiseVariants, matmulVariants } from "../handSuite.js";
import { median, timeAll, type Contender } from "../measure.js";
import { eagerChain, ours } from "../peers/ours.js";
import { jaxjs } from "../peers/jaxjs.js";
import { initTfjs, tfjs } from "../peers/tfjs.js";
import * as W from "../workloadData.js";
import type { ConcreteArray } from "../../runtime/src/array.js";

const gpu = currentBackend() as WebGpuBackend;
const device = gpu.device;
const drain = () => gpu.wait(() => device.queue.onSubmittedWorkDone());
const stages = (process.env.STAGES ?? "init,chain,mm512,peers1024,tfjsBeside,autotune,sleep").split(",");
const { a, b } = W.matmulInputs(1024);
const onDevice = (name: string, iters: number, w: W.Work): Contender => ({
  name,
  iters,
  step: () => w.step(),
  wait: () => w.wait(),
});
const raw = (k: { name: string; submit(): void }, iters: number): Contender => ({
  name: k.name,
  iters,
  step: () => k.submit(),
  wait: drain,
});
const timed: Contender[] = [
  ...matmulVariants(device, a, b, 1024, 1024, 1024)
    .filter((k) => /(2×32|4×16) wg 8×1 shared/.test(k.name))
    .map((k) => raw(k, 2)),
  onDevice("jit", 2, ours.matmul(a, b, 1024)),
];

async function measure(label: string): Promise<void> {
  const t = await timeAll(timed, 4, drain);
  const cells = timed.map((c) => `${c.name.replace("matmul ", "")}: ${median(t.get(c.name)!).toFixed(1)} ms`);
  console.log(`${label.padEnd(16)} | ${cells.join(" | ")}`);
}

await measure("fresh");
for (const stage of stages) {
  if (stage === "init") {
    await initJax("webgpu");
    defaultDevice("webgpu");
    await initTfjs();
  } else if (stage === "chain") {
    const xBuf = storageBuffer(device, W.chainInput);
    const hand = ["chain_vec4.wgsl", "scale_copy.wgsl"].flatMap((f) => elementwiseVariants(device, f, xBuf, W.CHAIN_N));
    const x = np.array(W.chainInput) as ConcreteArray;
    let last: ConcreteArray | null = null;
    const eager: Contender = {
      name: "eager",
      iters: 4,
      step() {
        last?.dispose();
        last = eagerChain(x);
      },
      wait: async () => void (await last!.blockUntilReady()),
    };
    const peers = [ours, jaxjs, tfjs].map((f) => onDevice(`chain ${f.name}`, 20, f.chain(W.chainInput)));
    await timeAll([...hand.map((k) => raw(k, 20)), ...peers, eager], 3, drain);
  } else if (stage === "mm512") {
    const m = W.matmulInputs(512);
    const peers = [ours, jaxjs, tfjs].map((f) => onDevice(`512 ${f.name}`, 4, f.matmul(m.a, m.b, 512)));
    await timeAll([...matmulVariants(device, m.a, m.b, 512, 512, 512).map((k) => raw(k, 4)), ...peers], 3, drain);
  } else if (stage === "peers1024") {
    await timeAll(
      [jaxjs, tfjs].map((f) => onDevice(f.name, 2, f.matmul(a, b, 1024))),
      3,
      drain,
    );
  } else if (stage === "tfjsBeside") {
    await timeAll(
      [ours, tfjs].map((f) => onDevice(f.name, 2, f.matmul(a, b, 1024))),
      3,
      drain,
    );
  } else if (stage === "autotune") {
    const { autotunedMatmul } = await import("../autotuned.js");
    const tuned = await autotunedMatmul(a, b, 1024);
    tuned.restore();
  } else if (stage === "sleep") await new Promise((resolve) => setTimeout(resolve, 20_000));
  else throw new Error(`unknown stage ${stage}`);
  await measure(`after ${stage}`);
}
process.exit(0);
