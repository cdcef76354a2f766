// Shape and dtype rules: hand-computed output avals for every primitive, and every error
// names the op and the shapes or dtypes involved.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inferAvals } from "../../../runtime/src/ops/shapeRules.js";
import { JitScopeError } from "../../../runtime/src/ir/errors.js";
import { PRIMITIVES, type Aval, type DType, type Primitive, type PrimParams } from "../../../runtime/src/ir/types.js";

const f = (...shape: number[]): Aval => ({ shape, dtype: "float32" });
const i32 = (...shape: number[]): Aval => ({ shape, dtype: "int32" });
const b = (...shape: number[]): Aval => ({ shape, dtype: "bool" });
const infer = <P extends Primitive>(prim: P, params: PrimParams[P], ins: Aval[]) => inferAvals(prim, params, ins);
const none = {} as Record<string, never>;
const carryVar = { kind: "var", id: 0, aval: f(1) } as const;
const passThrough = { name: "body", inputs: [carryVar], eqns: [], outputs: [carryVar] };
const isTrue = {
  name: "cond",
  inputs: [carryVar],
  eqns: [],
  outputs: [{ kind: "lit", value: 1, aval: { shape: [], dtype: "bool" } } as const],
};

function throwsWith(fn: () => unknown, kind: string, ...fragments: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof JitScopeError, `expected a JitScopeError, got ${String(e)}`);
    assert.equal(e.kind, kind);
    for (const frag of fragments) assert.ok(e.message.includes(frag), `"${e.message}" should mention "${frag}"`);
    return true;
  });
}

test("unary elementwise ops keep the input aval", () => {
  for (const p of ["neg", "abs", "sign"] as const) {
    assert.deepEqual(infer(p, none, [f(2, 3)]), [f(2, 3)]);
    assert.deepEqual(infer(p, none, [i32(4)]), [i32(4)]);
  }
  for (const p of ["sqrt", "exp", "log", "sin", "cos", "tanh"] as const)
    assert.deepEqual(infer(p, none, [f(5)]), [f(5)]);
  assert.deepEqual(infer("logical_not", none, [b(2)]), [b(2)]);
});

test("transcendental ops reject int32, logical_not needs bool, arithmetic rejects bool", () => {
  throwsWith(() => infer("exp", none, [i32(3)]), "dtype", "exp", "i32[3]", "float32");
  throwsWith(() => infer("logical_not", none, [f(3)]), "dtype", "logical_not", "f32[3]");
  throwsWith(() => infer("neg", none, [b(3)]), "dtype", "neg", "bool[3]");
  throwsWith(() => infer("add", none, [b(3), b(3)]), "dtype", "add", "bool");
});

test("binary ops: equal shapes, rank-0 operands broadcast, comparisons give bool", () => {
  assert.deepEqual(infer("add", none, [f(2, 3), f(2, 3)]), [f(2, 3)]);
  assert.deepEqual(infer("mul", none, [f(), f(4, 1)]), [f(4, 1)]);
  assert.deepEqual(infer("pow", none, [i32(7), i32()]), [i32(7)]);
  assert.deepEqual(infer("max", none, [b(2), b(2)]), [b(2)]);
  assert.deepEqual(infer("gt", none, [f(3), f()]), [b(3)]);
  assert.deepEqual(infer("ne", none, [b(3), b(3)]), [b(3)]);
  assert.deepEqual(infer("where", none, [b(2, 2), f(2, 2), f()]), [f(2, 2)]);
});

test("binary ops: mismatched shapes or dtypes are errors naming both", () => {
  throwsWith(() => infer("add", none, [f(2, 3), f(3, 2)]), "shape", "add", "f32[2,3]", "f32[3,2]");
  throwsWith(() => infer("sub", none, [f(3), f(1, 3)]), "shape", "sub", "f32[3]", "f32[1,3]");
  throwsWith(() => infer("mul", none, [f(3), i32(3)]), "dtype", "mul", "f32[3]", "i32[3]");
  throwsWith(() => infer("where", none, [f(3), f(3), f(3)]), "dtype", "where", "condition");
  throwsWith(() => infer("where", none, [b(3), i32(3), f(3)]), "dtype", "where");
  throwsWith(() => infer("add", none, [f(3)]), "value", "add", "2 inputs");
});

test("cast changes the dtype only", () => {
  assert.deepEqual(infer("cast", { dtype: "int32" }, [f(2, 2)]), [i32(2, 2)]);
  throwsWith(() => infer("cast", { dtype: "float64" as DType }, [f(2)]), "dtype", "cast", "float64");
});

test("random ops take an int32[2] key (or B keys int32[B, 2] drawing [B, ...]) and produce the requested shape; fold_in keeps the key shape", () => {
  assert.deepEqual(infer("random_uniform", { shape: [3, 4] }, [i32(2)]), [f(3, 4)]);
  assert.deepEqual(infer("random_bits", { shape: [5] }, [i32(2)]), [i32(5)]);
  throwsWith(() => infer("random_uniform", { shape: [3] }, [f(2)]), "dtype", "random_uniform", "int32[2]", "f32[2]");
  throwsWith(() => infer("random_bits", { shape: [3] }, [i32(3)]), "dtype", "random_bits", "i32[3]");
  throwsWith(() => infer("random_uniform", { shape: [2, -1] }, [i32(2)]), "shape", "random_uniform", "2,-1");
  throwsWith(() => infer("random_uniform", { shape: [NaN] }, [i32(2)]), "shape", "random_uniform", "NaN");
  throwsWith(() => infer("random_uniform", { shape: [Infinity] }, [i32(2)]), "shape", "Infinity");
  // a batch of B keys draws [B, ...]; the leading dim must be the batch
  assert.deepEqual(infer("random_bits", { shape: [3, 5] }, [i32(3, 2)]), [i32(3, 5)]);
  throwsWith(() => infer("random_bits", { shape: [4, 5] }, [i32(3, 2)]), "dtype", "random_bits", "i32[3,2]");
  // fold_in: a key and a scalar, or B keys and B data, to keys of the key's shape
  assert.deepEqual(infer("random_fold_in", none, [i32(2), i32()]), [i32(2)]);
  assert.deepEqual(infer("random_fold_in", none, [i32(4, 2), i32(4)]), [i32(4, 2)]);
  throwsWith(() => infer("random_fold_in", none, [i32(2), i32(3)]), "dtype", "random_fold_in", "i32[3]");
});

test("iota: the requested shape and dtype, axis in range", () => {
  assert.deepEqual(infer("iota", { shape: [2, 3], axis: 1, dtype: "int32" }, []), [i32(2, 3)]);
  assert.deepEqual(infer("iota", { shape: [4], axis: 0, dtype: "float32" }, []), [f(4)]);
  throwsWith(() => infer("iota", { shape: [2, 3], axis: 2, dtype: "int32" }, []), "axis", "iota", "axis 2");
  throwsWith(() => infer("iota", { shape: [2], axis: 0, dtype: "bool" }, []), "dtype", "iota", "bool");
});

test("reductions remove the reduced axes; arg reductions give int32", () => {
  assert.deepEqual(infer("reduce_sum", { axes: [1] }, [f(2, 3, 4)]), [f(2, 4)]);
  assert.deepEqual(infer("reduce_max", { axes: [0, 2] }, [i32(2, 3, 4)]), [i32(3)]);
  assert.deepEqual(infer("reduce_min", { axes: [0, 1] }, [f(2, 3)]), [f()]);
  assert.deepEqual(infer("reduce_sum", { axes: [] }, [f(2)]), [f(2)]);
  assert.deepEqual(infer("reduce_max", { axes: [0] }, [b(2)]), [b()]);
  assert.deepEqual(infer("argmax", { axis: 0 }, [f(5, 2)]), [i32(2)]);
  assert.deepEqual(infer("argmin", { axis: 1 }, [f(5, 2)]), [i32(5)]);
});

test("reductions: bad axes are errors naming the op, the axis and the shape", () => {
  throwsWith(() => infer("reduce_sum", { axes: [2] }, [f(2, 3)]), "axis", "reduce_sum", "axis 2", "f32[2,3]");
  throwsWith(() => infer("reduce_sum", { axes: [-1] }, [f(2, 3)]), "axis", "axis -1");
  throwsWith(() => infer("reduce_max", { axes: [1, 0] }, [f(2, 3)]), "axis", "reduce_max", "sorted");
  throwsWith(() => infer("reduce_sum", { axes: [0] }, [b(3)]), "dtype", "reduce_sum", "bool");
  throwsWith(() => infer("argmax", { axis: 3 }, [f(2, 3)]), "axis", "argmax", "axis 3", "f32[2,3]");
  throwsWith(() => infer("argmin", { axis: 0 }, [f(0, 3)]), "shape", "argmin", "size 0");
});

test("reshape keeps the element count", () => {
  assert.deepEqual(infer("reshape", { shape: [3, 2] }, [f(2, 3)]), [f(3, 2)]);
  assert.deepEqual(infer("reshape", { shape: [] }, [f(1, 1)]), [f()]);
  throwsWith(
    () => infer("reshape", { shape: [4, 2] }, [f(2, 3)]),
    "shape",
    "reshape",
    "f32[2,3]",
    "[4,2]",
    "6 elements",
    "8 elements",
  );
  throwsWith(() => infer("reshape", { shape: [-1, 2] }, [f(2, 3)]), "shape", "reshape");
});

test("transpose permutes the axes", () => {
  assert.deepEqual(infer("transpose", { perm: [2, 0, 1] }, [f(2, 3, 4)]), [f(4, 2, 3)]);
  throwsWith(() => infer("transpose", { perm: [0, 0] }, [f(2, 3)]), "axis", "transpose", "[0,0]", "f32[2,3]");
  throwsWith(() => infer("transpose", { perm: [0] }, [f(2, 3)]), "axis", "transpose");
});

test("broadcast maps input axes to output axes; size-1 axes stretch", () => {
  assert.deepEqual(infer("broadcast", { shape: [2, 3], dims: [1] }, [f(3)]), [f(2, 3)]);
  assert.deepEqual(infer("broadcast", { shape: [4, 2, 3], dims: [1, 2] }, [f(1, 3)]), [f(4, 2, 3)]);
  assert.deepEqual(infer("broadcast", { shape: [5], dims: [] }, [i32()]), [i32(5)]);
  throwsWith(
    () => infer("broadcast", { shape: [2, 3], dims: [1] }, [f(2)]),
    "shape",
    "broadcast",
    "f32[2]",
    "[2,3]",
    "size 2",
  );
  throwsWith(() => infer("broadcast", { shape: [2, 3], dims: [1, 0] }, [f(3, 2)]), "shape", "increasing");
  throwsWith(() => infer("broadcast", { shape: [2, 3], dims: [] }, [f(3)]), "shape", "one dim per input axis");
  throwsWith(() => infer("broadcast", { shape: [2, 3], dims: [2] }, [f(3)]), "shape", "out of range");
});

test("slice: ceil((limit - start) / stride) per axis", () => {
  assert.deepEqual(infer("slice", { starts: [0, 1], limits: [2, 5], strides: [1, 2] }, [f(3, 5)]), [f(2, 2)]);
  assert.deepEqual(infer("slice", { starts: [1], limits: [1], strides: [1] }, [f(3)]), [f(0)]);
  throwsWith(
    () => infer("slice", { starts: [0], limits: [4], strides: [1] }, [f(3)]),
    "shape",
    "slice",
    "axis 0",
    "f32[3]",
    "limit 4",
  );
  throwsWith(() => infer("slice", { starts: [0], limits: [2], strides: [0] }, [f(3)]), "shape", "stride 0");
  throwsWith(
    () => infer("slice", { starts: [0], limits: [2], strides: [1] }, [f(3, 3)]),
    "shape",
    "slice",
    "2 entries",
  );
});

test("pad adds low and high to each axis", () => {
  assert.deepEqual(infer("pad", { low: [1, 0], high: [2, 3], value: 0 }, [f(2, 2)]), [f(5, 5)]);
  throwsWith(() => infer("pad", { low: [-1], high: [0], value: 0 }, [f(2)]), "shape", "pad", "non-negative");
  throwsWith(() => infer("pad", { low: [1], high: [0], value: 0 }, [f(2, 2)]), "shape", "pad", "2 entries");
});

test("concatenate sums the axis; other axes and dtypes must agree", () => {
  assert.deepEqual(infer("concatenate", { axis: 1 }, [f(2, 3), f(2, 1), f(2, 0)]), [f(2, 4)]);
  assert.deepEqual(infer("concatenate", { axis: 0 }, [i32(1)]), [i32(1)]);
  throwsWith(
    () => infer("concatenate", { axis: 1 }, [f(2, 3), f(3, 3)]),
    "shape",
    "concatenate",
    "f32[2,3]",
    "f32[3,3]",
    "axis 1",
  );
  throwsWith(() => infer("concatenate", { axis: 0 }, [f(2), i32(2)]), "dtype", "concatenate");
  throwsWith(() => infer("concatenate", { axis: 2 }, [f(2, 3)]), "axis", "concatenate", "axis 2");
  throwsWith(() => infer("concatenate", { axis: 0 }, []), "shape", "concatenate", "at least one");
});

test("matmul contracts the last axis of a with the second-last of b", () => {
  assert.deepEqual(infer("matmul", none, [f(2, 3), f(3, 4)]), [f(2, 4)]);
  assert.deepEqual(infer("matmul", none, [i32(5, 2, 3), i32(5, 3, 1)]), [i32(5, 2, 1)]);
  throwsWith(() => infer("matmul", none, [f(2, 3), f(4, 5)]), "shape", "matmul", "f32[2,3] @ f32[4,5]", "3 vs 4");
  throwsWith(() => infer("matmul", none, [f(3), f(3, 4)]), "shape", "matmul", "at least 2 dims");
  throwsWith(() => infer("matmul", none, [f(2, 2, 3), f(3, 3, 4)]), "shape", "matmul", "batch");
  throwsWith(() => infer("matmul", none, [f(2, 3), i32(3, 4)]), "dtype", "matmul");
});

test("every primitive has a rule (none falls through to the exhaustive default)", () => {
  // Minimal valid calls, one per primitive: a new primitive without a case here fails this test.
  const sample: { [P in Primitive]: [PrimParams[P], Aval[]] } = {
    neg: [none, [f(1)]],
    abs: [none, [f(1)]],
    sqrt: [none, [f(1)]],
    exp: [none, [f(1)]],
    log: [none, [f(1)]],
    sin: [none, [f(1)]],
    cos: [none, [f(1)]],
    tanh: [none, [f(1)]],
    erf: [none, [f(1)]],
    erfc: [none, [f(1)]],
    sign: [none, [f(1)]],
    logical_not: [none, [b(1)]],
    add: [none, [f(1), f(1)]],
    sub: [none, [f(1), f(1)]],
    mul: [none, [f(1), f(1)]],
    div: [none, [f(1), f(1)]],
    pow: [none, [f(1), f(1)]],
    atan2: [none, [f(1), f(1)]],
    max: [none, [f(1), f(1)]],
    min: [none, [f(1), f(1)]],
    gt: [none, [f(1), f(1)]],
    ge: [none, [f(1), f(1)]],
    lt: [none, [f(1), f(1)]],
    le: [none, [f(1), f(1)]],
    eq: [none, [f(1), f(1)]],
    ne: [none, [f(1), f(1)]],
    where: [none, [b(1), f(1), f(1)]],
    optimization_barrier: [none, [f(1), f(1)]],
    cast: [{ dtype: "bool" }, [f(1)]],
    bitwise_and: [none, [i32(1), i32(1)]],
    bitwise_or: [none, [b(1), b(1)]],
    bitwise_xor: [none, [i32(1), i32(1)]],
    shift_left: [none, [i32(1), i32(1)]],
    shift_right_arithmetic: [none, [i32(1), i32(1)]],
    bitcast_convert: [{ dtype: "int32" }, [f(1)]],
    random_uniform: [{ shape: [1] }, [i32(2)]],
    random_bits: [{ shape: [1] }, [i32(2)]],
    random_fold_in: [none, [i32(2), i32()]],
    iota: [{ shape: [1], axis: 0, dtype: "int32" }, []],
    reduce_sum: [{ axes: [0] }, [f(1)]],
    reduce_max: [{ axes: [0] }, [f(1)]],
    reduce_min: [{ axes: [0] }, [f(1)]],
    argmax: [{ axis: 0 }, [f(1)]],
    argmin: [{ axis: 0 }, [f(1)]],
    reshape: [{ shape: [] }, [f(1)]],
    transpose: [{ perm: [0] }, [f(1)]],
    broadcast: [{ shape: [1], dims: [0] }, [f(1)]],
    slice: [{ starts: [0], limits: [1], strides: [1] }, [f(1)]],
    pad: [{ low: [0], high: [0], value: 0 }, [f(1)]],
    concatenate: [{ axis: 0 }, [f(1)]],
    matmul: [none, [f(1, 1), f(1, 1)]],
    cholesky: [none, [f(2, 2)]],
    triangular_solve: [{ lower: true, transA: false, unitDiagonal: false }, [f(2, 2), f(2, 1)]],
    lu: [none, [f(2, 2)]],
    gather: [{ axis: 0 }, [f(3), i32(2)]],
    scatter: [{ axis: 0, mode: "add" }, [f(3), i32(2), f(2)]],
    scatter_sorted: [{ axis: 0, mode: "add" }, [f(3), i32(2), i32(2), f(2)]],
    conv: [
      { strides: [1], padLow: [0], padHigh: [0], lhsDilation: [1], rhsDilation: [1], groups: 1 },
      [f(1, 1, 3), f(1, 1, 2)],
    ],
    floor: [none, [f(1)]],
    ceil: [none, [f(1)]],
    round: [none, [f(1)]],
    is_nan: [none, [f(1)]],
    log1p: [none, [f(1)]],
    expm1: [none, [f(1)]],
    rev: [{ axes: [0] }, [f(1)]],
    cumulative: [{ op: "sum", axis: 0, reverse: false }, [f(1)]],
    sort: [{ axis: 0 }, [f(1), i32(1)]],
    // One carry, no consts or xs: the body returns its carry.
    scan: [{ body: passThrough, numConsts: 0, numCarry: 1, length: 3, reverse: false }, [f(1)]],
    while: [{ cond: isTrue, body: passThrough, condConsts: 0, bodyConsts: 0 }, [f(1)]],
    psum: [{ axisName: "i" }, [f(1)]],
    pmax: [{ axisName: "i" }, [i32(1)]],
    pmin: [{ axisName: "i" }, [f(1)]],
    axis_index: [{ axisName: "i" }, []],
    all_gather: [{ axisName: "i", axis: 0, tiled: false, size: 3 }, [f(2)]],
    ppermute: [
      {
        axisName: "i",
        perm: [
          [0, 1],
          [1, 0],
        ],
      },
      [f(2)],
    ],
  };
  for (const p of PRIMITIVES) {
    const [params, ins] = sample[p];
    const out = inferAvals(p, params as PrimParams[typeof p], ins);
    assert.equal(out.length, 1, p);
  }
});
