// pmap on one device (trace/pmap.ts): jit(vmap(f)) over the leading axis with the axis named, so
// data-parallel code runs unchanged. A data-parallel SGD step (per-shard gradients averaged with
// pmean, parameters replicated) equals the same step on the whole batch; static broadcast
// arguments are compiled as constants; device_count() is 1; bad options are refused by name.
import { test } from "node:test";
import assert from "node:assert/strict";
import { device_count, grad, jit, lax, local_device_count, np, pmap } from "../../../runtime/src/index.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, webgpuOrSkip } from "../ops/harness.js";

type T = Tracer;
const loss = (w: T, x: T, y: T): T => np.mean(np.square(np.subtract(np.tanh(np.matmul(x, w)), y)));
const data = () => {
  const x = np.reshape(np.divide(np.arange(48, { dtype: "float32" }), 24), [8, 6]);
  const y = np.reshape(np.cos(np.arange(16, { dtype: "float32" })), [8, 2]);
  const w = np.reshape(np.multiply(np.sin(np.arange(12, { dtype: "float32" })), 0.3), [6, 2]);
  return { x, y, w };
};

/** The data-parallel step: each shard takes its gradient, pmean averages them. */
const parallelStep = () =>
  pmap(
    (w: T, x: T, y: T): T => {
      const g = lax.pmean(grad(loss)(w, x, y) as T, "batch");
      return np.subtract(w, np.multiply(g, 0.5));
    },
    "batch",
    { in_axes: [null, 0, 0] },
  );

for (const backend of ["cpu", "webgpu"] as const)
  test(`on ${backend}: a pmap SGD step over 4 shards with pmean'd gradients equals the step on the whole batch, in every replica`, async (t) => {
    if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
    const [got, want] = await onBackend(backend, async () => {
      const { x, y, w } = data();
      const step = parallelStep();
      const shards = step(w, np.reshape(x, [4, 2, 6]), np.reshape(y, [4, 2, 2])) as T;
      const whole = jit((w0: T) => np.subtract(w0, np.multiply(grad(loss)(w0, x, y) as T, 0.5)))(w) as T;
      return [(await shards.toArray()) as number[][][], (await whole.toArray()) as number[][]];
    });
    assert.equal(got.length, 4, "one updated copy per shard");
    for (const replica of got)
      replica.flat().forEach((v, i) => assert.ok(Math.abs(v - want.flat()[i]!) < 1e-6, `${v} vs ${want.flat()[i]}`));
  });

test("device_count() and local_device_count() are 1, and a batch shaped [device_count(), …] runs through pmap with its leading axis of 1", async () => {
  assert.equal(device_count(), 1);
  assert.equal(local_device_count(), 1);
  const out = onBackend("cpu", () =>
    pmap((v: T) => np.multiply(v, lax.psum(1, "d")), { axis_name: "d" })(np.ones([device_count(), 3])),
  );
  assert.deepEqual(out.shape, [1, 3]);
  assert.deepEqual(Array.from(await out.data()), [1, 1, 1]);
});

test("pmap's static_broadcasted_argnums pass an argument whole to every element as a compile-time value", async () => {
  const scaled = pmap((v: T, k: number) => np.multiply(v, k), { static_broadcasted_argnums: 1 });
  const out = onBackend("cpu", () => scaled(np.array([1, 2, 3]), 5));
  assert.deepEqual(Array.from(await out.data()), [5, 10, 15]);
});

test("pmap refuses an unknown option and a non-function, naming them", () => {
  assert.throws(() => pmap((v: T) => v, { axis: "i" } as never), /pmap: unknown option "axis"/);
  assert.throws(() => pmap(3 as never), /pmap: expected a function, got number/);
});
