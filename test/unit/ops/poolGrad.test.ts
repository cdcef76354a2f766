// Max / min pooling against JAX (test/fixtures/jax/pool.json, written by
// scripts/jax/run_jax_pool.py): values, gradients and jvps on shapes with odd sizes, strides
// other than the window, padding, gaps and overlapping windows, on inputs full of ties (a
// window's cotangent goes to its first maximal element). Every case on the CPU and on WebGPU,
// eagerly and under jit; vmap of grad; the CNN training step's gradient on WebGPU against the
// CPU; the shape of the compiled gradient (a gather fused with relu's derivative, no pads); and
// relu fused into a pooling kernel whose windows do not overlap.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import * as lax from "../../../runtime/src/lax.js";
import * as nn from "../../../runtime/src/nn.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad, valueAndGrad as value_and_grad } from "../../../runtime/src/trace/grad.js";
import { jvp } from "../../../runtime/src/trace/jvp.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import type { Padding } from "../../../runtime/src/lax/conv.js";
import { assertClose, onBackend, webgpuOrSkip } from "./harness.js";

interface PoolCase {
  name: string;
  op: "max" | "min";
  shape: number[];
  window: number[];
  strides: number[];
  padding: Padding;
  outShape: number[];
  value: number[];
  grad: number[];
  jvp: number[];
}
const fixture = JSON.parse(readFileSync(new URL("../../fixtures/jax/pool.json", import.meta.url), "utf8")) as {
  cases: PoolCase[];
};

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const seq = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

/** The fixture's input, weights and tangent (see run_jax_pool.py), and its pooling and loss. */
function problem(c: PoolCase) {
  const x = np.array(seq(size(c.shape), (i) => ((i * 7 + 3) % 5) - 2)).reshape(c.shape);
  const t = np.array(seq(size(c.shape), (i) => (i % 11) - 5)).reshape(c.shape);
  const w = np.array(seq(size(c.outShape), (o) => 1 + (o % 7))).reshape(c.outShape);
  const pool = (v: Tracer) =>
    lax.reduce_window(v, c.op === "max" ? -Infinity : Infinity, c.op, c.window, c.strides, c.padding);
  const loss = (v: Tracer) => np.sum(np.multiply(pool(v), w));
  return { x, t, pool, loss };
}

/** Values, gradient (eager and jit(grad)) and jvp on `backend`, flat. */
async function results(c: PoolCase, backend: "cpu" | "webgpu") {
  const [value, eagerGrad, jitGrad, tangentOut] = onBackend(backend, () => {
    const { x, t, pool, loss } = problem(c);
    return [
      jit(pool)(x) as Tracer,
      grad(loss)(x) as Tracer,
      jit(grad(loss))(x) as Tracer,
      jvp(pool, [x], [t])[1] as Tracer,
    ];
  });
  const flat = async (a: Tracer) => Array.from(await a.data());
  return {
    value: await flat(value),
    eagerGrad: await flat(eagerGrad),
    jitGrad: await flat(jitGrad),
    jvp: await flat(tangentOut),
  };
}

function assertMatchesJax(c: PoolCase, got: Awaited<ReturnType<typeof results>>, where: string) {
  // Small integers times small integers: exact in float32, so JAX's numbers are matched exactly.
  assertClose(got.value, c.value, "float32", 0, 0, `${where} value`);
  assertClose(got.eagerGrad, c.grad, "float32", 0, 0, `${where} grad`);
  assertClose(got.jitGrad, c.grad, "float32", 0, 0, `${where} jit(grad)`);
  assertClose(got.jvp, c.jvp, "float32", 0, 0, `${where} jvp`);
}

for (const c of fixture.cases) {
  test(`${c.op} pool ${c.name}: value, grad, jit(grad) and jvp on the CPU equal JAX's exactly`, async () => {
    assertMatchesJax(c, await results(c, "cpu"), "cpu");
  });
  test(`${c.op} pool ${c.name}: value, grad, jit(grad) and jvp on WebGPU equal JAX's and the CPU's exactly`, async (t) => {
    if (!(await webgpuOrSkip(t))) return;
    const gpu = await results(c, "webgpu");
    assertMatchesJax(c, gpu, "webgpu");
    assert.deepEqual(gpu, await results(c, "cpu"));
  });
}

test("vmap(grad) of max pooling over a batch of two inputs equals JAX's gradient of each, on the CPU and WebGPU", async (t) => {
  const c = fixture.cases.find((k) => k.name.startsWith("3x3 stride 2 SAME"))!;
  const run = (backend: "cpu" | "webgpu") =>
    onBackend(backend, () => {
      const { x, loss } = problem(c);
      const xs = np.stack([x, np.multiply(x, 1)]);
      return vmap(grad(loss))(xs) as Tracer;
    });
  const want = [...c.grad, ...c.grad];
  assertClose(Array.from(await run("cpu").data()), want, "float32", 0, 0, "cpu");
  if (!(await webgpuOrSkip(t))) return;
  assertClose(Array.from(await run("webgpu").data()), want, "float32", 0, 0, "webgpu");
});

const NHWC = ["NHWC", "HWIO", "NHWC"] as const;
type Cnn = { w: Tracer; b: Tracer; dw: Tracer };
/** The bench's CNN (bench/workloadData.ts) at a smaller size: conv, bias, relu, 2×2 max pool, dense. */
function cnnLoss(p: Cnn, x: Tracer) {
  const h = nn.relu(np.add(lax.conv_general_dilated(x, p.w, [1, 1], "SAME", { dimension_numbers: NHWC }), p.b));
  const pooled = nn.max_pool(h, [2, 2], [2, 2]);
  return np.sum(np.tanh(np.matmul(pooled.reshape(4, 4 * 4 * 8), p.dw)));
}
const wave = (shape: number[], k: number) =>
  np.array(seq(size(shape), (i) => Math.sin(i * k) * 0.5 + (i % 3 === 0 ? 0.25 : 0))).reshape(shape);
const cnnArgs = (): [Cnn, Tracer] => [
  { w: wave([3, 3, 3, 8], 0.7), b: wave([8], 1.3), dw: wave([128, 5], 0.37) },
  // Rounded to quarters: many equal values, so windows tie.
  np.divide(np.round(np.multiply(wave([4, 8, 8, 3], 0.91), 4)), 4),
];

test("jit(grad) of the CNN step on WebGPU equals the CPU's eager grad (conv, bias, relu, max pool, dense)", async (t) => {
  const want = onBackend("cpu", () => grad(cnnLoss)(...cnnArgs()) as Cnn);
  if (!(await webgpuOrSkip(t))) return;
  const got = onBackend("webgpu", () => jit(grad(cnnLoss))(...cnnArgs()) as Cnn);
  for (const k of ["w", "b", "dw"] as const)
    assertClose(Array.from(await got[k].data()), Array.from(await want[k].data()), "float32", 1e-4, 1e-5, k);
});

test("under jit(grad), max pooling's gradient is one kernel with relu's derivative, with no pad", async () => {
  const lo = await jit(grad((x: Tracer) => np.sum(np.square(nn.max_pool(nn.relu(x), [2, 2], [2, 2]))))).lower(
    np.ones([2, 8, 8, 4]),
  );
  assert.ok(!lo.kernels.some((k) => k.ops.includes("pad")), lo.kernels.map((k) => k.ops.join(",")).join(" | "));
  // The gather compares each element's window offset (eq) and applies relu's mask (gt) in one pass.
  const back = lo.kernels.filter((k) => k.ops.includes("eq"));
  assert.equal(back.length, 1, lo.kernels.map((k) => k.ops.join(",")).join(" | "));
  assert.ok(back[0]!.ops.includes("gt"), back[0]!.ops.join(","));
});

config({ backend: "cpu" });

const reluPool = (stride: number) => (x: Tracer) =>
  nn.max_pool(nn.relu(np.subtract(np.multiply(x, 2), 1)), [2, 2], [stride, stride]);

test("relu before a 2x2 stride-2 max pool is computed in the pooling kernel (one kernel), and equals the CPU on WebGPU", async (t) => {
  const lo = await jit(reluPool(2)).lower(np.ones([2, 8, 8, 4]));
  assert.equal(lo.kernels.length, 1, lo.kernels.map((k) => k.ops.join(",")).join(" | "));
  // Overlapping windows would compute each element up to 4 times: relu is written out first.
  const overlapping = await jit(reluPool(1)).lower(np.ones([2, 8, 8, 4]));
  assert.equal(overlapping.kernels.length, 2, overlapping.kernels.map((k) => k.ops.join(",")).join(" | "));
  const x = () => np.divide(np.round(np.multiply(wave([2, 9, 8, 4], 0.77), 8)), 8);
  const want = Array.from(await onBackend("cpu", () => reluPool(2)(x())).data());
  if (!(await webgpuOrSkip(t))) return;
  assertClose(
    Array.from(await onBackend("webgpu", () => jit(reluPool(2))(x()) as Tracer).data()),
    want,
    "float32",
    0,
    0,
  );
});

test("grad of jit, and grad of grad, of max pooling with ties give JAX's values (CPU)", async () => {
  const x = np.array([1, 3, 3, 0, 3, 2, 1, 1, 0, 0, 5, 5, 0, 0, 5, 5]).reshape(1, 4, 4, 1);
  const w = np.arange(1, 5).astype("float32").reshape(1, 2, 2, 1);
  const f = (v: Tracer) => np.sum(np.multiply(nn.max_pool(v, [2, 2], [2, 2]), w));
  // jax.grad of the same: each window's weight at its first maximal element.
  const first = [0, 1, 2, 0, 0, 0, 0, 0, 3, 0, 4, 0, 0, 0, 0, 0];
  assertClose(Array.from(await (grad(jit(f))(x) as Tracer).data()), first, "float32", 0, 0, "grad(jit)");
  const sq = (v: Tracer) => np.sum(np.square(nn.max_pool(v, [2, 2], [2, 2])));
  const second = grad((v: Tracer) => np.sum(grad(sq)(v) as Tracer))(x) as Tracer;
  // jax.grad(lambda x: jnp.sum(jax.grad(sq)(x)))(x): 2 at each window's first maximal element.
  assertClose(Array.from(await second.data()), [0, 2, 2, 0, 0, 0, 0, 0, 2, 0, 2, 0, 0, 0, 0, 0], "float32", 0, 0);
});

test("a NaN anywhere in a window makes its max and min NaN (as JAX's), eagerly, under jit and under grad, on the CPU and WebGPU", async (t) => {
  const input = () => np.array([1, NaN, 2, 0, 3, 4, 5, NaN]).reshape(1, 2, 4, 1);
  const want = [NaN, NaN]; // windows [1, NaN, 3, 4] and [2, 0, 5, NaN]
  const pool = (v: Tracer) => nn.max_pool(v, [2, 2], [2, 2]);
  const minPool = (v: Tracer) => lax.reduce_window(v, Infinity, "min", [1, 2, 2, 1], [1, 2, 2, 1], "VALID");
  const backends: ("cpu" | "webgpu")[] = (await webgpuOrSkip(t)) ? ["cpu", "webgpu"] : ["cpu"];
  for (const backend of backends) {
    const got = onBackend(backend, () => [pool(input()), jit(pool)(input()) as Tracer, minPool(input())]);
    for (const [i, g] of got.entries())
      assertClose(Array.from(await g.data()), want, "float32", 0, 0, `${backend} ${i}`);
    // Under grad the pool records its selected offsets (windowSelect.ts): its value is NaN too.
    const [value] = onBackend(backend, () =>
      value_and_grad((v: Tracer) => np.sum(np.multiply(pool(v), np.array([1, 0]).reshape(1, 1, 2, 1))))(input()),
    ) as [Tracer, Tracer];
    assert.ok(Number.isNaN((await value.data())[0]), `${backend}: the value under grad is NaN`);
  }
  const traced = onBackend("cpu", () => {
    const [y] = vmap((v: Tracer) => [pool(v)] as const)(np.expand_dims(input(), 0)) as unknown as [Tracer];
    return y;
  });
  assertClose(Array.from(await traced.data()), want, "float32", 0, 0, "vmap");
});
