// np.matmul of a batched array by a 2-D weight is one product of all the rows (np/linalg.ts),
// not a batched product over a copy of the weight per batch entry; simplify's reshape sinking
// (passes/sinkReshape.ts) then lets an elementwise chain between two such matmuls (a
// transformer's gelu) be the first one's epilogue, with no reshape left between them. Where
// nothing cancels (a reshape feeding a reduction, a scalar product) the program keeps its
// reshape. Every value is checked against one computed by hand in float64, on the CPU and WebGPU.
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, np, config } from "../../../runtime/src/index.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, webgpuOrSkip } from "../ops/harness.js";

config({ backend: "cpu" });

const host = (n: number, k: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(i * k) * 0.5);
const arr = (data: Float64Array, shape: number[]) => np.reshape(np.array(Float32Array.from(data)), shape);

/** x [b, m, k] @ w [k, n] by hand. */
function matmulByHand(x: Float64Array, w: Float64Array, b: number, m: number, k: number, n: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < b * m; r++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < k; i++) s += x[r * k + i]! * w[i * n + j]!;
      out.push(s);
    }
  return out;
}

const [B, M, K, N] = [3, 5, 8, 6];
const xs = host(B * M * K, 0.37);
const ws = host(K * N, 0.91);

test("[3,5,8] @ [8,6] is one matmul of 15 rows, no broadcast of the weight, and equals the product by hand", async () => {
  const f = (x: Tracer, w: Tracer) => np.matmul(x, w);
  const lo = await jit(f).lower(arr(xs, [B, M, K]), arr(ws, [K, N]));
  const text = lo.text("trace");
  assert.doesNotMatch(text, /broadcast/, text);
  const matmuls = lo.program.eqns.filter((e) => e.prim === "matmul");
  assert.equal(matmuls.length, 1);
  assert.deepEqual(matmuls[0]!.inputs[0]!.aval.shape, [B * M, K]);
  assert.deepEqual(matmuls[0]!.outputs[0]!.aval.shape, [B * M, N]);
  const got = jit(f)(arr(xs, [B, M, K]), arr(ws, [K, N]));
  assert.deepEqual(got.shape, [B, M, N]);
  assertClose(Array.from(await got.data()), matmulByHand(xs, ws, B, M, K, N), "float32", 1e-5, 1e-5, "x @ w");
});

test("[2,3,8] @ [8] (a vector) keeps NumPy's shape [2,3] and equals the dot products by hand", async () => {
  const v = host(K, 1.3);
  const got = jit((x: Tracer, y: Tracer) => np.matmul(x, y))(arr(xs.slice(0, 2 * 3 * K), [2, 3, K]), arr(v, [K]));
  assert.deepEqual(got.shape, [2, 3]);
  assertClose(Array.from(await got.data()), matmulByHand(xs, v, 2, 3, K, 1), "float32", 1e-5, 1e-5, "x @ v");
});

test("the weight's gradient of sum(x @ w) is one product xᵀ·1 over all rows: column sums of x by hand", async () => {
  const loss = (w: Tracer, x: Tracer) => np.sum(np.matmul(x, w));
  const g = jit(grad(loss));
  const lo = await g.lower(arr(ws, [K, N]), arr(xs, [B, M, K]));
  assert.ok(!lo.program.eqns.some((e) => e.prim === "matmul" && e.inputs[0]!.aval.shape.length > 2), lo.text());
  const got = await g(arr(ws, [K, N]), arr(xs, [B, M, K])).data();
  // d/dw[i][j] sum_r sum_j x[r][i] w[i][j] = sum_r x[r][i], the same for every j.
  const want: number[] = [];
  for (let i = 0; i < K; i++) {
    let s = 0;
    for (let r = 0; r < B * M; r++) s += xs[r * K + i]!;
    for (let j = 0; j < N; j++) want.push(s);
  }
  assertClose(Array.from(got), want, "float32", 1e-5, 1e-5, "dL/dw");
});

/** A transformer MLP: gelu-like (tanh) between two matmuls, on [batch, tokens, width]. */
const mlp = (x: Tracer, w1: Tracer, w2: Tracer) => np.matmul(np.tanh(np.multiply(np.matmul(x, w1), 0.5)), w2);
const H = 4;
const w1s = host(K * H, 0.53);
const w2s = host(H * N, 0.29);
const mlpArgs = () => [arr(xs, [B, M, K]), arr(w1s, [K, H]), arr(w2s, [H, N])] as const;

function mlpByHand(): number[] {
  const h = matmulByHand(xs, w1s, B, M, K, H).map((v) => Math.tanh(v * 0.5));
  return matmulByHand(Float64Array.from(h), w2s, B, M, H, N);
}

test("between two matmuls of a batched x, tanh runs on the first one's rows as its epilogue, and the second matmul reads that result directly", async () => {
  const lo = await jit(mlp).lower(...mlpArgs());
  const simplify = lo.passes.find((p) => p.name === "simplify")!;
  assert.ok(
    Object.keys(simplify.effect?.rules ?? {}).some((r) => r.startsWith("reshape of elementwise ops")),
    JSON.stringify(simplify.effect?.rules),
  );
  const kernels = lo.kernels.map((k) => k.ops.join(","));
  assert.equal(kernels.filter((k) => k.includes("matmul")).length, 2, kernels.join(" | "));
  const first = kernels.indexOf("reshape,matmul,mul,tanh");
  assert.ok(first >= 0, `tanh is the first matmul's epilogue: ${kernels.join(" | ")}`);
  assert.equal(kernels[first + 1], "matmul,reshape", `no kernel between the two matmuls: ${kernels.join(" | ")}`);
  // x is read as rows in place, and the result stored at [3,5,6] by the second matmul: no copy.
  assert.deepEqual(kernels, ["reshape,matmul,mul,tanh", "matmul,reshape"]);
});

test("reshape sinking keeps the MLP's result equal to the product by hand, on the CPU and WebGPU", async (t) => {
  const want = mlpByHand();
  const cpu = await jit(mlp)(...mlpArgs()).data();
  assertClose(Array.from(cpu), want, "float32", 1e-5, 1e-5, "cpu");
  if (!(await webgpuOrSkip(t))) return;
  const gpu = await onBackend("webgpu", () => jit(mlp)(...mlpArgs())).data();
  assertClose(Array.from(gpu), want, "float32", 1e-5, 1e-5, "webgpu");
});

test("where no reshape cancels (a chain reshaped for a row sum; a [1,1] product read as a scalar) the reshape stays", async () => {
  const rowSums = (x: Tracer) => np.sum(np.reshape(np.tanh(x), [6, 20]), 1);
  const lo = await jit(rowSums).lower(arr(host(120, 0.2), [12, 10]));
  assert.ok(
    lo.program.eqns.some((e) => e.prim === "reshape"),
    lo.text(),
  );
  const simplify = lo.passes.find((p) => p.name === "simplify")!;
  assert.ok(!Object.keys(simplify.effect?.rules ?? {}).some((r) => r.startsWith("reshape of elementwise ops")));
  const want: number[] = [];
  const xs1 = host(120, 0.2);
  for (let r = 0; r < 6; r++) {
    let s = 0;
    for (let c = 0; c < 20; c++) s += Math.tanh(xs1[r * 20 + c]!);
    want.push(s);
  }
  assertClose(Array.from(await jit(rowSums)(arr(xs1, [12, 10])).data()), want, "float32", 1e-5, 1e-5, "row sums");
  // x·x of a vector is a [1,1] product reshaped to []: tanh of it stays a scalar op.
  const v = host(7, 0.8);
  const dot = (x: Tracer) => np.tanh(np.matmul(x, x));
  const got = await jit(dot)(arr(v, [7])).data();
  assertClose(Array.from(got), [Math.tanh(v.reduce((s, a) => s + a * a, 0))], "float32", 1e-6, 1e-6, "tanh(x·x)");
});

/** Σ (relu(x @ w1 + b) @ w2)²: an MLP layer's forward and, under grad, its backward. */
const layerLoss = (w1: Tracer, b: Tracer, w2: Tracer, x: Tracer) =>
  np.sum(np.square(np.matmul(np.maximum(np.add(np.matmul(x, w1), b), 0), w2)));
const bs = host(H, 2.1);

/** The gradients of layerLoss in w1 and b by hand, in float64: gy = 2y, gh = gy·w2ᵀ, the
 *  pre-activation's gradient gh·[pre > 0], summed over rows for b and x-weighted for w1. */
function layerGradByHand(): { w1: number[]; b: number[] } {
  const rows = B * M;
  const pre = matmulByHand(xs, w1s, B, M, K, H).map((v, idx) => v + bs[idx % H]!);
  const h = pre.map((v) => Math.max(v, 0));
  const y = matmulByHand(Float64Array.from(h), w2s, B, M, H, N);
  const gb = new Array<number>(H).fill(0);
  const gw = new Array<number>(K * H).fill(0);
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < H; j++) {
      if (pre[r * H + j]! <= 0) continue;
      let gpre = 0;
      for (let n = 0; n < N; n++) gpre += 2 * y[r * N + n]! * w2s[j * N + n]!;
      gb[j]! += gpre;
      for (let i = 0; i < K; i++) gw[i * H + j]! += xs[r * K + i]! * gpre;
    }
  return { w1: gw, b: gb };
}

test("the gradient of Σ(relu(x @ w1 + b) @ w2)² on a batched x stays in rows: the mask is the backward product's epilogue, b's gradient sums the merged rows, as many kernels as for a 2-D x", async (t) => {
  const g = jit(grad(layerLoss, [0, 1]));
  const batched = await g.lower(arr(w1s, [K, H]), arr(bs, [H]), arr(w2s, [H, N]), arr(xs, [B, M, K]));
  const flat = await g.lower(arr(w1s, [K, H]), arr(bs, [H]), arr(w2s, [H, N]), arr(xs, [B * M, K]));
  const reshaped = batched.fusion.boundaries.filter((b) => b.rule === "shape").map((b) => b.reason);
  assert.deepEqual(
    reshaped.filter((r) => r.includes("reshaped to") || r.includes("is used at shape")),
    [],
    batched.text(),
  );
  assert.equal(batched.kernels.length, flat.kernels.length, batched.kernels.map((k) => k.ops.join(",")).join(" | "));
  // b's gradient: one sum over the rows of the [B·M, H] backward product, not over [B, M, H].
  const sums = batched.program.eqns.filter((e) => e.prim === "reduce_sum");
  assert.ok(
    sums.some((e) => e.inputs[0]!.aval.shape.join() === `${B * M},${H}`),
    batched.text(),
  );
  const want = layerGradByHand();
  const check = async (backend: "cpu" | "webgpu") => {
    const [gw, gb] = await onBackend(
      backend,
      () => g(arr(w1s, [K, H]), arr(bs, [H]), arr(w2s, [H, N]), arr(xs, [B, M, K])) as Tracer[],
    );
    assertClose(Array.from(await gw!.data()), want.w1, "float32", 1e-5, 1e-5, `dL/dw1 (${backend})`);
    assertClose(Array.from(await gb!.data()), want.b, "float32", 1e-5, 1e-5, `dL/db (${backend})`);
  };
  await check("cpu");
  if (await webgpuOrSkip(t)) await check("webgpu");
});
