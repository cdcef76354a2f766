// The ninth API batch against JAX (scripts/jax/run_jax_surface9.py wrote
// test/fixtures/jax/surface9.json): choose (wrap, clip, broadcast choices), compress / extract
// (size, fill_value, a condition longer than the axis), put / place (negative, out-of-range and
// duplicate indices, repeated values), lexsort, ravel_multi_index (wrap, clip, order "F"),
// histogram2d / histogramdd (edges, range, weights, density, points on the last edge and outside),
// polyfit (weighted, several columns, full, cov; NumPy's float64 values), nn.identity, with
// gradients. Each on the CPU reference, on WebGPU and under jit on WebGPU (harness.ts opCases).
// Then isscalar and the argument errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, nn } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxOpCase } = fixtureCases("surface9");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const i32 = (v: Nested): Tracer => np.array(v as never, { dtype: "int32" });
const b = (v: Nested): Tracer => np.array(v as never, { dtype: "bool" });
const copy = { inplace: false } as const;
const hist2d = (id: string, build: (...inputs: Nested[]) => [Tracer, Tracer, Tracer], opts = {}) =>
  [0, 1, 2].map((k) =>
    jaxOpCase(`${id}_${k}`, (...inputs) => build(...inputs)[k]!, { rtol: 1e-5, atol: 1e-6, ...opts }),
  );
const fit = { rtol: 2e-3, atol: 2e-3 };

const cases: OpCase[] = [
  jaxOpCase("choose_wrap", (a, c0, c1, c2) => np.choose(i32(a), [f(c0), f(c1), f(c2)], { mode: "wrap" })),
  jaxOpCase("choose_clip", (a, c0, c1, c2) => np.choose(i32(a), [f(c0), f(c1), f(c2)], { mode: "clip" })),
  jaxOpCase("choose_scalar_choices", (a) => np.choose(i32(a), [1.5, -2, 7], { mode: "wrap" })),
  jaxOpCase(
    "choose_grad",
    (a, c0, c1, c2) =>
      grad((c: Tracer) => np.sum(np.square(np.choose(i32(a), [f(c0), c, f(c2)], { mode: "clip" }))))(f(c1)) as Tracer,
    { rtol: 1e-6, atol: 1e-6 },
  ),
  jaxOpCase("compress_axis0", (c, m) => np.compress(b(c), f(m), 0, { size: 3 })),
  jaxOpCase("compress_axis1_fill", (c, m) => np.compress(b(c), f(m), 1, { size: 3, fill_value: -9 })),
  jaxOpCase("compress_flat_long", (c, m) => np.compress(b(c), f(m), null, { size: 4 })),
  jaxOpCase("extract", (c, m) => np.extract(b(c), f(m), { size: 12, fill_value: -1 })),
  jaxOpCase(
    "compress_grad",
    (c, m) => grad((x: Tracer) => np.sum(np.square(np.compress(b(c), x, 0, { size: 3 }))))(f(m)) as Tracer,
  ),
  jaxOpCase("put_default", (x, i, v) => np.put(f(x), i32(i), f(v), null, copy)),
  jaxOpCase("put_wrap", (x, i, v) => np.put(f(x), i32(i), f(v), "wrap", copy)),
  jaxOpCase("put_clip_scalar", (x, i) => np.put(f(x), i32(i), 7, "clip", copy)),
  jaxOpCase("put_int", (x, i) => np.put(i32(x), i32(i), i32([-5, -6]), null, copy), { dtype: "int32" }),
  jaxOpCase(
    "put_grad",
    (x, i, v) => grad((y: Tracer) => np.sum(np.multiply(np.put(y, i32(i), f(v), "wrap", copy), f(x))))(f(x)) as Tracer,
  ),
  jaxOpCase("place", (x, m, v) => np.place(f(x), b(m), f(v), copy)),
  jaxOpCase(
    "place_grad_vals",
    (x, m, v) => grad((u: Tracer) => np.sum(np.square(np.place(f(x), b(m), u, copy))))(f(v)) as Tracer,
    {
      rtol: 1e-6,
      atol: 1e-6,
    },
  ),
  jaxOpCase("lexsort", (k0, k1) => np.lexsort([i32(k0), f(k1)]), { dtype: "int32" }),
  jaxOpCase("lexsort_axis0", (k2, k3) => np.lexsort([f(k2), f(k3)], 0), { dtype: "int32" }),
  jaxOpCase("ravel_multi_index_clip", (r0, r1) => np.ravel_multi_index([i32(r0), i32(r1)], [3, 4], "clip"), {
    dtype: "int32",
  }),
  jaxOpCase("ravel_multi_index_wrap", (r0, r1) => np.ravel_multi_index([i32(r0), i32(r1)], [3, 4], "wrap"), {
    dtype: "int32",
  }),
  jaxOpCase("ravel_multi_index_F", (r0, r1) => np.ravel_multi_index([i32(r0), i32(r1)], [3, 4], "clip", "F"), {
    dtype: "int32",
  }),
  ...hist2d("histogram2d", (x, y) => np.histogram2d(f(x), f(y), 5)),
  ...hist2d("histogram2d_bins_range", (x, y) =>
    np.histogram2d(f(x), f(y), [3, 4], {
      range: [
        [-2, 2],
        [-3, 3],
      ],
    }),
  ),
  ...hist2d("histogram2d_edges_weights", (x, y, e, w) => np.histogram2d(f(x), f(y), f(e), { weights: f(w) })),
  ...hist2d("histogram2d_density", (x, y) => np.histogram2d(f(x), f(y), 4, { density: true })),
  jaxOpCase("histogramdd", (s) => np.histogramdd(f(s), [2, 3, 4])[0]),
  jaxOpCase("polyfit_3", (x, y) => np.polyfit(f(x), f(y), 3) as Tracer, fit),
  jaxOpCase("polyfit_weighted", (x, y, w) => np.polyfit(f(x), f(y), 2, { w: f(w) }) as Tracer, fit),
  jaxOpCase("polyfit_columns", (x, y) => np.polyfit(f(x), f(y), 4) as Tracer, fit),
  jaxOpCase("polyfit_full_residuals", (x, y) => (np.polyfit(f(x), f(y), 2, { full: true }) as Tracer[])[1]!, {
    rtol: 1e-2,
    atol: 1e-3,
  }),
  jaxOpCase("polyfit_full_rank", (x, y) => (np.polyfit(f(x), f(y), 2, { full: true }) as Tracer[])[2]!, {
    dtype: "int32",
  }),
  jaxOpCase("polyfit_cov", (x, y) => (np.polyfit(f(x), f(y), 2, { cov: true }) as Tracer[])[1]!, {
    rtol: 1e-2,
    atol: 1e-6,
  }),
  jaxOpCase("polyfit_jax_f32", (x, y) => np.polyfit(f(x), f(y), 3) as Tracer, fit),
  jaxOpCase("nn_identity", (x) => nn.identity(f(x))),
];

opCases("surface9", cases);

test("isscalar is true for numbers, booleans and 0-d arrays and false for arrays with axes and lists", () => {
  onBackend("cpu", () => {
    assert.deepEqual(
      [3, true, np.array(2.5), np.array([2.5]), [1], np.zeros([0])].map((x) => np.isscalar(x)),
      [true, true, true, false, false, false],
    );
  });
});

test("the batch refuses what it cannot do, naming it: mode raise, in-place updates, sizes it cannot know, mismatched shapes, float indices, degree and point counts", () => {
  onBackend("cpu", () => {
    const v = f([1, 2, 3, 4]);
    const idx = i32([0, 1, 0, 1]);
    refuses(
      () => np.choose(idx, [v, v]),
      /choose: mode "raise" needs the index values on the host.* pass mode "wrap" or "clip"/,
    );
    refuses(() => np.choose(v, [v, v], { mode: "wrap" }), /choose: a must be int32, got float32\[4\]/);
    refuses(() => np.choose(idx, [], { mode: "clip" }), /choose: choices must not be empty/);
    refuses(() => np.compress(b([true, false]), v), /compress: pass \{ size \} from 0 to 2/);
    refuses(() => np.compress(b([[true]]), v, null, { size: 1 }), /compress: condition must be 1-D/);
    refuses(() => np.put(v, idx, 1), /put: arrays cannot change in place; pass \{ inplace: false \}/);
    refuses(() => np.put(v, v, 1, null, copy), /put: ind must be int32, got float32\[4\]/);
    refuses(() => np.place(v, b([true]), 1, copy), /place: arr float32\[4\] and mask must have the same size, got 1/);
    refuses(() => np.place(v, b([true, true, false, false]), np.zeros([0]), copy), /place: vals must not be empty/);
    refuses(() => np.lexsort([]), /lexsort: needs at least one key/);
    refuses(
      () => np.ravel_multi_index([idx], [3, 4], "clip"),
      /ravel_multi_index: needs one coordinate array per dimension of \[3,4\], got 1/,
    );
    refuses(
      () => np.ravel_multi_index([idx, idx], [3, 4]),
      /ravel_multi_index: mode "raise" needs the index values on the host/,
    );
    refuses(() => np.histogram2d(v, f([1, 2])), /histogram2d: x and y must have as many points, got 4 and 2/);
    refuses(
      () => np.histogramdd(np.zeros([4, 2]), [3, 3, 3]),
      /histogramdd: bins as a list needs one entry per dimension \(2\), got 3/,
    );
    refuses(() => np.polyfit(v, v, 1.5), /polyfit: deg must be a non-negative integer, got 1.5/);
    refuses(() => np.polyfit(v, f([1, 2]), 1), /polyfit: y must be \[n\] or \[n, k\] with x's n = 4, got float32\[2\]/);
    refuses(
      () => np.polyfit(v, v, 3, { cov: true }),
      /polyfit: the covariance needs more points \(4\) than coefficients \(4\)/,
    );
  });
});
