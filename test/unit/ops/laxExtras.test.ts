// lax.fft, mulhi, index_take, scatter_apply, ragged_dot_general and composite against JAX
// (scripts/jax/run_jax_lax_extras.py wrote test/fixtures/jax/lax_extras.json), each on the CPU
// reference, on WebGPU and under jit on WebGPU (harness.ts opCases); then platform_dependent's
// choice of branch per backend, Precision / DotAlgorithmPreset accepted as precision, and bad input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, jit, lax } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import type { Complex } from "../../../runtime/src/trace/complexValue.js";
import { complex } from "../../../runtime/src/complex/complexMath.js";
import { onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxOpCase, jaxParts } = fixtureCases("lax_extras");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const i = (v: Nested): Tracer => np.array(v as never, { dtype: "int32" });
const z = (re: Nested, im: Nested): Complex => complex(f(re), f(im));
const tol = { rtol: 1e-4, atol: 1e-4 };
const parts = (c: Complex): Tracer[] => [c.re, c.im];
const scalarDn = lax.ScatterDimensionNumbers({
  update_window_dims: [],
  inserted_window_dims: [0],
  scatter_dims_to_operand_dims: [0],
});
const rowsDn = lax.ScatterDimensionNumbers({
  update_window_dims: [1],
  inserted_window_dims: [0],
  scatter_dims_to_operand_dims: [0],
});
const contract = lax.RaggedDotDimensionNumbers({
  dot_dimension_numbers: [
    [[1], [0]],
    [[], []],
  ],
  lhs_ragged_dimensions: [1],
  rhs_group_dimensions: [],
});
const gelu = lax.composite(
  (v: Tracer) =>
    np.multiply(
      np.multiply(0.5, v),
      np.add(1, np.tanh(np.multiply(0.7978846, np.add(v, np.multiply(0.044715, np.power(v, 3)))))),
    ),
  "my.gelu",
);
const withTol = (cs: OpCase[]) => cs.map((c) => ({ ...c, ...tol }));

const cases: OpCase[] = [
  ...withTol(jaxParts("fft_1d", 2, (re, im) => parts(lax.fft(z(re, im), "FFT", [8])))),
  ...withTol(jaxParts("ifft_2d", 2, (re, im) => parts(lax.fft(z(re, im), lax.FftType.IFFT, [4, 6])))),
  ...withTol(jaxParts("rfft_2d", 2, (r) => parts(lax.fft(f(r), "RFFT", [4, 6])))),
  jaxOpCase("irfft_2d", (re, im) => lax.fft(z(re, im), "IRFFT", [3, 6]), tol),
  ...withTol(jaxParts("fft_real_input", 2, (r) => parts(lax.fft(f(r), "fft", [6])))),
  jaxOpCase(
    "rfft_grad",
    (r) =>
      grad((v: Tracer) => {
        const c = lax.fft(np.multiply(v, v), "RFFT", [8]);
        return np.sum(np.add(np.square(c.re), np.square(c.im)));
      })(f(r)),
    { rtol: 1e-4, atol: 1e-3 },
  ),
  jaxOpCase("mulhi_edges", (a, b) => lax.mulhi(i(a), i(b)), { dtype: "int32" }),
  jaxOpCase("mulhi_random", (a, b) => lax.mulhi(i(a), i(b)), { dtype: "int32" }),
  jaxOpCase("index_take", (s, a, b) => lax.index_take(f(s), [i(a), i(b)], [0, 2])),
  jaxOpCase("index_take_one_axis", (s, c) => lax.index_take(f(s), [i(c)], [1])),
  jaxOpCase("scatter_apply_dupes", (x, s) =>
    lax.scatter_apply(f(x), i(s), (v) => np.add(np.multiply(v, 2), 1), scalarDn, { update_shape: [4] }),
  ),
  jaxOpCase("scatter_apply_clip", (x, s) =>
    lax.scatter_apply(f(x), i(s), (v) => np.add(np.multiply(v, 2), 1), scalarDn, { update_shape: [4], mode: "clip" }),
  ),
  jaxOpCase(
    "scatter_apply_rows",
    (x, s) => lax.scatter_apply(f(x), i(s), np.exp, rowsDn, { update_shape: [2, 3] }),
    tol,
  ),
  jaxOpCase(
    "scatter_apply_int",
    (x, s) => lax.scatter_apply(i(x), i(s), (v) => np.multiply(v, 3), scalarDn, { update_shape: [3] }),
    { dtype: "int32" },
  ),
  jaxOpCase(
    "ragged_general_rows",
    (a, b, g) =>
      lax.ragged_dot_general(
        f(a),
        f(b),
        i(g),
        lax.RaggedDotDimensionNumbers({
          dot_dimension_numbers: [
            [[1], [2]],
            [[], []],
          ],
          lhs_ragged_dimensions: [0],
          rhs_group_dimensions: [0],
        }),
        { precision: lax.Precision.HIGHEST },
      ),
    tol,
  ),
  jaxOpCase("ragged_general_contract", (a, b, g) => lax.ragged_dot_general(f(a), f(b), i(g), contract), tol),
  ...withTol(
    jaxParts(
      "ragged_general_contract_grad",
      2,
      (a, b, g) =>
        grad((x: Tracer, y: Tracer) => np.sum(np.sin(lax.ragged_dot_general(x, y, i(g), contract))), [0, 1])(
          f(a),
          f(b),
        ) as Tracer[],
    ),
  ),
  jaxOpCase("composite_gelu", (x) => gelu(f(x)), tol),
];
opCases("lax extras", cases);

test("lax.platform_dependent calls the cpu branch on the CPU reference and the webgpu branch (else default) on WebGPU, eagerly and under jit", async () => {
  const pick = (x: Tracer) =>
    lax.platform_dependent(x, {
      cpu: (v: Tracer) => np.add(v, 1),
      cuda: (v: Tracer) => np.add(v, 100),
      default: (v: Tracer) => np.add(v, 10),
    });
  const withWebgpu = (x: Tracer) =>
    lax.platform_dependent(x, { webgpu: (v: Tracer) => np.multiply(v, 3), default: (v: Tracer) => v });
  assert.deepEqual(Array.from(await onBackend("cpu", () => pick(f([1, 2]))).data()), [2, 3]);
  assert.deepEqual(Array.from(await onBackend("cpu", () => jit(pick)(f([1, 2]))).data()), [2, 3]);
  assert.deepEqual(Array.from(await onBackend("webgpu", () => pick(f([1, 2]))).data()), [11, 12]);
  assert.deepEqual(Array.from(await onBackend("webgpu", () => jit(pick)(f([1, 2]))).data()), [11, 12]);
  assert.deepEqual(Array.from(await onBackend("webgpu", () => jit(withWebgpu)(f([1, 2]))).data()), [3, 6]);
});

test("lax.composite's ops sit under its name in the jitted graph; its gradient is its decomposition's", async () => {
  const lowered = await onBackend("webgpu", () => jit((x: Tracer) => gelu(x)).lower(f([0.5, -1])));
  const tanh = lowered.program.eqns.find((e) => e.prim === "tanh");
  assert.ok(tanh?.nameStack.includes("my.gelu"), `tanh's scopes: ${tanh?.nameStack.join("/")}`);
  const g = await onBackend("cpu", () => grad((x: Tracer) => np.sum(gelu(x)))(f([0]))).data();
  assert.ok(Math.abs(g[0]! - 0.5) < 1e-6);
});

test("lax.Precision and lax.DotAlgorithmPreset are accepted as precision by ragged_dot, ragged_dot_general and conv_with_general_padding", async () => {
  const out = await onBackend("cpu", () =>
    lax.ragged_dot(np.ones([2, 3]), np.ones([1, 3, 2]), i([2]), { precision: lax.DotAlgorithmPreset.BF16_BF16_F32 }),
  ).data();
  assert.deepEqual(Array.from(out), [3, 3, 3, 3]);
  assert.equal(lax.Precision.HIGH, "HIGH");
  const conv = onBackend("cpu", () =>
    lax.conv_with_general_padding(np.ones([1, 1, 3, 3]), np.ones([1, 1, 2, 2]), [1, 1], "VALID", null, null, {
      precision: [lax.Precision.HIGHEST, lax.Precision.DEFAULT],
    }),
  );
  assert.deepEqual(conv.shape, [1, 1, 2, 2]);
});

test("lax.dot_general, lax.dot and lax.conv_general_dilated take JAX's precision and a ConvDimensionNumbers, with the same values", async () => {
  const [dg, d, conv, convDn] = await onBackend("cpu", async () => {
    const a = np.array([
      [1, 2],
      [3, 4],
    ]);
    const b = np.array([
      [5, 6],
      [7, 8],
    ]);
    const x = np.reshape(np.arange(2 * 4 * 4 * 3), [2, 4, 4, 3]).astype("float32");
    const w = np.reshape(np.arange(3 * 3 * 3 * 2), [3, 3, 3, 2]).astype("float32");
    const nhwc = ["NHWC", "HWIO", "NHWC"] as const;
    return Promise.all([
      lax
        .dot_general(
          a,
          b,
          [
            [[1], [0]],
            [[], []],
          ],
          { precision: lax.Precision.HIGHEST, preferred_element_type: "float32" },
        )
        .data(),
      lax.dot(a, b, { precision: [lax.Precision.HIGH, lax.Precision.DEFAULT] }).data(),
      lax.conv_general_dilated(x, w, [1, 1], "SAME", { dimension_numbers: nhwc, precision: "highest" }).data(),
      lax
        .conv_general_dilated(x, w, [1, 1], "SAME", {
          dimension_numbers: lax.conv_dimension_numbers(x.shape, w.shape, nhwc),
        })
        .data(),
    ]);
  });
  assert.deepEqual(Array.from(dg), [19, 22, 43, 50]);
  assert.deepEqual(Array.from(d), [19, 22, 43, 50]);
  assert.deepEqual(Array.from(convDn), Array.from(conv), "the axis-index form gives the letter form's result");
  onBackend("cpu", () => {
    refuses(
      () => lax.dot(np.ones([2]), np.ones([2]), { precision: "FAST" as never }),
      /lax\.dot: precision must be null, a lax\.Precision/,
    );
    refuses(
      () =>
        lax.dot_general(
          np.ones([2, 2]),
          np.ones([2, 2]),
          [
            [[1], [0]],
            [[], []],
          ],
          { preferred_element_type: "int32" },
        ),
      /lax\.dot_general: preferred_element_type int32 differs from the operands' float32/,
    );
    refuses(
      () =>
        lax.conv_general_dilated(np.ones([1, 1, 3, 3]), np.ones([1, 1, 2, 2]), [1, 1], "VALID", {
          precision: 3 as never,
        }),
      /lax\.conv_general_dilated: precision must be null/,
    );
  });
});

test("lax.fft, mulhi, index_take, scatter_apply, ragged_dot_general, platform_dependent, composite and rng_uniform refuse bad input, naming it", () => {
  onBackend("cpu", () => {
    refuses(
      () => lax.fft(np.ones([3, 4]), "FFT", [3]),
      /lax\.fft: FFT input shape \[3, 4\] minor dimensions must be equal to fft_lengths/,
    );
    refuses(() => lax.fft(z([1, 2], [0, 1]), "RFFT", [2]), /only real inputs are supported for RFFT/);
    refuses(() => lax.fft(np.ones([4]), "DCT" as never, [4]), /unknown FFT type "DCT"/);
    refuses(() => lax.fft(np.ones([4]), "FFT", [2, 2]), /at least as many dimensions as fft_lengths/);
    refuses(
      () => lax.mulhi(np.ones([2]), i([1, 2])),
      /lax\.mulhi: operand 0 must be an integer array \(int32\), got float32\[2\]/,
    );
    refuses(() => lax.index_take(np.ones([3, 3]), [i([0])], [0, 1]), /one index array per axis/);
    refuses(() => lax.index_take(np.ones([3, 3]), [f([0])], [0]), /idxs must be 1-D integer arrays/);
    refuses(
      () => lax.scatter_apply(np.ones([4]), i([[1]]), (v) => np.greater(v, 0), scalarDn, { update_shape: [1] }),
      /scatter_apply: func must map one float32 element to one float32 element/,
    );
    const batched = lax.RaggedDotDimensionNumbers({
      dot_dimension_numbers: [
        [[2], [1]],
        [[0], [0]],
      ],
      lhs_ragged_dimensions: [1],
      rhs_group_dimensions: [],
    });
    refuses(
      () => lax.ragged_dot_general(np.ones([2, 4, 3]), np.ones([2, 3, 5]), i([2, 2]), batched),
      /ragged_dot_general: a batch dimension is not supported/,
    );
    refuses(
      () => lax.platform_dependent(1, { gpu: (v: number) => v }),
      /use 'webgpu' \(or JAX's 'cuda' \/ 'rocm'\) instead of 'gpu'/,
    );
    refuses(
      () => lax.platform_dependent(1, { tpu: (v: number) => v }),
      /no branch for the platform 'cpu' and no default/,
    );
    refuses(() => lax.platform_dependent(1, { cpu: 3 as never }), /the 'cpu' branch must be a function/);
    refuses(() => lax.composite((v: Tracer) => v, ""), /composite: name must be a non-empty string/);
    refuses(() => lax.rng_uniform(0, 1, [3]), /rng_uniform: not supported .* use random\.uniform\(key, shape/);
    refuses(
      () => lax.ragged_dot_general(np.ones([2, 3]), np.ones([3, 2]), i([3]), contract, { precision: "FAST" as never }),
      /precision must be null, a lax\.Precision/,
    );
  });
});
