// scipy.fft, scipy.integrate, scipy.cluster.vq and scipy.interpolate against JAX
// (scripts/jax/run_jax_scipy_misc.py wrote test/fixtures/jax/scipy_misc.json): dct / idct on both
// sides of the 256-point switch from the cosine matrix to the FFT (odd, prime, cut, padded),
// dctn / idctn, round trips, a JPEG block, gradients, dct under vmap; trapezoid; vq on a k-means
// assignment with ties; RegularGridInterpolator in 2-D and 3-D inside, on and outside the grid.
// Each on the CPU reference, on WebGPU and under jit on WebGPU (harness.ts opCases). Then the
// constants a dct compiles to (a cached cosine matrix, or the FFT's small tables), the
// interpolator as a callable pytree and with xi as coordinate arrays, and bad input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, jit, scipy, tree, vmap } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import * as lax from "../../../runtime/src/lax.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxCase, jaxOpCase, jaxParts } = fixtureCases("scipy_misc");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const { dct, idct, dctn, idctn } = scipy.fft;
const { trapezoid } = scipy.integrate;
const { vq } = scipy.cluster.vq;
const { RegularGridInterpolator } = scipy.interpolate;
// float32 sums over n terms: a cosine matrix (n ≤ 256) or an FFT (n > 256) and JAX's own FFT.
const short = { rtol: 2e-5, atol: 2e-5 };
const long = { rtol: 1e-4, atol: 2e-4 };
const parts = (cs: OpCase[], tol: { rtol: number; atol: number }) => cs.map((c) => ({ ...c, ...tol }));

const dctCases: OpCase[] = [
  ...[7, 8, 13, 256].flatMap((n) =>
    (["backward", "ortho"] as const).flatMap((norm) => [
      jaxOpCase(`dct_${n}_${norm}`, (x) => dct(f(x), { norm }), short),
      jaxOpCase(`idct_${n}_${norm}`, (x) => idct(f(x), 2, null, -1, norm), short),
    ]),
  ),
  ...(
    [
      [257, "backward"],
      [300, "ortho"],
      [315, "backward"],
    ] as const
  ).flatMap(([n, norm]) => [
    jaxOpCase(`dct_${n}_${norm}`, (x) => dct(f(x), { norm }), long),
    jaxOpCase(`idct_${n}_${norm}`, (x) => idct(f(x), { norm }), long),
  ]),
  jaxOpCase("dct_n12_axis0", (x) => dct(np.transpose(f(x)), 2, 12, 0), short),
  jaxOpCase("dct_n5", (x) => dct(f(x), { n: 5, norm: "ortho" }), short),
  jaxOpCase("idct_n12_ortho", (x) => idct(f(x), { n: 12, norm: "ortho" }), short),
  jaxOpCase("idct_n5_axis0", (x) => idct(np.transpose(f(x)), 2, 5, 0), short),
  jaxOpCase("dct_200_pad_300", (x) => dct(f(x), { n: 300 }), long),
  jaxOpCase("idct_300_cut_260_ortho", (x) => idct(f(x), { n: 260, norm: "ortho" }), long),
  jaxOpCase("dctn_all", (x) => dctn(f(x)), short),
  jaxOpCase("dctn_all_ortho", (x) => dctn(f(x), { norm: "ortho" }), short),
  jaxOpCase("dctn_axes_0_2", (x) => dctn(f(x), 2, null, [0, 2]), short),
  jaxOpCase("dctn_s_6_3", (x) => dctn(f(x), { s: [6, 3] }), short),
  jaxOpCase("dctn_s_2", (x) => dctn(f(x), { s: 2, norm: "ortho" }), short),
  jaxOpCase("idctn_all", (x) => idctn(f(x)), short),
  jaxOpCase("idctn_axes_1_ortho", (x) => idctn(f(x), { axes: 1, norm: "ortho" }), short),
  jaxOpCase("idctn_s_2_7_axes_2_0", (x) => idctn(f(x), 2, [2, 7], [2, 0]), short),
  ...(["backward", "ortho"] as const).flatMap((norm) => [
    jaxOpCase(`roundtrip_13_${norm}`, (x) => idct(dct(f(x), { norm }), { norm }), short),
    jaxOpCase(`roundtrip_300_${norm}`, (x) => idct(dct(f(x), { norm }), { norm }), long),
  ]),
  jaxOpCase("roundtrip_n_345", (x) => idctn(dctn(f(x))), short),
  jaxOpCase("jpeg_block_dctn_ortho", (x) => dctn(f(x), { norm: "ortho" }), { rtol: 1e-5, atol: 2e-4 }),
  jaxOpCase("jpeg_block_idctn_ortho", (x) => idctn(f(x), { norm: "ortho" }), { rtol: 1e-5, atol: 2e-4 }),
  jaxOpCase(
    "grad_dct_8_ortho",
    (x, w) => grad((a: Tracer) => np.sum(np.multiply(dct(a, { norm: "ortho" }), f(w))))(f(x)),
    short,
  ),
  jaxOpCase("grad_idct_8", (x, w) => grad((a: Tracer) => np.sum(np.multiply(idct(a), f(w))))(f(x)), short),
  jaxOpCase("grad_dct_300", (x, w) => grad((a: Tracer) => np.sum(np.multiply(dct(a), f(w))))(f(x)), long),
  jaxOpCase(
    "grad_idct_300_ortho",
    (x, w) => grad((a: Tracer) => np.sum(np.multiply(idct(a, { norm: "ortho" }), f(w))))(f(x)),
    long,
  ),
  jaxOpCase("dct_13_backward", (x) => vmap((r: Tracer) => dct(r))(f(x)), {
    ...short,
    title: "dct_13_backward, each row under vmap",
  }),
  jaxOpCase("idct_315_backward", (x) => np.reshape(vmap((r: Tracer) => idct(r))(np.reshape(f(x), [1, 315])), [315]), {
    ...long,
    title: "idct_315_backward (the FFT path) under vmap",
  }),
];

const integrateCases: OpCase[] = [
  jaxOpCase("trapezoid_x", (y, x) => trapezoid(f(y), f(x)), short),
  jaxOpCase("trapezoid_dx", (y) => trapezoid(f(y), { dx: 0.25 }), short),
  jaxOpCase("trapezoid_axis0_x", (y, x) => trapezoid(f(y), f(x), 1, 0), short),
  jaxOpCase("trapezoid_x_like_y", (y, x) => trapezoid(f(y), { x: f(x) }), short),
  ...parts(
    jaxParts("grad_trapezoid", 2, (y, x) =>
      grad((a: Tracer, b: Tracer) => trapezoid(np.multiply(a, a), b), [0, 1])(f(y), f(x)),
    ),
    short,
  ),
];

const vqCases: OpCase[] = [
  ...parts(
    jaxParts("vq_kmeans", ["int32", "float32"], (o, b) => vq(f(o), f(b))),
    short,
  ),
  ...jaxParts("vq_ties", ["int32", "float32"], (o, b) => vq(f(o), f(b))),
  ...parts(
    jaxParts("vq_1d", ["int32", "float32"], (o, b) => vq(f(o), f(b))),
    short,
  ),
  ...parts(
    jaxParts("grad_vq", 2, (o, b) => grad((a: Tracer, c: Tracer) => np.sum(vq(a, c)[1]), [0, 1])(f(o), f(b))),
    short,
  ),
];

const grid2 = (gx: Nested, gy: Nested) => [f(gx), f(gy)];
const interpolateCases: OpCase[] = [
  jaxOpCase("rgi_2d_linear", (gx, gy, v, xi) => new RegularGridInterpolator(grid2(gx, gy), f(v))(f(xi)), short),
  jaxOpCase(
    "rgi_2d_nearest",
    (gx, gy, v, xi) => new RegularGridInterpolator(grid2(gx, gy), f(v), "nearest")(f(xi)),
    short,
  ),
  jaxOpCase(
    "rgi_2d_fill_number",
    (gx, gy, v, xi) => RegularGridInterpolator(grid2(gx, gy), f(v), { fill_value: -7.5 })(f(xi)),
    short,
  ),
  jaxOpCase(
    "rgi_2d_extrapolate",
    (gx, gy, v, xi) => RegularGridInterpolator(grid2(gx, gy), f(v), "linear", false, null)(f(xi)),
    short,
  ),
  jaxOpCase(
    "rgi_2d_nearest_extrapolate",
    (gx, gy, v, xi) => RegularGridInterpolator(grid2(gx, gy), f(v), { fill_value: null })(f(xi), "nearest"),
    short,
  ),
  jaxOpCase("rgi_2d_lead_axes", (gx, gy, v, xi) => RegularGridInterpolator(grid2(gx, gy), f(v))(f(xi)), short),
  jaxOpCase("rgi_2d_flat_xi", (gx, gy, v, xi) => RegularGridInterpolator(grid2(gx, gy), f(v))(f(xi)), short),
  jaxOpCase(
    "rgi_3d_trailing_linear",
    (a, b, c, v, xi) => RegularGridInterpolator([f(a), f(b), f(c)], f(v))(f(xi)),
    short,
  ),
  jaxOpCase(
    "rgi_3d_trailing_nearest",
    (a, b, c, v, xi) => RegularGridInterpolator([f(a), f(b), f(c)], f(v), "nearest", false, 0)(f(xi)),
    short,
  ),
  jaxOpCase(
    "rgi_3d_trailing_extrapolate",
    (a, b, c, v, xi) => RegularGridInterpolator([f(a), f(b), f(c)], f(v), { fill_value: null })(f(xi)),
    short,
  ),
  ...parts(
    jaxParts("grad_rgi_values_xi", 2, (gx, gy, v, xi, w) =>
      grad(
        (vals: Tracer, p: Tracer) => np.sum(np.multiply(RegularGridInterpolator(grid2(gx, gy), vals)(p), f(w))),
        [0, 1],
      )(f(v), f(xi)),
    ),
    short,
  ),
];

opCases("scipy.fft", dctCases);
opCases("scipy.integrate", integrateCases);
opCases("scipy.cluster.vq", vqCases);
opCases("scipy.interpolate", interpolateCases);

test("RegularGridInterpolator is a callable pytree: its grid, values and fill value are the leaves, and jit takes it as an argument and gives JAX's values", async () => {
  const [gx, gy, v, xi] = jaxCase("rgi_2d_linear").inputs;
  const want = jaxCase("rgi_2d_linear").expect;
  await onBackend("cpu", async () => {
    const interp = new RegularGridInterpolator(grid2(gx!, gy!), f(v!));
    assert.ok(interp instanceof RegularGridInterpolator);
    assert.equal(typeof interp, "function");
    assert.equal(interp.method, "linear");
    assert.equal(interp.bounds_error, false);
    assert.ok(Number.isNaN(interp.fill_value));
    assert.deepEqual(
      interp.grid.map((g) => g.shape),
      [[5], [4]],
    );
    assert.deepEqual(interp.values.shape, [5, 4]);
    assert.equal(tree.leaves(interp).length, 4);
    const rebuilt = tree.map((x: Tracer) => x, interp);
    assert.ok(rebuilt instanceof RegularGridInterpolator);
    const out = jit((r: typeof interp, p: Tracer) => r(p))(interp, f(xi!));
    assertClose(await out.toArray(), want, "float32", 2e-5, 2e-5);
  });
});

test("a dct of up to 256 points is one matmul by a cosine matrix, zero padding folded in and one matrix per length for a whole program; at 4096 points dct and idct go through the four-step FFT with no constant over 4096 entries", async () => {
  const constants = async (f: (x: Tracer) => Tracer, n: number) => {
    const lowered = await onBackend("cpu", () => jit(f).lower(np.ones([3, n])));
    return {
      shapes: lowered.constants.map((c) => c.shape.join("×")).sort(),
      matmuls: lowered.program.eqns.filter((e) => e.prim === "matmul").length,
    };
  };
  assert.deepEqual(await constants((x) => dct(x, { n: 12, norm: "ortho" }), 8), { shapes: ["8×12"], matmuls: 1 });
  // dct and idct of 64 points: the forward and the inverse matrix, each bound once for two calls.
  assert.deepEqual(await constants((x) => np.add(idct(dct(x)), idct(dct(np.negative(x)))), 64), {
    shapes: ["64×64", "64×64"],
    matmuls: 4,
  });
  for (const transform of [dct, idct]) {
    const big = await constants((x) => transform(x), 4096);
    assert.ok(
      big.shapes.every((s) => s === "4096" || s === "64×64"),
      big.shapes.join(", "),
    );
    assert.ok(big.matmuls >= 4);
  }
});

test("RegularGridInterpolator takes xi as one coordinate array per grid axis (JAX's tuple form) and gives the values of the stacked points", async () => {
  const { inputs, expect } = jaxCase("rgi_2d_linear");
  const [gx, gy, v, xi] = inputs as [Nested, Nested, Nested, number[][]];
  const out = onBackend("cpu", () =>
    RegularGridInterpolator(grid2(gx, gy), f(v))([f(xi.map((p) => p[0]!)), f(xi.map((p) => p[1]!))]),
  );
  assertClose(await onBackend("cpu", () => out.toArray()), expect, "float32", 2e-5, 2e-5);
});

test("scipy.fft refuses bad input, naming it: a type other than 2, norm forward, complex input, a zero length, s longer than the rank, s and axes of different lengths, an unknown option", () => {
  onBackend("cpu", () => {
    const x = np.ones([3, 4]);
    refuses(() => dct(x, 3), /scipy\.fft\.dct: only DCT type 2 is implemented \(as JAX's\), got type 3/);
    refuses(() => idctn(x, { type: 1 }), /scipy\.fft\.idctn: only DCT type 2 is implemented/);
    refuses(() => dct(x, { norm: "forward" as never }), /scipy\.fft\.dct: norm "forward" is not implemented/);
    refuses(() => dct(lax.complex(x, x) as never), /scipy\.fft\.dct: the input must be real, got complex64/);
    refuses(() => idct(x, { n: 0 }), /scipy\.fft\.idct: the transform length must be a whole number ≥ 1, got 0/);
    refuses(() => dctn(x, { s: [2, 2, 2] }), /scipy\.fft\.dctn: s must have at most x\.ndim \(2\) elements, got 3/);
    refuses(() => dctn(x, { s: [2, 2], axes: [0] }), /scipy\.fft\.dctn: s has 2 sizes but there are 1 axes/);
    refuses(() => dct(x, { axes: 0 } as never), /scipy\.fft\.dct: unknown option "axes": did you mean "axis"\?/);
  });
});

test("scipy.integrate.trapezoid refuses an unknown option, naming the one it meant", () => {
  onBackend("cpu", () => {
    refuses(
      () => trapezoid(np.ones([4]), { dX: 0.5 } as never),
      /scipy\.integrate\.trapezoid: unknown option "dX": did you mean "dx"\?/,
    );
  });
});

test("scipy.cluster.vq.vq refuses different ranks, more than 2 axes and different feature counts, naming the shapes", () => {
  onBackend("cpu", () => {
    refuses(
      () => vq(np.ones([4, 2]), np.ones([3])),
      /vq: obs and code_book must have the same rank, got float32\[4,2\] and float32\[3\]/,
    );
    refuses(() => vq(np.ones([4, 2, 1]), np.ones([3, 2, 1])), /vq: obs and code_book must be 1-D or 2-D/);
    refuses(() => vq(np.ones([4, 2]), np.ones([3, 5])), /vq: observations have 2 features but codes have 5/);
  });
});

test("RegularGridInterpolator refuses an unknown method (built or called), bounds_error true, more point arrays than value axes, a grid axis of the wrong length, and xi of the wrong dimension", () => {
  onBackend("cpu", () => {
    const g = [np.array([0, 1, 2]), np.array([0, 1])];
    const v = np.ones([3, 2]);
    refuses(
      () => RegularGridInterpolator(g, v, "cubic" as never),
      /RegularGridInterpolator: method "cubic" is not defined/,
    );
    refuses(() => RegularGridInterpolator(g, v)(np.ones([1, 2]), "spline" as never), /method "spline" is not defined/);
    refuses(() => RegularGridInterpolator(g, v, "linear", true), /bounds_error true is not supported \(as JAX's/);
    refuses(
      () => RegularGridInterpolator([...g, np.array([0, 1])], v),
      /there are 3 point arrays, but values has 2 dimensions/,
    );
    refuses(
      () => RegularGridInterpolator([np.array([0, 1]), g[1]!], v),
      /points\[0\] must be 1-D with values\.shape\[0\] = 3/,
    );
    refuses(
      () => RegularGridInterpolator(g, v)(np.ones([4, 3])),
      /the requested sample points xi have dimension 3, but this RegularGridInterpolator has dimension 2/,
    );
  });
});
