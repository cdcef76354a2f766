// np.linalg factorisations on a 2×2 worked by hand, the errors for bad operands, and the kernels
// jit makes: each factorisation is one kernel of its own (one workgroup per matrix, or one thread
// per matrix of at most 16 rows).
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, config } from "../../../runtime/src/index.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import { JitScopeError } from "../../../runtime/src/ir/errors.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, jitOnWebGpuMatchesCpu, onBackend, webgpuOrSkip, type Nested } from "./harness.js";

config({ backend: "cpu" });
const L = np.linalg;

for (const backend of ["cpu", "webgpu"] as const) {
  test(`[[4, 2], [2, 3]] by hand on ${backend}: L = [[2, 0], [1, √2]], det 8, inv [[3, -2], [-2, 4]]/8, solve [1, 2] = [-1/8, 3/4], grad det = [[3, -2], [-2, 4]]`, async (t) => {
    if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
    const outs = onBackend(backend, () => {
      const a = np.array([
        [4, 2],
        [2, 3],
      ]);
      const [sign, logabs] = L.slogdet(a);
      return [
        L.cholesky(a),
        L.det(a),
        L.inv(a),
        L.solve(a, np.array([1, 2])),
        sign,
        logabs,
        grad((x: Tracer) => L.det(x))(a),
        L.solve_triangular(L.cholesky(a), np.array([2, 1 + Math.SQRT2]), { lower: true }),
      ];
    });
    const v = await Promise.all(outs.map((o) => o.toArray()));
    assertClose(
      v[0],
      [
        [2, 0],
        [1, Math.SQRT2],
      ],
      "float32",
    );
    assertClose(v[1], 8, "float32");
    assertClose(
      v[2],
      [
        [3 / 8, -2 / 8],
        [-2 / 8, 4 / 8],
      ],
      "float32",
    );
    assertClose(v[3], [-1 / 8, 3 / 4], "float32");
    assertClose(v[4], 1, "float32");
    assertClose(v[5], Math.log(8), "float32");
    assertClose(
      v[6],
      [
        [3, -2],
        [-2, 4],
      ],
      "float32",
    );
    assertClose(v[7], [1, 1], "float32"); // [[2, 0], [1, √2]]·[1, 1] = [2, 1 + √2]
  });
}

const throwsNaming = (f: () => unknown, ...parts: RegExp[]) =>
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof JitScopeError, `expected a JitScopeError, got ${String(e)}`);
    for (const p of parts) assert.match(e.message, p);
    return true;
  });

test("a non-square a is an error naming its shape, for each function", () => {
  const a = np.ones([2, 3]);
  for (const f of [
    () => L.cholesky(a),
    () => L.inv(a),
    () => L.det(a),
    () => L.slogdet(a),
    () => L.solve(a, np.ones([2])),
    () => L.solve_triangular(a, np.ones([2])),
  ])
    throwsNaming(f, /must be a square matrix or a batch of them \[\.\.\., n, n\]/, /\[2,3\]/);
  throwsNaming(() => L.det(np.ones([4])), /square matrix/, /\[4\]/);
});

test("a b that does not match a is an error naming both shapes (and the b[..., None] fix for a batch of vectors)", () => {
  throwsNaming(
    () => L.solve(np.eye(3), np.ones([4])),
    /solve: b must be \[3\] or \[\.\.\., 3, k\]/,
    /\[3,3\]/,
    /\[4\]/,
  );
  throwsNaming(() => L.solve_triangular(np.eye(3), np.ones([2, 5])), /\[3,3\]/, /\[2,5\]/);
  throwsNaming(() => L.solve(np.ones([2, 3, 3]), np.ones([2, 3])), /\[2,3\]/, /b\[\.\.\., None\]/);
  throwsNaming(() => L.solve(np.ones([2, 3, 3]), np.ones([4, 3, 1])), /\[2,3,3\]/, /\[4,3,1\]/);
});

test("an integer (or bool) operand is a dtype error saying linear algebra is float32", () => {
  const ai = np.array(
    [
      [1, 2],
      [3, 4],
    ],
    { dtype: "int32" },
  );
  throwsNaming(() => L.cholesky(ai), /cholesky: a has dtype int32/, /float32/);
  throwsNaming(() => L.solve(np.eye(2), np.array([1, 2], { dtype: "int32" })), /solve: b has dtype int32/);
  throwsNaming(() => L.det(np.array([[true]])), /det: a has dtype bool/);
});

test("solve_triangular rejects an unknown trans and names the accepted ones", () => {
  throwsNaming(
    () => L.solve_triangular(np.eye(2), np.ones([2]), { trans: "X" as never }),
    /trans must be 0, 1, 2, "N", "T" or "C", got X/,
  );
});

test("under jit, solve is one lu kernel and two triangular-solve kernels, each written with its operands from memory", async () => {
  const lo = await jit((a: Tracer, b: Tracer) => L.solve(np.exp(a), b)).lower(
    np.ones([3, 24, 24]),
    np.ones([3, 24, 2]),
  );
  assert.deepEqual(
    lo.fusion.decisions.filter((d) => d.kind === "linalg").map((d) => d.reason),
    ["lu (one workgroup per matrix)", ...Array(2).fill("triangular_solve (one workgroup per matrix)")],
  );
  const kernel = lo.kernels.find((k) => k.name === "lu")!;
  assert.deepEqual(kernel.dispatch, [3, 1, 1], "one workgroup per matrix of the batch");
  assert.match(kernel.wgsl, /storageBarrier\(\)/);
  assert.ok(
    lo.fusion.boundaries.some((b) => b.rule === "linalg-operand"),
    "exp(a) is written before the lu kernel reads it",
  );
});

test("cholesky's kernel reports n³/3 FLOPs per matrix", async () => {
  const lo = await jit((a: Tracer) => L.cholesky(a)).lower(np.ones([2, 12, 12]));
  const k = lo.kernels.find((x) => x.name === "cholesky")!;
  assert.equal(k.flops, (2 * 12 ** 3) / 3);
});

test("vmap over right-hand sides with one shared matrix equals the solves one at a time (the batching rule broadcasts a)", async () => {
  const a = np.add(np.reshape(np.sin(np.arange(16)), [4, 4]), np.multiply(4, np.eye(4)));
  const bs = np.reshape(np.cos(np.arange(12)), [3, 4]);
  const mapped = vmap((b: Tracer) => L.solve(a, b))(bs);
  const tri = vmap((b: Tracer) => L.solve_triangular(a, b, { lower: true, trans: 1 }))(bs);
  const want = [0, 1, 2].map((i) => L.solve(a, np.take(bs, i, 0)));
  const wantTri = [0, 1, 2].map((i) => L.solve_triangular(a, np.take(bs, i, 0), { lower: true, trans: 1 }));
  assertClose(await mapped.toArray(), (await np.stack(want).toArray()) as Nested, "float32");
  assertClose(await tri.toArray(), (await np.stack(wantTri).toArray()) as Nested, "float32");
});

test("cholesky of SPD matrices of 1, 2, 64, 97 and 181 rows on WebGPU equals the CPU reference, and L·Lᵀ = A (the trailing update walks only the lower triangle)", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  for (const n of [1, 2, 64, 97, 181]) {
    // A = B·Bᵀ/n + I: symmetric positive definite, well conditioned.
    const make = () => {
      const b = np.reshape(np.sin(np.multiply(np.arange(n * n), 0.37)), [n, n]);
      return np.add(np.divide(np.matmul(b, np.transpose(b)), n), np.eye(n));
    };
    const cpu = onBackend("cpu", () => L.cholesky(make()));
    const gpu = onBackend("webgpu", () => jit((a: Tracer) => L.cholesky(a))(make()));
    const want = (await cpu.toArray()) as Nested;
    assertClose((await gpu.toArray()) as Nested, want, "float32", 1e-4, 1e-4, `n = ${n}`);
    const back = onBackend("webgpu", () => np.matmul(gpu, np.transpose(gpu)));
    assertClose(
      (await back.toArray()) as Nested,
      (await onBackend("cpu", make).toArray()) as Nested,
      "float32",
      1e-4,
      1e-4,
      `L·Lᵀ, n = ${n}`,
    );
  }
});

test("a batch of 70 matrices of 3 rows: cholesky, lu and triangular_solve give each matrix one thread (no barrier) and equal the CPU reference; 20 rows keep a workgroup each", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  for (const [n, batch, alone] of [
    [3, 70, true],
    [20, 5, false],
  ] as const) {
    // Diagonally dominant, varying by matrix: every matrix of the batch is its own problem.
    const make = () => {
      const b = np.reshape(np.sin(np.multiply(np.arange(batch * n * n), 0.61)), [batch, n, n]);
      return np.add(np.divide(np.matmul(b, np.swapaxes(b, -1, -2)), n), np.eye(n));
    };
    const rhs = () => np.reshape(np.cos(np.arange(batch * n * 2)), [batch, n, 2]);
    const f = (a: Tracer, b: Tracer) => np.add(L.solve(a, b), np.sum(L.cholesky(a), -1, { keepdims: true }));
    const lo = await jitOnWebGpuMatchesCpu(`n = ${n}`, f, () => [make(), rhs()]);
    const linalg = lo.kernels.filter((k) => ["cholesky", "lu", "triangular_solve"].includes(k.name));
    assert.equal(linalg.length, 4, "cholesky, lu and two triangular solves");
    for (const k of linalg) {
      assert.equal(/storageBarrier\(\)/.test(k.wgsl), !alone, `${k.name} at n = ${n}: barriers`);
      assert.match(k.plan, alone ? /one thread each/ : /one workgroup each/);
      assert.deepEqual(k.dispatch, alone ? [2, 1, 1] : [batch, 1, 1], `${k.name}: workgroups`);
    }
    assert.ok(
      lo.fusion.decisions
        .filter((d) => d.kind === "linalg")
        .every((d) => d.reason.endsWith(alone ? "(one thread per matrix)" : "(one workgroup per matrix)")),
    );
  }
});
