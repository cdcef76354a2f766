// random.poisson (randomDistributions.ts): Knuth's product of uniforms below a rate of 10,
// Hörmann's transformed rejection from 10 up, as JAX's. The draws' frequencies are checked
// against the Poisson pmf computed by hand, each count within 5 standard errors, and the mean and
// variance within 5 standard errors, for rates on both sides of 10; then JAX's edge values (0
// for a rate of 0, −1 for a negative or NaN rate), shapes, and WebGPU and jit drawing what the
// CPU reference draws from one key.
import test from "node:test";
import assert from "node:assert/strict";
import * as np from "../../../runtime/src/np.js";
import { jit, random } from "../../../runtime/src/index.js";
import { onBackend, refuses, webgpuOrSkip } from "../ops/harness.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";

const N = 1 << 14;
const draws = async (fn: () => Tracer) => Array.from(await onBackend("cpu", fn).data());

/** P(X = k) for k = 0..kmax, by the recurrence p(k+1) = p(k)·λ/(k+1) in logs. */
function pmf(lam: number, kmax: number): number[] {
  const out: number[] = [];
  let logP = -lam;
  for (let k = 0; k <= kmax; k++) {
    out.push(Math.exp(logP));
    logP += Math.log(lam) - Math.log(k + 1);
  }
  return out;
}

for (const [lam, seed] of [
  [0.7, 1],
  [3, 2],
  [9.9, 3],
  [10, 4],
  [35, 5],
  [400, 6],
] as const) {
  test(`poisson(${lam}) (${lam < 10 ? "Knuth" : "transformed rejection"}): each count's frequency within 5 standard errors of the pmf, mean and variance within 5 standard errors of ${lam}`, async () => {
    const v = await draws(() => random.poisson(random.key(seed), lam, [N]));
    assert.ok(
      v.every((x) => Number.isInteger(x) && x >= 0),
      "non-negative integers",
    );
    const kmax = Math.ceil(lam + 12 * Math.sqrt(lam) + 10);
    const p = pmf(lam, kmax);
    const counts = new Array<number>(kmax + 1).fill(0);
    for (const x of v) counts[Math.min(x, kmax)]!++;
    p.forEach((pk, k) => {
      const f = counts[k]! / N;
      const se = Math.sqrt((pk * (1 - pk)) / N);
      assert.ok(Math.abs(f - pk) <= 5 * se + 1 / N, `P(X = ${k}): drew ${f}, pmf ${pk}`);
    });
    const m = v.reduce((a, b) => a + b, 0) / N;
    const s2 = v.reduce((a, b) => a + (b - m) ** 2, 0) / (N - 1);
    assert.ok(Math.abs(m - lam) < 5 * Math.sqrt(lam / N), `mean ${m}`);
    const seVar = Math.sqrt((lam + 3 * lam * lam - lam * lam) / N);
    assert.ok(Math.abs(s2 - lam) < 5 * seVar, `variance ${s2}, expected ${lam} ± ${5 * seVar}`);
  });
}

test("poisson as JAX's at the edges: int32 counts, 0 for a rate of 0, −1 for a negative or NaN rate; shape defaults to the rate's and broadcasts it", async () => {
  const out = onBackend("cpu", () => random.poisson(random.key(7), np.array([0, -1, NaN, 2])));
  assert.equal(out.dtype, "int32");
  assert.deepEqual(out.shape, [4]);
  const v = Array.from(await out.data());
  assert.deepEqual(v.slice(0, 3), [0, -1, -1]);
  assert.ok(Number.isInteger(v[3]) && v[3]! >= 0);
  const wide = onBackend("cpu", () => random.poisson(random.key(8), np.array([[0], [1000]]), [2, 6]));
  assert.deepEqual(wide.shape, [2, 6]);
  const w = Array.from(await wide.data());
  assert.deepEqual(w.slice(0, 6), [0, 0, 0, 0, 0, 0]);
  assert.ok(
    w.slice(6).every((x) => Math.abs(x - 1000) < 6 * Math.sqrt(1000)),
    `rate 1000: ${w.slice(6)}`,
  );
  onBackend("cpu", () => refuses(() => random.poisson(random.key(9), np.array([1, 2, 3]), [2]), /poisson/));
});

test("webgpu and jit draw the counts the cpu reference draws from one key, for rates on both sides of 10", async (t) => {
  const fn = () => random.poisson(random.key(21), np.array([0.5, 4, 12, 80]), [100, 4]);
  const cpu = await draws(fn);
  if (!(await webgpuOrSkip(t))) return;
  assert.deepEqual(Array.from(await onBackend("webgpu", fn).data()), cpu, "webgpu");
  assert.deepEqual(Array.from(await onBackend("webgpu", () => jit(fn)()).data()), cpu, "jit on webgpu");
});
