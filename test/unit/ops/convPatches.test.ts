// lax.conv_general_dilated_patches against JAX (scripts/jax/run_jax_conv_patches.py wrote
// test/fixtures/jax/conv_patches.json): NCHW with a 2×3 window; strides, SAME padding and
// rhs_dilation; NHWC / HWIO specs with explicit padding and lhs_dilation; 1-D; the gradient in
// the input; and the patches times a reshaped weight equal to the convolution by it. Each on the
// CPU reference, on WebGPU and under jit on WebGPU (harness.ts opCases). Then bad input.
import { test } from "node:test";
import { grad, lax } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxOpCase } = fixtureCases("conv_patches");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const tol = { rtol: 1e-5, atol: 1e-5 };
const patches = lax.conv_general_dilated_patches;

const cases: OpCase[] = [
  jaxOpCase("nchw_valid", (x) => patches(f(x), [2, 3], [1, 1], "VALID"), tol),
  jaxOpCase("nchw_same_strided_dilated", (x) => patches(f(x), [2, 2], [2, 1], "SAME", { rhs_dilation: [2, 1] }), tol),
  jaxOpCase(
    "nhwc_padded_lhs_dilated",
    (x) =>
      patches(
        f(x),
        [3, 2],
        [1, 2],
        [
          [1, 0],
          [0, 1],
        ],
        { lhs_dilation: [1, 2], dimension_numbers: ["NHWC", "HWIO", "NHWC"] },
      ),
    tol,
  ),
  jaxOpCase("one_d", (x) => patches(f(x), [3], [2], "VALID"), tol),
  jaxOpCase(
    "grad_lhs",
    (x, w) => grad((a: Tracer) => np.sum(np.multiply(patches(a, [2, 3], [1, 1], "VALID"), f(w))))(f(x)) as Tracer,
    tol,
  ),
  jaxOpCase(
    "patches_matmul_is_conv",
    (x, k) => np.einsum("nphw,op->nohw", patches(f(x), [2, 3], [1, 1], "VALID"), np.reshape(f(k), [4, -1])),
    tol,
  ),
  jaxOpCase("conv_reference", (x, k) => lax.conv_general_dilated(f(x), f(k), [1, 1], "VALID"), tol),
];
opCases("lax.conv_general_dilated_patches", cases);

test("conv_general_dilated_patches refuses a filter_shape of the wrong length or with a zero, naming it", () => {
  onBackend("cpu", () => {
    refuses(
      () => patches(np.ones([1, 2, 4, 4]), [3], [1, 1], "VALID"),
      /lax\.conv_general_dilated_patches: filter_shape needs 2 positive integers \(one per spatial axis of lhs \[1, 2, 4, 4\]\), got \[3\]/,
    );
    refuses(() => patches(np.ones([1, 2, 4, 4]), [0, 2], [1, 1], "VALID"), /filter_shape needs 2 positive integers/);
  });
});
