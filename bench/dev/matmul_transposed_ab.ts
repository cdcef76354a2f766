// Transposed matmul operands, A/B in one process: the jitted np.matmul with the transposed
// operand copied by a transpose kernel first (matmulTransposed "copy") against the matmul reading
// it in place ("in-place"), and the best hand kernel of bench/handSuite.ts on operands already
// transposed in memory. Interleaved blocks, contender order rotated each round; prints each
// contender's median wall and process-CPU ms (on lavapipe the GPU's work is this process's CPU
// time) and the median (min–max) of per-round speed ratios to the best hand kernel. Not a test:
// timings depend on the machine's load.
//   node --expose-gc --import tsx bench/dev/matmul_transposed_ab.ts [--rounds 15] [--shapes xt,wt,1024t,1024at]

import { config, currentBackend, jit, np } from "../../runtime/src/index.js";
import type { ConcreteArray } from "../../runtime/src/array.js";
import type { WebGpuBackend } from "../../runtime/src/backend/webgpu.js";
import { matmulVariants, transposed } from "../handSuite.js";
import { median } from "../measure.js";
import * as W from "../workloadData.js";

type A = ConcreteArray;
const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const rounds = Number(arg("--rounds", "15"));
const only = arg("--shapes", "xt,wt").split(",");
const ITERS = 10;
const gpu = currentBackend() as WebGpuBackend;
if (gpu.name !== "webgpu") throw new Error("needs WebGPU");
const device = gpu.device;
const { batch: B, inputs: I, hidden: H } = W.MLP;
const xIn = W.filled(B * I, 5, 1),
  w1 = W.filled(I * H, 1, 0.05),
  dh = W.filled(B * H, 7, 1);
const big = W.filled(1024 * 1024, 3, 0.05);
const shapes = [
  {
    key: "xt",
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
    key: "wt",
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
  {
    key: "1024t",
    label: "1024² x @ wᵀ",
    a: big,
    b: transposed(big, 1024, 1024),
    m: 1024,
    k: 1024,
    n: 1024,
    u: [big, [1024, 1024]],
    v: [big, [1024, 1024]],
    f: (p: A, q: A) => np.matmul(p, np.transpose(q)),
  },
  {
    key: "1024at",
    label: "1024² xᵀ @ w",
    a: transposed(big, 1024, 1024),
    b: big,
    m: 1024,
    k: 1024,
    n: 1024,
    u: [big, [1024, 1024]],
    v: [big, [1024, 1024]],
    f: (p: A, q: A) => np.matmul(np.transpose(p), q),
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
for (const sh of shapes.filter((s) => only.includes(s.key))) {
  const u = np.reshape(np.array(sh.u[0]), [...sh.u[1]]) as A,
    v = np.reshape(np.array(sh.v[0]), [...sh.v[1]]) as A;
  const jitted = async (mode: "copy" | "in-place"): Promise<Timed> => {
    const prev = config({ matmulTransposed: mode });
    const f = jit(sh.f, { name: `mm_${mode}` });
    let last = f(u, v) as A; // compiles under this mode
    await last.blockUntilReady();
    config({ matmulTransposed: prev.matmulTransposed });
    return {
      name: `jit ${mode}`,
      step() {
        last.dispose();
        last = f(u, v) as A;
      },
      wait: async () => void (await last.blockUntilReady()),
    };
  };
  const mine = [await jitted("copy"), await jitted("in-place")];
  const hands: Timed[] = matmulVariants(device, sh.a, sh.b, sh.m, sh.k, sh.n).map((k) => ({
    name: k.name,
    step: () => k.submit(),
    wait: () => gpu.wait(() => device.queue.onSubmittedWorkDone()),
  }));
  const all = [...mine, ...hands];
  for (const c of all) await block(c);
  const wall = new Map(all.map((c) => [c.name, [] as number[]]));
  const cpu = new Map(all.map((c) => [c.name, [] as number[]]));
  const ratios = new Map(mine.map((c) => [c.name, { wall: [] as number[], cpu: [] as number[] }]));
  for (let r = 0; r < rounds; r++) {
    const order = [...all.slice(r % all.length), ...all.slice(0, r % all.length)];
    const got = new Map<string, [number, number]>();
    for (const c of order) got.set(c.name, await block(c));
    for (const [name, [w, c]] of got) {
      wall.get(name)!.push(w);
      cpu.get(name)!.push(c);
    }
    for (const c of mine) {
      ratios.get(c.name)!.wall.push(Math.min(...hands.map((h) => got.get(h.name)![0])) / got.get(c.name)![0]);
      ratios.get(c.name)!.cpu.push(Math.min(...hands.map((h) => got.get(h.name)![1])) / got.get(c.name)![1]);
    }
  }
  const spread = (xs: number[]) =>
    `${median(xs).toFixed(2)}× (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;
  const gflops = (ms: number) => ((2 * sh.m * sh.k * sh.n) / ms / 1e6).toFixed(2);
  console.log(`\n${sh.label} [${sh.m},${sh.k}]@[${sh.k},${sh.n}]`);
  for (const c of all) {
    const w = median(wall.get(c.name)!);
    console.log(
      `  ${c.name.padEnd(34)} wall ${w.toFixed(2)} ms (${gflops(w)} GFLOP/s)  CPU ${median(cpu.get(c.name)!).toFixed(2)} ms`,
    );
  }
  for (const c of mine) {
    const r = ratios.get(c.name)!;
    console.log(`  ${c.name} speed / best hand per round: wall ${spread(r.wall)}, CPU ${spread(r.cpu)}`);
  }
}
process.exit(0);
