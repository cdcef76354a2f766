// np.linalg.qr against JAX (scripts/jax/run_jax_qr.py wrote test/fixtures/jax/qr.json): Q and R in
// the reduced, complete and "r" modes on tall, wide, square and batched matrices, an
// upper-triangular input and a zero column (LAPACK's signs), and the gradients of Q and R; each on
// the CPU reference, on WebGPU and under jit on WebGPU (harness.ts opCases). Then the two users of
// QR: random.orthogonal and nn.initializers.orthogonal give orthonormal columns (or rows), checked
// by QᵀQ = I, with Haar-distributed entries (mean 0, variance 1/n).
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, nn, random } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, type Nested, type OpCase, refuses } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxOpCase, ids } = fixtureCases("qr");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const close = { rtol: 2e-5, atol: 2e-6 };
const loose = { rtol: 1e-4, atol: 1e-5 };
const NAMES = ["tall", "wide", "square", "batch", "upper", "zero_column"];

const cases: OpCase[] = [
  ...NAMES.flatMap((name) => [
    jaxOpCase(`q_${name}`, (a) => np.linalg.qr(f(a))[0], close),
    jaxOpCase(`r_${name}`, (a) => np.linalg.qr(f(a))[1], close),
  ]),
  jaxOpCase("q_complete_tall", (a) => np.linalg.qr(f(a), "complete")[0], close),
  jaxOpCase("r_complete_tall", (a) => np.linalg.qr(f(a), "complete")[1], close),
  jaxOpCase("r_mode_tall", (a) => np.linalg.qr(f(a), "r"), close),
  jaxOpCase(
    "grad_r_tall",
    (a, w) => grad((x: Tracer) => np.sum(np.multiply(np.linalg.qr(x)[1], f(w))))(f(a)) as Tracer,
    loose,
  ),
  jaxOpCase(
    "grad_q_tall",
    (a, w) => grad((x: Tracer) => np.sum(np.multiply(np.linalg.qr(x)[0], f(w))))(f(a)) as Tracer,
    loose,
  ),
  jaxOpCase(
    "grad_q_square",
    (a) => grad((x: Tracer) => np.sum(np.power(np.linalg.qr(x)[0], 3)))(f(a)) as Tracer,
    loose,
  ),
];

test("every case in qr.json has a check here, and no check names a missing case", () => {
  assert.deepEqual(cases.map((c) => c.name).sort(), [...ids].sort());
});

opCases("qr", cases);

/** max |MᵀM − I| over M's columns (M [r, c], r ≥ c). */
async function orthonormalError(m: Tracer): Promise<number> {
  const gram = (await np.matmul(np.transpose(m), m).toArray()) as number[][];
  return Math.max(...gram.flatMap((row, i) => row.map((v, j) => Math.abs(v - (i === j ? 1 : 0)))));
}

test("random.orthogonal: a batch of 64×64 draws is orthonormal to 1e-5, with entries of mean 0 and variance 1/64 (Haar)", async () => {
  const qs = onBackend("cpu", () => random.orthogonal(random.key(4), 64, [3]));
  assert.deepEqual(qs.shape, [3, 64, 64]);
  for (let b = 0; b < 3; b++) assert.ok((await orthonormalError(np.take(qs, b, 0))) < 1e-5);
  const v = Array.from(await qs.data());
  const mean = v.reduce((a, x) => a + x, 0) / v.length;
  const variance = v.reduce((a, x) => a + (x - mean) ** 2, 0) / v.length;
  assert.ok(Math.abs(mean) < 5 * Math.sqrt(1 / 64 / v.length), `mean ${mean}`);
  assert.ok(Math.abs(variance - 1 / 64) < 0.001, `variance ${variance}`);
  // The sign fix makes R's diagonal positive; without it Q's first column would lean to one sign.
  const firstColumnMean = v.filter((_, i) => i % 64 === 0).reduce((a, x) => a + x, 0) / (3 * 64);
  assert.ok(Math.abs(firstColumnMean) < 0.05, `first column mean ${firstColumnMean}`);
});

test("nn.initializers.orthogonal: a [144, 32] kernel has orthonormal columns, a [3, 5] one orthonormal rows, a conv kernel [3, 3, 16, 32] is orthonormal over column_axis -1, all times scale", async () => {
  const init = nn.initializers.orthogonal(2);
  const tall = onBackend("cpu", () => init(random.key(1), [144, 32]));
  assert.ok((await orthonormalError(np.divide(tall, 2))) < 1e-5);
  const wide = onBackend("cpu", () => nn.initializers.orthogonal()(random.key(2), [3, 5]));
  assert.ok((await orthonormalError(np.transpose(wide))) < 1e-5);
  const conv = onBackend("cpu", () => nn.initializers.orthogonal()(random.key(3), [3, 3, 16, 32]));
  assert.deepEqual(conv.shape, [3, 3, 16, 32]);
  assert.ok((await orthonormalError(np.reshape(conv, [144, 32]))) < 1e-5);
  const rowsFirst = onBackend("cpu", () => nn.initializers.orthogonal(1, 0)(random.key(3), [32, 144]));
  assert.ok((await orthonormalError(np.transpose(rowsFirst))) < 1e-5);
});

test("qr and orthogonal refuse what they cannot factor, naming the function: a vector, an int matrix, an unknown mode, a 1-D initializer shape", () => {
  refuses(
    () => np.linalg.qr(np.ones([3])),
    /qr: a must be a matrix or a batch of them \[..., m, n\], got float32\[3\]/,
  );
  refuses(() => np.linalg.qr(np.ones([3, 3], { dtype: "int32" })), /qr: a has dtype int32/);
  refuses(() => np.linalg.qr(np.ones([3, 3]), "full" as never), /qr: mode must be "reduced", "complete" or "r"/);
  refuses(
    () => nn.initializers.orthogonal()(random.key(0), [8]),
    /nn.initializers.orthogonal: needs at least a 2-D shape, got \[8\]/,
  );
});
