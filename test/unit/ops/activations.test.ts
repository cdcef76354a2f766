// jax.nn's remaining activations against JAX (scripts/jax/run_jax_activations.py wrote
// test/fixtures/jax/activations.json): each on a grid over [-8, 8] with its kinks and edges (0,
// ±1, ±3, 6, ±1e-3, ±20), value and derivative, and glu along both axes of a [4, 8] input with
// the gradient of a weighted sum; on the CPU backend and on WebGPU, eagerly and under jit.
import { readFileSync } from "node:fs";
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, jit, nn, np, vmap } from "../../../runtime/src/index.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, webgpuOrSkip, type Nested, refuses } from "./harness.js";

interface Pair {
  value: Nested;
  grad: Nested;
}
const fixture = JSON.parse(readFileSync(new URL("../../fixtures/jax/activations.json", import.meta.url), "utf8")) as {
  jax: string;
  grid: number[];
  fns: Record<string, Pair>;
  glu: { input: Nested } & Record<string, Pair>;
};

const FNS: Record<string, (x: Tracer) => Tracer> = {
  relu6: nn.relu6,
  hard_sigmoid: nn.hard_sigmoid,
  hard_silu: nn.hard_silu,
  hard_tanh: nn.hard_tanh,
  selu: nn.selu,
  celu: (x) => nn.celu(x),
  "celu_alpha_0.5": (x) => nn.celu(x, 0.5),
  soft_sign: nn.soft_sign,
  sparse_plus: nn.sparse_plus,
  sparse_sigmoid: nn.sparse_sigmoid,
  squareplus: (x) => nn.squareplus(x),
  squareplus_b_1: (x) => nn.squareplus(x, 1),
  mish: nn.mish,
};

test("every activation in the fixture has ours, and hard_swish is hard_silu", () => {
  assert.deepEqual(Object.keys(FNS).sort(), Object.keys(fixture.fns).sort());
  assert.equal(nn.hard_swish, nn.hard_silu);
});

for (const backend of ["cpu", "webgpu"] as const) {
  for (const mode of ["eager", "jit"] as const) {
    test(`on ${backend} ${mode}, each activation's values and derivatives on the grid match JAX ${fixture.jax}, kinks included`, async (t) => {
      if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
      const wrap = <F extends (...a: never[]) => unknown>(f: F): F => (mode === "jit" ? (jit(f) as unknown as F) : f);
      for (const [name, want] of Object.entries(fixture.fns)) {
        const f = FNS[name]!;
        const [value, slope] = onBackend(backend, () => {
          const x = np.array(fixture.grid, { dtype: "float32" });
          return [wrap(f)(x), wrap(vmap(grad(f)) as (x: Tracer) => Tracer)(x)];
        });
        assertClose(await value.toArray(), want.value, "float32", 1e-5, 1e-6, `${name} value`);
        assertClose(await slope.toArray(), want.grad, "float32", 1e-5, 1e-6, `${name} derivative`);
      }
      for (const axis of [-1, 0]) {
        const want = fixture.glu[`axis${axis}`]!;
        const [value, g] = onBackend(backend, () => {
          const x = np.array(fixture.glu.input as never, { dtype: "float32" });
          const f = (v: Tracer) => nn.glu(v, axis);
          const y = f(x);
          const w = np.reshape(np.cos(np.arange(y.size)), y.shape as number[]);
          return [wrap(f)(x), wrap(grad((v: Tracer) => np.sum(np.multiply(f(v), w))))(x) as Tracer];
        });
        assertClose(await value.toArray(), want.value, "float32", 1e-5, 1e-6, `glu axis ${axis} value`);
        assertClose(await g.toArray(), want.grad, "float32", 1e-5, 1e-6, `glu axis ${axis} gradient`);
      }
    });
  }
}

test("glu refuses an odd-sized axis and celu an alpha of 0, naming the function", () => {
  refuses(() => nn.glu(np.zeros([2, 3])), /nn\.glu: axis -1 has size 3, which must be even \(shape \[2,3\]\)/);
  refuses(() => nn.celu(np.zeros([2]), 0), /nn\.celu: alpha must be a non-zero number, got 0/);
});
