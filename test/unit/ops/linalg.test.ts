// matmul (2-D, batched, batch-dim broadcasting, 1-D operands, int32 and bool) and dot (NumPy's
// cases: scalar, inner product, matrix, N-D · 1-D, N-D · M-D).
import { opCases } from "./harness.js";
import * as np from "../../../runtime/src/np.js";

const a = () =>
  np.array([
    [1, 2, 3],
    [4, 5, 6],
  ]); // [2,3]
const b = () =>
  np.array([
    [1, 0],
    [0, 1],
    [2, -1],
  ]); // [3,2]; a @ b = [[7, -1], [16, -1]]

opCases("matmul", [
  {
    name: "2-D",
    build: () => np.matmul(a(), b()),
    expect: [
      [7, -1],
      [16, -1],
    ],
    dtype: "float32",
  },
  {
    name: "2-D with its transpose",
    build: () => np.matmul(a(), a().T),
    expect: [
      [14, 32],
      [32, 77],
    ],
    dtype: "float32",
  },
  {
    name: "batched [2,2,2] @ [2,2,2]",
    build: () =>
      np.matmul(
        np.array([
          [
            [1, 2],
            [3, 4],
          ],
          [
            [1, 0],
            [0, 2],
          ],
        ]),
        np.array([
          [
            [1, 1],
            [0, 1],
          ],
          [
            [5, 6],
            [7, 8],
          ],
        ]),
      ),
    expect: [
      [
        [1, 3],
        [3, 7],
      ],
      [
        [5, 6],
        [14, 16],
      ],
    ],
    dtype: "float32",
  },
  {
    name: "batch dims broadcast: [2,1,2,2] @ [3,2,2] → [2,3,2,2]",
    build: () =>
      np.matmul(
        np.array([
          [
            [
              [1, 0],
              [0, 1],
            ],
          ],
          [
            [
              [2, 0],
              [0, 2],
            ],
          ],
        ]),
        np.stack([
          np.eye(2),
          np.ones([2, 2]),
          np.array([
            [0, 1],
            [1, 0],
          ]),
        ]),
      ),
    expect: [
      [
        [
          [1, 0],
          [0, 1],
        ],
        [
          [1, 1],
          [1, 1],
        ],
        [
          [0, 1],
          [1, 0],
        ],
      ],
      [
        [
          [2, 0],
          [0, 2],
        ],
        [
          [2, 2],
          [2, 2],
        ],
        [
          [0, 2],
          [2, 0],
        ],
      ],
    ],
    dtype: "float32",
  },
  {
    name: "a 2-D left operand broadcast against a batch",
    build: () =>
      np.matmul(
        np.array([[1, 1]]),
        np.array([
          [[1], [2]],
          [[3], [4]],
        ]),
      ),
    expect: [[[3]], [[7]]],
    dtype: "float32",
  },
  { name: "1-D @ 2-D", build: () => np.matmul(np.array([1, 1, 1]), b()), expect: [3, 0], dtype: "float32" },
  { name: "2-D @ 1-D", build: () => np.matmul(a(), np.array([1, 0, -1])), expect: [-2, -2], dtype: "float32" },
  {
    name: "1-D @ 1-D is a scalar",
    build: () => np.matmul(np.array([1, 2, 3]), np.array([4, 5, 6])),
    expect: 32,
    dtype: "float32",
  },
  {
    name: "batched @ 1-D",
    build: () => np.matmul(np.ones([2, 3, 2]), np.array([1, 2])),
    expect: [
      [3, 3, 3],
      [3, 3, 3],
    ],
    dtype: "float32",
  },
  {
    name: "int32",
    build: () => np.matmul(np.arange(4).reshape(2, 2), np.arange(4).reshape(2, 2)),
    expect: [
      [2, 3],
      [6, 11],
    ],
    dtype: "int32",
  },
  {
    name: "int32 @ float32 gives float32",
    build: () => np.matmul(np.arange(2).reshape(1, 2), np.array([[0.5], [0.25]])),
    expect: [[0.25]],
    dtype: "float32",
  },
  {
    name: "bool computes in int32",
    build: () => np.matmul(np.array([[true, true]]), np.array([[true], [true]])),
    expect: [[2]],
    dtype: "int32",
  },
  {
    name: "a larger product against hand sums ([17,33] @ [33,9] of index patterns)",
    build: () =>
      np
        .matmul(
          np
            .arange(17 * 33)
            .reshape(17, 33)
            .astype("float32")
            .divide(100),
          np.ones([33, 9]),
        )
        .slice([16], [17], [1]),
    // row 16 holds (16·33 + j)/100 for j < 33: its sum is (33·528 + 528)/100 = 179.52
    expect: [[179.52, 179.52, 179.52, 179.52, 179.52, 179.52, 179.52, 179.52, 179.52]],
    dtype: "float32",
    rtol: 1e-5,
  },
]);

opCases("dot", [
  { name: "scalar × array", build: () => np.dot(2, np.array([1, 2])), expect: [2, 4], dtype: "float32" },
  {
    name: "inner product of vectors",
    build: () => np.dot(np.array([1, 2, 3]), np.array([4, 5, 6])),
    expect: 32,
    dtype: "float32",
  },
  {
    name: "matrix product",
    build: () => np.dot(a(), b()),
    expect: [
      [7, -1],
      [16, -1],
    ],
    dtype: "float32",
  },
  {
    name: "N-D · 1-D sums over the last axis",
    build: () => np.dot(np.arange(8).reshape(2, 2, 2), np.array([1, 10], { dtype: "int32" })),
    expect: [
      [10, 32],
      [54, 76],
    ],
    dtype: "int32",
  },
  {
    name: "N-D · M-D contracts a's last axis with b's second-to-last",
    build: () =>
      np.dot(
        np.array([[1, 2]]),
        np.array([
          [
            [1, 0, 2],
            [0, 1, 3],
          ],
          [
            [2, 2, 2],
            [1, 1, 1],
          ],
        ]),
      ),
    // out[i, k, m] = sum_j a[i, j] · b[k, j, m]
    expect: [
      [
        [1, 2, 8],
        [4, 4, 4],
      ],
    ],
    dtype: "float32",
  },
]);
