// The CPU reference of every primitive against hand-computed values (NumPy semantics).
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpuApply } from "../../../runtime/src/ops/cpu.js";
import { inferAvals } from "../../../runtime/src/ops/shapeRules.js";
import type { HostValue } from "../../../runtime/src/ops/cpuValue.js";
import { threefry2x32 } from "../../../runtime/src/ops/threefry.js";
import type { DType, Primitive, PrimParams } from "../../../runtime/src/ir/types.js";

const F = (data: number[], shape = [data.length]): HostValue => ({
  data: Float32Array.from(data),
  shape,
  dtype: "float32",
});
const I = (data: number[], shape = [data.length]): HostValue => ({
  data: Int32Array.from(data),
  shape,
  dtype: "int32",
});
const B = (data: number[], shape = [data.length]): HostValue => ({ data: Uint8Array.from(data), shape, dtype: "bool" });
const none = {} as Record<string, never>;

/** Runs one primitive and returns its (single) output as plain numbers plus shape and dtype. */
function run<P extends Primitive>(
  prim: P,
  params: PrimParams[P],
  ...ins: HostValue[]
): { v: number[]; shape: number[]; dtype: DType } {
  const avals = inferAvals(
    prim,
    params,
    ins.map((x) => ({ shape: x.shape, dtype: x.dtype })),
  );
  const [out] = cpuApply(prim, params, ins, avals);
  assert.equal(
    out!.data.length,
    out!.shape.reduce((a, b) => a * b, 1),
  );
  return { v: Array.from(out!.data), shape: [...out!.shape], dtype: out!.dtype };
}
const vals = <P extends Primitive>(prim: P, params: PrimParams[P], ...ins: HostValue[]) => run(prim, params, ...ins).v;
const f32 = (x: number) => Math.fround(x);

test("unary float ops", () => {
  assert.deepEqual(vals("neg", none, F([1, -2, 0])), [-1, 2, -0]);
  assert.deepEqual(vals("abs", none, F([-1.5, 2])), [1.5, 2]);
  assert.deepEqual(vals("sqrt", none, F([4, 2, -1])), [2, f32(Math.SQRT2), NaN]);
  assert.deepEqual(vals("exp", none, F([0, 1])), [1, f32(Math.E)]);
  assert.deepEqual(vals("log", none, F([1, 0, -1])), [0, -Infinity, NaN]);
  assert.deepEqual(vals("sin", none, F([0, Math.PI / 2])), [0, 1]);
  assert.deepEqual(vals("cos", none, F([0])), [1]);
  assert.deepEqual(vals("tanh", none, F([0, 100, -100])), [0, 1, -1]);
  assert.deepEqual(vals("sign", none, F([-3, 0, 2.5, NaN])), [-1, 0, 1, NaN]);
});

test("unary int and bool ops", () => {
  assert.deepEqual(vals("neg", none, I([5, -2147483648])), [-5, -2147483648]); // wraps like int32
  assert.deepEqual(vals("abs", none, I([-7, 3])), [7, 3]);
  assert.deepEqual(vals("sign", none, I([-9, 0, 4])), [-1, 0, 1]);
  assert.deepEqual(vals("logical_not", none, B([0, 1, 1])), [1, 0, 0]);
});

test("binary float ops, with a rank-0 operand broadcast", () => {
  assert.deepEqual(vals("add", none, F([1, 2]), F([10, 20])), [11, 22]);
  assert.deepEqual(vals("sub", none, F([1, 2]), F([0.5], [])), [0.5, 1.5]);
  assert.deepEqual(vals("mul", none, F([3], []), F([1, -2])), [3, -6]);
  assert.deepEqual(vals("div", none, F([1, 1, -1, 0]), F([4, 0, 0, 0])), [0.25, Infinity, -Infinity, NaN]);
  assert.deepEqual(vals("pow", none, F([2, 9, 2]), F([3, 0.5, -1])), [8, 3, 0.5]);
  assert.deepEqual(vals("max", none, F([1, 5, NaN]), F([2, 3, 0])), [2, 5, NaN]);
  assert.deepEqual(vals("min", none, F([1, 5, 0]), F([2, 3, NaN])), [1, 3, NaN]);
  assert.deepEqual(vals("add", none, F([0.1]), F([0.2])), [f32(f32(0.1) + f32(0.2))]);
});

test("binary int32 ops wrap, and division rounds toward zero", () => {
  assert.deepEqual(vals("add", none, I([2147483647]), I([1])), [-2147483648]);
  assert.deepEqual(vals("sub", none, I([-2147483648]), I([1])), [2147483647]);
  assert.deepEqual(vals("mul", none, I([65536, -3]), I([65536, 4])), [0, -12]);
  assert.deepEqual(vals("div", none, I([7, -7, 7, -7]), I([2, 2, -2, -2])), [3, -3, -3, 3]);
  // WGSL's rules where C leaves it undefined: x / 0 = x, INT_MIN / -1 = INT_MIN.
  assert.deepEqual(vals("div", none, I([5, -2147483648]), I([0, -1])), [5, -2147483648]);
  assert.deepEqual(vals("pow", none, I([2, 3, 2, -1, 1]), I([10, 3, -1, -3, -5])), [1024, 27, 0, -1, 1]);
  assert.deepEqual(vals("max", none, I([1, -5]), I([0, -4])), [1, -4]);
  assert.deepEqual(vals("min", none, I([1, -5]), I([0, -4])), [0, -5]);
  assert.deepEqual(vals("max", none, B([0, 1, 0]), B([0, 0, 1])), [0, 1, 1]);
});

test("comparisons give bool (0/1); NaN compares unequal", () => {
  const a = F([1, 2, 3, NaN]),
    b = F([2, 2, 2, NaN]);
  assert.deepEqual(run("gt", none, a, b), { v: [0, 0, 1, 0], shape: [4], dtype: "bool" });
  assert.deepEqual(vals("ge", none, a, b), [0, 1, 1, 0]);
  assert.deepEqual(vals("lt", none, a, b), [1, 0, 0, 0]);
  assert.deepEqual(vals("le", none, a, b), [1, 1, 0, 0]);
  assert.deepEqual(vals("eq", none, a, b), [0, 1, 0, 0]);
  assert.deepEqual(vals("ne", none, a, b), [1, 0, 1, 1]);
  assert.deepEqual(vals("eq", none, I([3, 4]), I([3], [])), [1, 0]);
});

test("where picks from a or b by the condition, scalars broadcast", () => {
  assert.deepEqual(vals("where", none, B([1, 0, 1]), F([1, 2, 3]), F([-1], [])), [1, -1, 3]);
  assert.deepEqual(vals("where", none, B([0], []), I([1, 2]), I([7, 8])), [7, 8]);
});

test("cast: float → int truncates toward zero and saturates, NaN → 0; → bool is != 0", () => {
  assert.deepEqual(run("cast", { dtype: "int32" }, F([1.9, -1.9, 3e9, -3e9, NaN])), {
    v: [1, -1, 2147483647, -2147483648, 0],
    shape: [5],
    dtype: "int32",
  });
  assert.deepEqual(vals("cast", { dtype: "bool" }, F([0, -0, 0.5, NaN])), [0, 0, 1, 1]);
  assert.deepEqual(vals("cast", { dtype: "float32" }, I([16777217, -3])), [16777216, -3]);
  assert.deepEqual(vals("cast", { dtype: "float32" }, B([1, 0])), [1, 0]);
  assert.deepEqual(vals("cast", { dtype: "int32" }, B([1, 0])), [1, 0]);
});

test("random_uniform and random_bits follow threefry2x32 with counter (i, 0)", () => {
  const key = I([42, 7]);
  const bits = vals("random_bits", { shape: [2, 2] }, key);
  const expected = [0, 1, 2, 3].map((i) => threefry2x32(42, 7, i, 0)[0] | 0);
  assert.deepEqual(bits, expected);
  const u = run("random_uniform", { shape: [4] }, key);
  assert.equal(u.dtype, "float32");
  assert.deepEqual(
    u.v,
    expected.map((x) => (x >>> 9) / 8388608),
  );
  // Hand value: the Random123 known answer for key (0, 0), counter (0, 0) is word 0 = 0x6b200159.
  assert.deepEqual(vals("random_bits", { shape: [1] }, I([0, 0])), [0x6b200159]);
});

test("iota counts along the axis", () => {
  assert.deepEqual(run("iota", { shape: [2, 3], axis: 1, dtype: "int32" }), {
    v: [0, 1, 2, 0, 1, 2],
    shape: [2, 3],
    dtype: "int32",
  });
  assert.deepEqual(vals("iota", { shape: [2, 3], axis: 0, dtype: "float32" }), [0, 0, 0, 1, 1, 1]);
});

test("reductions over one or several axes, with empty-axis identities", () => {
  const x = F([1, 2, 3, 4, 5, 6], [2, 3]);
  assert.deepEqual(run("reduce_sum", { axes: [0] }, x), { v: [5, 7, 9], shape: [3], dtype: "float32" });
  assert.deepEqual(vals("reduce_sum", { axes: [1] }, x), [6, 15]);
  assert.deepEqual(vals("reduce_sum", { axes: [0, 1] }, x), [21]);
  assert.deepEqual(vals("reduce_max", { axes: [1] }, x), [3, 6]);
  assert.deepEqual(vals("reduce_min", { axes: [0] }, x), [1, 2, 3]);
  const y = I([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]); // reduce the middle axis and the outer ones
  assert.deepEqual(vals("reduce_sum", { axes: [1] }, y), [4, 6, 12, 14]);
  assert.deepEqual(vals("reduce_sum", { axes: [0, 2] }, y), [14, 22]);
  assert.deepEqual(vals("reduce_sum", { axes: [0] }, I([2147483647, 1])), [-2147483648]);
  assert.deepEqual(vals("reduce_max", { axes: [0] }, F([1, NaN, 3])), [NaN]);
  assert.deepEqual(vals("reduce_max", { axes: [0] }, B([0, 1])), [1]);
  assert.deepEqual(vals("reduce_min", { axes: [0] }, B([0, 1])), [0]);
  assert.deepEqual(vals("reduce_sum", { axes: [0] }, F([], [0])), [0]);
  assert.deepEqual(vals("reduce_max", { axes: [0] }, F([], [0])), [-Infinity]);
  assert.deepEqual(vals("reduce_min", { axes: [0] }, I([], [0])), [2147483647]);
  assert.deepEqual(vals("reduce_sum", { axes: [] }, F([1, 2])), [1, 2]);
});

test("argmax/argmin give the first index of the extreme along the axis", () => {
  const x = F([3, 1, 3, 0, 5, 5], [2, 3]);
  assert.deepEqual(run("argmax", { axis: 1 }, x), { v: [0, 1], shape: [2], dtype: "int32" });
  assert.deepEqual(vals("argmin", { axis: 1 }, x), [1, 0]);
  assert.deepEqual(vals("argmax", { axis: 0 }, x), [0, 1, 1]);
  assert.deepEqual(vals("argmin", { axis: 0 }, x), [1, 0, 0]);
  assert.deepEqual(vals("argmax", { axis: 0 }, F([1, NaN, 7, NaN])), [1]);
});

test("reshape and transpose", () => {
  assert.deepEqual(run("reshape", { shape: [3, 2] }, F([1, 2, 3, 4, 5, 6], [2, 3])), {
    v: [1, 2, 3, 4, 5, 6],
    shape: [3, 2],
    dtype: "float32",
  });
  assert.deepEqual(run("transpose", { perm: [1, 0] }, F([1, 2, 3, 4, 5, 6], [2, 3])), {
    v: [1, 4, 2, 5, 3, 6],
    shape: [3, 2],
    dtype: "float32",
  });
  // [2,2,2] with perm [2,0,1]: out[k,i,j] = x[i,j,k]
  assert.deepEqual(
    vals("transpose", { perm: [2, 0, 1] }, I([0, 1, 2, 3, 4, 5, 6, 7], [2, 2, 2])),
    [0, 2, 4, 6, 1, 3, 5, 7],
  );
});

test("broadcast: new axes and stretched size-1 axes", () => {
  assert.deepEqual(run("broadcast", { shape: [2, 3], dims: [1] }, F([1, 2, 3])), {
    v: [1, 2, 3, 1, 2, 3],
    shape: [2, 3],
    dtype: "float32",
  });
  assert.deepEqual(vals("broadcast", { shape: [2, 3], dims: [0] }, F([1, 2])), [1, 1, 1, 2, 2, 2]);
  assert.deepEqual(vals("broadcast", { shape: [2, 2], dims: [0, 1] }, F([7, 8], [1, 2])), [7, 8, 7, 8]);
  assert.deepEqual(vals("broadcast", { shape: [3], dims: [] }, B([1], [])), [1, 1, 1]);
});

test("slice with starts and strides", () => {
  const x = F([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [3, 4]);
  assert.deepEqual(run("slice", { starts: [1, 0], limits: [3, 4], strides: [1, 2] }, x), {
    v: [4, 6, 8, 10],
    shape: [2, 2],
    dtype: "float32",
  });
  assert.deepEqual(vals("slice", { starts: [0, 3], limits: [3, 4], strides: [2, 1] }, x), [3, 11]);
  assert.deepEqual(vals("slice", { starts: [1], limits: [1], strides: [1] }, F([1, 2])), []);
});

test("pad places the input at `low` and fills with the value", () => {
  assert.deepEqual(run("pad", { low: [1, 0], high: [0, 1], value: 9 }, I([1, 2, 3, 4], [2, 2])), {
    v: [9, 9, 9, 1, 2, 9, 3, 4, 9],
    shape: [3, 3],
    dtype: "int32",
  });
  assert.deepEqual(vals("pad", { low: [2], high: [1], value: -0.5 }, F([1])), [-0.5, -0.5, 1, -0.5]);
});

test("concatenate along the first, middle and last axis", () => {
  assert.deepEqual(run("concatenate", { axis: 0 }, F([1, 2]), F([3])), { v: [1, 2, 3], shape: [3], dtype: "float32" });
  assert.deepEqual(vals("concatenate", { axis: 1 }, F([1, 2, 3, 4], [2, 2]), F([5, 6], [2, 1])), [1, 2, 5, 3, 4, 6]);
  assert.deepEqual(vals("concatenate", { axis: 0 }, F([1, 2], [1, 2]), F([3, 4], [1, 2])), [1, 2, 3, 4]);
  assert.deepEqual(vals("concatenate", { axis: 1 }, I([1, 2], [2, 1, 1]), I([3, 4], [2, 1, 1])), [1, 3, 2, 4]);
});

test("matmul: 2-D, batched, int32", () => {
  const a = F([1, 2, 3, 4, 5, 6], [2, 3]);
  const b = F([7, 8, 9, 10, 11, 12], [3, 2]);
  assert.deepEqual(run("matmul", none, a, b), { v: [58, 64, 139, 154], shape: [2, 2], dtype: "float32" });
  const ba = F([1, 0, 0, 1, 2, 0, 0, 2], [2, 2, 2]);
  const bb = F([1, 2, 3, 4, 1, 2, 3, 4], [2, 2, 2]);
  assert.deepEqual(vals("matmul", none, ba, bb), [1, 2, 3, 4, 2, 4, 6, 8]);
  assert.deepEqual(vals("matmul", none, I([65536, 1], [1, 2]), I([65536, 5], [2, 1])), [5]); // 2^32 wraps to 0
});
