// Sizes that cross GPU workgroup and tile boundaries (reductions over many elements, matmul with
// ragged tiles), checked against sums and products computed here with plain loops.
import { opCases } from "./harness.js";
import * as np from "../../../runtime/src/np.js";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const pattern = (rows: number, cols: number, f: (i: number, j: number) => number) =>
  range(rows).map((i) => range(cols).map((j) => f(i, j)));

function matmulRef(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
}

/** Index of the first minimum, compared in float32 as the arrays hold it. */
function argminRef(row: number[]): number {
  const f = row.map(Math.fround);
  return f.indexOf(Math.min(...f));
}

const A = pattern(70, 131, (i, k) => ((i + k) % 3) - 1);
const B = pattern(131, 65, (k, j) => ((k * j) % 5) - 2);
const C = pattern(3, 1000, (i, j) => Math.sin(i * 1000 + j));

opCases("large", [
  { name: "sum of 100,000 ones", build: () => np.sum(np.ones([100000])), expect: 100000, dtype: "float32" },
  { name: "int32 sum of arange(10,000)", build: () => np.sum(np.arange(10000)), expect: 49995000, dtype: "int32" },
  {
    name: "sum over the last axis of [3, 1000]",
    build: () => np.sum(np.array(C), -1),
    expect: C.map((r) => r.reduce((a, b) => a + b, 0)),
    dtype: "float32",
    atol: 1e-4,
  },
  {
    name: "sum over the first axis of [1000, 3]",
    build: () => np.sum(np.transpose(np.array(C)), 0),
    expect: C.map((r) => r.reduce((a, b) => a + b, 0)),
    dtype: "float32",
    atol: 1e-4,
  },
  {
    name: "max of 5,000 values (max near the end)",
    build: () =>
      np.max(
        np
          .arange(5000)
          .astype("float32")
          .multiply(-1)
          .add(np.eye(1, 5000, 4990).reshape(5000).multiply(1e6)),
      ),
    expect: 1e6 - 4990,
    dtype: "float32",
  },
  {
    name: "argmax of 5,000 values",
    build: () => np.argmax(np.eye(1, 5000, 4321).reshape(5000)),
    expect: 4321,
    dtype: "int32",
  },
  {
    name: "argmin along rows of [3, 1000]",
    build: () => np.argmin(np.array(C), 1),
    expect: C.map(argminRef),
    dtype: "int32",
  },
  {
    name: "mean of [4, 2500]",
    build: () => np.mean(np.arange(10000).reshape(4, 2500), 1),
    expect: [1249.5, 3749.5, 6249.5, 8749.5],
    dtype: "float32",
  },
  {
    name: "matmul [70,131] @ [131,65] (ragged tiles)",
    build: () => np.matmul(np.array(A), np.array(B)),
    expect: matmulRef(A, B),
    dtype: "float32",
  },
  {
    name: "int32 matmul [70,131] @ [131,65]",
    build: () => np.matmul(np.array(A, { dtype: "int32" }), np.array(B, { dtype: "int32" })),
    expect: matmulRef(A, B),
    dtype: "int32",
  },
  {
    name: "batched matmul [3, 70, 131] @ [131, 65]",
    build: () => np.matmul(np.stack([np.array(A), np.array(A).multiply(2), np.array(A).negative()]), np.array(B)),
    expect: [
      matmulRef(A, B),
      matmulRef(A, B).map((r) => r.map((v) => 2 * v)),
      matmulRef(A, B).map((r) => r.map((v) => -v)),
    ],
    dtype: "float32",
  },
  {
    name: "elementwise over 1,000,003 elements",
    build: () => np.sum(np.multiply(np.ones([1000003]), 2).subtract(1)),
    expect: 1000003,
    dtype: "float32",
  },
]);
