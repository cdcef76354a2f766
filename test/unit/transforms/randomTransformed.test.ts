// The closed-form samplers of randomTransformed.ts, each checked by its law: the sample mean
// within 5 standard errors of the distribution's and the sample variance within 25% of its
// (formulas computed by hand in the table), and the support (geometric ≥ 1 and P(X = 1) = p; pareto ≥ 1; triangular inside [left, right];
// maxwell, rayleigh, weibull, wald and f positive). Then parameters broadcast, WebGPU and jit
// draw what the CPU draws, and bad input is refused.
import test from "node:test";
import assert from "node:assert/strict";
import * as np from "../../../runtime/src/np.js";
import { jit, random } from "../../../runtime/src/index.js";
import { onBackend, refuses, webgpuOrSkip } from "../ops/harness.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";

const N = 1 << 15;
const key = random.key;
const draws = async (fn: () => Tracer) => Array.from(await onBackend("cpu", fn).data());
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const variance = (v: number[]) => {
  const m = mean(v);
  return v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1);
};

interface Law {
  name: string;
  draw: () => Tracer;
  mean: number;
  variance: number;
  support: (x: number) => boolean;
}
const laws: Law[] = [
  // lognormal(σ = ½): e^{σ²/2}, (e^{σ²} − 1)e^{σ²}.
  {
    name: "lognormal(σ = 0.5)",
    draw: () => random.lognormal(key(1), 0.5, [N]),
    mean: 1.1331484530668263,
    variance: 0.3646958540123865,
    support: (x) => x > 0,
  },
  // geometric(p = 0.3): 1/p, (1 − p)/p².
  {
    name: "geometric(p = 0.3)",
    draw: () => random.geometric(key(2), 0.3, [N]),
    mean: 1 / 0.3,
    variance: 0.7 / 0.09,
    support: (x) => Number.isInteger(x) && x >= 1,
  },
  // rayleigh(scale 2): s√(π/2), (4 − π)s²/2.
  {
    name: "rayleigh(scale = 2)",
    draw: () => random.rayleigh(key(3), 2, [N]),
    mean: 2.5066282746310002,
    variance: 1.7168146928204138,
    support: (x) => x > 0,
  },
  // maxwell: 2√(2/π), 3 − 8/π.
  {
    name: "maxwell",
    draw: () => random.maxwell(key(4), [N]),
    mean: 1.5957691216057308,
    variance: 0.45352091052967447,
    support: (x) => x > 0,
  },
  // double_sided_maxwell(loc 1, scale 2): loc, 3·scale².
  {
    name: "double_sided_maxwell(1, 2)",
    draw: () => random.double_sided_maxwell(key(5), 1, 2, [N]),
    mean: 1,
    variance: 12,
    support: Number.isFinite,
  },
  // pareto(b = 5): b/(b − 1), b/((b − 1)²(b − 2)).
  {
    name: "pareto(b = 5)",
    draw: () => random.pareto(key(6), 5, [N]),
    mean: 1.25,
    variance: 5 / 48,
    support: (x) => x >= 1,
  },
  // weibull_min(scale 2, c 1.5): sΓ(1 + 1/c), s²(Γ(1 + 2/c) − Γ(1 + 1/c)²).
  {
    name: "weibull_min(2, 1.5)",
    draw: () => random.weibull_min(key(7), 2, 1.5, [N]),
    mean: 1.8054905859018673,
    variance: 1.502761139255727,
    support: (x) => x >= 0,
  },
  // triangular(0, 1, 4): (a + b + c)/3, (a² + b² + c² − ab − ac − bc)/18.
  {
    name: "triangular(0, 1, 4)",
    draw: () => random.triangular(key(8), 0, 1, 4, [N]),
    mean: 5 / 3,
    variance: 13 / 18,
    support: (x) => x >= 0 && x <= 4,
  },
  // wald(μ = 2), shape λ = 1: μ, μ³/λ.
  {
    name: "wald(μ = 2)",
    draw: () => random.wald(key(9), 2, [N]),
    mean: 2,
    variance: 8,
    support: (x) => x > 0,
  },
  // f(5, 10): d₂/(d₂ − 2), 2d₂²(d₁ + d₂ − 2)/(d₁(d₂ − 2)²(d₂ − 4)).
  {
    name: "f(5, 10)",
    draw: () => random.f(key(10), 5, 10, [N]),
    mean: 1.25,
    variance: 1.3541666666666667,
    support: (x) => x > 0,
  },
];

for (const law of laws) {
  test(`${law.name}: every draw in the support, mean within 5 standard errors of ${law.mean.toPrecision(6)}`, async () => {
    const v = await draws(law.draw);
    assert.equal(v.length, N);
    const outside = v.find((x) => !law.support(x));
    assert.equal(outside, undefined, `a draw outside the support: ${outside}`);
    const m = mean(v);
    const se = Math.sqrt(law.variance / N);
    assert.ok(Math.abs(m - law.mean) <= 5 * se, `mean ${m}, expected ${law.mean} ± ${5 * se}`);
    // The variance within 25% (heavy tails make its standard error large; this catches a wrong
    // scale or formula, which moves it by far more).
    const s2 = variance(v);
    assert.ok(Math.abs(s2 / law.variance - 1) < 0.25, `variance ${s2}, expected ${law.variance}`);
  });
}

test("geometric(p = 0.3): P(X = 1) within 5 standard errors of p, and its draws are int32", async () => {
  const out = onBackend("cpu", () => random.geometric(key(11), 0.3, [N]));
  assert.equal(out.dtype, "int32");
  const v = Array.from(await out.data());
  const ones = v.filter((x) => x === 1).length / N;
  assert.ok(Math.abs(ones - 0.3) <= 5 * Math.sqrt(0.21 / N), `P(X = 1) = ${ones}`);
});

test("parameters broadcast to the shape (default their broadcast shape), and one that does not fit names the sampler", async () => {
  const t = onBackend("cpu", () =>
    random.triangular(
      key(12),
      np.array([0, 10]),
      np.array([1, 11]),
      np.array([
        [4, 14],
        [20, 30],
      ]),
    ),
  );
  assert.deepEqual(t.shape, [2, 2]);
  const v = Array.from(await t.data());
  const bounds = [
    [0, 4],
    [10, 14],
    [0, 20],
    [10, 30],
  ];
  bounds.forEach(([lo, hi], i) => assert.ok(v[i]! >= lo! && v[i]! <= hi!, `draw ${i}: ${v[i]} outside [${lo}, ${hi}]`));
  const w = onBackend("cpu", () => random.weibull_min(key(13), np.array([1, 2, 3]), 2, [4, 3]));
  assert.deepEqual(w.shape, [4, 3]);
  onBackend("cpu", () => {
    refuses(
      () => random.lognormal(key(0), np.array([1, 2, 3]), [2]),
      /random\.lognormal: its parameter of shape \[3\] does not broadcast to the shape \[2\]/,
    );
    refuses(() => random.pareto(np.array([1, 2, 3]), 2), /pareto/);
  });
});

test("random.clone returns its key, so draws from the clone equal draws from the key", async () => {
  const a = await draws(() => random.normal(random.clone(key(14)), [4]));
  const b = await draws(() => random.normal(key(14), [4]));
  assert.deepEqual(a, b);
});

test("webgpu and jit draw what the cpu reference draws from one key, for each sampler", async (t) => {
  const fns = [
    () => random.lognormal(key(21), 0.7, [64]),
    () => random.geometric(key(22), 0.2, [64]),
    () => random.rayleigh(key(23), 1.5, [64]),
    () => random.maxwell(key(24), [64]),
    () => random.double_sided_maxwell(key(25), 0, 1, [64]),
    () => random.pareto(key(26), 3, [64]),
    () => random.weibull_min(key(27), 1, 0.8, [64]),
    () => random.triangular(key(28), -1, 0, 2, [64]),
    () => random.wald(key(29), 1.5, [64]),
    () => random.f(key(30), 3, 7, [64]),
  ];
  const cpu = await Promise.all(fns.map(draws));
  if (!(await webgpuOrSkip(t))) return;
  for (const [i, fn] of fns.entries()) {
    for (const [what, run] of [
      ["webgpu", () => onBackend("webgpu", fn)],
      ["jit on webgpu", () => onBackend("webgpu", () => jit(fn)())],
    ] as const) {
      const got = Array.from(await run().data());
      got.forEach((g, j) =>
        assert.ok(
          Math.abs(g - cpu[i]![j]!) <= 1e-4 * Math.max(1, Math.abs(cpu[i]![j]!)),
          `sampler ${i} ${what}[${j}]: ${g} vs ${cpu[i]![j]}`,
        ),
      );
    }
  }
});
