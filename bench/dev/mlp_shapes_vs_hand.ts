// The MLP's three matmul shapes (784-256-10, batch 128) as npm run bench's section 3 times them:
// the jitted np.matmul (for xᵀ @ dh and dh @ w1ᵀ, whatever kernels jit runs for the transposed
// operand) against every hand kernel of bench/handSuite.ts on operands already transposed in
// memory. Interleaved blocks, contender order rotated each round; prints each contender's median
// wall and process-CPU ms and the median (min–max) of per-round jit/best-hand speed ratios.
// Not a test: timings depend on the machine's load.
//   node --expose-gc --import tsx bench/dev/mlp_shapes_vs_hand.ts [--rounds 15]

import { currentBackend, jit, np } from "../../runtime/src/index.js";
import type { ConcreteArray } from "../../runtime/src/array.js";
import type { WebGpuBackend } from "../../runtime/src/backend/webgpu.js";
import { matmulVariants, transposed } from "../handSuite.js";
import { median } from "../measure.js";
import * as W from "../workloadData.js";

type A = ConcreteArray;
const i = process.argv.indexOf("--rounds");
const rounds = i >= 0 ? Number(process.argv[i + 1]) : 15;
const ITERS = 10;
const gpu = currentBackend() as WebGpuBackend;
if (gpu.name !== "webgpu") throw new Error("needs WebGPU");
const device = gpu.device;
const { batch: B, inputs: I, hidden: H } = W.MLP;
const xIn = W.filled(B * I, 5, 1),
  w1 = W.filled(I * H, 1, 0.05),
  dh = W.filled(B * H, 7, 1);
const shapes = [
  {
    label: "x @ w1",
    a: xIn,
    b: w1,
    m: B,
    k: I,
    n: H,
    u: [xIn, [B, I]],
    v: [w1, [I, H]],
    f: (p: A, q: A) => np.matmul(p, q),
  },
  {
    label: "xᵀ @ dh",
    a: transposed(xIn, B, I),
    b: dh,
    m: I,
    k: B,
    n: H,
    u: [xIn, [B, I]],
    v: [dh, [B, H]],
    f: (p: A, q: A) => np.matmul(np.transpose(p), q),
  },
  {
    label: "dh @ w1ᵀ",
    a: dh,
    b: transposed(w1, I, H),
    m: B,
    k: H,
    n: I,
    u: [dh, [B, H]],
    v: [w1, [I, H]],
    f: (p: A, q: A) => np.matmul(p, np.transpose(q)),
  },
] as const;

interface Timed {
  readonly name: string;
  step(): void;
  wait(): Promise<void>;
}
async function block(c: Timed): Promise<[number, number]> {
  (globalThis as { gc?: () => void }).gc?.();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let r = 0; r < ITERS; r++) c.step();
  await c.wait();
  const du = process.cpuUsage(c0);
  return [(performance.now() - t0) / ITERS, (du.user + du.system) / 1000 / ITERS];
}

const { loadavg } = await import("node:os");
console.log(`${gpu.description}; ${rounds} rounds × ${ITERS} calls; load at start ${loadavg()[0]!.toFixed(1)}`);
for (const sh of shapes) {
  const u = np.reshape(np.array(sh.u[0]), [...sh.u[1]]) as A,
    v = np.reshape(np.array(sh.v[0]), [...sh.v[1]]) as A;
  const f = jit(sh.f);
  let last: A | null = null;
  const mine: Timed = {
    name: "jit",
    step() {
      last?.dispose();
      last = f(u, v) as A;
    },
    wait: async () => void (await last!.blockUntilReady()),
  };
  const hands: Timed[] = matmulVariants(device, sh.a, sh.b, sh.m, sh.k, sh.n).map((k) => ({
    name: k.name,
    step: () => k.submit(),
    wait: () => gpu.wait(() => device.queue.onSubmittedWorkDone()),
  }));
  const all = [mine, ...hands];
  for (const c of all) await block(c);
  const wall = new Map(all.map((c) => [c.name, [] as number[]]));
  const cpu = new Map(all.map((c) => [c.name, [] as number[]]));
  const ratioWall: number[] = [],
    ratioCpu: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const order = [...all.slice(r % all.length), ...all.slice(0, r % all.length)];
    const got = new Map<string, [number, number]>();
    for (const c of order) got.set(c.name, await block(c));
    for (const [name, [w, c]] of got) {
      wall.get(name)!.push(w);
      cpu.get(name)!.push(c);
    }
    ratioWall.push(Math.min(...hands.map((h) => got.get(h.name)![0])) / got.get("jit")![0]);
    ratioCpu.push(Math.min(...hands.map((h) => got.get(h.name)![1])) / got.get("jit")![1]);
  }
  const spread = (xs: number[]) =>
    `${median(xs).toFixed(2)}× (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;
  console.log(`\n${sh.label} [${sh.m},${sh.k}]@[${sh.k},${sh.n}]`);
  for (const c of all)
    console.log(
      `  ${c.name.padEnd(34)} wall ${median(wall.get(c.name)!).toFixed(2)} ms  CPU ${median(cpu.get(c.name)!).toFixed(2)} ms`,
    );
  console.log(`  jit speed / best hand per round: wall ${spread(ratioWall)}, CPU ${spread(ratioCpu)}`);
}
process.exit(0);
