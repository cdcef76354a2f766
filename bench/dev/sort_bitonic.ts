// Dev measurement: a jitted argsort by rank counting (codegen/lowerSort.ts, n² per row) against
// the bitonic network (codegen/lowerBitonicSort.ts, a workgroup per row, n·log²n) with the row in
// global memory and, for rows up to SHARED_MAX_ROW, in workgroup memory, on one row and on 64
// rows of each length, timed by the bench's rules (bench/measure.ts timeAll), medians of
// BENCH_RUNS (9) blocks; each result is checked equal to counting's first. Each ratio is
// counting or global over workgroup memory (> 1: workgroup memory won); BITONIC_MIN_ROW is where
// the compiler switches from counting.
//   node --expose-gc --import tsx bench/dev/sort_bitonic.ts
import { jit, np } from "../../runtime/src/index.js";
import type { ConcreteArray } from "../../runtime/src/array.js";
import { BITONIC_MIN_ROW, setBitonicMinRow } from "../../runtime/src/codegen/lowerSort.js";
import { SHARED_MAX_ROW, setSharedBitonic } from "../../runtime/src/codegen/lowerBitonicSort.js";
import { formatRow, latestResult, ratioRow, timeAll } from "../measure.js";
import { loadavg } from "node:os";

type A = ConcreteArray;
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const ITERS = Number(process.env.BENCH_ITERS ?? 3);
const shapes = [
  [64],
  [128],
  [256],
  [512],
  [1024],
  [2048],
  [4096],
  [64, 64],
  [64, 128],
  [64, 256],
  [64, 512],
  [64, 1024],
  [64, 2048],
];
console.log(
  `${RUNS} runs × ${ITERS} iters per shape, BITONIC_MIN_ROW ${BITONIC_MIN_ROW}, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
for (const shape of shapes) {
  const n = shape.reduce((a, d) => a * d, 1);
  const x = np
    .array(Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 43758.5453))
    .reshape(...shape) as A;
  const row = shape.at(-1)!;
  const ways = [
    { name: "counting", minRow: Infinity, shared: null },
    { name: "global", minRow: 0, shared: false },
    ...(row <= SHARED_MAX_ROW ? [{ name: "workgroup", minRow: 0, shared: true }] : []),
  ];
  const sides = [];
  const results: Int32Array[] = [];
  for (const w of ways) {
    const wasRow = setBitonicMinRow(w.minRow);
    const wasShared = setSharedBitonic(w.shared);
    const f = jit((v: A) => np.argsort(v, -1) as A);
    results.push((await f(x).data()) as Int32Array);
    setBitonicMinRow(wasRow);
    setSharedBitonic(wasShared);
    sides.push(latestResult(w.name, () => f(x)));
  }
  for (const [k, r] of results.entries())
    if (!r.every((v, i) => v === results[0]![i])) throw new Error(`[${shape}]: ${ways[k]!.name} differs from counting`);
  const ms = await timeAll(
    sides.map((s) => ({ ...s, iters: ITERS })),
    RUNS,
  );
  const side = (name: string) => ({ name, ms: ms.get(name)! });
  const last = side(ways.at(-1)!.name);
  for (const w of ways.slice(0, -1))
    console.log(
      formatRow(ratioRow(`argsort [${shape.join(", ")}] ${w.name} / ${last.name}`, side(w.name), last, null)),
    );
}
process.exit(0);
