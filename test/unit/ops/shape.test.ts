// Shape functions: reshape (with -1), transpose (default, explicit, negative axes), broadcast_to,
// expand_dims, squeeze, concatenate (with dtype promotion), stack, ravel.
import { opCases } from "./harness.js";
import * as np from "../../../runtime/src/np.js";

const m = () =>
  np.array([
    [1, 2, 3],
    [4, 5, 6],
  ]);
const t = () => np.arange(24).reshape(2, 3, 4);

opCases("reshape", [
  {
    name: "to [3,2]",
    build: () => np.reshape(m(), [3, 2]),
    expect: [
      [1, 2],
      [3, 4],
      [5, 6],
    ],
    dtype: "float32",
  },
  {
    name: "with -1",
    build: () => np.reshape(m(), [-1, 3, 1]),
    expect: [
      [[1], [2], [3]],
      [[4], [5], [6]],
    ],
    dtype: "float32",
  },
  { name: "to 1-D by -1", build: () => np.reshape(m(), -1), expect: [1, 2, 3, 4, 5, 6], dtype: "float32" },
  { name: "to a scalar", build: () => np.reshape(np.array([7]), []), expect: 7, dtype: "float32" },
  { name: "ravel", build: () => np.ravel(np.transpose(m())), expect: [1, 4, 2, 5, 3, 6], dtype: "float32" },
]);

opCases("transpose", [
  {
    name: "2-D default",
    build: () => np.transpose(m()),
    expect: [
      [1, 4],
      [2, 5],
      [3, 6],
    ],
    dtype: "float32",
  },
  {
    name: "3-D default reverses axes",
    build: () => np.transpose(t()).slice([0, 0], [2, 2]),
    shape: [2, 2, 2],
    expect: [
      [
        [0, 12],
        [4, 16],
      ],
      [
        [1, 13],
        [5, 17],
      ],
    ],
    dtype: "int32",
  },
  {
    name: "3-D explicit [1, 0, 2]",
    build: () => np.transpose(t(), [1, 0, 2]).slice([0, 0, 0], [2, 2, 2]),
    expect: [
      [
        [0, 1],
        [12, 13],
      ],
      [
        [4, 5],
        [16, 17],
      ],
    ],
    dtype: "int32",
  },
  {
    name: "negative axes [-1, 0, 1]",
    build: () => np.transpose(t(), [-1, 0, 1]).slice([1], [2]),
    expect: [
      [
        [1, 5, 9],
        [13, 17, 21],
      ],
    ],
    dtype: "int32",
  },
  { name: "of bool", build: () => np.transpose(np.array([[true, false]])), expect: [[true], [false]], dtype: "bool" },
  {
    name: "swapaxes",
    build: () => np.swapaxes(np.arange(6).reshape(1, 2, 3), 0, -1),
    expect: [
      [[0], [3]],
      [[1], [4]],
      [[2], [5]],
    ],
    dtype: "int32",
  },
]);

opCases("broadcast_to, expand_dims, squeeze", [
  {
    name: "broadcast_to a row",
    build: () => np.broadcast_to(np.array([1, 2]), [3, 2]),
    expect: [
      [1, 2],
      [1, 2],
      [1, 2],
    ],
    dtype: "float32",
  },
  {
    name: "broadcast_to a column with a new leading axis",
    build: () => np.broadcast_to(np.array([[1], [2]]), [2, 2, 3]),
    expect: [
      [
        [1, 1, 1],
        [2, 2, 2],
      ],
      [
        [1, 1, 1],
        [2, 2, 2],
      ],
    ],
    dtype: "float32",
  },
  {
    name: "broadcast_to a scalar number",
    build: () => np.broadcast_to(np.array(4, { dtype: "int32" }), [2]),
    expect: [4, 4],
    dtype: "int32",
  },
  { name: "expand_dims axis 0", build: () => np.expand_dims(np.array([1, 2]), 0), expect: [[1, 2]], dtype: "float32" },
  {
    name: "expand_dims axis -1",
    build: () => np.expand_dims(np.array([1, 2]), -1),
    expect: [[1], [2]],
    dtype: "float32",
  },
  {
    name: "expand_dims axes [0, 2]",
    build: () => np.expand_dims(np.array([1, 2]), [0, 2]),
    expect: [[[1], [2]]],
    dtype: "float32",
  },
  {
    name: "squeeze all size-1 axes",
    build: () => np.squeeze(np.array([[[1], [2]]])),
    expect: [1, 2],
    dtype: "float32",
  },
  { name: "squeeze axis -1", build: () => np.squeeze(np.array([[[1], [2]]]), -1), expect: [[1, 2]], dtype: "float32" },
]);

opCases("concatenate and stack", [
  {
    name: "concatenate axis 0",
    build: () =>
      np.concatenate([
        np.array([[1, 2]]),
        np.array([
          [3, 4],
          [5, 6],
        ]),
      ]),
    expect: [
      [1, 2],
      [3, 4],
      [5, 6],
    ],
    dtype: "float32",
  },
  {
    name: "concatenate axis -1",
    build: () =>
      np.concatenate(
        [
          np.array([[1], [2]]),
          np.array([
            [3, 4],
            [5, 6],
          ]),
        ],
        -1,
      ),
    expect: [
      [1, 3, 4],
      [2, 5, 6],
    ],
    dtype: "float32",
  },
  {
    name: "concatenate promotes int32 with float32",
    build: () => np.concatenate([np.arange(2), np.array([0.5])]),
    expect: [0, 1, 0.5],
    dtype: "float32",
  },
  {
    name: "concatenate of bools",
    build: () => np.concatenate([np.array([true]), np.array([false, true])]),
    expect: [true, false, true],
    dtype: "bool",
  },
  { name: "concatenate of one array", build: () => np.concatenate([np.arange(3)]), expect: [0, 1, 2], dtype: "int32" },
  {
    name: "stack default axis 0",
    build: () => np.stack([np.array([1, 2]), np.array([3, 4])]),
    expect: [
      [1, 2],
      [3, 4],
    ],
    dtype: "float32",
  },
  {
    name: "stack axis 1",
    build: () => np.stack([np.array([1, 2]), np.array([3, 4]), np.array([5, 6])], 1),
    expect: [
      [1, 3, 5],
      [2, 4, 6],
    ],
    dtype: "float32",
  },
  {
    name: "stack axis -1 of 0-d arrays",
    build: () => np.stack([np.array(1), np.array(2)], -1),
    expect: [1, 2],
    dtype: "float32",
  },
]);
