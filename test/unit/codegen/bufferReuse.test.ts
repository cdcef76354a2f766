// Reusing a buffer freed in the open command batch: safe for outputs written by later-encoded
// commands (WebGPU orders them after earlier reads), never for queue.writeBuffer. Values are
// checked against numbers computed by hand; the pool's counts show the reuse.
import { test } from "node:test";
import assert from "node:assert/strict";
import { jit, np } from "../../../runtime/src/index.js";
import type { ConcreteArray } from "../../../runtime/src/array.js";
import { webgpuBackendOrSkip as gpuOrSkip } from "../ops/harness.js";

type A = ConcreteArray;
const N = 1 << 16; // 256 KiB per array: its own bucket, away from other tests' small buffers

test("a loop of jit calls with no wait recycles freed outputs within the batch", async (t) => {
  const gpu = await gpuOrSkip(t);
  if (!gpu) return;
  const x = np.array(Float32Array.from({ length: N }, (_, i) => i % 7)) as A;
  const f = jit((v: A) => np.add(np.multiply(v, 2), 1) as A);
  await f(x).blockUntilReady();
  gpu.flush();
  const before = gpu.stats();
  let last: A | null = null;
  for (let i = 0; i < 20; i++) {
    last?.dispose();
    last = f(x);
  }
  // Still one open batch: without reuse within it, this would hold 20 buffers of the bucket.
  const during = gpu.stats();
  assert.equal(during.submits, before.submits, "no submit happened inside the loop");
  const grown = during.liveBytes + during.pooledBytes - (before.liveBytes + before.pooledBytes);
  assert.ok(grown <= 2 * N * 4, `the pool grew by ${grown} bytes: ${JSON.stringify({ before, during })}`);
  const d = await last!.data();
  assert.deepEqual([d[0], d[1], d[6], d[N - 1]], [1, 3, 13, ((N - 1) % 7) * 2 + 1]);
});

test("an output that reuses a freed buffer does not disturb an earlier-encoded read of it", async (t) => {
  const gpu = await gpuOrSkip(t);
  if (!gpu) return;
  const x = np.array(Float32Array.from({ length: N }, (_, i) => i % 5)) as A;
  // One batch: a = 3x; b = a + 1 reads a; a is freed; c = x * 10 may take a's buffer.
  const a = np.multiply(x, 3) as A;
  const b = np.add(a, 1) as A;
  a.dispose();
  const c = np.multiply(x, 10) as A;
  const e = np.add(b, c) as A; // 3x + 1 + 10x
  const [bd, cd, ed] = await Promise.all([b.data(), c.data(), e.data()]);
  for (const i of [0, 1, 4, 9, N - 1]) {
    const xi = i % 5;
    assert.equal(bd[i], 3 * xi + 1);
    assert.equal(cd[i], 10 * xi);
    assert.equal(ed[i], 13 * xi + 1);
  }
});

test("data written by writeBuffer never lands in a buffer the open batch still reads", async (t) => {
  const gpu = await gpuOrSkip(t);
  if (!gpu) return;
  const x = np.array(Float32Array.from({ length: N }, () => 2)) as A;
  const a = np.multiply(x, 3) as A; // 6
  const b = np.add(a, 1) as A; // reads a: 7
  a.dispose();
  // np.array uploads with queue.writeBuffer, which runs ahead of the unsubmitted batch: had it
  // taken a's buffer, b would read 5s instead of 6s.
  const y = np.array(Float32Array.from({ length: N }, () => 5)) as A;
  const [bd, yd] = await Promise.all([b.data(), y.data()]);
  assert.equal(bd[0], 7);
  assert.equal(bd[N - 1], 7);
  assert.equal(yd[0], 5);
});
