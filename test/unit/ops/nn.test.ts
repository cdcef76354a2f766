// nn: relu, gelu (tanh approximation), sigmoid, softmax / logSoftmax / logsumexp (max-shifted,
// so large inputs stay finite), against hand formulas in float64.
import { opCases } from "./harness.js";
import * as np from "../../../runtime/src/np.js";
import * as nn from "../../../runtime/src/nn.js";

const geluRef = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
const sig = (x: number) => 1 / (1 + Math.exp(-x));
const softmaxRef = (xs: number[]) => {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};
const lse = (xs: number[]) => {
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((a, x) => a + Math.exp(x - m), 0));
};
const rows = [
  [1, 2, 3],
  [-1, 0, 1000],
];

opCases("nn", [
  { name: "relu", build: () => nn.relu(np.array([-2, 0, 3.5])), expect: [0, 0, 3.5], dtype: "float32" },
  {
    name: "relu of int32 stays int32",
    build: () => nn.relu(np.array([-2, 4], { dtype: "int32" })),
    expect: [0, 4],
    dtype: "int32",
  },
  {
    name: "gelu",
    build: () => nn.gelu(np.array([-3, -1, 0, 0.5, 2])),
    expect: [-3, -1, 0, 0.5, 2].map(geluRef),
    dtype: "float32",
    atol: 1e-6,
  },
  {
    name: "gelu of int32 gives float32",
    build: () => nn.gelu(np.array([1], { dtype: "int32" })),
    expect: [geluRef(1)],
    dtype: "float32",
  },
  {
    name: "sigmoid",
    build: () => nn.sigmoid(np.array([-4, 0, 1, 30])),
    expect: [sig(-4), 0.5, sig(1), 1],
    dtype: "float32",
  },
  {
    name: "sigmoid of a large negative is 0, not NaN",
    build: () => nn.sigmoid(np.array([-200])),
    expect: [0],
    dtype: "float32",
  },
  {
    name: "softmax over the last axis (a huge entry stays finite)",
    build: () => nn.softmax(np.array(rows)),
    expect: rows.map(softmaxRef),
    dtype: "float32",
  },
  {
    name: "softmax axis 0",
    build: () =>
      nn.softmax(
        np.array([
          [0, 1],
          [Math.log(3), 1],
        ]),
        0,
      ),
    expect: [
      [0.25, 0.5],
      [0.75, 0.5],
    ],
    dtype: "float32",
  },
  {
    name: "logSoftmax",
    build: () => nn.logSoftmax(np.array(rows)),
    expect: rows.map((r) => r.map((x) => x - lse(r))),
    dtype: "float32",
    rtol: 1e-5,
    atol: 1e-5,
  },
  {
    name: "logsumexp over all axes",
    build: () =>
      nn.logsumexp(
        np.array([
          [1, 2],
          [3, 4],
        ]),
      ),
    expect: lse([1, 2, 3, 4]),
    dtype: "float32",
  },
  {
    name: "logsumexp axis -1 of large values",
    build: () => nn.logsumexp(np.array(rows), -1),
    expect: rows.map(lse),
    dtype: "float32",
  },
  {
    name: "logsumexp of a row of -inf is -inf, not NaN",
    build: () =>
      nn.logsumexp(
        np.array([
          [-Infinity, -Infinity],
          [0, -Infinity],
        ]),
        1,
      ),
    expect: [-Infinity, 0],
    dtype: "float32",
  },
  {
    name: "logsumexp axis 0 keepdims",
    build: () =>
      nn.logsumexp(
        np.array([
          [0, 1],
          [0, 1],
        ]),
        0,
        { keepdims: true },
      ),
    expect: [[Math.log(2), 1 + Math.log(2)]],
    dtype: "float32",
  },
]);
