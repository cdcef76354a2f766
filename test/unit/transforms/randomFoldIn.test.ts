// random.fold_in against JAX's exact bits (test/fixtures/jax/random.json, written by
// scripts/jax/run_jax_random.py): eagerly on the CPU reference and WebGPU, under jit with the data
// traced, chained as a training loop folds in its step, and under vmap over keys and data.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import * as random from "../../../runtime/src/random.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import { lax } from "../../../runtime/src/index.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, webgpuOrSkip } from "../ops/harness.js";

config({ backend: "cpu" });

type Pair = [number, number];
const fixture = JSON.parse(readFileSync(new URL("../../fixtures/jax/random.json", import.meta.url), "utf8")) as {
  fold_in: { key: Pair; data: number; out: Pair }[];
  chain: { seed: number; keys: Pair[] };
  vmap: { keys: Pair[]; data: number[]; out: Pair[] };
};

const key = (words: Pair) => np.array(words, { dtype: "int32" });
const vals = async (t: Tracer) => Array.from(await t.data());

test(`fold_in equals JAX's bits for ${fixture.fold_in.length} keys × data (data up to 2^32 - 1), on the CPU`, async () => {
  for (const c of fixture.fold_in)
    assert.deepEqual(await vals(random.fold_in(key(c.key), c.data)), c.out, `key ${c.key} data ${c.data}`);
});

test("fold_in under jit with the data traced (int32 scalar) equals JAX's bits", async () => {
  const f = jit((k: Tracer, d: Tracer) => random.fold_in(k, d));
  for (const c of fixture.fold_in) {
    const d = np.array(c.data | 0, { dtype: "int32" }); // data ≥ 2^31 as its int32 bit pattern
    assert.deepEqual(await vals(f(key(c.key), d) as Tracer), c.out, `key ${c.key} data ${c.data}`);
  }
});

test("fold_in of random.key(2024) with steps 0, 1, 2 in a fori_loop equals JAX's chain", async () => {
  assert.deepEqual(await random.key(fixture.chain.seed).toArray(), [0, fixture.chain.seed]);
  let k = random.key(fixture.chain.seed);
  for (let step = 0; step < 3; step++) {
    k = random.fold_in(k, step);
    assert.deepEqual(await vals(k), fixture.chain.keys[step], `eager step ${step}`);
  }
  const looped = jit((k0: Tracer) => lax.fori_loop(0, 3, (i: Tracer, kk: Tracer) => random.fold_in(kk, i), k0))(
    random.key(fixture.chain.seed),
  ) as Tracer;
  assert.deepEqual(await vals(looped), fixture.chain.keys[2], "fori_loop, traced step");
});

test("vmap of fold_in over keys and data together equals JAX's vmap", async () => {
  const keys = np.array(fixture.vmap.keys, { dtype: "int32" });
  const data = np.array(fixture.vmap.data, { dtype: "int32" });
  const got = vmap((k: Tracer, d: Tracer) => random.fold_in(k, d))(keys, data);
  assert.deepEqual(await got.toArray(), fixture.vmap.out);
  // one key, a batch of data; a batch of keys, one number
  const perData = vmap((d: Tracer) => random.fold_in(key(fixture.vmap.keys[0]!), d))(data);
  for (let i = 0; i < 3; i++)
    assert.deepEqual(
      ((await perData.toArray()) as Pair[])[i],
      await vals(random.fold_in(key(fixture.vmap.keys[0]!), fixture.vmap.data[i]!)),
    );
  const perKey = vmap((k: Tracer) => random.fold_in(k, 7))(keys);
  for (let i = 0; i < 3; i++)
    assert.deepEqual(
      ((await perKey.toArray()) as Pair[])[i],
      await vals(random.fold_in(key(fixture.vmap.keys[i]!), 7)),
    );
});

test("fold_in refuses a float data, a non-integer and an out-of-range number", () => {
  const k = random.key(0);
  assert.throws(() => random.fold_in(k, np.array(1.5)), /fold_in: data must be an integer or an int32 scalar/);
  assert.throws(() => random.fold_in(k, 0.5), /fold_in: data must be an integer in \[-2\^31, 2\^32\)/);
  assert.throws(() => random.fold_in(k, 2 ** 32), /2\^32/);
  assert.throws(() => random.fold_in(np.ones([2]), 1), /expected a key/);
});

test("WebGPU: fold_in eager, under jit and fused with a draw equals JAX's bits and the CPU", async (t) => {
  const cases = fixture.fold_in.slice(0, 12);
  const draw = (k: Tracer) => random.uniform(random.fold_in(k, 5), [64]);
  const cpuDraw = await vals(onBackend("cpu", () => draw(random.key(3))));
  if (!(await webgpuOrSkip(t))) return;
  for (const c of cases) {
    const eager = onBackend("webgpu", () => random.fold_in(key(c.key), c.data));
    assert.deepEqual(await vals(eager), c.out, `eager key ${c.key} data ${c.data}`);
    const jitted = onBackend("webgpu", () =>
      jit((k: Tracer, d: Tracer) => random.fold_in(k, d))(key(c.key), np.array(c.data | 0, { dtype: "int32" })),
    ) as Tracer;
    assert.deepEqual(await vals(jitted), c.out, `jit key ${c.key} data ${c.data}`);
  }
  const batch = onBackend("webgpu", () =>
    jit((k: Tracer, d: Tracer) => vmap((kk: Tracer, dd: Tracer) => random.fold_in(kk, dd))(k, d))(
      np.array(fixture.vmap.keys, { dtype: "int32" }),
      np.array(fixture.vmap.data, { dtype: "int32" }),
    ),
  ) as Tracer;
  assert.deepEqual(await batch.toArray(), fixture.vmap.out, "jit of vmap");
  assert.deepEqual(await vals(onBackend("webgpu", () => jit(draw)(random.key(3)) as Tracer)), cpuDraw, "fused draw");
});
