// random.split returns one int32[n, 2] key array (as JAX) that also destructures into its n row
// keys: eagerly, under jit (destructured there and returned / passed to vmap), and under vmap;
// other arrays stay non-iterable.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import * as random from "../../../runtime/src/random.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, webgpuOrSkip } from "../ops/harness.js";

config({ backend: "cpu" });

const vals = async (t: Tracer) => Array.from(await t.data());
const rows = async (t: Tracer) => (await t.toArray()) as number[][];

test("split(k, n) is int32[n, 2]; destructuring gives its rows, and np.take row i is the same key", async () => {
  const k = random.key(5);
  const keys = random.split(k, 3);
  assert.deepEqual(keys.shape, [3, 2]);
  assert.equal(keys.dtype, "int32");
  const [a, b, c] = keys;
  const want = await rows(keys);
  assert.deepEqual([await vals(a), await vals(b), await vals(c)], want);
  assert.deepEqual(await vals(np.take(keys, 1, 0)), want[1]);
  assert.deepEqual([...random.split(k, 4)].length, 4, "spread gives n keys");
  // np.stack of a key array is the array (as jnp.stack of an array's rows); along axis 1, its transpose
  assert.deepEqual(await rows(np.stack(keys)), want);
  assert.deepEqual(await rows(np.stack(keys, 1)), [want.map((r) => r[0]!), want.map((r) => r[1]!)]);
});

test("vmap over split(k, n) draws with each row key: equal to a loop over the destructured keys", async () => {
  const k = random.key(9);
  const got = vmap((key: Tracer) => random.uniform(key, [4]))(random.split(k, 5));
  const loop = [...random.split(k, 5)].map((key) => random.uniform(key, [4]));
  assert.deepEqual(await vals(got), await vals(np.stack(loop)));
});

test("jit of vmap over split(k, n) is one kernel of the same WGSL for n = 4 and n = 256", async () => {
  const lower = (n: number) =>
    jit((key: Tracer) => vmap((k: Tracer) => random.uniform(k, []))(random.split(key, n))).lower(random.key(0));
  const [small, large] = [await lower(4), await lower(256)];
  assert.equal(small.kernels.length, 1);
  assert.equal(large.kernels.length, 1);
  // the same code but for the element count in the bounds check
  const code = (s: string) => s.replace(/\b(4|256)\b/g, "N");
  assert.equal(code(large.kernels[0]!.wgsl), code(small.kernels[0]!.wgsl));
});

test("under jit: split destructured inside, returned and passed to vmap, equals eager bit for bit", async () => {
  const f = (key: Tracer) => {
    const keys = random.split(key, 4);
    const [a, , c] = keys;
    const perKey = vmap((kk: Tracer) => random.normal(kk, [3]))(keys);
    return [keys, random.uniform(a, [6]), random.bernoulli(c, 0.5, [6]), perKey];
  };
  const k = random.key(21);
  const want = f(k);
  const got = jit(f)(k) as Tracer[];
  for (let i = 0; i < want.length; i++) assert.deepEqual(await vals(got[i]!), await vals(want[i]!), `output ${i}`);
});

test("under vmap: split of a batched key destructures per example, equal to a loop", async () => {
  const keys = random.split(random.key(2), 3);
  const f = (key: Tracer) => {
    const [a, b] = random.split(key);
    return np.add(random.uniform(a, [2]), random.uniform(b, [2]));
  };
  const got = vmap(f)(keys);
  const want = np.stack([...keys].map(f));
  assert.deepEqual(await vals(got), await vals(want));
  const grid = vmap((key: Tracer) => random.split(key, 2))(keys);
  assert.deepEqual(grid.shape, [3, 2, 2]);
  assert.deepEqual(await vals(grid), await vals(np.stack([...keys].map((key) => random.split(key, 2)))));
});

test("ordinary arrays are still not iterable; keys out of jit say to use np.take", () => {
  assert.throws(() => [...(np.ones([3]) as unknown as number[])], /not a JS iterable.*np\.split/);
  const keys = jit((k: Tracer) => random.split(k, 3))(random.key(1)) as Tracer;
  assert.throws(() => [...(keys as unknown as number[])], /np\.take\(keys, i, 0\)/);
});

test("WebGPU: split, its destructured keys and vmap over it equal the CPU reference bit for bit", async (t) => {
  const draw = () => {
    const keys = random.split(random.key(77), 6);
    const [, b] = keys;
    return [keys, random.uniform(b, [100]), vmap((k: Tracer) => random.uniform(k, [5]))(keys)];
  };
  const cpu = onBackend("cpu", draw);
  if (!(await webgpuOrSkip(t))) return;
  const gpu = onBackend("webgpu", draw);
  const gpuJit = onBackend("webgpu", () => jit(draw)()) as Tracer[];
  for (let i = 0; i < cpu.length; i++) {
    assert.deepEqual(await vals(gpu[i]!), await vals(cpu[i]!), `eager draw ${i}`);
    assert.deepEqual(await vals(gpuJit[i]!), await vals(cpu[i]!), `jit draw ${i}`);
  }
});

test("key_data gives a key's two words (seed 2^32 + 7: [1, 7]) and a split's rows; wrap_key_data's keys draw what the original keys draw; each refuses a non-key, naming it", async () => {
  const { key_data, wrap_key_data } = (await import("../../../runtime/src/index.js")).random;
  assert.deepEqual(await vals(key_data(random.key(2 ** 32 + 7))), [1, 7]);
  const keys = random.split(random.key(3), 4);
  assert.deepEqual(await rows(key_data(keys)), await rows(keys));
  const rewrapped = wrap_key_data(key_data(keys));
  const draw = (k: Tracer) => vmap((kk: Tracer) => random.uniform(kk, [3]))(k) as Tracer;
  assert.deepEqual(await vals(draw(rewrapped)), await vals(draw(keys)));
  assert.throws(
    () => key_data(np.array([1, 2, 3], { dtype: "int32" })),
    /random\.key_data: expected a key or a key array \(int32\[\.\.\., 2\]: two 32-bit words a key\), got int32\[3\]/,
  );
  assert.throws(
    () => wrap_key_data(np.array([1.5, 2])),
    /random\.wrap_key_data: expected key words .*got float32\[2\]/,
  );
});
