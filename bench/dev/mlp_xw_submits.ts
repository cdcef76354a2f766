// The MLP's x @ w1 ([128,784]@[784,256]): the jitted np.matmul against the hand kernel of the same
// configuration (2×32 vec4, 8-lane runs sharing B: the kernel jit generates for this shape on
// lavapipe), the hand kernel submitted once per dispatch (as npm run bench times it) and ten
// dispatches in one submit (as ten synchronous jit calls share one). Interleaved blocks, order
// rotated each round; prints each contender's median ms per dispatch and the per-round ratios.
// Not a test: timings depend on the machine's load.
//   node --expose-gc --import tsx bench/dev/mlp_xw_submits.ts [--rounds 21]

import { currentBackend, jit, np } from "../../runtime/src/index.js";
import type { ConcreteArray } from "../../runtime/src/array.js";
import type { WebGpuBackend } from "../../runtime/src/backend/webgpu.js";
import { matmulVariants } from "../handSuite.js";
import { median } from "../measure.js";
import * as W from "../workloadData.js";

type A = ConcreteArray;
const i = process.argv.indexOf("--rounds");
const rounds = i >= 0 ? Number(process.argv[i + 1]) : 21;
const ITERS = 10;
const gpu = currentBackend() as WebGpuBackend;
if (gpu.name !== "webgpu") throw new Error("needs WebGPU");
const device = gpu.device;
const { batch: B, inputs: I, hidden: H } = W.MLP;
const x = W.filled(B * I, 5, 1),
  w = W.filled(I * H, 1, 0.05);
const u = np.reshape(np.array(x), [B, I]) as A,
  v = np.reshape(np.array(w), [I, H]) as A;
const f = jit((p: A, q: A) => np.matmul(p, q));
const hand = matmulVariants(device, x, w, B, I, H).find((k) => k.name.includes("2×32 wg 8×1 shared B"));
if (!hand) throw new Error("no 2×32 shared-B hand kernel for this shape");
const drain = () => gpu.wait(() => device.queue.onSubmittedWorkDone());

let last: A | null = null;
const contenders = [
  {
    name: "jit",
    step: () => {
      for (let r = 0; r < ITERS; r++) {
        last?.dispose();
        last = f(u, v) as A;
      }
    },
    wait: async () => void (await last!.blockUntilReady()),
  },
  {
    name: "hand, a submit each",
    step: () => {
      for (let r = 0; r < ITERS; r++) hand.submit();
    },
    wait: drain,
  },
  { name: "hand, one submit of 10", step: () => hand.submitBatch(ITERS), wait: drain },
];
async function block(c: (typeof contenders)[number]): Promise<number> {
  (globalThis as { gc?: () => void }).gc?.();
  await drain();
  const t0 = performance.now();
  c.step();
  await c.wait();
  return (performance.now() - t0) / ITERS;
}
const { loadavg } = await import("node:os");
console.log(`${gpu.description}; ${rounds} rounds × ${ITERS}; load ${loadavg()[0]!.toFixed(1)}`);
for (const c of contenders) await block(c);
const ms = new Map(contenders.map((c) => [c.name, [] as number[]]));
for (let r = 0; r < rounds; r++) {
  const order = [...contenders.slice(r % 3), ...contenders.slice(0, r % 3)];
  for (const c of order) ms.get(c.name)!.push(await block(c));
}
const jitMs = ms.get("jit")!;
for (const c of contenders) {
  const xs = ms.get(c.name)!;
  const ratios = xs.map((h, r) => h / jitMs[r]!);
  console.log(
    `${c.name.padEnd(24)} ${median(xs).toFixed(3)} ms/dispatch · it / jit per round: ${median(ratios).toFixed(2)}× (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`,
  );
}
process.exit(0);
