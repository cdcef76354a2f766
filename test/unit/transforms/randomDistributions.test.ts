// random's other distributions (randomDistributions.ts): gumbel, exponential, laplace, logistic,
// cauchy, rademacher, gamma (Marsaglia–Tsang in a while_loop), loggamma, beta, dirichlet,
// chisquare, t, multivariate_normal. Each sampler's draws are checked against its distribution
// computed by hand: a Kolmogorov–Smirnov distance under the 0.1% critical value where the CDF
// has a closed form, and the mean and variance within 5 standard errors. The keys are fixed, so
// each check is deterministic. Then: WebGPU and jit draw what the CPU reference draws from one
// key, and gamma draws (beta and dirichlet through them) differentiate in their shape as JAX's.
import test from "node:test";
import assert from "node:assert/strict";
import * as np from "../../../runtime/src/np.js";
import { grad, jit, random, vmap } from "../../../runtime/src/index.js";
import { onBackend, webgpuOrSkip } from "../ops/harness.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";

const N = 1 << 15;
const draws = async (fn: () => Tracer) => Array.from(await onBackend("cpu", fn).data());

/** The largest gap between the sample's empirical CDF and `cdf`. */
function ksDistance(sample: number[], cdf: (x: number) => number): number {
  const s = [...sample].sort((a, b) => a - b);
  let d = 0;
  s.forEach((x, i) => {
    const f = cdf(x);
    d = Math.max(d, Math.abs(f - i / s.length), Math.abs(f - (i + 1) / s.length));
  });
  return d;
}
const KS_CRITICAL = 1.95 / Math.sqrt(N); // α = 0.001

/** Mean and variance within 5 standard errors (the variance's from the fourth central moment). */
function checkMoments(name: string, v: number[], mean: number, variance: number, fourth: number): void {
  const n = v.length;
  const m = v.reduce((a, b) => a + b, 0) / n;
  const s2 = v.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1);
  assert.ok(Math.abs(m - mean) < 5 * Math.sqrt(variance / n), `${name}: mean ${m}, expected ${mean}`);
  const seVar = Math.sqrt((fourth - variance ** 2) / n);
  assert.ok(Math.abs(s2 - variance) < 5 * seVar, `${name}: variance ${s2}, expected ${variance} ± ${5 * seVar}`);
}

const CDFS: [string, () => Tracer, (x: number) => number][] = [
  ["gumbel", () => random.gumbel(random.key(1), [N]), (x) => Math.exp(-Math.exp(-x))],
  ["exponential", () => random.exponential(random.key(2), [N]), (x) => 1 - Math.exp(-x)],
  ["laplace", () => random.laplace(random.key(3), [N]), (x) => (x < 0 ? 0.5 * Math.exp(x) : 1 - 0.5 * Math.exp(-x))],
  ["logistic", () => random.logistic(random.key(4), [N]), (x) => 1 / (1 + Math.exp(-x))],
  ["cauchy", () => random.cauchy(random.key(5), [N]), (x) => 0.5 + Math.atan(x) / Math.PI],
  // Gamma(3): 1 - e^{-x}(1 + x + x²/2)
  ["gamma(3)", () => random.gamma(random.key(6), 3, [N]), (x) => 1 - Math.exp(-x) * (1 + x + (x * x) / 2)],
  // χ²(4) is Gamma(2, scale 2): 1 - e^{-x/2}(1 + x/2)
  ["chisquare(4)", () => random.chisquare(random.key(7), 4, [N]), (x) => 1 - Math.exp(-x / 2) * (1 + x / 2)],
  // Beta(2, 5): Σ_{j=2..6} C(6, j) x^j (1-x)^{6-j}
  [
    "beta(2, 5)",
    () => random.beta(random.key(8), 2, 5, [N]),
    (x) => [2, 3, 4, 5, 6].reduce((s, j) => s + [1, 6, 15, 20, 15, 6, 1][j]! * x ** j * (1 - x) ** (6 - j), 0),
  ],
  // exp of loggamma(1) is Exponential(1)
  ["exp(loggamma(1))", () => np.exp(random.loggamma(random.key(9), 1, [N])), (x) => 1 - Math.exp(-x)],
];

for (const [name, sample, cdf] of CDFS) {
  test(`${name}: ${N} draws are within the 0.1% Kolmogorov–Smirnov distance of the distribution's CDF`, async () => {
    const d = ksDistance(await draws(sample), cdf);
    assert.ok(d < KS_CRITICAL, `KS distance ${d} ≥ ${KS_CRITICAL}`);
  });
}

test("moments: gamma(0.3) (boosted below 1), t(5) and gumbel have their means and variances within 5 standard errors; rademacher is ±1 with mean 0", async () => {
  // Gamma(a): mean a, variance a, fourth central moment 3a² + 6a.
  checkMoments("gamma(0.3)", await draws(() => random.gamma(random.key(10), 0.3, [N])), 0.3, 0.3, 3 * 0.09 + 6 * 0.3);
  // t(5): variance 5/3, fourth moment 3·25/((5-2)(5-4)) = 25.
  checkMoments("t(5)", await draws(() => random.t(random.key(11), 5, [N])), 0, 5 / 3, 25);
  // Gumbel: mean γ, variance π²/6, fourth central moment 27/5·(π²/6)² (excess kurtosis 12/5).
  const g = Math.PI ** 2 / 6;
  checkMoments("gumbel", await draws(() => random.gumbel(random.key(12), [N])), 0.5772156649, g, 5.4 * g * g);
  const r = await draws(() => random.rademacher(random.key(13), [N]));
  assert.ok(r.every((x) => x === 1 || x === -1));
  const mean = r.reduce((a, b) => a + b, 0) / N;
  assert.ok(Math.abs(mean) < 5 / Math.sqrt(N), `rademacher: mean ${mean}`);
});

test("gamma with an array of shapes broadcasts it: each column has its own mean a", async () => {
  const a = [0.1, 1, 4.5];
  const v = await draws(() => random.gamma(random.key(14), np.array(a), [N / 4, 3]));
  a.forEach((ai, j) => {
    const col = v.filter((_, i) => i % 3 === j);
    checkMoments(`gamma(${ai})`, col, ai, ai, 3 * ai * ai + 6 * ai);
  });
});

test("dirichlet: each draw lies on the simplex, and the component means are alpha / sum(alpha)", async () => {
  const v = await draws(() => random.dirichlet(random.key(15), np.array([1, 2, 5]), [N / 4]));
  const rows = v.length / 3;
  for (let i = 0; i < rows; i++) {
    const s = v[3 * i]! + v[3 * i + 1]! + v[3 * i + 2]!;
    assert.ok(Math.abs(s - 1) < 1e-5 && v.slice(3 * i, 3 * i + 3).every((x) => x >= 0), `row ${i} sums to ${s}`);
  }
  [1, 2, 5].forEach((a, j) => {
    const p = a / 8;
    const variance = (p * (1 - p)) / 9; // Dirichlet: p(1-p)/(α₀+1)
    const col = v.filter((_, i) => i % 3 === j);
    const m = col.reduce((x, y) => x + y, 0) / rows;
    assert.ok(Math.abs(m - p) < 5 * Math.sqrt(variance / rows), `component ${j}: mean ${m}, expected ${p}`);
  });
});

test("multivariate_normal: the sample mean and covariance match mean and cov (2-D, correlated)", async () => {
  const cov = [
    [2, 0.8],
    [0.8, 1],
  ];
  const v = await draws(() => random.multivariate_normal(random.key(16), np.array([1, -2]), np.array(cov), [N]));
  const xs = v.filter((_, i) => i % 2 === 0);
  const ys = v.filter((_, i) => i % 2 === 1);
  const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
  const [mx, my] = [mean(xs), mean(ys)];
  assert.ok(Math.abs(mx - 1) < 5 * Math.sqrt(2 / N) && Math.abs(my + 2) < 5 * Math.sqrt(1 / N), `mean ${mx}, ${my}`);
  const c = (a: number[], ma: number, b: number[], mb: number) =>
    a.reduce((s, x, i) => s + (x - ma) * (b[i]! - mb), 0) / (a.length - 1);
  assert.ok(Math.abs(c(xs, mx, xs, mx) - 2) < 0.05, `var x ${c(xs, mx, xs, mx)}`);
  assert.ok(Math.abs(c(ys, my, ys, my) - 1) < 0.03, `var y ${c(ys, my, ys, my)}`);
  assert.ok(Math.abs(c(xs, mx, ys, my) - 0.8) < 0.03, `cov ${c(xs, mx, ys, my)}`);
});

test("webgpu, jit and vmap draw what the cpu reference draws from one key: gumbel, gamma (its rejection loop included), beta, dirichlet, multivariate_normal", async (t) => {
  const k = () => random.key(21); // made on each backend
  const programs: [string, () => Tracer][] = [
    ["gumbel", () => random.gumbel(k(), [300])],
    ["gamma", () => random.gamma(k(), np.array([0.2, 1, 3, 30]), [75, 4])],
    ["beta", () => random.beta(k(), 0.5, 2, [300])],
    ["dirichlet", () => random.dirichlet(k(), np.array([0.5, 1, 3]), [100])],
    [
      "multivariate_normal",
      () =>
        random.multivariate_normal(
          k(),
          np.array([0, 1]),
          np.array([
            [1, 0.5],
            [0.5, 2],
          ]),
          [150],
        ),
    ],
  ];
  const cpu = await Promise.all(programs.map(([, fn]) => draws(fn)));
  const gammaVmapped = await draws(() => vmap((kk: Tracer) => random.gamma(kk, 2, [50]))(random.split(k(), 3)));
  if (!(await webgpuOrSkip(t))) return;
  const close = (name: string, got: number[], want: number[]) =>
    got.forEach((g, i) =>
      assert.ok(Math.abs(g - want[i]!) <= 1e-4 * Math.max(1, Math.abs(want[i]!)), `${name}[${i}]: ${g} vs ${want[i]}`),
    );
  for (const [i, [name, fn]] of programs.entries()) {
    close(`${name} webgpu`, Array.from(await onBackend("webgpu", fn).data()), cpu[i]!);
    close(`${name} jit`, Array.from(await onBackend("webgpu", () => jit(fn)()).data()), cpu[i]!);
  }
  const gpuVmapped = await onBackend("webgpu", () =>
    jit(vmap((kk: Tracer) => random.gamma(kk, 2, [50])))(random.split(k(), 3)),
  ).data();
  close("vmap(gamma) jit", Array.from(gpuVmapped), gammaVmapped);
});

test("gamma draws differentiate in their shape as JAX's do: the mean of d x / d a over 8192 draws is 1 (E[x] = a) within 5 standard errors, for a = 0.4 (boosted), 3 and 40", async () => {
  const n = 8192;
  for (const a0 of [0.4, 3, 40]) {
    // a as one entry per draw, so the gradient of their sum is each draw's own d x / d a.
    const g = await draws(
      () => grad((a: Tracer) => np.sum(random.gamma(random.key(30), a)))(np.full([n], a0)) as Tracer,
    );
    const mean = g.reduce((s, v) => s + v, 0) / n;
    const sd = Math.sqrt(g.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
    assert.ok(Math.abs(mean - 1) < (5 * sd) / Math.sqrt(n), `a = ${a0}: mean d x / d a ${mean} ± ${sd / Math.sqrt(n)}`);
  }
});

test("beta and dirichlet differentiate through their gamma draws: d E[beta(a, 3)] / d a at a = 2 is 3/25, d E[dirichlet(α)₀] / d α at (1, 2, 3) is (5, −1, −1)/36, within 3%", async () => {
  const gb = await draws(
    () => grad((a: Tracer) => np.mean(random.beta(random.key(31), a, 3, [1 << 14])))(np.array(2)) as Tracer,
  );
  assert.ok(Math.abs(gb[0]! - 3 / 25) < 0.03 * (3 / 25), `beta: ${gb[0]}`);
  const gd = await draws(
    () =>
      grad((al: Tracer) => np.mean(np.take(random.dirichlet(random.key(32), al, [1 << 14]), 0, 1)))(
        np.array([1, 2, 3]),
      ) as Tracer,
  );
  [5 / 36, -1 / 36, -1 / 36].forEach((want, i) =>
    assert.ok(Math.abs(gd[i]! - want) < 0.03 * Math.abs(want) + 1e-3, `dirichlet[${i}]: ${gd[i]} vs ${want}`),
  );
});

test("the gradient of a gamma draw in its shape is the same on WebGPU, under jit, as on the CPU reference", async (t) => {
  const fn = () => grad((a: Tracer) => np.sum(random.gamma(random.key(33), a)))(np.array([0.3, 1, 5, 60])) as Tracer;
  const cpu = await draws(fn);
  if (!(await webgpuOrSkip(t))) return;
  const gpu = Array.from(await onBackend("webgpu", () => jit(fn)()).data());
  gpu.forEach((g, i) =>
    assert.ok(Math.abs(g - cpu[i]!) <= 1e-4 * Math.max(1, Math.abs(cpu[i]!)), `${i}: ${g} vs ${cpu[i]}`),
  );
});
