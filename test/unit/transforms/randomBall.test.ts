// random.generalized_normal and random.ball (randomBall.ts), checked by their laws: a generalized
// normal of power p has E[X²] = Γ(3/p)/Γ(1/p) (2 for p = 1, ½ for p = 2, Γ(¾)/Γ(¼) for p = 4,
// computed by hand) and is symmetric; a point uniform in the unit p-ball of dimension d lies in
// it, has P(‖x‖ₚ ≤ r) = r^d, and (for p = 2, d = 2) falls in each quadrant with probability ¼.
// Each statistic within 5 standard errors. Then WebGPU and jit draw what the CPU draws, and bad
// arguments are refused.
import test from "node:test";
import assert from "node:assert/strict";
import * as np from "../../../runtime/src/np.js";
import { jit, random } from "../../../runtime/src/index.js";
import { onBackend, refuses, webgpuOrSkip } from "../ops/harness.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";

const N = 1 << 14;
const draws = async (fn: () => Tracer) => Array.from(await onBackend("cpu", fn).data());
const within = (got: number, want: number, se: number, what: string) =>
  assert.ok(Math.abs(got - want) <= 5 * se, `${what}: drew ${got}, expected ${want} ± ${5 * se}`);

for (const [p, m2, m4] of [
  [1, 2, 24],
  [2, 0.5, 0.75],
  [4, 0.3379891200336424, 0.25],
] as const) {
  test(`generalized_normal(p = ${p}): E[X²] within 5 standard errors of ${m2}, mean 0 and half the draws positive`, async () => {
    const v = await draws(() => random.generalized_normal(random.key(p), p, [N]));
    const meanSq = v.reduce((a, x) => a + x * x, 0) / N;
    within(meanSq, m2, Math.sqrt((m4 - m2 * m2) / N), "E[X²]");
    within(v.reduce((a, x) => a + x, 0) / N, 0, Math.sqrt(m2 / N), "mean");
    within(v.filter((x) => x > 0).length / N, 0.5, Math.sqrt(0.25 / N), "P(X > 0)");
  });
}

for (const [d, p] of [
  [3, 2],
  [2, 1],
  [5, 4],
] as const) {
  test(`ball(d = ${d}, p = ${p}): every point in the unit ${p}-ball, P(‖x‖ ≤ r) = r^${d} within 5 standard errors for r = 0.5, 0.8, 0.95`, async () => {
    const out = onBackend("cpu", () => random.ball(random.key(10 + d), d, p, [N]));
    assert.deepEqual(out.shape, [N, d]);
    const v = Array.from(await out.data());
    const norms: number[] = [];
    for (let i = 0; i < N; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += Math.abs(v[i * d + j]!) ** p;
      norms.push(s ** (1 / p));
    }
    assert.ok(Math.max(...norms) <= 1 + 1e-6, `largest norm ${Math.max(...norms)}`);
    for (const r of [0.5, 0.8, 0.95]) {
      const want = r ** d;
      within(norms.filter((n) => n <= r).length / N, want, Math.sqrt((want * (1 - want)) / N), `P(‖x‖ ≤ ${r})`);
    }
  });
}

test("ball(d = 2, p = 2): each quadrant holds a quarter of the points within 5 standard errors", async () => {
  const v = await draws(() => random.ball(random.key(31), 2, 2, [N]));
  const quadrant = [0, 0, 0, 0];
  for (let i = 0; i < N; i++) quadrant[(v[2 * i]! > 0 ? 1 : 0) + (v[2 * i + 1]! > 0 ? 2 : 0)]!++;
  for (const q of quadrant) within(q / N, 0.25, Math.sqrt(0.1875 / N), "quadrant");
});

test("webgpu and jit draw the points the cpu reference draws from one key", async (t) => {
  const fn = () => random.ball(random.key(41), 3, 1.5, [64]);
  const cpu = await draws(fn);
  if (!(await webgpuOrSkip(t))) return;
  const close = (got: number[], what: string) =>
    got.forEach((g, i) => assert.ok(Math.abs(g - cpu[i]!) <= 1e-5, `${what}[${i}]: ${g} vs ${cpu[i]}`));
  close(Array.from(await onBackend("webgpu", fn).data()), "webgpu");
  close(Array.from(await onBackend("webgpu", () => jit(fn)()).data()), "jit on webgpu");
});

test("ball and generalized_normal refuse a non-positive p, a dimension that is not a positive integer, and a bad key", () => {
  onBackend("cpu", () => {
    refuses(() => random.ball(random.key(0), 0), /random\.ball: d \(the dimension\) must be a positive integer, got 0/);
    refuses(() => random.ball(random.key(0), 2.5), /random\.ball: d \(the dimension\) must be a positive integer/);
    refuses(() => random.ball(random.key(0), 2, -1), /random\.ball: p must be a positive number, got -1/);
    refuses(
      () => random.generalized_normal(random.key(0), 0),
      /random\.generalized_normal: p must be a positive number/,
    );
    refuses(() => random.ball(np.array([1, 2, 3]), 2), /ball/);
  });
});
