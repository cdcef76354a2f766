// Creation: array (nested lists, typed arrays, numbers, dtype option), zeros, ones, full,
// arange (stop / start, stop, step), linspace, eye, zeros_like / ones_like.
import { opCases } from "./harness.js";
import * as np from "../../../runtime/src/np.js";

opCases("array", [
  {
    name: "nested numbers default to float32",
    build: () =>
      np.array([
        [1, 2],
        [3, 4],
      ]),
    expect: [
      [1, 2],
      [3, 4],
    ],
    dtype: "float32",
  },
  { name: "dtype int32", build: () => np.array([1, -2], { dtype: "int32" }), expect: [1, -2], dtype: "int32" },
  {
    name: "float values cast to int32 truncate",
    build: () => np.array([1.9, -1.9], { dtype: "int32" }),
    expect: [1, -1],
    dtype: "int32",
  },
  {
    name: "nested booleans give bool",
    build: () => np.array([[true], [false]]),
    expect: [[true], [false]],
    dtype: "bool",
  },
  {
    name: "numbers to bool are != 0",
    build: () => np.array([0, 3], { dtype: "bool" }),
    expect: [false, true],
    dtype: "bool",
  },
  { name: "a number is 0-d", build: () => np.array(2.5), expect: 2.5, dtype: "float32" },
  { name: "Float32Array", build: () => np.array(new Float32Array([0.5, 1.5])), expect: [0.5, 1.5], dtype: "float32" },
  { name: "Int32Array keeps int32", build: () => np.array(new Int32Array([7, 8])), expect: [7, 8], dtype: "int32" },
  { name: "an empty list", build: () => np.array([]), shape: [0], expect: [], dtype: "float32" },
  {
    name: "a list of arrays and numbers stacks them",
    build: () => np.array([np.array([1, 2]), [3, 4], np.arange(2)]),
    expect: [
      [1, 2],
      [3, 4],
      [0, 1],
    ],
    dtype: "float32",
  },
  {
    name: "a list of 0-d arrays with a dtype",
    build: () => np.array([np.array(1.5), np.array(2.5)], { dtype: "int32" }),
    expect: [1, 2],
    dtype: "int32",
  },
  {
    name: "an existing array with a dtype casts it",
    build: () => np.array(np.array([1.5]), { dtype: "int32" }),
    expect: [1],
    dtype: "int32",
  },
]);

opCases("zeros, ones, full", [
  {
    name: "zeros [2,3]",
    build: () => np.zeros([2, 3]),
    expect: [
      [0, 0, 0],
      [0, 0, 0],
    ],
    dtype: "float32",
  },
  { name: "zeros of a number shape", build: () => np.zeros(2, { dtype: "int32" }), expect: [0, 0], dtype: "int32" },
  { name: "ones [2]", build: () => np.ones([2]), expect: [1, 1], dtype: "float32" },
  { name: "ones bool", build: () => np.ones([1, 2], { dtype: "bool" }), expect: [[true, true]], dtype: "bool" },
  { name: "ones of shape [] is 0-d", build: () => np.ones([]), expect: 1, dtype: "float32" },
  {
    name: "full",
    build: () => np.full([2, 2], 3.5),
    expect: [
      [3.5, 3.5],
      [3.5, 3.5],
    ],
    dtype: "float32",
  },
  { name: "full int32", build: () => np.full([3], 7, { dtype: "int32" }), expect: [7, 7, 7], dtype: "int32" },
  { name: "full with a boolean", build: () => np.full([2], true), expect: [true, true], dtype: "bool" },
  {
    name: "zeros_like keeps shape and dtype",
    build: () => np.zeros_like(np.arange(3)),
    expect: [0, 0, 0],
    dtype: "int32",
  },
  { name: "ones_like", build: () => np.ones_like(np.array([[2, 2]])), expect: [[1, 1]], dtype: "float32" },
]);

opCases("arange, linspace, eye", [
  { name: "arange(stop) is int32", build: () => np.arange(4), expect: [0, 1, 2, 3], dtype: "int32" },
  {
    name: "arange(stop, { dtype }) takes the options right after stop",
    build: () => np.arange(3, { dtype: "float32" }),
    expect: [0, 1, 2],
    dtype: "float32",
  },
  {
    name: "arange(start, stop, { dtype })",
    build: () => np.arange(1, 4, { dtype: "float32" }),
    expect: [1, 2, 3],
    dtype: "float32",
  },
  {
    name: "arange(start, stop, step, { dtype })",
    build: () => np.arange(0, 5, 2, { dtype: "float32" }),
    expect: [0, 2, 4],
    dtype: "float32",
  },
  { name: "arange(start, stop)", build: () => np.arange(2, 5), expect: [2, 3, 4], dtype: "int32" },
  { name: "arange with a negative step", build: () => np.arange(5, 0, -2), expect: [5, 3, 1], dtype: "int32" },
  {
    name: "arange with a float step is float32",
    build: () => np.arange(0, 1, 0.25),
    expect: [0, 0.25, 0.5, 0.75],
    dtype: "float32",
  },
  { name: "arange empty when stop <= start", build: () => np.arange(3, 3), shape: [0], expect: [], dtype: "int32" },
  {
    name: "linspace includes both ends",
    build: () => np.linspace(0, 1, 5),
    expect: [0, 0.25, 0.5, 0.75, 1],
    dtype: "float32",
  },
  { name: "linspace downwards", build: () => np.linspace(2, -2, 3), expect: [2, 0, -2], dtype: "float32" },
  {
    name: "linspace endpoint false",
    build: () => np.linspace(0, 1, 4, { endpoint: false }),
    expect: [0, 0.25, 0.5, 0.75],
    dtype: "float32",
  },
  { name: "linspace of one value", build: () => np.linspace(3, 9, 1), expect: [3], dtype: "float32" },
  {
    name: "eye(3)",
    build: () => np.eye(3),
    expect: [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ],
    dtype: "float32",
  },
  {
    name: "eye(2, 3, 1)",
    build: () => np.eye(2, 3, 1),
    expect: [
      [0, 1, 0],
      [0, 0, 1],
    ],
    dtype: "float32",
  },
  {
    name: "eye int32 below the diagonal",
    build: () => np.eye(3, 2, -1, { dtype: "int32" }),
    expect: [
      [0, 0],
      [1, 0],
      [0, 1],
    ],
    dtype: "int32",
  },
]);
