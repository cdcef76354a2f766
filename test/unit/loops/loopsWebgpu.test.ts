// lax loops on WebGPU, each checked against the CPU reference and hand-computed values: a scan
// runs its body's kernels once per iteration in one command stream; gradients and vmap through
// loops; cond as a select; a 10,000-iteration fori_loop leaves GPU memory where it was.
// while_loop on WebGPU: whileWebgpu.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import * as lax from "../../../runtime/src/lax.js";
import { currentBackend } from "../../../runtime/src/backend/select.js";
import type { WebGpuBackend } from "../../../runtime/src/backend/webgpu.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, webgpuOrSkip } from "../ops/harness.js";
import { input } from "../transforms/fd.js";
import { arr, close, both } from "./loopCheck.js";
import { config } from "../../../runtime/src/config.js";
// These tests are about loops that run their body's kernels each step: a scan (or fori_loop)
// with an elementwise or small body would run as one recurrence kernel (recurrence.test.ts).
config({ disabledPasses: ["recurrence"] });

type T = Tracer;
const mk = (shape: number[], seed: number) => np.reshape(np.array(new Float32Array(input(shape, seed).data)), shape);

const rnn = (w: T, xs: T, reverse = false) =>
  lax.scan(
    (h: T, x: T): [T, T] => {
      const h2 = np.tanh(np.add(np.reshape(np.matmul(np.reshape(h, [1, 4]), w), [4]), x));
      return [h2, np.sum(h2)];
    },
    np.zeros([4]),
    xs,
    { reverse },
  );

test("WebGPU: a jitted scan equals the CPU reference and a hand-run loop, forwards and reversed", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  for (const reverse of [false, true]) {
    const { cpu, gpu } = await both(() => jit((w: T, xs: T) => rnn(w, xs, reverse))(mk([4, 4], 1), mk([6, 4], 2)));
    cpu.forEach((c, i) => close(gpu[i]!, c, 1e-4, `output ${i} reverse=${reverse}`));
    // Hand loop on the host.
    const w = input([4, 4], 1).data,
      xs = input([6, 4], 2).data;
    let h = [0, 0, 0, 0];
    const ys = new Array<number>(6);
    for (let i = 0; i < 6; i++) {
      const s = reverse ? 5 - i : i;
      h = [0, 1, 2, 3].map((j) => Math.tanh(h.reduce((acc, hv, k) => acc + hv * w[k * 4 + j]!, 0) + xs[s * 4 + j]!));
      ys[s] = h.reduce((a, b) => a + b, 0);
    }
    close(gpu[0]!, h, 1e-4, "final carry");
    close(gpu[1]!, ys, 1e-4, "ys");
  }
});

test("WebGPU: the body's kernels run once per iteration (dispatches per call = outer kernels + T × body kernels)", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  await onBackend("webgpu", async () => {
    const backend = currentBackend() as unknown as WebGpuBackend;
    const counts: { outer: number; body: number; dispatches: number }[] = [];
    for (const steps of [8, 16]) {
      const f = jit((w: T, xs: T) => rnn(w, xs));
      const args = [mk([4, 4], 1), mk([steps, 4], 2)] as const;
      const lo = await f.lower(...args);
      const inBody = lo.kernels.filter((k) => k.id.split("/")[1]!.includes(".")).length;
      await arr((f(...args) as [T, T])[1]); // compile and warm up
      backend.flush();
      const d0 = backend.stats().dispatches;
      await arr((f(...args) as [T, T])[1]);
      backend.flush();
      counts.push({ outer: lo.kernels.length - inBody, body: inBody, dispatches: backend.stats().dispatches - d0 });
    }
    const [a, b] = [counts[0]!, counts[1]!];
    assert.ok(a.body >= 1, "the body has kernels");
    assert.deepEqual([a.outer, a.body], [b.outer, b.body], "the same kernels for 8 and 16 steps");
    assert.equal(a.dispatches, a.outer + 8 * a.body);
    assert.equal(b.dispatches, b.outer + 16 * b.body);
  });
});

test("WebGPU: fori_loop, cond and switch under jit equal the CPU reference", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const f = (v: T, p: T, i: T) => {
    const u = lax.fori_loop(0, 7, (k: T, a: T) => np.add(np.multiply(a, 0.9), np.multiply(k, 0.25)), v);
    const c = lax.cond(
      np.greater(p, 0),
      (a: T) => np.exp(a),
      (a: T) => np.negative(a),
      u,
    );
    return lax.switch(i, [(a: T) => a, (a: T) => np.multiply(a, 3)], c);
  };
  const { cpu, gpu } = await both(() => jit(f)(np.array([1, -2, 0.5]), np.array(-1), np.array(1, { dtype: "int32" })));
  close(gpu[0]!, cpu[0]!, 1e-5, "fori+cond+switch");
  let v = [1, -2, 0.5];
  for (let k = 0; k < 7; k++) v = v.map((a) => a * 0.9 + k * 0.25);
  close(
    gpu[0]!,
    v.map((a) => -a * 3),
    1e-5,
    "hand values",
  );
});

test("WebGPU: jit(grad) through scan and vmap of scan equal the CPU reference", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const loss = (w: T, xs: T) => {
    const [h, ys] = rnn(w, xs);
    return np.add(np.sum(np.square(ys)), np.sum(h));
  };
  const g = await both(() => jit(grad(loss))(mk([4, 4], 3), mk([5, 4], 4)));
  close(g.gpu[0]!, g.cpu[0]!, 1e-4, "grad");
  const v = await both(() => jit(vmap((xs: T) => rnn(mk([4, 4], 3), xs)[1]))(mk([3, 5, 4], 5)));
  close(v.gpu[0]!, v.cpu[0]!, 1e-4, "vmap");
});

test("WebGPU: a 10,000-iteration fori_loop is correct and leaves GPU memory bounded", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  await onBackend("webgpu", async () => {
    const backend = currentBackend();
    const f = jit((v: T) => lax.fori_loop(0, 10_000, (_i: T, a: T) => np.add(np.multiply(a, 0.5), 1), v));
    const x = np.array([0, 4, 100]);
    const warm = f(x) as T; // compile, warm the pool
    await warm.data();
    warm.dispose(); // (left to the GC it could be freed between the two readings below)
    const before = backend.stats!();
    const out = f(x) as T;
    close(await arr(out), [2, 2, 2], 1e-6, "fixed point of a/2 + 1");
    out.dispose();
    const after = backend.stats!();
    // ≤, not =: arrays of earlier tests may be finalized by the GC between the two readings.
    assert.ok(
      after.liveArrays <= before.liveArrays,
      `no array left behind: ${before.liveArrays} -> ${after.liveArrays}`,
    );
    assert.ok(
      after.liveBytes + after.pooledBytes <= before.liveBytes + before.pooledBytes + 4096,
      `memory grew: ${before.liveBytes + before.pooledBytes} -> ${after.liveBytes + after.pooledBytes} bytes`,
    );
  });
});
