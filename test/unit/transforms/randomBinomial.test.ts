// random.binomial and random.multinomial (randomBinomial.ts): inversion by geometric waiting
// times for n·q ≤ 10, Hörmann's transformed rejection above (q = min(p, 1 − p), the count flipped
// back for p ≥ ½), as JAX's. The draws' frequencies are checked against the binomial pmf computed
// by hand (each within 5 standard errors), with the mean and variance; then JAX's edge values,
// multinomial's counts (each row sums to n, each category's mean and variance are the binomial's),
// and WebGPU and jit drawing what the CPU reference draws from one key.
import test from "node:test";
import assert from "node:assert/strict";
import * as np from "../../../runtime/src/np.js";
import { jit, random } from "../../../runtime/src/index.js";
import { onBackend, refuses, webgpuOrSkip } from "../ops/harness.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";

const N = 1 << 14;
const draws = async (fn: () => Tracer) => Array.from(await onBackend("cpu", fn).data());

/** P(X = k) for k = 0..n, by log-gamma-free recurrence in logs. */
function pmf(n: number, p: number): number[] {
  const out: number[] = [];
  let logP = n * Math.log1p(-p);
  for (let k = 0; k <= n; k++) {
    out.push(Math.exp(logP));
    logP += Math.log(n - k) - Math.log(k + 1) + Math.log(p) - Math.log1p(-p);
  }
  return out;
}

for (const [n, p, seed] of [
  [8, 0.3, 1],
  [40, 0.2, 2],
  [25, 0.9, 3],
  [60, 0.5, 4],
  [500, 0.3, 5],
  [200, 0.85, 6],
] as const) {
  const q = Math.min(p, 1 - p);
  test(`binomial(${n}, ${p}) (${n * q <= 10 ? "inversion" : "transformed rejection"}): each count's frequency within 5 standard errors of the pmf, mean and variance within 5 standard errors`, async () => {
    const v = await draws(() => random.binomial(random.key(seed), n, p, [N]));
    assert.ok(
      v.every((x) => Number.isInteger(x) && x >= 0 && x <= n),
      "integers in [0, n]",
    );
    const probs = pmf(n, p);
    const counts = new Array<number>(n + 1).fill(0);
    for (const x of v) counts[x]!++;
    probs.forEach((pk, k) => {
      const f = counts[k]! / N;
      const se = Math.sqrt((pk * (1 - pk)) / N);
      assert.ok(Math.abs(f - pk) <= 5 * se + 1 / N, `P(X = ${k}): drew ${f}, pmf ${pk}`);
    });
    const mean = n * p;
    const variance = n * p * (1 - p);
    const m = v.reduce((a, b) => a + b, 0) / N;
    const s2 = v.reduce((a, b) => a + (b - m) ** 2, 0) / (N - 1);
    assert.ok(Math.abs(m - mean) < 5 * Math.sqrt(variance / N), `mean ${m}, expected ${mean}`);
    // The variance of s² is (μ₄ − σ⁴(N − 3)/(N − 1))/N; μ₄ = σ²(1 + 3(n − 2)pq) for the binomial.
    const mu4 = variance * (1 + 3 * (n - 2) * p * (1 - p));
    const seVar = Math.sqrt((mu4 - (variance * variance * (N - 3)) / (N - 1)) / N);
    assert.ok(Math.abs(s2 - variance) < 5 * seVar, `variance ${s2}, expected ${variance} ± ${5 * seVar}`);
  });
}

test("binomial as JAX's at the edges: float32 counts; NaN for p NaN or outside [0, 1] and for n negative or NaN, inf for n = inf, n for p = 1, 0 for p = 0 or n = 0, a fractional n floored", async () => {
  const out = onBackend("cpu", () =>
    random.binomial(
      random.key(7),
      np.array([5, 5, 5, -1, NaN, Infinity, 12, 7, 0, 3.7]),
      np.array([NaN, -0.1, 1.5, 0.5, 0.5, 0.5, 1, 0, 0.4, 1]),
    ),
  );
  assert.equal(out.dtype, "float32");
  assert.deepEqual(Array.from(await out.data()), [NaN, NaN, NaN, NaN, NaN, Infinity, 12, 0, 0, 3]);
  const wide = onBackend("cpu", () => random.binomial(random.key(8), np.array([[0], [1000]]), 0.5, [2, 6]));
  assert.deepEqual(wide.shape, [2, 6]);
  const w = Array.from(await wide.data());
  assert.deepEqual(w.slice(0, 6), [0, 0, 0, 0, 0, 0]);
  assert.ok(
    w.slice(6).every((x) => Math.abs(x - 500) < 6 * Math.sqrt(250)),
    `n 1000: ${w.slice(6)}`,
  );
  onBackend("cpu", () =>
    refuses(
      () => random.binomial(random.key(9), np.array([1, 2, 3]), 0.5, [2]),
      /random\.binomial: its parameter of shape \[3\] does not broadcast/,
    ),
  );
});

test("multinomial(100, [0.2, 0.5, 0.3]): every row sums to 100; each category's mean and variance within 5 standard errors of n·pᵢ and n·pᵢ(1 − pᵢ)", async () => {
  const rows = 4096;
  const ps = [0.2, 0.5, 0.3];
  const out = onBackend("cpu", () => random.multinomial(random.key(11), 100, np.array(ps), [rows, 3]));
  assert.deepEqual(out.shape, [rows, 3]);
  const v = Array.from(await out.data());
  for (let r = 0; r < rows; r++) assert.equal(v[3 * r]! + v[3 * r + 1]! + v[3 * r + 2]!, 100, `row ${r}`);
  ps.forEach((p, j) => {
    const col = v.filter((_, i) => i % 3 === j);
    const m = col.reduce((a, b) => a + b, 0) / rows;
    const variance = 100 * p * (1 - p);
    assert.ok(Math.abs(m - 100 * p) < 5 * Math.sqrt(variance / rows), `category ${j}: mean ${m}`);
    const s2 = col.reduce((a, b) => a + (b - m) ** 2, 0) / (rows - 1);
    assert.ok(Math.abs(s2 - variance) < 5 * variance * Math.sqrt(2 / rows) + 1, `category ${j}: variance ${s2}`);
  });
  // A category of probability 0 is never drawn; n broadcasts over p's batch.
  const z = onBackend("cpu", () =>
    random.multinomial(
      random.key(12),
      np.array([3, 9]),
      np.array([
        [0.5, 0, 0.5],
        [0, 1, 0],
      ]),
    ),
  );
  const zv = Array.from(await z.data());
  assert.equal(zv[1], 0);
  assert.equal(zv[0]! + zv[2]!, 3);
  assert.deepEqual(zv.slice(3), [0, 9, 0]);
  onBackend("cpu", () =>
    refuses(
      () => random.multinomial(random.key(13), 5, np.array([0.5, 0.5]), [4, 3]),
      /random\.multinomial: shape \[4,3\] must end with p's 2 categories/,
    ),
  );
});

test("webgpu and jit draw the binomial and multinomial counts the cpu reference draws from one key", async (t) => {
  const fn = () =>
    random.binomial(random.key(21), np.array([4, 30, 200, 80]), np.array([0.3, 0.6, 0.25, 0.95]), [64, 4]);
  const multi = () => random.multinomial(random.key(22), 40, np.array([0.1, 0.6, 0.3]), [16, 3]);
  const cpu = await draws(fn);
  const cpuMulti = await draws(multi);
  if (!(await webgpuOrSkip(t))) return;
  assert.deepEqual(Array.from(await onBackend("webgpu", fn).data()), cpu, "webgpu");
  assert.deepEqual(Array.from(await onBackend("webgpu", () => jit(fn)()).data()), cpu, "jit on webgpu");
  assert.deepEqual(Array.from(await onBackend("webgpu", multi).data()), cpuMulti, "multinomial on webgpu");
});
