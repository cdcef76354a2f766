// random: keys, splitting, the threefry known-answer vector, determinism, the same numbers on
// WebGPU and on the CPU reference, jit = eager, and the moments of 1e5 samples of each sampler.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import * as random from "../../../runtime/src/random.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, webgpuOrSkip, type Nested } from "../ops/harness.js";

config({ backend: "cpu" });

const data = async (t: Tracer) => Array.from(await t.data());

function moments(xs: readonly number[]): { mean: number; variance: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
  return { mean, variance };
}

test("random.key(seed) is [high word, low word] of the seed, as JAX's PRNGKey", async () => {
  assert.deepEqual(await random.key(0).toArray(), [0, 0]);
  assert.deepEqual(await random.key(42).toArray(), [0, 42]);
  assert.deepEqual(await random.key(2 ** 32 + 5).toArray(), [1, 5]);
  assert.equal(random.key(1).dtype, "int32");
});

test("bits are threefry2x32: the Random123 known answer for key (0,0), counter (0,0)", async () => {
  const [k] = random.split(random.key(0), 1);
  assert.equal((await k.data())[0], 0x6b200159 | 0);
  // uniform keeps the top 23 bits of the same word
  assert.equal((await random.uniform(random.key(0), [1]).data())[0], (0x6b200159 >>> 9) / 2 ** 23);
});

test("the same key gives the same numbers; split keys differ from each other and the parent; split(k) is int32[2, 2]", async () => {
  const k = random.key(7);
  assert.deepEqual(await data(random.normal(k, [50])), await data(random.normal(random.key(7), [50])));
  const [a, b, c] = random.split(k, 3);
  const draws = await Promise.all([k, a, b, c].map((key) => data(random.uniform(key, [20]))));
  for (let i = 0; i < draws.length; i++) {
    for (let j = i + 1; j < draws.length; j++) assert.notDeepEqual(draws[i], draws[j], `keys ${i} and ${j}`);
  }
  assert.deepEqual(random.split(k).shape, [2, 2]);
});

test("random under jit gives exactly the eager numbers", async () => {
  const draw = jit((key: Tracer) => [
    random.uniform(key, [64]),
    random.normal(key, [8]),
    random.bernoulli(key, 0.5, [16]),
  ]);
  const k = random.key(11);
  const [u, n, b] = draw(k) as Tracer[];
  assert.deepEqual(await data(u!), await data(random.uniform(k, [64])));
  assertClose(await n!.toArray(), (await random.normal(k, [8]).toArray()) as Nested, "float32", 1e-6, 1e-6);
  assert.deepEqual(await data(b!), await data(random.bernoulli(k, 0.5, [16])));
});

test("WebGPU draws the same bits as the CPU reference", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const draw = () => {
    const k = random.key(2024);
    const [k1, k2] = random.split(k);
    return [
      random.uniform(k1, [1000]),
      random.split(k2, 4),
      random.bernoulli(k, 0.25, [500]),
      random.categorical(
        k2,
        np.array([
          [0, 1, 2],
          [2, 1, 0],
        ]),
      ),
      random.normal(k, [1000]),
    ];
  };
  const cpu = onBackend("cpu", draw);
  const gpu = onBackend("webgpu", draw);
  for (let i = 0; i < 4; i++) assert.deepEqual(await data(gpu[i]!), await data(cpu[i]!), `draw ${i} bit for bit`);
  assertClose(await gpu[4]!.toArray(), (await cpu[4]!.toArray()) as Nested, "float32", 1e-5, 1e-5);
});

const N = 100_000;

test("uniform: 1e5 samples in [minval, maxval) with mean and variance of U(a, b)", async () => {
  const u = await data(random.uniform(random.key(1), [N]));
  assert.ok(u.every((v) => v >= 0 && v < 1));
  const m = moments(u);
  assert.ok(Math.abs(m.mean - 0.5) < 0.005, `mean ${m.mean}`);
  assert.ok(Math.abs(m.variance - 1 / 12) < 0.002, `variance ${m.variance}`);
  const s = await data(random.uniform(random.key(2), [N], { minval: -3, maxval: 5 }));
  assert.ok(s.every((v) => v >= -3 && v < 5));
  const ms = moments(s);
  assert.ok(Math.abs(ms.mean - 1) < 0.04, `mean ${ms.mean}`);
  assert.ok(Math.abs(ms.variance - 64 / 12) < 0.12, `variance ${ms.variance}`);
});

test("normal: 1e5 samples have mean 0, variance 1, and 68% within one sigma", async () => {
  const z = await data(random.normal(random.key(3), [N]));
  assert.ok(z.every(Number.isFinite));
  const m = moments(z);
  assert.ok(Math.abs(m.mean) < 0.02, `mean ${m.mean}`);
  assert.ok(Math.abs(m.variance - 1) < 0.03, `variance ${m.variance}`);
  const within = z.filter((v) => Math.abs(v) < 1).length / N;
  assert.ok(Math.abs(within - 0.6827) < 0.01, `fraction within 1 sigma ${within}`);
});

test("bernoulli: the fraction of trues is p (a number or an array of probabilities)", async () => {
  const b = random.bernoulli(random.key(4), 0.3, [N]);
  assert.equal(b.dtype, "bool");
  const frac = (await data(b)).reduce((a, v) => a + v, 0) / N;
  assert.ok(Math.abs(frac - 0.3) < 0.01, `fraction ${frac}`);
  const p = np.broadcast_to(np.array([0.1, 0.9]), [N / 2, 2]);
  const bits = await data(random.bernoulli(random.key(5), p));
  const col = (c: number) => bits.filter((_, i) => i % 2 === c).reduce((a, v) => a + v, 0) / (N / 2);
  assert.ok(Math.abs(col(0) - 0.1) < 0.01 && Math.abs(col(1) - 0.9) < 0.01, `columns ${col(0)} ${col(1)}`);
});

test("categorical: samples follow softmax(logits)", async () => {
  const probs = [0.1, 0.2, 0.7];
  const logits = np.broadcast_to(np.log(np.array(probs)), [N, 3]);
  const s = random.categorical(random.key(6), logits);
  assert.equal(s.dtype, "int32");
  assert.deepEqual(s.shape, [N]);
  const counts = [0, 0, 0];
  for (const v of await data(s)) counts[v]! += 1;
  probs.forEach((p, i) => assert.ok(Math.abs(counts[i]! / N - p) < 0.01, `class ${i}: ${counts[i]! / N} vs ${p}`));
  const alongAxis0 = random.categorical(
    random.key(6),
    np.array([
      [0, 5],
      [0, 5],
      [9, 5],
    ]),
    0,
  );
  assert.deepEqual(alongAxis0.shape, [2]);
});

test("categorical with shape: leading axes draw independent samples of the same logits, along either axis", async () => {
  const probs = [0.1, 0.2, 0.7];
  const flat = random.categorical(random.key(8), np.log(np.array(probs)), { shape: [N] });
  assert.deepEqual(flat.shape, [N]);
  const counts = [0, 0, 0];
  for (const v of await data(flat)) counts[v]! += 1;
  probs.forEach((p, i) => assert.ok(Math.abs(counts[i]! / N - p) < 0.01, `class ${i}: ${counts[i]! / N} vs ${p}`));
  // Two distributions, one per row of [2, 3] logits (axis -1), drawn N/2 times each: [N/2, 2].
  const rows = np.log(
    np.array([
      [0.6, 0.3, 0.1],
      [0.05, 0.05, 0.9],
    ]),
  );
  const s = random.categorical(random.key(9), rows, -1, [N / 2, 2]);
  assert.deepEqual(s.shape, [N / 2, 2]);
  const v = await data(s);
  const share = (col: number, cls: number) => v.filter((x, i) => i % 2 === col && x === cls).length / (N / 2);
  assert.ok(
    Math.abs(share(0, 0) - 0.6) < 0.015 && Math.abs(share(1, 2) - 0.9) < 0.015,
    `${share(0, 0)} ${share(1, 2)}`,
  );
  // The same along axis 0 of the transposed logits.
  const t = random.categorical(random.key(9), np.transpose(rows), { axis: 0, shape: [N / 2, 2] });
  const w = await data(t);
  const shareT = (col: number, cls: number) => w.filter((x, i) => i % 2 === col && x === cls).length / (N / 2);
  assert.ok(Math.abs(shareT(0, 0) - 0.6) < 0.015 && Math.abs(shareT(1, 2) - 0.9) < 0.015);
  assert.throws(
    () => random.categorical(random.key(1), rows, -1, [5, 3]),
    /shape \[5,3\] must end with the logits' shape without axis 1, \[2\]/,
  );
});
