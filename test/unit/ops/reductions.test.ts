// Reductions: sum mean max min argmax argmin with axis undefined / number / negative / list and
// keepdims; sum of bool and int32, mean of int32 (float32), max/min of bool.
import { opCases } from "./harness.js";
import * as np from "../../../runtime/src/np.js";

const m = () =>
  np.array([
    [1, 5, 3],
    [4, 2, 6],
  ]); // float32[2,3]
const t = () => np.arange(24).reshape(2, 3, 4); // int32[2,3,4], value = 12a + 4b + c; summed over a and c: 60 + 32b

opCases("sum", [
  { name: "all axes", build: () => np.sum(m()), expect: 21, dtype: "float32" },
  { name: "axis 0", build: () => np.sum(m(), 0), expect: [5, 7, 9], dtype: "float32" },
  { name: "axis -1", build: () => np.sum(m(), -1), expect: [9, 12], dtype: "float32" },
  { name: "axis -1 keepdims", build: () => np.sum(m(), -1, { keepdims: true }), expect: [[9], [12]], dtype: "float32" },
  { name: "all axes keepdims", build: () => np.sum(m(), null, { keepdims: true }), expect: [[21]], dtype: "float32" },
  { name: "axes [0, 2] of int32[2,3,4]", build: () => np.sum(t(), [0, 2]), expect: [60, 92, 124], dtype: "int32" },
  {
    name: "axes [-1, 0] keepdims",
    build: () => np.sum(t(), [-1, 0], { keepdims: true }),
    expect: [[[60], [92], [124]]],
    dtype: "int32",
  },
  {
    name: "empty axis list is the identity",
    build: () => np.sum(m(), []),
    expect: [
      [1, 5, 3],
      [4, 2, 6],
    ],
    dtype: "float32",
  },
  { name: "of bool counts trues (int32)", build: () => np.sum(np.greater(m(), 2.5)), expect: 4, dtype: "int32" },
  { name: "of a number", build: () => np.sum(3), expect: 3, dtype: "int32" },
]);

opCases("mean", [
  { name: "all axes", build: () => np.mean(m()), expect: 3.5, dtype: "float32" },
  { name: "axis 1", build: () => np.mean(m(), 1), expect: [3, 4], dtype: "float32" },
  {
    name: "axis -2 keepdims",
    build: () => np.mean(m(), -2, { keepdims: true }),
    expect: [[2.5, 3.5, 4.5]],
    dtype: "float32",
  },
  {
    name: "of int32 gives float32",
    build: () => np.mean(np.array([1, 2], { dtype: "int32" })),
    expect: 1.5,
    dtype: "float32",
  },
  {
    name: "axes [0, 1] of int32[2,3,4]",
    build: () => np.mean(t(), [0, 1]),
    expect: [10, 11, 12, 13],
    dtype: "float32",
  },
]);

opCases("max and min", [
  { name: "max all", build: () => np.max(m()), expect: 6, dtype: "float32" },
  { name: "max axis 0", build: () => np.max(m(), 0), expect: [4, 5, 6], dtype: "float32" },
  {
    name: "max axis -1 keepdims",
    build: () => np.max(m(), -1, { keepdims: true }),
    expect: [[5], [6]],
    dtype: "float32",
  },
  { name: "min all", build: () => np.min(m()), expect: 1, dtype: "float32" },
  { name: "min axis 1", build: () => np.min(m(), 1), expect: [1, 2], dtype: "float32" },
  { name: "min of negative values", build: () => np.min(np.array([-3, -7, -1])), expect: -7, dtype: "float32" },
  { name: "max of int32 over axes [1, 2]", build: () => np.max(t(), [1, 2]), expect: [11, 23], dtype: "int32" },
  {
    name: "min of int32 axis -2",
    build: () => np.min(t(), -2),
    expect: [
      [0, 1, 2, 3],
      [12, 13, 14, 15],
    ],
    dtype: "int32",
  },
  {
    name: "max of bool is any",
    build: () =>
      np.max(
        np.array([
          [false, true],
          [false, false],
        ]),
        1,
      ),
    expect: [true, false],
    dtype: "bool",
  },
  {
    name: "min of bool is all",
    build: () =>
      np.min(
        np.array([
          [true, true],
          [false, true],
        ]),
        1,
      ),
    expect: [true, false],
    dtype: "bool",
  },
]);

opCases("argmax and argmin", [
  { name: "argmax of the flattened array", build: () => np.argmax(m()), expect: 5, dtype: "int32" },
  { name: "argmax axis 0", build: () => np.argmax(m(), 0), expect: [1, 0, 1], dtype: "int32" },
  {
    name: "argmax axis -1 keepdims",
    build: () => np.argmax(m(), -1, { keepdims: true }),
    expect: [[1], [2]],
    dtype: "int32",
  },
  {
    name: "argmax returns the first of ties",
    build: () => np.argmax(np.array([1, 3, 3, 0])),
    expect: 1,
    dtype: "int32",
  },
  { name: "argmin of the flattened array", build: () => np.argmin(m()), expect: 0, dtype: "int32" },
  { name: "argmin axis 1", build: () => np.argmin(m(), 1), expect: [0, 1], dtype: "int32" },
  {
    name: "argmin of int32 axis -2",
    build: () =>
      np.argmin(
        np.array(
          [
            [3, 1],
            [2, 4],
            [0, 9],
          ],
          { dtype: "int32" },
        ),
        -2,
      ),
    expect: [2, 0],
    dtype: "int32",
  },
  { name: "argmax of bool", build: () => np.argmax(np.array([false, false, true, true])), expect: 2, dtype: "int32" },
  { name: "argmin all keepdims", build: () => np.argmin(m(), null, { keepdims: true }), expect: [[0]], dtype: "int32" },
]);
