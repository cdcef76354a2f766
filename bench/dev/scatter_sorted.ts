// Dev measurement: a jitted scatter-add that scans every index per output element, against the
// same scatter from the indices' stable sorted order (passes/sortScatterIndices.ts), on shapes
// around sortingPays' line: an embedding's gradient (ids [T] into a [V, D] table) at several
// sizes, and a graph's segment_sum. Each pair is checked equal bit for bit, then timed by the
// bench's rules (bench/measure.ts timeAll: balanced order, settled heap), medians of BENCH_RUNS
// (9) blocks; the ratio is scan / sorted (> 1: sorting won), "chosen" what the compiler does.
//   node --expose-gc --import tsx bench/dev/scatter_sorted.ts
import { grad, jit, np, ops } from "../../runtime/src/index.js";
import type { ConcreteArray } from "../../runtime/src/array.js";
import { setScatterSorting, sortingPays } from "../../runtime/src/passes/sortScatterIndices.js";
import { toggledRow } from "./toggled.js";
import { loadavg } from "node:os";

type A = ConcreteArray;
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const ITERS = Number(process.env.BENCH_ITERS ?? 3);

interface Case {
  readonly name: string;
  readonly outputs: number;
  readonly indices: number;
  readonly f: (x: A, ids: A) => A;
  readonly x: A;
  readonly ids: A;
}

const table = (v: number, d: number): A =>
  np.array(Float32Array.from({ length: v * d }, (_, i) => Math.sin(i * 0.37))).reshape(v, d) as A;
const tokens = (t: number, v: number): A =>
  np.array(
    Int32Array.from({ length: t }, (_, i) => (i * 7919 + (i >> 3)) % v),
    { dtype: "int32" },
  ) as A;
const embeddingGrad = grad((e: A, ids: A) => np.sum(np.square(np.take(e, ids, 0))));
const embedding = (v: number, d: number, t: number): Case => ({
  name: `embedding grad V=${v} D=${d} T=${t}`,
  outputs: v * d,
  indices: t,
  f: (x, ids) => embeddingGrad(x, ids) as A,
  x: table(v, d),
  ids: tokens(t, v),
});
const segment = (nodes: number, d: number, edges: number): Case => ({
  name: `segment_sum N=${nodes} D=${d} E=${edges}`,
  outputs: nodes * d,
  indices: edges,
  f: (x, ids) => ops.segment_sum(x, ids, nodes) as A,
  x: table(edges, d),
  ids: tokens(edges, nodes),
});

/** Sorting forced on or off; the function returned puts the previous setting (auto: null) back. */
const setSortingTo = (on: boolean): (() => void) => {
  const was = setScatterSorting(on);
  return () => setScatterSorting(was);
};

const cases = [
  embedding(64, 16, 128),
  embedding(128, 32, 64),
  embedding(64, 64, 512),
  embedding(256, 64, 256),
  embedding(512, 64, 1024),
  embedding(4096, 64, 4096),
  embedding(1024, 64, 16384),
  segment(64, 32, 256),
  segment(1024, 64, 4096),
];

console.log(
  `${RUNS} runs × ${ITERS} iters per case, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
for (const c of cases) {
  const row = await toggledRow(
    c.name,
    ["scan", "sorted"],
    setSortingTo,
    () => {
      const f = jit(c.f);
      return () => f(c.x, c.ids);
    },
    RUNS,
    ITERS,
  );
  console.log(`${row} chosen: ${sortingPays(c.outputs, c.indices) ? "sorted" : "scan"} |`);
}
process.exit(0);
