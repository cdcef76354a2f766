// jax.device_get / block_until_ready / devices / default_backend: device_get reads every array
// of a pytree back as nested JS arrays (a number for a 0-d array), keeping lists, objects,
// registered classes and numbers; block_until_ready resolves to its argument once computed;
// devices() lists the one device of the current backend. On the CPU backend and on WebGPU.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "../../../runtime/src/np.js";
import * as tree from "../../../runtime/src/tree.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { block_until_ready, default_backend, device_get, devices } from "../../../runtime/src/devicePut.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, webgpuOrSkip } from "../ops/harness.js";

config({ backend: "cpu" });

class Metrics {
  constructor(
    public loss: unknown,
    public name: string,
  ) {}
}
tree.register_dataclass(Metrics, ["loss"], ["name"]);

async function check(backend: "cpu" | "webgpu"): Promise<void> {
  const step = jit((x: Tracer) => ({ sum: np.sum(x), doubled: np.multiply(x, 2), m: new Metrics(np.max(x), "max") }));
  const out = onBackend(backend, () => step(np.array([1, 2, 3])));
  assert.equal(await block_until_ready(out), out);
  const host = (await device_get([out, 7])) as [{ sum: number; doubled: number[]; m: Metrics }, number];
  assert.equal(host[0].sum, 6);
  assert.deepEqual(host[0].doubled, [2, 4, 6]);
  assert.ok(host[0].m instanceof Metrics && host[0].m.loss === 3 && host[0].m.name === "max");
  assert.equal(host[1], 7);
  assert.deepEqual(onBackend(backend, devices), [{ id: 0, platform: backend }]);
  assert.equal(onBackend(backend, default_backend), backend);
}

test("device_get reads a pytree's arrays back as JS values, block_until_ready returns its argument [cpu]", async () => {
  await check("cpu");
});

test("device_get reads a pytree's arrays back as JS values, block_until_ready returns its argument [webgpu]", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  await check("webgpu");
});
