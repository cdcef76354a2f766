// The jitted np.linalg.cholesky on SPD matrices of 64, 128 and 256 rows: median ms per call, each
// call waited for. To compare two versions of the kernel, run this from each checkout in turn
// (alternating processes); the kernel's plan line names what ran. Not a test: timings depend on
// the machine's load.
//   node --import tsx bench/dev/cholesky_time.ts [--calls 15]

import { currentBackend, jit, np } from "../../runtime/src/index.js";
import type { ConcreteArray } from "../../runtime/src/array.js";
import { median } from "../measure.js";

type A = ConcreteArray;
const i = process.argv.indexOf("--calls");
const calls = i >= 0 ? Number(process.argv[i + 1]) : 15;
if (currentBackend().name !== "webgpu") throw new Error("needs WebGPU");
const f = jit((a: A) => np.linalg.cholesky(a));
const out: string[] = [];
for (const n of [64, 128, 256]) {
  const b = np.reshape(np.sin(np.multiply(np.arange(n * n), 0.37)), [n, n]);
  const a = np.add(np.divide(np.matmul(b, np.transpose(b)), n), np.eye(n)) as A;
  await f(a).data(); // compile, and lavapipe's first-use shader compile
  const ms: number[] = [];
  for (let c = 0; c < calls; c++) {
    const t0 = performance.now();
    await f(a).data();
    ms.push(performance.now() - t0);
  }
  out.push(`${n}²: ${median(ms).toFixed(2)} ms`);
}
console.log(out.join(" · "));
