// Jitted programs that create arrays inside jit (np.tri, np.arange, np.zeros): median ms per call
// (each call waited for) with the range, and kernels per call. Run from two checkouts in turn
// (alternating processes) to compare creation as host constants with creation as ops
// (np/stagedCreation.ts). Not a test: timings depend on the machine's load.
//   node --import tsx bench/dev/staged_creation.ts [--calls 9]

import { currentBackend, jit, nn, np } from "../../runtime/src/index.js";
import type { ConcreteArray } from "../../runtime/src/array.js";
import { median } from "../measure.js";

type A = ConcreteArray;
const i = process.argv.indexOf("--calls");
const calls = i >= 0 ? Number(process.argv[i + 1]) : 9;
if (currentBackend().name !== "webgpu") throw new Error("needs WebGPU");
const wave = (shape: number[], k: number) =>
  np.reshape(np.sin(np.multiply(np.arange(shape.reduce((a, b) => a * b, 1)), k)), shape) as A;

/** A causal softmax over attention scores [heads, T, T], its mask from np.tri. */
const causal = (s: A) => {
  const t = s.shape[1]!;
  return nn.softmax(np.where(np.tri(t, t, 0, { dtype: "bool" }), s, -1e9), -1);
};
/** Positions added to every row. */
const positions = (x: A) => np.add(x, np.arange(x.shape[1]!));
/** Eight Jacobi steps of the five-point stencil with zero borders made inside the function. */
const heat = (u0: A) => {
  const n = u0.shape[0]!;
  let u: np.ArrayLike = u0;
  for (let s = 0; s < 8; s++) {
    const at = (r: number, c: number) => np.slice(u, [r, c], [r + n - 2, c + n - 2]);
    const lap = np.subtract(np.add(np.add(at(0, 1), at(2, 1)), np.add(at(1, 0), at(1, 2))), np.multiply(4, at(1, 1)));
    const rows = np.concatenate(
      [np.zeros([n - 2, 1]), np.add(at(1, 1), np.multiply(0.2, lap)), np.zeros([n - 2, 1])],
      1,
    );
    u = np.concatenate([np.zeros([1, n]), rows, np.zeros([1, n])], 0);
  }
  return u;
};

const cases: [string, (a: A) => unknown, A][] = [
  ["causal softmax [16, 256, 256]", causal, wave([16, 256, 256], 0.013)],
  ["x + arange [4096, 1024]", positions, wave([4096, 1024], 0.7)],
  ["heat, 8 steps on 256²", heat, wave([256, 256], 0.3)],
];
const out: string[] = [];
for (const [name, f, x] of cases) {
  const g = jit(f as (a: A) => A);
  const kernels = (await g.lower(x)).kernels.length;
  await g(x).blockUntilReady(); // compile, and the first shader compiles
  const ms: number[] = [];
  for (let c = 0; c < calls; c++) {
    const t0 = performance.now();
    const y = g(x);
    await y.blockUntilReady();
    ms.push(performance.now() - t0);
    y.dispose();
  }
  out.push(
    `${name}: ${median(ms).toFixed(2)} ms (${Math.min(...ms).toFixed(2)}–${Math.max(...ms).toFixed(2)}), ${kernels} kernel${kernels === 1 ? "" : "s"}`,
  );
}
console.log(out.join("\n"));
process.exit(0);
