// Dev measurement: loop-invariant code motion (passes/hoistInvariants.ts). An RNN whose cell
// normalises its weight inside the scan (w / ‖w‖, then wᵀ: as JAX code writes it), forward and
// as a training step's gradient, jitted with the invariants hoisted and without. Each pair is
// checked equal bit for bit, then timed by the bench's rules (bench/measure.ts timeAll), medians
// of BENCH_RUNS (9) blocks; the ratio is without / with (> 1: hoisting won).
//   node --expose-gc --import tsx bench/dev/hoist_invariants.ts
import { grad, jit, lax, np } from "../../runtime/src/index.js";
import type { ConcreteArray } from "../../runtime/src/array.js";
import type { Tracer } from "../../runtime/src/trace/core.js";
import { setHoisting } from "../../runtime/src/passes/hoistInvariants.js";
import { toggledRow } from "./toggled.js";
import { loadavg } from "node:os";

type A = ConcreteArray;
type T = Tracer;
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const ITERS = Number(process.env.BENCH_ITERS ?? 3);

const arr = (shape: number[], seed: number): A =>
  np
    .array(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(seed * 7 + i * 0.37) / 8))
    .reshape(...shape) as A;

const rnn = (w: T, h: T, xs: T): T => {
  const [c, ys] = lax.scan(
    (c: T, x: T): [T, T] => {
      const wn = np.divide(w, np.sqrt(np.sum(np.multiply(w, w))));
      const c2 = np.tanh(np.add(np.matmul(c, np.transpose(wn)), x));
      return [c2, np.sum(c2)];
    },
    h,
    xs,
  );
  return np.add(np.sum(c), np.sum(ys));
};

const cases = [
  {
    name: "weight-normed RNN forward H=64 B=8 T=32",
    f: rnn,
    args: [arr([64, 64], 1), arr([8, 64], 2), arr([32, 8, 64], 3)],
  },
  {
    name: "weight-normed RNN forward H=256 B=16 T=64",
    f: rnn,
    args: [arr([256, 256], 1), arr([16, 256], 2), arr([64, 16, 256], 3)],
  },
  {
    name: "weight-normed RNN grad H=64 B=8 T=32",
    f: grad(rnn),
    args: [arr([64, 64], 1), arr([8, 64], 2), arr([32, 8, 64], 3)],
  },
  {
    name: "weight-normed RNN grad H=256 B=16 T=64",
    f: grad(rnn),
    args: [arr([256, 256], 1), arr([16, 256], 2), arr([64, 16, 256], 3)],
  },
];

console.log(
  `${RUNS} runs × ${ITERS} iters per case, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
for (const c of cases) {
  const [w, h, xs] = c.args as [A, A, A];
  const row = await toggledRow(
    c.name,
    ["in the body", "hoisted"],
    (on) => {
      const was = setHoisting(on);
      return () => setHoisting(was);
    },
    () => {
      const f = jit(c.f as unknown as (w: A, h: A, xs: A) => A);
      return () => f(w, h, xs);
    },
    RUNS,
    ITERS,
  );
  console.log(row);
}
process.exit(0);
