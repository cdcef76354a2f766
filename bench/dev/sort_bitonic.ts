// Dev measurement: a jitted argsort by rank counting (codegen/lowerSort.ts, n² per row) against
// the bitonic network (codegen/lowerBitonicSort.ts, a workgroup per row, n·log²n), on one row
// and on 64 rows of each length, timed by the bench's rules (bench/measure.ts timeAll), medians
// of BENCH_RUNS (9) blocks; each pair is checked equal first. The ratio is counting / bitonic
// (> 1: the network won); BITONIC_MIN_ROW is where the compiler switches.
//   node --expose-gc --import tsx bench/dev/sort_bitonic.ts
import { jit, np } from "../../runtime/src/index.js";
import type { ConcreteArray } from "../../runtime/src/array.js";
import { BITONIC_MIN_ROW, setBitonicMinRow } from "../../runtime/src/codegen/lowerSort.js";
import { formatRow, latestResult, ratioRow, timeAll } from "../measure.js";
import { loadavg } from "node:os";

type A = ConcreteArray;
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const ITERS = Number(process.env.BENCH_ITERS ?? 3);
const shapes = [[128], [256], [512], [1024], [4096], [16384], [64, 128], [64, 256], [64, 512], [64, 1024]];
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
  const sides = [];
  const results: Int32Array[] = [];
  for (const bitonic of [false, true]) {
    const was = setBitonicMinRow(bitonic ? 0 : Infinity);
    const f = jit((v: A) => np.argsort(v, -1) as A);
    results.push((await f(x).data()) as Int32Array);
    setBitonicMinRow(was);
    sides.push(latestResult(bitonic ? "bitonic" : "counting", () => f(x)));
  }
  if (!results[0]!.every((v, i) => v === results[1]![i])) throw new Error(`[${shape}]: the two sorts differ`);
  const ms = await timeAll(
    sides.map((s) => ({ ...s, iters: ITERS })),
    RUNS,
  );
  const [a, b] = [
    { name: "counting", ms: ms.get("counting")! },
    { name: "bitonic", ms: ms.get("bitonic")! },
  ];
  console.log(formatRow(ratioRow(`argsort [${shape.join(", ")}]`, a, b, null)));
}
process.exit(0);
