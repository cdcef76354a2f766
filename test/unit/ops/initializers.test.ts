// nn.initializers against JAX (test/fixtures/jax/initializers.json,
// scripts/jax/run_jax_initializers.py): the fans JAX computes for dense, conv and batched weights,
// and, since our draws are not JAX's, each initializer's distribution on a 256×512 draw: the same
// standard deviation (within 2%), a mean near 0 (or the uniform's centre), and for truncated and
// uniform draws the same bounds, reached. On the CPU reference and on WebGPU, and under jit.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import assert from "node:assert/strict";
import { config, jit, nn, random } from "../../../runtime/src/index.js";
import { computeFans, type Initializer } from "../../../runtime/src/nnInitializers.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { webgpuOrSkip, refuses } from "./harness.js";

interface Fans {
  shape: number[];
  in_axis?: number | number[];
  out_axis?: number | number[];
  batch_axis?: number[];
  fan_in: number;
  fan_out: number;
}
interface Draw {
  name: string;
  shape: number[];
  mean: number;
  std: number;
  min: number;
  max: number;
}
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, "../../fixtures/jax/initializers.json"), "utf8")) as {
  fans: Fans[];
  draws: Draw[];
};

const I = nn.initializers;
const OURS: Record<string, Initializer> = {
  glorot_normal: I.glorot_normal(),
  glorot_uniform: I.glorot_uniform(),
  lecun_normal: I.lecun_normal(),
  lecun_uniform: I.lecun_uniform(),
  he_normal: I.he_normal(),
  he_uniform: I.he_uniform(),
  "variance_scaling(0.5, fan_out, normal)": I.variance_scaling(0.5, "fan_out", "normal"),
  "normal(0.02)": I.normal(0.02),
  "uniform(0.1)": I.uniform(0.1),
  "truncated_normal(0.05)": I.truncated_normal(0.05),
};
/** Draws cut at a bound: truncated normals and uniforms (a plain normal has none). */
const bounded = (name: string) => !/normal\(|, normal\)/.test(name) || name.startsWith("truncated");

test("nn.initializers' fans equal JAX's for dense, HWIO conv, explicit in/out axes, a batch axis and axis lists", () => {
  for (const c of fixture.fans) {
    assert.deepEqual(computeFans(c.shape, c.in_axis, c.out_axis, c.batch_axis), [c.fan_in, c.fan_out], `[${c.shape}]`);
  }
});

async function stats(x: Tracer) {
  const v = (await x.data()) as Float32Array;
  let mean = 0;
  for (const e of v) mean += e;
  mean /= v.length;
  let sq = 0;
  let [min, max] = [Infinity, -Infinity];
  for (const e of v) {
    sq += (e - mean) ** 2;
    min = Math.min(min, e);
    max = Math.max(max, e);
  }
  return { mean, std: Math.sqrt(sq / v.length), min, max };
}

for (const backend of ["cpu", "webgpu"] as const) {
  test(`on ${backend}, each initializer's 256×512 draw has JAX's standard deviation within 2%, its mean and its bounds (reached within 2%), and under jit the same draw (within 1e-4 of a standard deviation)`, async (t) => {
    if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
    const prev = config({ backend });
    try {
      for (const [i, want] of fixture.draws.entries()) {
        const init = OURS[want.name]!;
        const key = random.key(100 + i);
        const x = init(key, want.shape);
        assert.deepEqual(x.shape, want.shape);
        const got = await stats(x);
        const what = `${want.name}: ours ${JSON.stringify(got)}, JAX ${JSON.stringify(want)}`;
        assert.ok(Math.abs(got.std / want.std - 1) < 0.02, what);
        // The mean's standard error is std/√n (n = 131,072): 5 of them, or the centre of uniform(scale).
        const centre = want.name === "uniform(0.1)" ? 0.05 : 0;
        assert.ok(Math.abs(got.mean - centre) < (5 * want.std) / Math.sqrt(131072) + 1e-6, what);
        if (bounded(want.name)) {
          const bound = Math.max(Math.abs(want.min), Math.abs(want.max));
          assert.ok(got.max <= bound * (1 + 1e-4) && got.min >= (centre ? 0 : -bound * (1 + 1e-4)), what);
          assert.ok(got.max >= 0.98 * want.max && got.min <= (centre ? 0.002 : 0.98 * want.min), what);
        }
        // Under jit the draw's ops fuse into one kernel, whose float rounding may differ in the last bits.
        const jitted = (await (jit((k: Tracer) => init(k, want.shape))(key) as Tracer).data()) as Float32Array;
        const eager = (await x.data()) as Float32Array;
        const worst = jitted.reduce((w, v, j) => Math.max(w, Math.abs(v - eager[j]!)), 0);
        assert.ok(
          worst <= 1e-4 * want.std,
          `${want.name}: the jitted draw is the eager one (largest difference ${worst})`,
        );
      }
    } finally {
      config(prev);
    }
  });
}

test("zeros, ones and constant fill the shape with the dtype asked for; the key is not read", async () => {
  const k = random.key(0);
  assert.deepEqual(Array.from((await I.zeros(k, [2, 2]).data()) as Float32Array), [0, 0, 0, 0]);
  assert.deepEqual(Array.from((await I.ones(k, [3], "int32").data()) as Int32Array), [1, 1, 1]);
  assert.equal(I.ones(k, [3], "int32").dtype, "int32");
  assert.deepEqual(Array.from((await I.constant(0.5)(k, 2).data()) as Float32Array), [0.5, 0.5]);
});

test("nn.initializers refuse a 1-D weight with the default in_axis, an int dtype for a draw, and an unknown mode or distribution, naming the problem", () => {
  const k = random.key(0);
  refuses(() => I.glorot_normal()(k, [5]), /1-dimensional weight \(shape \[5\]\) with the default in_axis/);
  refuses(() => I.he_normal()(k, [4, 4], "int32"), /draws float32 weights, got dtype int32/);
  refuses(() => I.variance_scaling(1, "fan_sum" as never, "normal"), /invalid mode "fan_sum"/);
  refuses(() => I.variance_scaling(1, "fan_in", "laplace" as never), /invalid distribution "laplace"/);
  // With in_axis given, a 1-D weight has fans, by JAX's formula: 5 · (5 / 5 / 5) each.
  assert.deepEqual(computeFans([5], 0, 0), [1, 1]);
});
