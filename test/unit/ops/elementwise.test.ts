// Elementwise np functions: hand values, NumPy broadcasting, JAX dtype promotion (bool < int32 <
// float32, JS numbers weakly typed), int and bool paths; each on WebGPU and the CPU reference.
import { opCases } from "./harness.js";
import * as np from "../../../runtime/src/np.js";

const f = (v: Parameters<typeof np.array>[0]) => np.array(v);
const i = (v: Parameters<typeof np.array>[0]) => np.array(v, { dtype: "int32" });
const b = (v: Parameters<typeof np.array>[0]) => np.array(v, { dtype: "bool" });

opCases("binary arithmetic", [
  {
    name: "add same shape",
    build: () => np.add(f([1, 2, 3]), f([10, 20, 30])),
    expect: [11, 22, 33],
    dtype: "float32",
  },
  {
    name: "add broadcasts a row over a matrix",
    build: () =>
      np.add(
        f([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        f([10, 20, 30]),
      ),
    expect: [
      [11, 22, 33],
      [14, 25, 36],
    ],
    dtype: "float32",
  },
  {
    name: "add broadcasts a column against a row ([3,1] + [4] → [3,4])",
    build: () => np.add(f([[0], [10], [20]]), f([1, 2, 3, 4])),
    expect: [
      [1, 2, 3, 4],
      [11, 12, 13, 14],
      [21, 22, 23, 24],
    ],
    dtype: "float32",
  },
  {
    name: "add broadcasts a 0-d array",
    build: () =>
      np.add(
        f([
          [1, 2],
          [3, 4],
        ]),
        np.array(5),
      ),
    expect: [
      [6, 7],
      [8, 9],
    ],
    dtype: "float32",
  },
  { name: "add a JS number", build: () => np.add(f([1, 2]), 0.5), expect: [1.5, 2.5], dtype: "float32" },
  {
    name: "subtract broadcasts over a leading axis ([2,1,2] - [3,2])",
    build: () =>
      np.subtract(
        f([[[10, 20]], [[30, 40]]]),
        f([
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
      ),
    expect: [
      [
        [9, 18],
        [7, 16],
        [5, 14],
      ],
      [
        [29, 38],
        [27, 36],
        [25, 34],
      ],
    ],
    dtype: "float32",
  },
  {
    name: "subtract with the number first",
    build: () => np.subtract(1, f([0.25, 3])),
    expect: [0.75, -2],
    dtype: "float32",
  },
  {
    name: "multiply",
    build: () => np.multiply(f([1.5, -2, 4]), f([2, 3, -0.5])),
    expect: [3, -6, -2],
    dtype: "float32",
  },
  {
    name: "divide floats",
    build: () => np.divide(f([1, 3, -4]), f([4, 2, 8])),
    expect: [0.25, 1.5, -0.5],
    dtype: "float32",
  },
  {
    name: "divide by zero gives ±inf and NaN",
    build: () => np.divide(f([1, -1, 0]), 0),
    expect: [Infinity, -Infinity, NaN],
    dtype: "float32",
  },
  { name: "power", build: () => np.power(f([2, 3, 4]), f([3, 2, 0.5])), expect: [8, 9, 2], dtype: "float32" },
  { name: "power with a number exponent", build: () => np.power(f([1, 2, 3]), 2), expect: [1, 4, 9], dtype: "float32" },
  {
    name: "maximum broadcasts",
    build: () =>
      np.maximum(
        f([
          [1, 5],
          [7, -2],
        ]),
        f([3, 0]),
      ),
    expect: [
      [3, 5],
      [7, 0],
    ],
    dtype: "float32",
  },
  { name: "minimum with a number", build: () => np.minimum(f([1, 5, -3]), 2), expect: [1, 2, -3], dtype: "float32" },
]);

opCases("dtype promotion", [
  { name: "int32 + int32 stays int32", build: () => np.add(i([1, 2]), i([3, 4])), expect: [4, 6], dtype: "int32" },
  {
    name: "int32 + float32 gives float32",
    build: () => np.add(i([1, 2]), f([0.5, 0.25])),
    expect: [1.5, 2.25],
    dtype: "float32",
  },
  {
    name: "int32 + integer number stays int32 (weak type)",
    build: () => np.add(i([1, 2]), 3),
    expect: [4, 5],
    dtype: "int32",
  },
  {
    name: "int32 + float number gives float32",
    build: () => np.add(i([1, 2]), 0.5),
    expect: [1.5, 2.5],
    dtype: "float32",
  },
  { name: "float32 + integer number stays float32", build: () => np.add(f([1.5]), 1), expect: [2.5], dtype: "float32" },
  {
    name: "bool + bool computes in int32",
    build: () => np.add(b([true, true, false]), b([true, false, false])),
    expect: [2, 1, 0],
    dtype: "int32",
  },
  {
    name: "bool + int32 gives int32",
    build: () => np.add(b([true, false]), i([5, 5])),
    expect: [6, 5],
    dtype: "int32",
  },
  {
    name: "bool * float32 gives float32",
    build: () => np.multiply(b([true, false]), f([2.5, 2.5])),
    expect: [2.5, 0],
    dtype: "float32",
  },
  {
    name: "bool + integer number gives int32",
    build: () => np.add(b([true, false]), 1),
    expect: [2, 1],
    dtype: "int32",
  },
  { name: "two integer numbers give int32", build: () => np.add(2, 3), expect: 5, dtype: "int32" },
  {
    name: "a float number with an integer number gives float32",
    build: () => np.multiply(2, 0.5),
    expect: 1,
    dtype: "float32",
  },
  {
    name: "int32 subtract and multiply",
    build: () => np.multiply(np.subtract(i([7, -3]), i([2, 2])), i([3, -4])),
    expect: [15, 20],
    dtype: "int32",
  },
  {
    name: "int32 divide is true division (float32)",
    build: () => np.divide(i([7, -7, 6]), i([2, 2, 3])),
    expect: [3.5, -3.5, 2],
    dtype: "float32",
  },
  {
    name: "int32 divided by an integer number is float32",
    build: () => np.divide(i([1, 3]), 2),
    expect: [0.5, 1.5],
    dtype: "float32",
  },
  { name: "int32 power", build: () => np.power(i([2, 3, -2]), i([3, 2, 3])), expect: [8, 9, -8], dtype: "int32" },
  {
    name: "int32 maximum and minimum",
    build: () => np.minimum(np.maximum(i([-5, 0, 9]), -1), 4),
    expect: [-1, 0, 4],
    dtype: "int32",
  },
  {
    name: "maximum of an int32 with a float number gives float32",
    build: () => np.maximum(i([1, 3]), 2.5),
    expect: [2.5, 3],
    dtype: "float32",
  },
]);

opCases("unary", [
  { name: "negative", build: () => np.negative(f([1, -2, 0.5])), expect: [-1, 2, -0.5], dtype: "float32" },
  { name: "negative int32", build: () => np.negative(i([3, -4])), expect: [-3, 4], dtype: "int32" },
  { name: "negative bool gives int32", build: () => np.negative(b([true, false])), expect: [-1, 0], dtype: "int32" },
  { name: "abs", build: () => np.abs(f([-1.5, 2, 0])), expect: [1.5, 2, 0], dtype: "float32" },
  { name: "abs int32", build: () => np.abs(i([-7, 7])), expect: [7, 7], dtype: "int32" },
  { name: "square", build: () => np.square(f([-3, 0.5])), expect: [9, 0.25], dtype: "float32" },
  { name: "square int32", build: () => np.square(i([-3, 4])), expect: [9, 16], dtype: "int32" },
  { name: "sqrt", build: () => np.sqrt(f([4, 2.25, 0])), expect: [2, 1.5, 0], dtype: "float32" },
  { name: "sqrt of a negative is NaN", build: () => np.sqrt(f([-1])), expect: [NaN], dtype: "float32" },
  { name: "sqrt of int32 gives float32", build: () => np.sqrt(i([9, 2])), expect: [3, Math.SQRT2], dtype: "float32" },
  { name: "exp", build: () => np.exp(f([0, 1, -1])), expect: [1, Math.E, 1 / Math.E], dtype: "float32" },
  { name: "exp of int32 gives float32", build: () => np.exp(i([0, 2])), expect: [1, Math.exp(2)], dtype: "float32" },
  { name: "log", build: () => np.log(f([1, Math.E, 0.5])), expect: [0, 1, Math.log(0.5)], dtype: "float32" },
  { name: "log of 0 is -inf", build: () => np.log(f([0])), expect: [-Infinity], dtype: "float32" },
  {
    name: "sin",
    build: () => np.sin(f([0, Math.PI / 2, -Math.PI / 6])),
    expect: [0, 1, -0.5],
    dtype: "float32",
    atol: 1e-6,
  },
  {
    name: "cos",
    build: () => np.cos(f([0, Math.PI, Math.PI / 3])),
    expect: [1, -1, 0.5],
    dtype: "float32",
    atol: 1e-6,
  },
  {
    name: "tanh",
    build: () => np.tanh(f([0, 1, -2, 20])),
    expect: [0, Math.tanh(1), Math.tanh(-2), 1],
    dtype: "float32",
  },
  { name: "sign", build: () => np.sign(f([-2.5, 0, 3])), expect: [-1, 0, 1], dtype: "float32" },
  { name: "sign int32", build: () => np.sign(i([-9, 0, 4])), expect: [-1, 0, 1], dtype: "int32" },
  { name: "unary on a number", build: () => np.exp(0), expect: 1, dtype: "float32" },
]);

opCases("comparisons", [
  { name: "greater", build: () => np.greater(f([1, 2, 3]), f([2, 2, 2])), expect: [false, false, true], dtype: "bool" },
  { name: "greater_equal", build: () => np.greater_equal(f([1, 2, 3]), 2), expect: [false, true, true], dtype: "bool" },
  {
    name: "less broadcasts",
    build: () => np.less(f([[1], [3]]), f([2, 3])),
    expect: [
      [true, true],
      [false, false],
    ],
    dtype: "bool",
  },
  {
    name: "less_equal",
    build: () => np.less_equal(i([1, 2, 3]), i([2, 2, 2])),
    expect: [true, true, false],
    dtype: "bool",
  },
  {
    name: "equal int32 with a float number promotes",
    build: () => np.equal(i([1, 2]), 1.5),
    expect: [false, false],
    dtype: "bool",
  },
  {
    name: "equal int32 with float32",
    build: () => np.equal(i([1, 2]), f([1, 2.5])),
    expect: [true, false],
    dtype: "bool",
  },
  {
    name: "not_equal",
    build: () => np.not_equal(f([1, NaN, 3]), f([1, NaN, 4])),
    expect: [false, true, true],
    dtype: "bool",
  },
  {
    name: "equal on bools",
    build: () => np.equal(b([true, false]), b([true, true])),
    expect: [true, false],
    dtype: "bool",
  },
]);

opCases("where and astype", [
  {
    name: "where picks by a bool condition",
    build: () => np.where(b([true, false, true]), f([1, 2, 3]), f([10, 20, 30])),
    expect: [1, 20, 3],
    dtype: "float32",
  },
  {
    name: "where broadcasts condition and branches",
    build: () => np.where(b([[true], [false]]), f([1, 2]), 0),
    expect: [
      [1, 2],
      [0, 0],
    ],
    dtype: "float32",
  },
  {
    name: "where with a comparison and number branches",
    build: () => np.where(np.greater(f([-1, 2, 0]), 0), 1, -1),
    expect: [-1, 1, -1],
    dtype: "int32",
  },
  {
    name: "where promotes int32 and float32 branches",
    build: () => np.where(b([true, false]), i([1, 2]), f([0.5, 0.5])),
    expect: [1, 0.5],
    dtype: "float32",
  },
  {
    name: "where with a non-bool condition means != 0",
    build: () => np.where(f([0, 2]), 1.5, 2.5),
    expect: [2.5, 1.5],
    dtype: "float32",
  },
  {
    name: "astype float → int32 truncates toward zero",
    build: () => np.astype(f([1.7, -1.7, 3]), "int32"),
    expect: [1, -1, 3],
    dtype: "int32",
  },
  { name: "astype int32 → float32", build: () => np.astype(i([1, -2]), "float32"), expect: [1, -2], dtype: "float32" },
  {
    name: "astype → bool is != 0",
    build: () => np.astype(f([0, 0.5, -2]), "bool"),
    expect: [false, true, true],
    dtype: "bool",
  },
  {
    name: "astype bool → float32",
    build: () => np.astype(b([true, false]), "float32"),
    expect: [1, 0],
    dtype: "float32",
  },
]);

// WGSL's sign of NaN is 0 on lavapipe; NumPy's is NaN (and so is every special function built
// on sign, dawsn's for one).
opCases("sign at the edges", [
  {
    name: "sign of NaN, ±inf, ±0 and finite values: NaN, ±1, 0, ±1",
    build: () => np.sign(f([NaN, Infinity, -Infinity, 0, -0, 2.5, -3])),
    expect: [NaN, 1, -1, 0, 0, 1, -1],
    dtype: "float32",
  },
  {
    name: "sign of int32: −1, 0, 1",
    build: () => np.sign(i([-7, 0, 9])),
    expect: [-1, 0, 1],
    dtype: "int32",
  },
]);
