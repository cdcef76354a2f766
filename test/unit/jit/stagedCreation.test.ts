// Creation inside jit and loop bodies (np/stagedCreation.ts): zeros, ones, full, arange, eye and
// tri become ops (a broadcast literal, iota and compares) instead of host constants. Each case's
// values under jit, on the CPU reference and on WebGPU, equal the eager host array's exactly;
// the compiled program captures no constant, and the ops fuse into the kernel that reads them.
// An arange whose float values the host rounds (a fractional step) stays a constant.

import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, jit, lax, np } from "../../../runtime/src/index.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, webgpuOrSkip } from "../ops/harness.js";

interface Case {
  name: string;
  make: () => Tracer;
  /** Host constants the jitted program may still capture (an arange the host rounds). */
  constants?: number;
}

const cases: Case[] = [
  { name: "arange(7)", make: () => np.arange(7) },
  { name: "arange(2, 11, 3)", make: () => np.arange(2, 11, 3) },
  { name: "arange(10, 0, -2)", make: () => np.arange(10, 0, -2) },
  { name: "arange(-3, 4) as float32", make: () => np.arange(-3, 4, 1, { dtype: "float32" }) },
  { name: "arange(5) as float32", make: () => np.arange(5, { dtype: "float32" }) },
  {
    name: "arange(0, 1, 0.25): float values the host rounds stay a constant",
    make: () => np.arange(0, 1, 0.25),
    constants: 1,
  },
  { name: "zeros([3, 4])", make: () => np.zeros([3, 4]) },
  { name: "ones([2, 3]) as int32", make: () => np.ones([2, 3], { dtype: "int32" }) },
  { name: "full([2, 2], 2.7) as int32 truncates", make: () => np.full([2, 2], 2.7, { dtype: "int32" }) },
  { name: "full([3], -2.5)", make: () => np.full([3], -2.5) },
  { name: "full([2, 2], true)", make: () => np.full([2, 2], true) },
  { name: "full([3], 5) as bool", make: () => np.full([3], 5, { dtype: "bool" }) },
  { name: "eye(4)", make: () => np.eye(4) },
  { name: "eye(3, 5, 1)", make: () => np.eye(3, 5, 1) },
  { name: "eye(4, 3, -2) as int32", make: () => np.eye(4, 3, -2, { dtype: "int32" }) },
  { name: "tri(4)", make: () => np.tri(4) },
  { name: "tri(3, 5, -1)", make: () => np.tri(3, 5, -1) },
  { name: "tri(3, 2, 1) as bool", make: () => np.tri(3, 2, 1, { dtype: "bool" }) },
];

const values = async (x: Tracer) => ({ shape: x.shape, dtype: x.dtype, data: Array.from(await x.data()) });

for (const backend of ["cpu", "webgpu"] as const)
  test(`on ${backend}: each creation under jit equals the eager host array exactly, with no captured constant`, async (t) => {
    if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
    for (const c of cases) {
      const want = await onBackend("cpu", () => values(c.make()));
      // As a program output, and read by an op (a select on a scalar argument).
      const direct = await onBackend(backend, () => values(jit(c.make)()));
      assert.deepEqual(direct, want, `${c.name}: returned`);
      const f = (s: Tracer) => {
        const v = c.make();
        return np.where(np.less(s, 1), v, v);
      };
      const got = await onBackend(backend, () => values(jit(f)(np.array(0))));
      assert.deepEqual(got, want, `${c.name}: read by a select`);
      const lowered = await onBackend(backend, () => jit(f).lower(np.array(0)));
      assert.equal(lowered.constants.length, c.constants ?? 0, `${c.name}: captured constants`);
    }
  });

test("full([3], NaN) and full([2], -inf) under jit hold NaN and -inf on WebGPU", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const got = await onBackend("webgpu", () =>
    jit((s: Tracer) => np.add(np.concatenate([np.full([3], NaN), np.full([2], -Infinity)]), s))(np.array(0)).data(),
  );
  assert.deepEqual(Array.from(got), [NaN, NaN, NaN, -Infinity, -Infinity]);
});

test("x + arange(64) on [64, 64] under jit is one vec4 kernel reading only x", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const xs = Float32Array.from({ length: 64 * 64 }, (_, i) => (i % 13) - 6);
  const f = (x: Tracer) => np.add(x, np.arange(64));
  const x = () => np.reshape(np.array(xs), [64, 64]);
  const got = Array.from(await onBackend("webgpu", () => jit(f)(x()).data()));
  assert.deepEqual(
    got,
    Array.from(xs, (v, i) => v + (i % 64)),
  );
  const lowered = await onBackend("webgpu", () => jit(f).lower(x()));
  assert.equal(lowered.kernels.length, 1);
  assert.equal(lowered.constants.length, 0);
  const wgsl = lowered.kernels[0]!.wgsl;
  assert.equal((wgsl.match(/@binding/g) ?? []).length, 2, "x and the output");
  assert.match(wgsl, /array<vec4<f32>>/);
});

test("a causal mask from tri and a ridge from eye fuse into the kernel that reads them", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const n = 8;
  const xs = Float32Array.from({ length: n * n }, (_, i) => ((i * 7) % 11) / 4 - 1);
  const f = (x: Tracer) => np.add(np.where(np.tri(n, n, 0, { dtype: "bool" }), x, -1e9), np.multiply(np.eye(n), 1e-3));
  const x = () => np.reshape(np.array(xs), [n, n]);
  const got = Array.from(await onBackend("webgpu", () => jit(f)(x()).data()));
  const want = Array.from(xs, (v, i) => {
    const [r, c] = [Math.floor(i / n), i % n];
    return Math.fround((c <= r ? v : -1e9) + (r === c ? Math.fround(1e-3) : 0));
  });
  assert.deepEqual(got, want);
  const lowered = await onBackend("webgpu", () => jit(f).lower(x()));
  assert.equal(lowered.kernels.length, 1);
  assert.equal(lowered.constants.length, 0);
});

test("iota on vec4 kernels: every axis of [2, 3, 8] and of [4, 6] (rows of 6: scalar) equals its coordinate", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  for (const [shape, vec4] of [
    [[2, 3, 8], true],
    [[4, 6], false],
  ] as const) {
    for (let axis = 0; axis < shape.length; axis++) {
      const size = shape.reduce((a, b) => a * b, 1);
      const xs = Float32Array.from({ length: size }, (_, i) => i * 100);
      const f = (x: Tracer) => np.add(x, lax.broadcasted_iota("float32", shape, axis));
      const x = () => np.reshape(np.array(xs), [...shape]);
      const got = Array.from(await onBackend("webgpu", () => jit(f)(x()).data()));
      const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
      assert.deepEqual(
        got,
        Array.from(xs, (v, i) => v + (Math.floor(i / stride) % shape[axis]!)),
        `[${shape}] axis ${axis}`,
      );
      const lowered = await onBackend("webgpu", () => jit(f).lower(x()));
      assert.equal(lowered.kernels.length, 1, `[${shape}] axis ${axis}: kernels`);
      assert.equal(/array<vec4<f32>>/.test(lowered.kernels[0]!.wgsl), vec4, `[${shape}] axis ${axis}: vec4`);
    }
  }
});

test("a fori_loop body adding arange(8)·i computes it in the body's kernel, with no loop constant", async (t) => {
  for (const backend of ["cpu", "webgpu"] as const) {
    if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
    const f = (x: Tracer) =>
      lax.fori_loop(0, 4, (i: Tracer, c: Tracer) => np.add(c, np.multiply(np.arange(8), i)), x) as Tracer;
    const got = Array.from(await onBackend(backend, () => jit(f)(np.ones([8])).data()));
    // 1 + k·(0 + 1 + 2 + 3) for element k.
    assert.deepEqual(
      got,
      Array.from({ length: 8 }, (_, k) => 1 + 6 * k),
      backend,
    );
    // The loop's only operands are its counter and carry: no const holds the arange.
    const lowered = await onBackend(backend, () => jit(f).lower(np.ones([8])));
    assert.match(lowered.text("trace"), /scan\[length=4, consts=0, carry=2\]/, backend);
    assert.ok(
      lowered.constants.every((k) => k.size === 1),
      `${backend}: only scalar constants (the counter's start)`,
    );
  }
});

test("grad through a jitted x·arange(5) + eye-weighted sum gives arange and the diagonal", async () => {
  const loss = (x: Tracer) =>
    np.add(np.sum(np.multiply(x, np.arange(5))), np.sum(np.multiply(np.reshape(x, [1, 5]), np.eye(1, 5, 2))));
  const g = Array.from(await onBackend("cpu", () => jit(grad(loss))(np.ones([5])).data()));
  assert.deepEqual(g, [0, 1, 3, 3, 4]);
});

test("a scan's initial carry np.zeros made inside jit is a constant of the program, not a kernel each call; a fill read by ops stays an op", async (t) => {
  for (const backend of ["cpu", "webgpu"] as const) {
    if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
    const f = (xs: Tracer) => {
      const [last, ys] = lax.scan((c: Tracer, x: Tracer) => [np.add(c, x), np.multiply(c, 2)], np.zeros([4]), xs) as [
        Tracer,
        Tracer,
      ];
      return np.add(np.sum(ys, 0), np.add(last, np.ones([4])));
    };
    const xs = () => np.reshape(np.arange(12, { dtype: "float32" }), [3, 4]);
    const got = Array.from(await onBackend(backend, () => jit(f)(xs()).data()));
    assert.deepEqual(got, Array.from(await onBackend("cpu", () => f(xs()).data())), backend);
    // carries 0, x0, x0 + x1: ys sums to 2·(2·x0 + x1); last is x0 + x1 + x2; plus ones.
    assert.deepEqual(
      got,
      [0, 1, 2, 3].map((k) => 2 * (2 * k + (4 + k)) + (k + 4 + k + 8 + k) + 1),
    );
    const lowered = await onBackend(backend, () => jit(f).lower(xs()));
    assert.deepEqual(
      lowered.constants.map((c) => c.shape),
      [[4]],
      `${backend}: the zeros are the one constant (np.ones, read by an add, fuses)`,
    );
    assert.ok(!lowered.kernels.some((k) => /^broadcast/.test(k.name)), `${backend}: no kernel writes the zeros`);
  }
});

test("np.ones as a matmul operand inside jit is a constant of the program (no kernel writes it), and the product is right", async (t) => {
  for (const backend of ["cpu", "webgpu"] as const) {
    if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
    const f = (w: Tracer) => np.matmul(np.ones([2, 3]), w);
    const w = () => np.reshape(np.arange(12, { dtype: "float32" }), [3, 4]);
    // Each output is a column sum of w: 0+4+8, 1+5+9, …
    const got = Array.from(await onBackend(backend, () => jit(f)(w()).data()));
    assert.deepEqual(got, [12, 15, 18, 21, 12, 15, 18, 21], backend);
    const lowered = await onBackend(backend, () => jit(f).lower(w()));
    assert.deepEqual(
      lowered.constants.map((c) => c.shape),
      [[2, 3]],
      backend,
    );
    assert.equal(lowered.kernels.length, 1, `${backend}: the matmul alone`);
  }
});

test("a scan over np.arange(5) made inside jit reads a constant (no iota kernel each call), and sums 0..4", async (t) => {
  for (const backend of ["cpu", "webgpu"] as const) {
    if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
    const f = (c0: Tracer) =>
      (lax.scan((c: Tracer, i: Tracer) => [np.add(c, i), np.multiply(i, 2)], c0, np.arange(5)) as [Tracer, Tracer])[0];
    const got = Array.from(await onBackend(backend, () => jit(f)(np.array(100, { dtype: "int32" })).data()));
    assert.deepEqual(got, [110], backend);
    const lowered = await onBackend(backend, () => jit(f).lower(np.array(100, { dtype: "int32" })));
    assert.deepEqual(
      lowered.constants.map((c) => c.shape),
      [[5]],
      backend,
    );
    assert.ok(!lowered.kernels.some((k) => /iota/.test(k.name)), `${backend}: no iota kernel`);
  }
});

test("fills made in loop bodies and read from memory (a nested scan's zero carry, a matmul's ones in a while body) are constants passed as loop consts: no kernel writes them, values right", async (t) => {
  for (const backend of ["cpu", "webgpu"] as const) {
    if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
    // Each outer iteration scans xs = arange(8) as [4, 2] from a zero carry: the rows sum to
    // [12, 16], 28 in all, so three iterations give 84.
    const nested = (xs: Tracer) =>
      lax.fori_loop(
        0,
        3,
        (_i: Tracer, acc: Tracer) => {
          const [last] = lax.scan((c: Tracer, x: Tracer) => [np.add(c, x), null], np.zeros([2]), xs) as [
            Tracer,
            unknown,
          ];
          return np.add(acc, np.sum(last));
        },
        np.array(0, { dtype: "float32" }),
      );
    // ones([2, 3]) @ w sums w's columns into both rows: 2·(12 + 15 + 18 + 21) = 132 an iteration.
    const whileMatmul = (w: Tracer) =>
      (
        lax.while_loop(
          ([k]: Tracer[]) => np.less(k!, 3),
          ([k, s]: Tracer[]) => [np.add(k!, 1), np.add(s!, np.sum(np.matmul(np.ones([2, 3]), w)))],
          [np.array(0, { dtype: "int32" }), np.array(0, { dtype: "float32" })],
        ) as Tracer[]
      )[1]!;
    const xs = () => np.reshape(np.arange(8, { dtype: "float32" }), [4, 2]);
    const w = () => np.reshape(np.arange(12, { dtype: "float32" }), [3, 4]);
    assert.deepEqual(Array.from(await onBackend(backend, () => jit(nested)(xs()).data())), [84], backend);
    assert.deepEqual(Array.from(await onBackend(backend, () => jit(whileMatmul)(w()).data())), [396], backend);
    for (const [fn, arg, shape] of [
      [nested, xs, [2]],
      [whileMatmul, w, [2, 3]],
    ] as const) {
      const lowered = await onBackend(backend, () => jit(fn).lower(arg()));
      assert.deepEqual(
        lowered.constants.filter((c) => c.shape.length > 0).map((c) => c.shape),
        [shape],
        `${backend}: the fill is the program's one array constant (the scalars are initial values)`,
      );
      assert.ok(!lowered.kernels.some((k) => /^broadcast/.test(k.name)), `${backend}: no kernel writes the fill`);
    }
  }
});
