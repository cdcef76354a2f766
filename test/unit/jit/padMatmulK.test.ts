// A float32 matmul with K not a multiple of 4 reads its operands zero-padded along K
// (passes/padMatmulK.ts), so its kernel takes the vec4 path; the padding is exact, a computed
// operand is padded by the kernel that computes it, and small or already aligned products are
// left alone. Values are checked against products by hand in float64, on the CPU and WebGPU.
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, np, config } from "../../../runtime/src/index.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, webgpuOrSkip } from "../ops/harness.js";

config({ backend: "cpu" });

const host = (n: number, k: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(i * k) * 0.5);
const arr = (data: Float64Array, shape: number[]) => np.reshape(np.array(Float32Array.from(data)), shape);

function matmulByHand(x: Float64Array, w: Float64Array, m: number, k: number, n: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < m; r++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < k; i++) s += x[r * k + i]! * w[i * n + j]!;
      out.push(s);
    }
  return out;
}

const [M, K, N] = [1024, 33, 64];
const xs = host(M * K, 0.37);
const ws = host(K * N, 0.91);
const product = (x: Tracer, w: Tracer) => np.matmul(x, w);

test("[1024,33] @ [33,64] is computed as [1024,36] @ [36,64] with vec4 loads, and equals the product by hand", async (t) => {
  const lo = await jit(product).lower(arr(xs, [M, K]), arr(ws, [K, N]));
  const rules = lo.passes.find((p) => p.name === "simplify")!.effect?.rules ?? {};
  assert.equal(
    rules["matmul with K not a multiple of 4 → operands padded with zeros to one"],
    1,
    JSON.stringify(rules),
  );
  const mm = lo.program.eqns.find((e) => e.prim === "matmul")!;
  assert.deepEqual(
    mm.inputs.map((a) => a.aval.shape),
    [
      [M, 36],
      [36, N],
    ],
  );
  const plan = lo.kernels.find((k) => k.ops.includes("matmul"))!.plan;
  assert.match(plan, /1024×36 @ 36×64.*vec4 loads/, plan);
  const want = matmulByHand(xs, ws, M, K, N);
  const run = () => jit(product)(arr(xs, [M, K]), arr(ws, [K, N]));
  assertClose(Array.from(await run().data()), want, "float32", 1e-5, 1e-5, "cpu");
  if (!(await webgpuOrSkip(t))) return;
  assertClose(Array.from(await onBackend("webgpu", run).data()), want, "float32", 1e-5, 1e-5, "webgpu");
});

/** A positional encoding (x, sin x, cos x: 3·11 = 33 features) into a layer, as a NeRF's MLP. */
const encoded = (w: Tracer, x: Tracer) => {
  const e = np.concatenate([x, np.sin(x), np.cos(x)], -1);
  return np.sum(np.square(np.matmul(e, w)));
};

test("a computed operand is written padded by the kernel computing it, and xᵀ·g in the gradient reads that copy: the encoding is computed once", async (t) => {
  const [rows, feats] = [2048, 11];
  const x = host(rows * feats, 0.23);
  const w = host(3 * feats * 16, 0.61);
  const g = jit(grad(encoded));
  const lo = await g.lower(arr(w, [3 * feats, 16]), arr(x, [rows, feats]));
  const concats = lo.kernels.filter((k) => k.ops.includes("concatenate")).map((k) => k.ops.join(","));
  assert.deepEqual(concats, ["concatenate,pad"], lo.kernels.map((k) => k.ops.join(",")).join(" | "));
  // d/dw Σ (e·w)² = 2 eᵀ (e·w), by hand.
  const e: number[] = [];
  for (let r = 0; r < rows; r++) {
    const row = Array.from(x.slice(r * feats, (r + 1) * feats));
    e.push(...row, ...row.map(Math.sin), ...row.map(Math.cos));
  }
  const y = matmulByHand(Float64Array.from(e), w, rows, 3 * feats, 16);
  const want: number[] = [];
  for (let i = 0; i < 3 * feats; i++)
    for (let j = 0; j < 16; j++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += 2 * e[r * 3 * feats + i]! * y[r * 16 + j]!;
      want.push(s);
    }
  const run = () => g(arr(w, [3 * feats, 16]), arr(x, [rows, feats]));
  assertClose(Array.from(await run().data()), want, "float32", 1e-4, 1e-4, "cpu");
  if (!(await webgpuOrSkip(t))) return;
  assertClose(Array.from(await onBackend("webgpu", run).data()), want, "float32", 1e-4, 1e-4, "webgpu");
});

test("K = 3, K = 32, N = 10, a product under 2^20 multiply-adds, an int32 product and xᵀ with 30 rows keep their operands as they are", async () => {
  const swapped = await jit((x: Tracer, g: Tracer) => np.matmul(np.transpose(x), g)).lower(
    np.ones([1021, 30]),
    np.ones([1021, 64]),
  );
  assert.ok(!swapped.program.eqns.some((e) => e.prim === "pad"), `xᵀ [30, 1021]: ${swapped.text()}`);
  const cases: [number[], number[], "float32" | "int32"][] = [
    [[1024, 33], [33, 10], "float32"],
    [[4096, 3], [3, 64], "float32"],
    [[1024, 32], [32, 64], "float32"],
    [[256, 33], [33, 64], "float32"],
    [[1024, 33], [33, 64], "int32"],
  ];
  for (const [a, b, dtype] of cases) {
    const lo = await jit(product).lower(np.ones(a, { dtype }), np.ones(b, { dtype }));
    assert.ok(!lo.program.eqns.some((e) => e.prim === "pad"), `${a} @ ${b} ${dtype}: ${lo.text()}`);
  }
});
