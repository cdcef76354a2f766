// x ** 2, x ** 3 and x ** 4 with a literal exponent are products in the kernel (JAX's
// integer_pow), not pow_f32's exp and log: the tanh GELU's x ** 3 in a matmul's epilogue, and its
// gradient's x ** 2. Results are checked against values worked out by hand, including the signs of
// zero and infinity, and against the CPU backend.

import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, jit, np } from "../../../runtime/src/index.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { lowerGroup } from "../../../runtime/src/codegen/lowerGroup.js";
import { elementwiseExpr } from "../../../runtime/src/codegen/opExpr.js";
import { Builder, f32, gpuOrSkip, runGroup } from "./harness.js";
import { assertClose, onBackend } from "../ops/harness.js";

type A = Tracer;

/** Same value, telling -0 from 0 and NaN from NaN. */
function assertSame(got: readonly number[], want: readonly number[], what: string): void {
  assert.equal(got.length, want.length, what);
  got.forEach((g, i) => assert.ok(Object.is(g, want[i]), `${what}[${i}]: got ${g}, want ${want[i]}`));
}

test("pow with a literal 2, 3 or 4 is written as products for scalars and vec4 alike, other exponents and int32 keep their helpers", () => {
  const helpers: string[] = [];
  const ctx = (width: 1 | 4) => ({ width, useHelper: (h: string) => void helpers.push(h) });
  assert.equal(elementwiseExpr("pow", ["v1", "f32(2.0)"], "float32", "float32", ctx(1)), "(v1 * v1)");
  assert.equal(elementwiseExpr("pow", ["v1", "f32(3.0)"], "float32", "float32", ctx(1)), "(v1 * v1 * v1)");
  assert.equal(
    elementwiseExpr("pow", ["in0[i]", "vec4<f32>(f32(4.0))"], "float32", "float32", ctx(4)),
    "(((in0[i]) * (in0[i])) * ((in0[i]) * (in0[i])))",
  );
  assert.deepEqual(helpers, []);
  assert.match(elementwiseExpr("pow", ["v1", "f32(5.0)"], "float32", "float32", ctx(1)), /^pow_f32\(/);
  assert.match(elementwiseExpr("pow", ["v1", "i32(3)"], "int32", "int32", ctx(1)), /^pow_i32\(/);
  assert.deepEqual(helpers, ["pow_f32", "pow_i32"]);
});

for (const n of [8, 5]) {
  test(`pow(x, 2|3|4) on ${n} floats is x·x, x·x·x and (x·x)·(x·x) without pow_f32, signs of zero and infinity kept; pow(x, 2.5) still calls pow_f32`, async (t) => {
    const b = await gpuOrSkip(t);
    if (!b) return;
    const F = new Builder();
    const x = F.input([n]);
    const [p2, p3, p4] = [2, 3, 4].map((k) => F.op("pow", [x, F.lit(k)], {}, x.aval));
    const g = F.group("elementwise", [x], [p2!, p3!, p4!]);
    const spec = lowerGroup(g);
    assert.doesNotMatch(spec.wgsl, /pow_f32|pow\(/, "no pow call for literal 2, 3, 4");
    const xs = [-2, -1.5, -0, 0, 3, 1e13, NaN, -Infinity].slice(0, n);
    const [g2, g3, g4] = await runGroup(b, g, [f32(xs)]);
    // Float32 products, each rounded (1e13 is 9999999827968 in float32).
    const sq = (v: number) => Math.fround(Math.fround(v) * Math.fround(v));
    const want = (k: number) =>
      xs.map((v) => (k === 2 ? sq(v) : k === 3 ? Math.fround(sq(v) * Math.fround(v)) : Math.fround(sq(v) * sq(v))));
    assertSame(g2!, want(2), "x ** 2");
    assertSame(g3!, want(3), "x ** 3");
    assertSame(g4!, want(4), "x ** 4");

    const H = new Builder();
    const y = H.input([n]);
    const half = H.op("pow", [y, H.lit(2.5)], {}, y.aval);
    const gh = H.group("elementwise", [y], [half]);
    assert.match(lowerGroup(gh).wgsl, /pow_f32\(/, "2.5 is no integer power");
    const [got] = await runGroup(b, gh, [f32([4, 9, 0, 1, 2.25, 16, 100, 0.25].slice(0, n))]);
    assertClose(got!, [32, 243, 0, 1, 7.59375, 1024, 100000, 0.03125].slice(0, n), "float32");
  });
}

test("the tanh GELU of a matmul (its x ** 3 in the matmul's epilogue) and its gradient call no pow_f32 and match the CPU", async (t) => {
  if (!(await gpuOrSkip(t))) return;
  const gelu = (h: A): A =>
    np.multiply(
      np.multiply(h, 0.5),
      np.add(1, np.tanh(np.multiply(0.7978845608, np.add(h, np.multiply(0.044715, np.power(h, 3)))))),
    ) as A;
  const forward = (x: A, w: A): A => gelu(np.matmul(x, w) as A);
  const loss = (x: A, w: A): A => np.sum(np.square(forward(x, w))) as A;
  const host = [64 * 128, 128 * 256].map((len, s) =>
    Float32Array.from({ length: len }, (_, i) => Math.sin(i * 0.37 + s) * (s ? 0.2 : 1.5)),
  );
  const args = () => [np.reshape(np.array(host[0]!), [64, 128]) as A, np.reshape(np.array(host[1]!), [128, 256]) as A];
  for (const [name, f] of [
    ["forward", forward],
    ["gradient", (x: A, w: A) => grad(loss, 1)(x, w) as A],
  ] as const) {
    const want = await onBackend("cpu", () => f(...(args() as [A, A]))).data();
    const got = await onBackend("webgpu", () => jit(f)(...(args() as [A, A]))).data();
    assertClose(Array.from(got), Array.from(want), "float32", 2e-4, 2e-4, name);
    const lo = await onBackend("webgpu", () => jit(f).lower(...(args() as [A, A])));
    for (const k of lo.kernels) assert.doesNotMatch(k.wgsl, /pow_f32/, `${name}: ${k.name} calls pow_f32`);
  }
});
