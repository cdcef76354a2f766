// Array methods: each is the np function of the same name with the array first
// (a.add(b), a.reshape(2, 3), a.T, a.sum(0, { keepdims }), …).
import { opCases } from "./harness.js";
import * as np from "../../../runtime/src/np.js";

const a = () =>
  np.array([
    [1, 2, 3],
    [4, 5, 6],
  ]);

opCases("methods", [
  {
    name: "add / sub / mul / div chain",
    build: () =>
      a()
        .add(1)
        .sub(np.array([1, 1, 1]))
        .mul(2)
        .div(4),
    expect: [
      [0.5, 1, 1.5],
      [2, 2.5, 3],
    ],
    dtype: "float32",
  },
  {
    name: "pow, neg, abs",
    build: () => a().pow(2).neg().abs(),
    expect: [
      [1, 4, 9],
      [16, 25, 36],
    ],
    dtype: "float32",
  },
  {
    name: "maximum / minimum",
    build: () => a().maximum(2).minimum(5),
    expect: [
      [2, 2, 3],
      [4, 5, 5],
    ],
    dtype: "float32",
  },
  {
    name: "comparisons gt / le / eq / ne",
    build: () =>
      np
        .stack([a().gt(3), a().le(2), a().eq(5), a().ne(1)])
        .astype("int32")
        .sum(-1),
    expect: [
      [0, 3],
      [2, 0],
      [0, 1],
      [2, 3],
    ],
    dtype: "int32",
  },
  {
    name: "exp().log() round trip",
    build: () => a().exp().log(),
    expect: [
      [1, 2, 3],
      [4, 5, 6],
    ],
    dtype: "float32",
    rtol: 1e-5,
  },
  {
    name: "square, sqrt, sign, tanh, sin, cos",
    build: () =>
      np
        .stack([a().square().sqrt(), a().neg().sign(), a().mul(0).tanh(), a().mul(0).sin(), a().mul(0).cos()])
        .sum([1, 2]),
    expect: [21, -6, 0, 0, 6],
    dtype: "float32",
  },
  {
    name: "astype",
    build: () => a().div(2).astype("int32"),
    expect: [
      [0, 1, 1],
      [2, 2, 3],
    ],
    dtype: "int32",
  },
  {
    name: "reshape(3, 2)",
    build: () => a().reshape(3, 2),
    expect: [
      [1, 2],
      [3, 4],
      [5, 6],
    ],
    dtype: "float32",
  },
  { name: "reshape([-1])", build: () => a().reshape([-1]), expect: [1, 2, 3, 4, 5, 6], dtype: "float32" },
  {
    name: "T",
    build: () => a().T,
    expect: [
      [1, 4],
      [2, 5],
      [3, 6],
    ],
    dtype: "float32",
  },
  {
    name: "transpose(1, 0)",
    build: () => a().transpose(1, 0),
    expect: [
      [1, 4],
      [2, 5],
      [3, 6],
    ],
    dtype: "float32",
  },
  {
    name: "sum(0) / mean(-1, keepdims)",
    build: () =>
      a()
        .sum(0)
        .add(a().mean(-1, { keepdims: true })),
    expect: [
      [7, 9, 11],
      [10, 12, 14],
    ],
    dtype: "float32",
  },
  {
    name: "max / min / argmax / argmin",
    build: () =>
      np.stack([
        a().max(1),
        a().min(1),
        a().argmax(1).astype("float32"),
        a().argmin(0).astype("float32").slice([0], [2]),
      ]),
    expect: [
      [3, 6],
      [1, 4],
      [2, 2],
      [0, 0],
    ],
    dtype: "float32",
  },
  {
    name: "expand_dims / squeeze / ravel / flatten",
    build: () => a().expand_dims(0).squeeze(0).ravel().flatten(),
    expect: [1, 2, 3, 4, 5, 6],
    dtype: "float32",
  },
  {
    name: "broadcast_to",
    build: () => np.array([1, 2]).broadcast_to([2, 2]),
    expect: [
      [1, 2],
      [1, 2],
    ],
    dtype: "float32",
  },
  { name: "slice and take", build: () => a().slice([1]).take([2, 0], 1), expect: [[6, 4]], dtype: "float32" },
  {
    name: "matmul and dot",
    build: () =>
      a()
        .matmul(a().T)
        .add(
          a()
            .dot(np.array([1, 1, 1]))
            .reshape(2, 1),
        ),
    expect: [
      [20, 38],
      [47, 92],
    ],
    dtype: "float32",
  },
  {
    name: "swapaxes(0, 1) as np.swapaxes",
    build: () => a().swapaxes(0, 1),
    expect: [
      [1, 4],
      [2, 5],
      [3, 6],
    ],
    dtype: "float32",
  },
  {
    name: "mT swaps the last two axes of a batch of matrices",
    build: () => np.reshape(np.arange(12), [2, 2, 3]).mT,
    expect: [
      [
        [0, 3],
        [1, 4],
        [2, 5],
      ],
      [
        [6, 9],
        [7, 10],
        [8, 11],
      ],
    ],
    dtype: "int32",
  },
]);
