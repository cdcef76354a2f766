// Dev measurement: two choices of kernels that need nd coordinates (codegen/layoutDevKnobs.ts).
// Branches: a pad's or concatenate's costly pieces behind a branch on their range, so an element
// computes only its own (the gradient of an RNN cell's gates through np.split adds one padded
// piece per gate), against every piece computed and selected. Vec4: nd kernels computing vec4s
// along the last axis where their ops move its runs of 4 whole (attention's heads, a scan's
// time-major moveaxis, a crop and pad), against one element a thread. Each pair is checked equal
// bit for bit, then timed by the bench's rules (bench/measure.ts timeAll), medians of BENCH_RUNS
// (9) blocks; the ratio is off / on (> 1: the choice won).
//   node --expose-gc --import tsx bench/dev/layout_pieces.ts
import { grad, jit, lax, nn, np } from "../../runtime/src/index.js";
import type { ConcreteArray } from "../../runtime/src/array.js";
import type { Tracer } from "../../runtime/src/trace/core.js";
import { setLastAxisVec4, setPieceBranches } from "../../runtime/src/codegen/layoutDevKnobs.js";
import { toggledRow } from "./toggled.js";
import { loadavg } from "node:os";

type A = ConcreteArray;
type T = Tracer;
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const ITERS = Number(process.env.BENCH_ITERS ?? 3);

const arr = (shape: number[], seed: number): A =>
  np
    .array(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(seed * 7 + i * 0.37)))
    .reshape(...shape) as A;

const gru = (x: T, h: T): T => {
  const [xz, xr, xn] = np.split(x, 3, -1) as T[];
  const z = nn.sigmoid(xz!),
    r = nn.sigmoid(xr!);
  const n = np.tanh(np.add(xn!, np.multiply(r, h)));
  return np.sum(np.add(np.multiply(np.subtract(1, z), n), np.multiply(z, h))) as T;
};
const lstm = (x: T, c: T): T => {
  const [i, f, g, o] = np.split(x, 4, -1) as T[];
  const c2 = np.add(np.multiply(nn.sigmoid(f!), c), np.multiply(nn.sigmoid(i!), np.tanh(g!)));
  return np.sum(np.multiply(nn.sigmoid(o!), np.tanh(c2))) as T;
};

const gruDx = { f: grad(gru) as (x: T, h: T) => T, args: [arr([2048, 768], 1), arr([2048, 256], 2)] };

const cases: readonly { name: string; knob: "branches" | "vec4"; f: (...xs: T[]) => T; args: A[] }[] = [
  { name: "GRU gates' dx [2048, 768]", knob: "branches", ...gruDx },
  {
    name: "LSTM gates' dx [2048, 1024]",
    knob: "branches",
    f: grad(lstm) as (x: T, c: T) => T,
    args: [arr([2048, 1024], 1), arr([2048, 256], 2)],
  },
  { name: "GRU gates' dx, vec4 [2048, 768]", knob: "vec4", ...gruDx },
  {
    name: "attention heads [8,256,512] → [8,8,256,64]",
    knob: "vec4",
    f: (x) => np.transpose(np.reshape(x, [8, 256, 8, 64]), [0, 2, 1, 3]) as T,
    args: [arr([8, 256, 512], 3)],
  },
  {
    name: "time-major moveaxis [256,64,64]",
    knob: "vec4",
    f: (x) => np.moveaxis(x, 1, 0) as T,
    args: [arr([256, 64, 64], 4)],
  },
  {
    name: "crop 8 and pad 4 of [1024,1024]",
    knob: "vec4",
    f: (x) =>
      np.pad(lax.slice(x, [0, 8], [1024, 1016]), [
        [0, 0],
        [4, 4],
      ]) as T,
    args: [arr([1024, 1024], 5)],
  },
];

console.log(
  `${RUNS} runs × ${ITERS} iters per case, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
for (const c of cases) {
  const set = c.knob === "branches" ? setPieceBranches : setLastAxisVec4;
  const row = await toggledRow(
    c.name,
    c.knob === "branches" ? ["selects", "branches"] : ["scalar", "vec4"],
    (on) => {
      const was = set(on);
      return () => set(was);
    },
    () => {
      const f = jit(c.f as unknown as (...xs: A[]) => A);
      return () => f(...c.args);
    },
    RUNS,
    ITERS,
  );
  console.log(row);
}
process.exit(0);
