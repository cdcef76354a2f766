// random.choice: JAX's semantics (with / without replacement, weights p, an array along an axis).
// Its draws are not JAX's (our uniform and permutation lay out threefry's counters differently),
// so the distributions are tested, with fixed seeds and bounds of 3 to 4 standard deviations of
// the binomial share; and WebGPU and jit draw exactly the CPU's numbers.
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
const share = (xs: readonly number[], v: number) => xs.filter((x) => x === v).length / xs.length;

test("with replacement: 20000 draws of choice(k, 5) are int32 in [0, 5), each value 0.2 ± 0.012", async () => {
  const d = random.choice(random.key(1), 5, [100, 200]);
  assert.deepEqual(d.shape, [100, 200]);
  assert.equal(d.dtype, "int32");
  const xs = await vals(d);
  assert.ok(xs.every((x) => Number.isInteger(x) && x >= 0 && x < 5));
  // sd of a 0.2 share over 20000: 0.0028
  for (let v = 0; v < 5; v++) assert.ok(Math.abs(share(xs, v) - 0.2) < 0.012, `value ${v}: ${share(xs, v)}`);
});

test("with replacement and p = [0.1, 0, 0.6, 0.3]: shares within 0.013 of p, the zero weight never drawn", async () => {
  const p = np.array([0.1, 0, 0.6, 0.3]);
  const xs = await vals(random.choice(random.key(2), 4, [20000], { p }));
  assert.equal(share(xs, 1), 0);
  // sd of the 0.6 share over 20000: 0.0035
  [0.1, 0, 0.6, 0.3].forEach((w, v) => assert.ok(Math.abs(share(xs, v) - w) < 0.013, `value ${v}: ${share(xs, v)}`));
  // p is normalized by its sum, as JAX's
  const ys = await vals(random.choice(random.key(2), 4, [20000], { p: np.multiply(p, 5) }));
  assert.deepEqual(ys, xs);
});

test("without replacement: distinct entries; over 3000 keys the first draw is uniform (0.1 ± 0.02)", async () => {
  const all = await vals(random.choice(random.key(3), 10, [10], { replace: false }));
  assert.deepEqual(
    [...all].sort((a, b) => a - b),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  const some = (await random.choice(random.key(4), 10, [2, 3], { replace: false }).toArray()) as number[][];
  assert.equal(new Set(some.flat()).size, 6);
  const firsts = await vals(
    vmap((k: Tracer) => random.choice(k, 10, [], { replace: false }))(random.split(random.key(5), 3000)),
  );
  // sd of a 0.1 share over 3000: 0.0055
  for (let v = 0; v < 10; v++) assert.ok(Math.abs(share(firsts, v) - 0.1) < 0.02, `value ${v}: ${share(firsts, v)}`);
});

test("without replacement and p (Gumbel top-k): distinct, zero weights last; the first draw follows p over 4000 keys", async () => {
  const p = np.array([0.5, 0.25, 0, 0.125, 0.125]);
  const draws = (await random.choice(random.key(6), 5, [4], { replace: false, p }).toArray()) as number[];
  assert.equal(new Set(draws).size, 4);
  assert.ok(!draws.includes(2), `zero weight among the first 4: ${draws}`);
  const firsts = await vals(
    vmap((k: Tracer) => random.choice(k, 5, [], { replace: false, p }))(random.split(random.key(7), 4000)),
  );
  // sd of a 0.5 share over 4000: 0.0079
  [0.5, 0.25, 0, 0.125, 0.125].forEach((w, v) =>
    assert.ok(Math.abs(share(firsts, v) - w) < 0.03, `value ${v}: ${share(firsts, v)}`),
  );
});

test("an array along an axis: shape replaces that axis, whole columns taken", async () => {
  const a = np.reshape(np.arange(12), [3, 4]);
  const c = random.choice(random.key(8), a, [2, 5], { axis: 1 });
  assert.deepEqual(c.shape, [3, 2, 5]);
  const got = (await c.toArray()) as number[][][];
  // column j of a is [j, 4 + j, 8 + j]: each drawn column whole
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 5; j++) {
      const col = got.map((row) => row[i]![j]!);
      assert.deepEqual(col, [col[0]!, col[0]! + 4, col[0]! + 8]);
      assert.ok(col[0]! >= 0 && col[0]! < 4);
    }
  const rows = (await random.choice(random.key(9), a, [3], { replace: false }).toArray()) as number[][];
  assert.deepEqual(rows.map((r) => r[0]! / 4).sort(), [0, 1, 2]);
});

test("choice refuses too many draws without replacement, a p of the wrong length, a bad axis", () => {
  const k = random.key(0);
  assert.throws(() => random.choice(k, 3, [4], { replace: false }), /cannot take 4 samples from 3 entries/);
  assert.throws(() => random.choice(k, 3, [2], { p: np.array([0.5, 0.5]) }), /p must be a float32\[3\]/);
  assert.throws(() => random.choice(k, np.ones([2, 2]), [], { axis: 2 }), /axis 2 is out of range/);
  assert.throws(() => random.choice(k, 0, [1]), /no entries/);
});

test("WebGPU and jit draw exactly the CPU's choices (replace, p, no replacement, Gumbel top-k)", async (t) => {
  const p = np.array([0.125, 0.25, 0.5, 0.125]);
  const draw = (k: Tracer) => {
    const [a, b, c, d] = random.split(k, 4);
    return [
      random.choice(a, 7, [50]),
      random.choice(b, 4, [50], { p }),
      random.choice(c, 9, [5], { replace: false }),
      random.choice(d, 4, [3], { replace: false, p }),
    ];
  };
  const cpu = onBackend("cpu", () => draw(random.key(10)));
  const jitted = jit(draw)(random.key(10)) as Tracer[];
  for (let i = 0; i < 4; i++) assert.deepEqual(await vals(jitted[i]!), await vals(cpu[i]!), `jit draw ${i}`);
  if (!(await webgpuOrSkip(t))) return;
  const gpu = onBackend("webgpu", () => draw(random.key(10)));
  const gpuJit = onBackend("webgpu", () => jit(draw)(random.key(10))) as Tracer[];
  for (let i = 0; i < 4; i++) {
    assert.deepEqual(await vals(gpu[i]!), await vals(cpu[i]!), `eager draw ${i}`);
    assert.deepEqual(await vals(gpuJit[i]!), await vals(cpu[i]!), `jit draw ${i}`);
  }
});
