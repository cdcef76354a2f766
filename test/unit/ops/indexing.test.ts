// Slicing (np.slice / a.slice: Python-style start/limit/stride per leading axis) and np.take
// (static JS indices and int32 index arrays, negative indices, along any axis).
import { opCases } from "./harness.js";
import * as np from "../../../runtime/src/np.js";

const m = () => np.arange(12).reshape(3, 4); // [[0..3],[4..7],[8..11]]
const idx = (v: number[] | number[][]) => np.array(v, { dtype: "int32" });

opCases("slice", [
  {
    name: "rows 1:3",
    build: () => np.slice(m(), [1], [3]),
    expect: [
      [4, 5, 6, 7],
      [8, 9, 10, 11],
    ],
    dtype: "int32",
  },
  {
    name: "[:, ::2]",
    build: () => np.slice(m(), [null, null], [null, null], [1, 2]),
    expect: [
      [0, 2],
      [4, 6],
      [8, 10],
    ],
    dtype: "int32",
  },
  {
    name: "negative start counts from the end ([-1:, 1:3])",
    build: () => np.slice(m(), [-1, 1], [null, 3]),
    expect: [[9, 10]],
    dtype: "int32",
  },
  { name: "out-of-range limits clamp", build: () => np.slice(m(), [2, 3], [99, 99]), expect: [[11]], dtype: "int32" },
  {
    name: "an empty range gives size 0",
    build: () => np.slice(np.array([1, 2, 3]), [2], [1]),
    shape: [0],
    expect: [],
    dtype: "float32",
  },
  {
    name: "method form with stride 2 on floats",
    build: () => np.array([1, 2, 3, 4, 5]).slice([1], [null], [2]),
    expect: [2, 4],
    dtype: "float32",
  },
  { name: "of bools", build: () => np.array([true, false, true]).slice([1]), expect: [false, true], dtype: "bool" },
  {
    name: "numbers mean the first axis (x[1:3])",
    build: () => np.slice(m(), 1, 3),
    expect: [
      [4, 5, 6, 7],
      [8, 9, 10, 11],
    ],
    dtype: "int32",
  },
  { name: "method form a.slice(-1) is a[-1:]", build: () => m().slice(-1), expect: [[8, 9, 10, 11]], dtype: "int32" },
]);

opCases("take with static indices", [
  { name: "one index removes the axis", build: () => np.take(m(), 1, 0), expect: [4, 5, 6, 7], dtype: "int32" },
  {
    name: "a list along axis 1",
    build: () => np.take(m(), [3, 0, 3], 1),
    expect: [
      [3, 0, 3],
      [7, 4, 7],
      [11, 8, 11],
    ],
    dtype: "int32",
  },
  {
    name: "negative indices along axis -2",
    build: () => np.take(m(), [-1, 0], -2),
    expect: [
      [8, 9, 10, 11],
      [0, 1, 2, 3],
    ],
    dtype: "int32",
  },
  {
    name: "no axis takes from the flattened array",
    build: () => np.take(m(), [11, 5]),
    expect: [11, 5],
    dtype: "int32",
  },
]);

opCases("take with an int32 index array", [
  {
    name: "rows of a float matrix (an embedding lookup)",
    build: () =>
      np.take(
        np.array([
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
        idx([2, 0, 2]),
        0,
      ),
    expect: [
      [5, 6],
      [1, 2],
      [5, 6],
    ],
    dtype: "float32",
  },
  {
    name: "a 2-D index array along axis 1",
    build: () =>
      np.take(
        m(),
        idx([
          [0, 3],
          [1, 1],
        ]),
        1,
      ),
    expect: [
      [
        [0, 3],
        [1, 1],
      ],
      [
        [4, 7],
        [5, 5],
      ],
      [
        [8, 11],
        [9, 9],
      ],
    ],
    dtype: "int32",
  },
  {
    name: "negative indices wrap",
    build: () => np.take(np.array([10, 20, 30]), idx([-1, -3])),
    expect: [30, 10],
    dtype: "float32",
  },
  {
    name: "of bools",
    build: () => np.take(np.array([true, false]), idx([1, 0, 0])),
    expect: [false, true, true],
    dtype: "bool",
  },
]);
