// random.randint / permutation / truncated_normal / bernoulli: ranges, distributions over many
// draws, and identical numbers from the same key on the CPU reference, WebGPU and under jit.
import test from "node:test";
import assert from "node:assert/strict";
import * as np from "../../../runtime/src/np.js";
import * as random from "../../../runtime/src/random.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { onBackend, webgpuOrSkip } from "../ops/harness.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";

const values = async (t: Tracer) => Array.from(await t.data());

test("randint: int32 in [minval, maxval), every value drawn, means near the middle", async () => {
  const v = await values(onBackend("cpu", () => random.randint(random.key(3), [20000], -3, 7)));
  assert.ok(v.every((x) => Number.isInteger(x) && x >= -3 && x < 7));
  for (let k = -3; k < 7; k++) {
    const share = v.filter((x) => x === k).length / v.length;
    assert.ok(Math.abs(share - 0.1) < 0.01, `value ${k}: share ${share}`);
  }
});

test("randint: webgpu, jit and the cpu reference draw the same numbers from one key", async (t) => {
  const cpu = await values(onBackend("cpu", () => random.randint(random.key(11), [257], 0, 10)));
  if (!(await webgpuOrSkip(t))) return;
  const gpu = await values(onBackend("webgpu", () => random.randint(random.key(11), [257], 0, 10)));
  const jitted = await values(
    onBackend("webgpu", () => jit((k: Tracer) => random.randint(k, [257], 0, 10))(random.key(11))),
  );
  assert.deepEqual(gpu, cpu);
  assert.deepEqual(jitted, cpu);
});

test("permutation: of n is a permutation of 0..n-1, the same on webgpu and cpu; of an array shuffles rows", async (t) => {
  const cpu = await values(onBackend("cpu", () => random.permutation(random.key(5), 100)));
  assert.deepEqual(
    [...cpu].sort((a, b) => a - b),
    Array.from({ length: 100 }, (_, i) => i),
  );
  assert.notDeepEqual(
    cpu,
    Array.from({ length: 100 }, (_, i) => i),
    "shuffled",
  );
  const rows = onBackend("cpu", () => random.permutation(random.key(5), np.reshape(np.arange(8), [4, 2])));
  const r = (await rows.toArray()) as number[][];
  assert.deepEqual(
    r.map((row) => row[1]! - row[0]!),
    [1, 1, 1, 1],
    "rows move whole",
  );
  assert.deepEqual(r.map((row) => row[0]! / 2).sort(), [0, 1, 2, 3]);
  if (!(await webgpuOrSkip(t))) return;
  assert.deepEqual(await values(onBackend("webgpu", () => random.permutation(random.key(5), 100))), cpu);
});

test("truncated_normal: samples inside [lower, upper] with the truncated normal's mean", async () => {
  const v = await values(onBackend("cpu", () => random.truncated_normal(random.key(7), -1, 2, [20000])));
  assert.ok(v.every((x) => x >= -1 && x <= 2));
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  // E[X | -1 <= X <= 2] = (φ(-1) - φ(2)) / (Φ(2) - Φ(-1)) = 0.22951
  assert.ok(Math.abs(mean - 0.2295) < 0.02, `mean ${mean}`);
  const below0 = v.filter((x) => x < 0).length / v.length;
  // P(X < 0 | ...) = (Φ(0) - Φ(-1)) / (Φ(2) - Φ(-1)) = 0.41640
  assert.ok(Math.abs(below0 - 0.4164) < 0.015, `share below 0: ${below0}`);
});

test("erf on the host matches tabulated values", () => {
  assert.ok(Math.abs(random.erf(0.5) - 0.5204998778) < 1e-9);
  assert.ok(Math.abs(random.erf(-1.5) + 0.9661051465) < 1e-9);
  assert.ok(Math.abs(random.erf(3.5) - 0.9999992569) < 1e-9);
});

test("bernoulli: true with probability p", async () => {
  const v = await values(onBackend("cpu", () => random.bernoulli(random.key(1), 0.3, [20000])));
  const share = v.filter((x) => x).length / v.length;
  assert.ok(Math.abs(share - 0.3) < 0.015, `share ${share}`);
});
