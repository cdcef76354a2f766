// diag, diagonal, trace, meshgrid, inner, cross and kron (np/matrixSurface.ts) against JAX
// (test/fixtures/jax/surface2.json) on the CPU reference, on WebGPU and under jit on WebGPU:
// every diagonal offset of a non-square matrix (including empty ones), other axis pairs, both
// meshgrid indexings, broadcasting in cross, mixed ranks in kron, and gradients through each.
import assert from "node:assert/strict";
import { test } from "node:test";
import { grad, jit } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { expectUserError, here, onBackend, opCases, webgpuOrSkip, type Nested } from "./harness.js";
import { jaxOpCase } from "./surface2Expected.js";

const arr = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const flat = (...xs: Tracer[]): Tracer => np.concatenate(xs.map((x) => np.ravel(x)));

opCases("np matrix surface", [
  ...[0, 1, 3, -1, -2, 5, -4].flatMap((k) => [
    jaxOpCase(`diagonal_${k}`, (r) => np.diagonal(arr(r), k), { title: `diagonal offset ${k} of a 3x4 matrix = JAX` }),
    jaxOpCase(`trace_${k}`, (r) => np.trace(arr(r), k), { title: `trace offset ${k} of a 3x4 matrix = JAX` }),
  ]),
  ...[0, 2, -1].flatMap((k) => [
    jaxOpCase(`diag_make_${k}`, (v) => np.diag(arr(v), k), { title: `diag of a 1-D array, k = ${k} = JAX` }),
    jaxOpCase(`diag_take_${k}`, (r) => np.diag(arr(r), k), { title: `diag of a 2-D array, k = ${k} = JAX` }),
  ]),
  jaxOpCase(
    "diagonal_axes",
    (t) => {
      const x = arr(t);
      return flat(np.diagonal(x, 1, 2, 1), np.diagonal(x, 0, 0, 2), np.diagonal(x, -1, -1, 0));
    },
    { title: "diagonal over other axis pairs (reversed, negative) of a 3-D array = JAX" },
  ),
  jaxOpCase("trace_axes", (t) => np.trace(arr(t), 1, 2, 1), { title: "trace over axes (2, 1) of a 3-D array = JAX" }),
  jaxOpCase("trace_int", (m) => np.trace(np.array(m as never, { dtype: "int32" })), {
    title: "trace of an int32 matrix stays int32",
    dtype: "int32",
  }),
  jaxOpCase("grad_diagonal", (t) => grad((x: Tracer) => np.sum(np.square(np.diagonal(x, 1, 2, 1))))(arr(t)), {
    title: "grad through diagonal = JAX",
  }),
  jaxOpCase(
    "grad_diag_make",
    (v) => grad((x: Tracer) => np.sum(np.multiply(np.diag(x, -1), np.reshape(np.arange(16), [4, 4]))))(arr(v)),
    { title: "grad through diag of a 1-D array = JAX" },
  ),
  jaxOpCase("grad_trace", (r) => grad((x: Tracer) => np.square(np.trace(x, 1)))(arr(r)), {
    title: "grad through trace = JAX",
  }),
  jaxOpCase("meshgrid_xy", (x, y, z) => np.stack(np.meshgrid(arr(x), arr(y), arr(z))), {
    title: "meshgrid of three vectors, xy indexing (the default) = JAX",
  }),
  jaxOpCase("meshgrid_ij", (x, y, z) => np.stack(np.meshgrid(arr(x), arr(y), arr(z), { indexing: "ij" })), {
    title: "meshgrid of three vectors, ij indexing = JAX",
  }),
  jaxOpCase("meshgrid_2", (x, y) => np.stack(np.meshgrid(arr(x), arr(y))), { title: "meshgrid of two vectors = JAX" }),
  jaxOpCase("inner", (a, b) => np.inner(arr(a), arr(b)), { title: "inner of [2,3] and [2,2,3] = JAX" }),
  jaxOpCase("inner_1d", (a, b) => np.inner(arr(a), arr(b)), { title: "inner of two vectors = JAX" }),
  jaxOpCase("grad_inner", (a, b) => grad((x: Tracer) => np.sum(np.square(np.inner(x, arr(b)))))(arr(a)), {
    title: "grad through inner = JAX",
  }),
  jaxOpCase("cross", (a, b) => np.cross(arr(a), arr(b)), { title: "cross of 3-vectors = JAX" }),
  jaxOpCase("cross_bcast", (a, b) => np.cross(arr(a), arr(b)), { title: "cross broadcasts the leading axes = JAX" }),
  jaxOpCase("cross_2d", (a, b) => np.cross(arr(a), arr(b)), { title: "cross of 2-vectors is the z component = JAX" }),
  jaxOpCase(
    "grad_cross",
    (a, b) => grad((x: Tracer) => np.sum(np.multiply(np.cross(x, arr(b)), np.reshape(np.arange(6), [2, 3]))))(arr(a)),
    { title: "grad through cross = JAX" },
  ),
  jaxOpCase("kron", (a, b) => np.kron(arr(a), arr(b)), { title: "kron of two matrices = JAX" }),
  jaxOpCase("kron_mixed", (a, b) => np.kron(arr(a), arr(b)), { title: "kron of a vector and a matrix = JAX" }),
  jaxOpCase("grad_kron", (a, b) => grad((x: Tracer) => np.sum(np.square(np.kron(x, arr(b)))))(arr(a)), {
    title: "grad through kron = JAX",
  }),
]);

// x.diagonal(...) (np/methodsSurface.ts) against the same JAX values as np.diagonal.
opCases("x.diagonal method", [
  ...[0, 1, 3, -1, -2, 5, -4].map((k) =>
    jaxOpCase(`diagonal_${k}`, (r) => arr(r).diagonal(k), { title: `x.diagonal(${k}) of a 3x4 matrix = JAX` }),
  ),
  jaxOpCase(
    "diagonal_axes",
    (t) => flat(arr(t).diagonal(1, 2, 1), arr(t).diagonal(0, 0, 2), arr(t).diagonal(-1, -1, 0)),
    {
      title: "x.diagonal over other axis pairs of a 3-D array = JAX",
    },
  ),
]);

test("x.diagonal(k) equals np.diagonal(x, k), and np.trace(x, k) and x.trace(k) are its sum, for every offset of a 3x4 matrix", async () => {
  const x = np.reshape(np.arange(12, { dtype: "float32" }), [3, 4]);
  // Hand values: row-major 3x4 of 0..11, diagonal k starts at k (or -k·4) and steps by 5.
  const hand: Record<number, number[]> = {
    0: [0, 5, 10],
    1: [1, 6, 11],
    3: [3],
    4: [],
    [-1]: [4, 9],
    [-2]: [8],
    [-3]: [],
  };
  for (const [key, expected] of Object.entries(hand)) {
    const k = Number(key);
    assert.deepEqual(await x.diagonal(k).toArray(), expected, `x.diagonal(${k})`);
    assert.deepEqual(await np.diagonal(x, k).toArray(), expected, `np.diagonal(x, ${k})`);
    assert.equal(
      await np.trace(x, k).toArray(),
      expected.reduce((a, b) => a + b, 0),
      `np.trace(x, ${k})`,
    );
    assert.equal(
      await x.trace(k).toArray(),
      expected.reduce((a, b) => a + b, 0),
      `x.trace(${k})`,
    );
  }
  assert.deepEqual(await x.diagonal().toArray(), [0, 5, 10], "x.diagonal() defaults to offset 0, axes 0 and 1");
});

for (const backend of ["cpu", "webgpu"] as const)
  test(`x.trace(0, 1, 2) under jit on ${backend}: the traces of a batch of 3x3 matrices, by hand`, async (t) => {
    if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
    const got = await onBackend(backend, () => {
      const x = np.reshape(np.arange(18, { dtype: "float32" }), [2, 3, 3]);
      return jit((a: Tracer) => a.trace(0, 1, 2))(x);
    }).toArray();
    // Matrix b holds 9b..9b+8 row-major: its diagonal is 9b, 9b+4, 9b+8.
    assert.deepEqual(got, [12, 39]);
  });

test("np matrix surface: bad ranks, axes and options are errors naming the problem", async (t) => {
  const file = "matrixSurface.test.ts";
  // Each thunk on one line; here() - 1 is that line (where the error must point).
  const f1 = () => np.diag(np.zeros([2, 2, 2]));
  const l1 = here() - 1;
  const f2 = () => np.diagonal(np.zeros([3]));
  const l2 = here() - 1;
  const f3 = () => np.diagonal(np.zeros([3, 3]), 0, 1, 1);
  const l3 = here() - 1;
  const f4 = () => np.meshgrid(np.zeros([2]), { indexing: "xz" as "xy" });
  const l4 = here() - 1;
  const f5 = () => np.cross(np.zeros([3]), np.zeros([4]));
  const l5 = here() - 1;
  const f6 = () => np.inner(np.zeros([3]), np.zeros([2]));
  const l6 = here() - 1;
  await expectUserError(t, f1, file, l1, "diag", "1-D or 2-D", "float32[2,2,2]");
  await expectUserError(t, f2, file, l2, "diagonal", "at least 2 dims");
  await expectUserError(t, f3, file, l3, "axis1 and axis2", "differ");
  await expectUserError(t, f4, file, l4, "indexing", "xz");
  await expectUserError(t, f5, file, l5, "cross", "length 3");
  await expectUserError(t, f6, file, l6, "inner", "3 vs 2");
  const f7 = () => np.zeros([3]).diagonal();
  const l7 = here() - 1;
  await expectUserError(t, f7, file, l7, "diagonal", "at least 2 dims");
  const f8 = () => np.zeros([3]).trace();
  const l8 = here() - 1;
  await expectUserError(t, f8, file, l8, "diagonal", "at least 2 dims");
});
