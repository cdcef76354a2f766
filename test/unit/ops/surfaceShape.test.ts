// pad roll tril triu split tile repeat flip outer einsum linalg.norm against JAX's values
// (fixture) on the CPU reference, on WebGPU and under jit.
import { opCases } from "./harness.js";
import * as np from "../../../runtime/src/np.js";
import { arr, fixtureCase } from "./surfaceExpected.js";
import type { Nested } from "./harness.js";

const pick = (i: number) => (e: Nested) => (e as Nested[])[i]!;

opCases("np surface shape", [
  fixtureCase(
    "pad",
    "float32",
    (x) =>
      np.pad(
        arr(x),
        [
          [1, 0],
          [2, 1],
        ],
        { constant_values: -1 },
      ),
    { title: "pad with a constant, per-axis widths" },
  ),
  fixtureCase("roll", "float32", (x) => np.roll(arr(x), 1, 1), { title: "roll axis 1" }),
  fixtureCase("roll_flat", "float32", (x) => np.roll(arr(x), -5), { title: "roll of the flattened array by -5" }),
  fixtureCase("roll_2axes", "float32", (x) => np.roll(arr(x), [1, -1], [0, 1]), { title: "roll over two axes" }),
  fixtureCase("tril", "float32", (x) => np.tril(arr(x))),
  fixtureCase("triu_k1", "float32", (x) => np.triu(arr(x), 1), { title: "triu k=1" }),
  fixtureCase("tril_km1", "float32", (x) => np.tril(arr(x), -1), { title: "tril k=-1" }),
  ...[0, 1, 2].map((i) =>
    fixtureCase("split", "float32", (x) => np.split(arr(x), 3)[i]!, {
      title: `split into 3: part ${i}`,
      pick: pick(i),
    }),
  ),
  ...[0, 1, 2].map((i) =>
    fixtureCase("split_indices", "float32", (x) => np.split(arr(x), [1, 3], 1)[i]!, {
      title: `split at [1, 3] axis 1: part ${i}`,
      pick: pick(i),
    }),
  ),
  fixtureCase("tile", "float32", (x) => np.tile(arr(x), [2, 1])),
  fixtureCase("tile_rank_up", "float32", (x) => np.tile(arr(x), [2, 2]), { title: "tile adds leading axes" }),
  fixtureCase("repeat_axis0", "float32", (x) => np.repeat(arr(x), 2, 0), { title: "repeat axis 0" }),
  fixtureCase("repeat_flat", "float32", (x) => np.repeat(arr(x), 2), { title: "repeat of the flattened array" }),
  fixtureCase("flip", "float32", (x) => np.flip(arr(x), 1), { title: "flip axis 1" }),
  fixtureCase("flip_all", "float32", (x) => np.flip(arr(x)), { title: "flip every axis" }),
  fixtureCase("outer", "float32", (a, b) => np.outer(arr(a), arr(b))),
  fixtureCase("einsum_matmul", "float32", (a, b) => np.einsum("ij,jk->ik", arr(a), arr(b)), {
    title: "einsum ij,jk->ik",
  }),
  fixtureCase("einsum_batch", "float32", (a, b) => np.einsum("bij,bkj->bik", arr(a), arr(b)), {
    title: "einsum bij,bkj->bik",
  }),
  fixtureCase("einsum_trace_free", "float32", (a, b) => np.einsum("ij,j->i", arr(a), arr(b)), {
    title: "einsum ij,j->i",
  }),
  fixtureCase("einsum_implicit", "float32", (a, b) => np.einsum("ij,ij", arr(a), arr(b)), {
    title: "einsum implicit output (full contraction)",
  }),
  fixtureCase("einsum_three", "float32", (a, b, c) => np.einsum("ab,bc,cd->ad", arr(a), arr(b), arr(c)), {
    title: "einsum of three operands",
  }),
  fixtureCase("norm", "float32", (x) => np.linalg.norm(arr(x)), { title: "linalg.norm (Frobenius)" }),
  fixtureCase("norm_ord1_axis1", "float32", (x) => np.linalg.norm(arr(x), 1, 1), { title: "linalg.norm ord 1 axis 1" }),
  fixtureCase("norm_inf_vector", "float32", (x) => np.linalg.norm(arr(x), Infinity), {
    title: "linalg.norm ord inf of a vector",
  }),
  fixtureCase("norm_3", "float32", (x) => np.linalg.norm(arr(x), 3), { title: "linalg.norm ord 3", rtol: 1e-5 }),
  fixtureCase("norm_matrix_1", "float32", (x) => np.linalg.norm(arr(x), 1), {
    title: "linalg.norm matrix ord 1 (max column sum)",
  }),
  fixtureCase("norm_matrix_inf", "float32", (x) => np.linalg.norm(arr(x), Infinity), {
    title: "linalg.norm matrix ord inf (max row sum)",
  }),
  // Hand-computed.
  {
    name: "pad of int32 with one width for every side",
    build: () => np.pad(np.array([[1]], { dtype: "int32" }), 1),
    expect: [
      [0, 0, 0],
      [0, 1, 0],
      [0, 0, 0],
    ],
    dtype: "int32",
  },
  {
    name: "flip of a bool vector",
    build: () => np.flip(np.array([true, false, false])),
    expect: [false, false, true],
    dtype: "bool",
  },
  {
    name: "roll by the axis length is the identity",
    build: () => np.roll(np.array([1, 2, 3]), 3),
    expect: [1, 2, 3],
    dtype: "float32",
  },
]);
