// The jitted np.linalg.eigh on symmetric 32×32 and 64×64 matrices and the reduced svd of
// [128, 96] and [256, 512]: median ms per call (the inputs made once; each call waited for), with
// the range over the calls. To compare two versions of the Jacobi rounds, run this from each
// checkout in turn (alternating processes). Not a test: timings depend on the machine's load.
//   node --import tsx bench/dev/eigh_svd_time.ts [--calls 5]

import { currentBackend, jit, np } from "../../runtime/src/index.js";
import type { ConcreteArray } from "../../runtime/src/array.js";
import { median } from "../measure.js";

type A = ConcreteArray;
const i = process.argv.indexOf("--calls");
const calls = i >= 0 ? Number(process.argv[i + 1]) : 5;
if (currentBackend().name !== "webgpu") throw new Error("needs WebGPU");
const wave = (shape: number[], k: number) =>
  np.reshape(np.sin(np.multiply(np.arange(shape[0]! * shape[1]!), k)), shape) as A;
const symmetric = (n: number) => np.add(wave([n, n], 0.37), np.transpose(wave([n, n], 0.37))) as A;
const eigh = jit((a: A) => np.linalg.eigh(a));
const svd = jit((a: A) => np.linalg.svd(a, { full_matrices: false }));
const cases: [string, () => unknown[]][] = [
  [
    "eigh 32²",
    (
      (a) => () =>
        eigh(a)
    )(symmetric(32)),
  ],
  [
    "eigh 64²",
    (
      (a) => () =>
        eigh(a)
    )(symmetric(64)),
  ],
  [
    "svd [128, 96]",
    (
      (a) => () =>
        svd(a)
    )(wave([128, 96], 0.61)),
  ],
  [
    "svd [256, 512]",
    (
      (a) => () =>
        svd(a)
    )(wave([256, 512], 0.61)),
  ],
];
const out: string[] = [];
for (const [name, call] of cases) {
  const wait = (outs: unknown[]) => Promise.all(outs.map((o) => (o as A).data()));
  await wait(call()); // compile, and the first shader compiles
  const ms: number[] = [];
  for (let c = 0; c < calls; c++) {
    const t0 = performance.now();
    await wait(call());
    ms.push(performance.now() - t0);
  }
  out.push(`${name}: ${median(ms).toFixed(0)} ms (${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)})`);
}
console.log(out.join(" · "));
