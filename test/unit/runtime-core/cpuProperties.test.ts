// Algebraic laws the CPU reference must obey on random shapes (int32 data, so equality is exact):
// inverse transposes, slices that concatenate back, pad then slice, reductions that compose,
// matmul by the identity, broadcast then sum.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { cpuApply } from "../../../runtime/src/ops/cpu.js";
import { inferAvals } from "../../../runtime/src/ops/shapeRules.js";
import type { HostValue } from "../../../runtime/src/ops/cpuValue.js";
import type { Primitive, PrimParams } from "../../../runtime/src/ir/types.js";

function apply<P extends Primitive>(prim: P, params: PrimParams[P], ...ins: HostValue[]): HostValue {
  const avals = inferAvals(
    prim,
    params,
    ins.map((x) => ({ shape: x.shape, dtype: x.dtype })),
  );
  return cpuApply(prim, params, ins, avals)[0]!;
}
const same = (a: HostValue, b: HostValue) => {
  assert.deepEqual([...a.shape], [...b.shape]);
  assert.deepEqual(Array.from(a.data), Array.from(b.data));
};

/** A random int32 array of rank 1..4 with dims 1..4. */
const intArray = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }).chain((shape) =>
  fc
    .array(fc.integer({ min: -100, max: 100 }), {
      minLength: shape.reduce((a, b) => a * b, 1),
      maxLength: shape.reduce((a, b) => a * b, 1),
    })
    .map((data): HostValue => ({ data: Int32Array.from(data), shape, dtype: "int32" })),
);

const withAxis = intArray.chain((x) => fc.tuple(fc.constant(x), fc.integer({ min: 0, max: x.shape.length - 1 })));

test("transposing by a permutation and then by its inverse gives the array back", () => {
  fc.assert(
    fc.property(
      intArray.chain((x) =>
        fc.tuple(
          fc.constant(x),
          fc.shuffledSubarray(
            x.shape.map((_, i) => i),
            { minLength: x.shape.length },
          ),
        ),
      ),
      ([x, perm]) => {
        const inverse = perm.map((_, i) => perm.indexOf(i));
        same(apply("transpose", { perm: inverse }, apply("transpose", { perm }, x)), x);
      },
    ),
  );
});

test("slicing an axis in two and concatenating the halves gives the array back", () => {
  fc.assert(
    fc.property(
      withAxis.chain(([x, axis]) =>
        fc.tuple(fc.constant(x), fc.constant(axis), fc.integer({ min: 0, max: x.shape[axis]! })),
      ),
      ([x, axis, cut]) => {
        const part = (from: number, to: number) =>
          apply(
            "slice",
            {
              starts: x.shape.map((_, i) => (i === axis ? from : 0)),
              limits: x.shape.map((n, i) => (i === axis ? to : n)),
              strides: x.shape.map(() => 1),
            },
            x,
          );
        same(apply("concatenate", { axis }, part(0, cut), part(cut, x.shape[axis]!)), x);
      },
    ),
  );
});

test("padding and slicing the padding off gives the array back; the padding holds the value", () => {
  fc.assert(
    fc.property(
      intArray.chain((x) =>
        fc.tuple(
          fc.constant(x),
          fc.array(fc.nat(2), { minLength: x.shape.length, maxLength: x.shape.length }),
          fc.array(fc.nat(2), { minLength: x.shape.length, maxLength: x.shape.length }),
        ),
      ),
      ([x, low, high]) => {
        const padded = apply("pad", { low, high, value: 7 }, x);
        const back = apply(
          "slice",
          { starts: low, limits: x.shape.map((n, i) => low[i]! + n), strides: x.shape.map(() => 1) },
          padded,
        );
        same(back, x);
        const total = Array.from(padded.data).reduce((a, b) => a + b, 0);
        const inner = Array.from(x.data).reduce((a, b) => a + b, 0);
        assert.equal(total, inner + 7 * (padded.data.length - x.data.length));
      },
    ),
  );
});

test("reducing one axis and then the rest equals reducing all axes at once", () => {
  fc.assert(
    fc.property(withAxis, ([x, axis]) => {
      for (const prim of ["reduce_sum", "reduce_max", "reduce_min"] as const) {
        const all = apply(prim, { axes: x.shape.map((_, i) => i) }, x);
        const one = apply(prim, { axes: [axis] }, x);
        same(apply(prim, { axes: one.shape.map((_, i) => i) }, one), all);
      }
    }),
  );
});

test("argmax picks an element equal to the max along the axis", () => {
  fc.assert(
    fc.property(withAxis, ([x, axis]) => {
      const idx = apply("argmax", { axis }, x);
      const max = apply("reduce_max", { axes: [axis] }, x);
      // With `axis` moved to the front, element j of the output reads position idx[j] of block j.
      const taken = apply("transpose", { perm: [axis, ...x.shape.map((_, i) => i).filter((i) => i !== axis)] }, x);
      const stride = taken.data.length / x.shape[axis]!;
      for (let j = 0; j < idx.data.length; j++) assert.equal(taken.data[idx.data[j]! * stride + j], max.data[j]);
    }),
  );
});

test("multiplying by the identity matrix gives the matrix back", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer(), (m, n, seed) => {
      const a: HostValue = {
        data: Int32Array.from({ length: m * n }, (_, i) => ((seed + i * 7919) % 201) - 100),
        shape: [m, n],
        dtype: "int32",
      };
      const eye: HostValue = {
        data: Int32Array.from({ length: n * n }, (_, i) => (Math.floor(i / n) === i % n ? 1 : 0)),
        shape: [n, n],
        dtype: "int32",
      };
      same(apply("matmul", {}, a, eye), a);
    }),
  );
});

test("broadcasting along a new axis of size k and summing it multiplies by k", () => {
  fc.assert(
    fc.property(intArray, fc.integer({ min: 1, max: 4 }), (x, k) => {
      const b = apply("broadcast", { shape: [k, ...x.shape], dims: x.shape.map((_, i) => i + 1) }, x);
      same(
        apply("reduce_sum", { axes: [0] }, b),
        apply("mul", {}, x, { data: Int32Array.of(k), shape: [], dtype: "int32" }),
      );
    }),
  );
});
