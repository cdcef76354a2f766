// Dev measurement: what JAX's fill mode costs np.take, now its default. A jitted embedding
// lookup (ids [T] into a [V, D] table) in mode "fill" (the bounds check: an add, two compares
// and a select per element, fused into the gather) against mode "clip" (a clamp of each index,
// no select), and a copy of the same [T, D] rows (np.negative of a [T, D] array) as the floor.
// Medians of BENCH_RUNS (9) blocks by the bench's rules (bench/measure.ts timeAll); ratios per run.
//   node --expose-gc --import tsx bench/dev/take_fill.ts
import { jit, np } from "../../runtime/src/index.js";
import type { ConcreteArray } from "../../runtime/src/array.js";
import { latestResult, median, timeAll } from "../measure.js";

type A = ConcreteArray;
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const ITERS = Number(process.env.BENCH_ITERS ?? 5);

for (const [v, d, t] of [
  [50_000, 64, 4096],
  [8192, 256, 2048],
] as const) {
  const table = np.array(Float32Array.from({ length: v * d }, (_, i) => Math.sin(i * 0.37))).reshape(v, d) as A;
  const ids = np.array(
    Int32Array.from({ length: t }, (_, i) => (i * 7919) % v),
    { dtype: "int32" },
  ) as A;
  const rows = np.ones([t, d]) as A;
  const fill = jit((e: A, i: A) => np.take(e, i, 0));
  const clip = jit((e: A, i: A) => np.take(e, i, 0, { mode: "clip" }));
  const copy = jit((r: A) => np.negative(r));
  const times = await timeAll(
    [
      { ...latestResult("fill", () => fill(table, ids) as A), iters: ITERS },
      { ...latestResult("clip", () => clip(table, ids) as A), iters: ITERS },
      { ...latestResult("copy", () => copy(rows) as A), iters: ITERS },
    ],
    RUNS,
  );
  const [f, c, k] = ["fill", "clip", "copy"].map((n) => times.get(n)!);
  const ratios = f!.map((x, i) => x / c![i]!).sort((a, b) => a - b);
  console.log(
    `V=${v} D=${d} T=${t}: fill ${median(f!).toFixed(3)} ms, clip ${median(c!).toFixed(3)} ms, copy ${median(k!).toFixed(3)} ms; ` +
      `fill/clip median ${median(ratios).toFixed(3)} (${ratios[0]!.toFixed(3)}–${ratios.at(-1)!.toFixed(3)})`,
  );
}
process.exit(0);
