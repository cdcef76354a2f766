// The twelfth API batch against JAX (scripts/jax/run_jax_surface12.py wrote
// test/fixtures/jax/surface12.json): scipy.special's log-gamma family (gamma gammasgn beta betaln
// factorial poch comb loggamma multigammaln) with poles, negative arguments and −0, rel_entr
// kl_div boxcox boxcox1p, with gradients; nn.tanh log1mexp logmeanexp; lax.split tile stack
// unstack broadcast_to_rank broadcast_like reduce_xor reduce_precision (bfloat16, float16, a
// 4-bit exponent: overflow, underflow, ties, NaN) empty axis_size and the bitwise_* names, and
// betainc (both sides of its split, the edges, its x-gradient) with scipy.stats.beta's cdfs. Each
// on the CPU reference, on WebGPU and under jit on WebGPU (harness.ts opCases). Then bad input.
import { test } from "node:test";
import { grad, lax, nn, scipy, vmap } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxOpCase, jaxParts } = fixtureCases("surface12");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const i32 = (v: Nested): Tracer => np.array(v as never, { dtype: "int32" });
const sp = scipy.special;
const lg = { rtol: 2e-5, atol: 1e-6 }; // through lgamma: float32 and a few ulps of exp
const two = (name: string, fn: (a: Tracer, b: Tracer) => Tracer[], tol = lg) =>
  jaxParts(name, 2, (a, b) => fn(f(a), f(b))).map((c) => ({ ...c, ...tol }));

const cases: OpCase[] = [
  jaxOpCase("gamma", (x) => sp.gamma(f(x)), lg),
  jaxOpCase("gammasgn", (x) => sp.gammasgn(f(x))),
  jaxOpCase("loggamma", (x) => sp.loggamma(f(x)), lg),
  jaxOpCase("beta", (a, b) => sp.beta(f(a), f(b)), lg),
  jaxOpCase("betaln", (a, b) => sp.betaln(f(a), f(b)), lg),
  jaxOpCase("factorial", (n) => sp.factorial(f(n)), lg),
  jaxOpCase("poch", (z, m) => sp.poch(f(z), f(m)), lg),
  jaxOpCase("comb", (n, k) => sp.comb(f(n), f(k)), lg),
  jaxOpCase("comb_rep", (n, k) => sp.comb(f(n), f(k), { repetition: true }), lg),
  jaxOpCase("multigammaln_3", (a) => sp.multigammaln(f(a), 3), lg),
  jaxOpCase("rel_entr", (p, q) => sp.rel_entr(f(p), f(q)), lg),
  jaxOpCase("kl_div", (p, q) => sp.kl_div(f(p), f(q)), lg),
  jaxOpCase("boxcox", (x, l) => sp.boxcox(f(x), f(l)), lg),
  jaxOpCase("boxcox1p", (x, l) => sp.boxcox1p(f(x), f(l)), lg),
  jaxOpCase("grad_gamma", (x) => vmap(grad((v: Tracer) => sp.gamma(v)))(f(x)) as Tracer, { rtol: 5e-5, atol: 1e-6 }),
  ...two("grad_poch", (z, m) => grad((u: Tracer, v: Tracer) => np.sum(sp.poch(u, v)), [0, 1])(z, m) as Tracer[], {
    rtol: 5e-5,
    atol: 1e-6,
  }),
  ...two("grad_beta", (a, b) => grad((u: Tracer, v: Tracer) => np.sum(sp.beta(u, v)), [0, 1])(a, b) as Tracer[], {
    rtol: 5e-5,
    atol: 1e-6,
  }),
  ...two("grad_kl_div", (p, q) => grad((u: Tracer, v: Tracer) => np.sum(sp.kl_div(u, v)), [0, 1])(p, q) as Tracer[]),
  jaxOpCase("log1mexp", (x) => nn.log1mexp(f(x)), lg),
  jaxOpCase("grad_log1mexp", (x) => vmap(grad((v: Tracer) => nn.log1mexp(v)))(f(x)) as Tracer, lg),
  jaxOpCase("nn_tanh", (x) => nn.tanh(f(x)), lg),
  jaxOpCase("logmeanexp_all", (x) => nn.logmeanexp(f(x)), lg),
  jaxOpCase("logmeanexp_axis", (x) => nn.logmeanexp(f(x), 1), lg),
  jaxOpCase("logmeanexp_where", (x, m) => nn.logmeanexp(f(x), -1, { where: np.array(m as never), keepdims: true }), lg),
  ...[0, 1, 2].map((k) => jaxOpCase(`split_${k}`, (s) => lax.split(f(s), [1, 3, 2], 1)[k]!)),
  jaxOpCase("tile", (s) => lax.tile(f(s), [2, 1])),
  jaxOpCase("stack", (a, b) => lax.stack([f(a), f(b)], 1)),
  ...[0, 1, 2, 3].map((k) => jaxOpCase(`unstack_${k}`, (s) => lax.unstack(f(s), 0)[k]!)),
  jaxOpCase("broadcast_to_rank", (s) => lax.broadcast_to_rank(f(s), 3)),
  jaxOpCase("broadcast_like", (a, b) => lax.broadcast_like(f(a), f(b))),
  jaxOpCase("reduce_xor_rows", (x) => lax.reduce_xor(i32(x), [1]), { dtype: "int32" }),
  jaxOpCase("reduce_xor_all", (x) => lax.reduce_xor(i32(x), [0, 1]), { dtype: "int32" }),
  jaxOpCase("reduce_xor_cols", (x) => lax.reduce_xor(i32(x), [0]), { dtype: "int32" }),
  jaxOpCase("reduce_xor_bool", (x) => lax.reduce_xor(np.array(x as never, { dtype: "bool" }), [1]), { dtype: "bool" }),
  jaxOpCase("bitwise_and", (a, b) => lax.bitwise_and(i32(a), i32(b)), { dtype: "int32" }),
  jaxOpCase("bitwise_not", (a) => lax.bitwise_not(i32(a)), { dtype: "int32" }),
  jaxOpCase("reduce_precision_bf16", (x) => lax.reduce_precision(f(x), 8, 7)),
  jaxOpCase("reduce_precision_f16", (x) => lax.reduce_precision(f(x), 5, 10)),
  jaxOpCase("reduce_precision_e4m3", (x) => lax.reduce_precision(f(x), 4, 3)),
  jaxOpCase("reduce_precision_m0", (x) => lax.reduce_precision(f(x), 8, 0)),
  jaxOpCase(
    "grad_reduce_precision",
    (x) => grad((v: Tracer) => np.sum(np.multiply(lax.reduce_precision(v, 5, 10), v)))(f(x)) as Tracer,
  ),
  jaxOpCase("empty", () => lax.empty([2, 3], "float32")),
  jaxOpCase(
    "axis_size",
    (x) => vmap((r: Tracer) => np.multiply(np.add(r, 1), lax.axis_size("i")), { axis_name: "i" })(f(x)) as Tracer,
  ),
  jaxOpCase("betainc", (a, b, x) => sp.betainc(f(a), f(b), f(x)), { rtol: 1e-4, atol: 1e-6 }),
  jaxOpCase("betainc_edges", (a, b, x) => lax.betainc(f(a), f(b), f(x))),
  jaxOpCase("grad_betainc_x", (a, b, x) => grad((v: Tracer) => np.sum(sp.betainc(f(a), f(b), v)))(f(x)) as Tracer, {
    rtol: 1e-4,
    atol: 1e-6,
  }),
  jaxOpCase("beta_cdf", (x) => scipy.stats.beta.cdf(f(x), 2, 3), { rtol: 1e-5, atol: 1e-6 }),
  jaxOpCase("beta_sf", (x) => scipy.stats.beta.sf(f(x), 2, 3), { rtol: 1e-5, atol: 1e-6 }),
  jaxOpCase("beta_logcdf", (x) => scipy.stats.beta.logcdf(f(x), 0.5, 4), { rtol: 1e-5, atol: 1e-6 }),
  jaxOpCase("beta_logsf_loc", (x) => scipy.stats.beta.logsf(f(x), 2, 1.5, -1, 3), { rtol: 1e-5, atol: 1e-6 }),
];
opCases("surface12", cases);

test("the twelfth batch refuses bad input, naming it: lax.split sizes, reduce_precision bits, multigammaln's d, factorial's exact, reduce_xor of floats, axis_size outside a named vmap, betainc's gradient in a", () => {
  onBackend("cpu", () => {
    refuses(
      () => lax.split(np.zeros([4, 6]), [1, 2], 1),
      /lax\.split: sizes \[1,2\] must be non-negative integers adding up to axis 1's length 6/,
    );
    refuses(
      () => lax.reduce_precision(f([1]), 0, 3),
      /lax\.reduce_precision: exponent_bits must be an integer ≥ 1, got 0/,
    );
    refuses(() => lax.reduce_precision(i32([1]), 5, 10), /lax\.reduce_precision takes float32/);
    refuses(() => sp.multigammaln(f([2]), 0), /multigammaln: d must be a positive integer, got 0/);
    refuses(() => sp.factorial(f([3]), { exact: true }), /factorial: exact=true is not supported/);
    refuses(() => lax.reduce_xor(f([1, 2]), [0]), /lax\.reduce_xor: needs int32 or bool, got float32\[2\]/);
    refuses(() => lax.axis_size("nope"), /nope/);
    refuses(
      () => grad((a: Tracer) => np.sum(lax.betainc(a, f([2]), f([0.5]))))(f([1.5])),
      /lax\.betainc: its derivative with respect to a and b is not supported/,
    );
  });
});
