// lax's collectives over vmap's named axes against JAX (scripts/jax/run_jax_collectives.py wrote
// test/fixtures/jax/collectives.json): psum / pmean / pmax / pmin / axis_index / all_gather
// (stacked, along another axis, tiled, with gradients) / ppermute / psum_scatter (tiled, along
// another axis, with gradients) alone, over nested
// axes and tuples of names, in scan, while and fori_loop bodies, under grad and jvp inside the
// vmap and grad outside it, axis_size with nothing mapped, per-example gradients averaged with
// pmean and a batch norm from pmean statistics with its gradient; each on the CPU reference, on
// WebGPU and under jit on WebGPU (harness.ts opCases). Then pmax's gradient (JAX has no rule)
// against hand values, and bad input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, jit, jvp, lax, vmap } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, refuses, webgpuOrSkip, type Nested, type OpCase } from "../ops/harness.js";
import { fixtureCases } from "../ops/surface2Expected.js";

type T = Tracer;
const { jaxOpCase, jaxParts } = fixtureCases("collectives");
const f = (v: Nested): T => np.array(v as never, { dtype: "float32" });
const vm = <F extends (...a: never[]) => unknown>(fn: F, options: object = {}) =>
  vmap(fn, { axis_name: "i", ...options });
const PERM = [
  [0, 2],
  [1, 0],
  [2, 3],
  [3, 1],
] as const;
const scan2 = (body: (c: T) => T, init: T): T =>
  (lax.scan((c: T) => [body(c), null], init, null, { length: 2 }) as [T, unknown])[0];

const perExampleMeanGrad = (w: T, xb: T, yb: T): T =>
  (
    vmap(
      (x: T, y: T) => {
        const g = grad((v: T) => np.sum(np.square(np.subtract(np.tanh(np.matmul(x, v)), y))))(w) as T;
        return lax.pmean(g, "b");
      },
      { axis_name: "b" },
    )(xb, yb) as T
  )
    .at(0)
    .get();

const batchnormLoss = (w: T, xb: T, yb: T): T =>
  np.sum(
    vmap(
      (x: T, y: T) => {
        const h = np.matmul(x, w);
        const m = lax.pmean(h, "b");
        const v = lax.pmean(np.square(np.subtract(h, m)), "b");
        const z = np.divide(np.subtract(h, m), np.sqrt(np.add(v, 1e-5)));
        return np.sum(np.square(np.subtract(np.add(np.multiply(z, 0.5), h), y)));
      },
      { axis_name: "b" },
    )(xb, yb) as T,
  );

const cases: OpCase[] = [
  jaxOpCase("psum", (x) => vm((v: T) => lax.psum(v, "i"))(f(x)) as T),
  jaxOpCase("psum_const", (x) => vm((v: T) => np.add(v, lax.psum(2, "i")))(f(x)) as T),
  jaxOpCase("psum_rows", (x) => vm((r: T) => lax.psum(r, "i"))(f(x)) as T),
  jaxOpCase("pmean_center", (x) => vm((v: T) => np.subtract(v, lax.pmean(v, "i")))(f(x)) as T),
  jaxOpCase("pmax_rows", (x) => vm((r: T) => lax.pmax(r, "i"))(f(x)) as T),
  jaxOpCase("pmin_rows", (x) => vm((r: T) => lax.pmin(r, "i"))(f(x)) as T),
  jaxOpCase(
    "softmax_across",
    (x) =>
      vm((r: T) => {
        const e = np.exp(np.subtract(r, lax.pmax(r, "i")));
        return np.divide(e, lax.psum(e, "i"));
      })(f(x)) as T,
    { rtol: 1e-6 },
  ),
  jaxOpCase("axis_index", (x) => vm((v: T) => np.add(np.multiply(lax.axis_index("i"), 10), v))(f(x)) as T),
  jaxOpCase(
    "pytree",
    (x) =>
      vm((v: T) => {
        const t = lax.psum({ a: v, b: [np.multiply(v, v)] }, "i");
        return np.multiply(t.a, t.b[0]!);
      })(f(x)) as T,
  ),
  jaxOpCase(
    "nested",
    (x) =>
      vmap(
        vmap((v: T) => np.add(lax.psum(v, "i"), np.multiply(lax.psum(v, "j"), 100)), { axis_name: "j" }),
        { axis_name: "i" },
      )(f(x)) as T,
  ),
  jaxOpCase(
    "tuple_names",
    (x) =>
      vmap(
        vmap((v: T) => np.add(lax.psum(v, ["i", "j"]), lax.pmax(v, ["j", "i"])), { axis_name: "j" }),
        { axis_name: "i" },
      )(f(x)) as T,
  ),
  jaxOpCase(
    "axis_index_inner",
    (x) =>
      vmap(
        vmap((v: T) => np.add(np.add(np.multiply(v, 0), np.multiply(lax.axis_index("i"), 10)), lax.axis_index("j")), {
          axis_name: "j",
        }),
        { axis_name: "i" },
      )(f(x)) as T,
  ),
  jaxOpCase(
    "axis_size",
    () => vmap(() => np.multiply(lax.axis_index("i"), 2), { axis_name: "i", axis_size: 3 })() as T,
    { dtype: "int32" },
  ),
  jaxOpCase("grad_inside_psum", (x) => vm(grad((v: T) => lax.psum(np.multiply(v, v), "i")))(f(x)) as T),
  jaxOpCase("grad_inside_pmean", (x) => vm(grad((v: T) => lax.pmean(np.multiply(np.sin(v), v), "i")))(f(x)) as T, {
    rtol: 1e-6,
  }),
  jaxOpCase(
    "grad_outside",
    (x) => grad((xs: T) => np.sum(vm((v: T) => np.multiply(v, lax.psum(v, "i")))(xs) as T))(f(x)) as T,
  ),
  ...jaxParts(
    "jvp_inside",
    2,
    (x) =>
      vm((v: T) => jvp((y: T) => lax.psum(np.multiply(y, y), "i"), [v], [np.add(np.multiply(v, 0), 1)]))(f(x)) as T[],
  ),
  jaxOpCase("scan_body", (x) => vm((v: T) => scan2((c) => np.add(c, lax.psum(c, "i")), v))(f(x)) as T),
  jaxOpCase(
    "scan_unbatched_carry",
    (x) =>
      vm((v: T) =>
        np.add(
          v,
          scan2((c) => np.add(c, lax.psum(c, "i")), np.array(1, { dtype: "float32" })),
        ),
      )(f(x)) as T,
  ),
  jaxOpCase("scan_axis_index", (x) => vm((v: T) => scan2((c) => np.add(c, lax.axis_index("i")), v))(f(x)) as T),
  jaxOpCase(
    "while_cond_psum",
    (x) =>
      vm((v: T) =>
        lax.while_loop(
          (c: T) => np.less(lax.psum(c, "i"), 100),
          (c: T) => np.multiply(c, 2),
          v,
        ),
      )(f(x)) as T,
  ),
  jaxOpCase(
    "fori_pmean",
    (x) =>
      vm((v: T) =>
        lax.fori_loop(0, 3, (_k: T, c: T) => np.subtract(c, np.multiply(0.5, np.subtract(c, lax.pmean(c, "i")))), v),
      )(f(x)) as T,
  ),
  jaxOpCase("all_gather", (x) => vm((v: T) => lax.all_gather(v, "i"))(f(x)) as T),
  jaxOpCase("all_gather_axis1", (x) => vm((r: T) => lax.all_gather(r, "i", { axis: 1 }))(f(x)) as T),
  jaxOpCase("all_gather_tiled", (x) => vm((r: T) => lax.all_gather(r, "i", { tiled: true }))(f(x)) as T),
  jaxOpCase("all_gather_axis_neg", (x) => vm((r: T) => lax.all_gather(r, "i", { axis: -1 }))(f(x)) as T),
  jaxOpCase(
    "all_gather_grad",
    (x) =>
      vm(grad((v: T) => np.sum(np.multiply(lax.all_gather(v, "i"), np.arange(4, { dtype: "float32" })))))(f(x)) as T,
  ),
  jaxOpCase(
    "all_gather_tiled_grad",
    (x) =>
      vm(
        grad((r: T) =>
          np.sum(np.multiply(np.square(lax.all_gather(r, "i", { tiled: true })), np.arange(8, { dtype: "float32" }))),
        ),
      )(f(x)) as T,
  ),
  jaxOpCase(
    "all_gather_outer",
    (x) =>
      vmap(
        vmap((v: T) => lax.all_gather(v, "i"), { axis_name: "j" }),
        { axis_name: "i" },
      )(f(x)) as T,
  ),
  jaxOpCase("ppermute", (x) => vm((v: T) => lax.ppermute(v, "i", PERM))(f(x)) as T),
  jaxOpCase("ppermute_rows", (x) => vm((r: T) => lax.ppermute(r, "i", PERM))(f(x)) as T),
  jaxOpCase("ppermute_const", (x) => vm((v: T) => np.add(v, lax.ppermute(np.array(2), "i", PERM)))(f(x)) as T),
  jaxOpCase(
    "ppermute_grad",
    (x) =>
      vm(
        grad((v: T) => np.sum(np.multiply(lax.ppermute(np.multiply(v, v), "i", PERM), np.add(lax.axis_index("i"), 1)))),
      )(f(x)) as T,
  ),
  jaxOpCase("psum_scatter", (x) => vm((r: T) => lax.psum_scatter(r, "i"))(f(x)) as T),
  jaxOpCase("psum_scatter_tiled", (x) => vm((r: T) => lax.psum_scatter(r, "i", { tiled: true }))(f(x)) as T),
  jaxOpCase(
    "psum_scatter_dim1",
    (x) => vm((r: T) => lax.psum_scatter(np.reshape(r, [2, 4]), "i", { scatter_dimension: 1, tiled: true }))(f(x)) as T,
  ),
  jaxOpCase(
    "psum_scatter_grad",
    (x) => vm(grad((r: T) => np.sum(np.multiply(lax.psum_scatter(np.multiply(r, r), "i"), 3))))(f(x)) as T,
  ),
  jaxOpCase("pmean_grads", (w, x, y) => perExampleMeanGrad(f(w), f(x), f(y)), { rtol: 1e-5, atol: 1e-6 }),
  jaxOpCase("batchnorm_loss", (w, x, y) => batchnormLoss(f(w), f(x), f(y)), { rtol: 1e-5 }),
  jaxOpCase("batchnorm_grad", (w, x, y) => grad(batchnormLoss)(f(w), f(x), f(y)) as T, { rtol: 1e-4, atol: 1e-5 }),
];
opCases("collectives", cases);

// JAX has no derivative for pmax; ours gives the winners equal shares of every element's
// cotangent, as reduce_max does: y = max(x²) = 9 at x = 3 (elements 1 and 3), each gets
// 2x · (4 cotangents of 1) / 2 winners = 12, the others 0.
opCases("collectives", [
  {
    name: "grad of pmax(x²) inside vmap: 12 at each of the two maxima, 0 elsewhere (hand values)",
    build: () => vm(grad((v: T) => lax.pmax(np.multiply(v, v), "i")))(f([1, 3, 2, 3])) as T,
    expect: [0, 12, 0, 12],
    dtype: "float32",
    rtol: 1e-6,
    atol: 1e-7,
  },
]);

test("collectives refuse bad input, naming it: an axis no vmap names, a bad axis_name, psum of bool, axis_size unlike the mapped size, nothing mapped without axis_size", () => {
  onBackend("cpu", () => {
    const x = np.array([1, 2, 3]);
    refuses(
      () => lax.psum(x, "batch"),
      /lax\.psum: no vmap names the axis "batch"; name one with vmap\(f, \{ axis_name: "batch" \}\)/,
    );
    refuses(
      () => vm((v: T) => lax.pmean(v, "j"))(x),
      /lax\.pmean: no vmap names the axis "j"; the vmaps running name "i"/,
    );
    refuses(() => vm((v: T) => lax.psum(v, 3 as never))(x), /lax\.psum: axis_name must be the name of a vmap's axis/);
    refuses(
      () => vm((v: T) => lax.psum(np.greater(v, 1), "i"))(x),
      /psum: not defined for bool \(bool\[\]\); cast to int32 or float32 first/,
    );
    refuses(() => vm((v: T) => v, { axis_size: 4 })(x), /axis_size is 4, argument 0 has 3/);
    refuses(() => vmap(() => np.ones([2]), { in_axes: [] })(), /give the batch size as axis_size/);
    refuses(() => vmap((v: T) => v, { axis_name: "" })(x), /axis_name must be a non-empty string/);
    refuses(
      () => vm((v: T) => lax.all_gather(v, "i", { tiled: true }))(x),
      /lax\.all_gather: tiled needs an array of rank ≥ 1/,
    );
    refuses(
      () => vm((v: T) => lax.all_gather(v, "i", { axis: 2 }))(x),
      /lax\.all_gather: axis 2 is out of range for gathering float32\[\] into a new axis: valid axes are -1\.\.0/,
    );
    refuses(() => vm((v: T) => lax.all_gather(v, ["i"] as never))(x), /gathers over one axis name/);
    refuses(
      () =>
        vm((v: T) =>
          lax.ppermute(v, "i", [
            [0, 1],
            [1, 1],
            [2, 0],
          ]),
        )(x),
      /lax\.ppermute: perm must pair every index 0\.\.2 of the axis once as a source and once as a destination/,
    );
    refuses(() => vm((v: T) => lax.ppermute(v, "i", [[0, 3]]))(x), /\[0,3\] is not a pair of indices in 0\.\.2/);
    refuses(
      () => vm((_v: T) => lax.psum_scatter(np.ones([4]), "i"))(x),
      /lax\.psum_scatter: axis 0 of float32\[4\] has 4 entries; it needs exactly the axis size 3/,
    );
  });
});

test("jit of a vmap with psum compiles to a program with no collective left, and divides by the sum on WebGPU", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const fn = jit(vm((v: T) => np.divide(v, lax.psum(v, "i"))));
  const lowered = await onBackend("webgpu", () => fn.lower(f([1, 3, 4])));
  assert.ok(!/psum|pmax|pmin|axis_index/.test(lowered.text("simplify")), "the program holds reductions only");
  assert.deepEqual(Array.from(await onBackend("webgpu", () => (fn(f([1, 3, 4])) as T).data())), [0.125, 0.375, 0.5]);
});
