// lax.conv_general_dilated_local, lax.conv_with_general_padding and the convolution / window
// shape helpers against JAX (scripts/jax/run_jax_lax_extras.py wrote
// test/fixtures/jax/lax_extras.json): NCHW, NHWC with SAME padding, strides and rhs dilation,
// 1-D with lhs dilation, mixed specs, gradients in lhs and rhs, and a locally connected layer on
// a small NHWC image batch with its loss and the loss's gradient in every weight. Each on the CPU
// reference, on WebGPU and under jit on WebGPU (harness.ts opCases). Then the shape helpers'
// numbers, and bad input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, lax, nn } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxCase, jaxOpCase, jaxParts } = fixtureCases("lax_extras");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const tol = { rtol: 1e-4, atol: 1e-5 };
const NHWC = ["NHWC", "HWIO", "NHWC"] as const;
const nhwcOptions = { rhs_dilation: [1, 2], dimension_numbers: NHWC };
const nhwc = (x: Tracer, w: Tracer) => lax.conv_general_dilated_local(x, w, [2, 1], "SAME", [3, 3], nhwcOptions);

function lcNet(lw: Tracer, lb: Tracer, hw: Tracer, imgs: Tracer, labels: Tracer): Tracer {
  const h = np.add(lax.conv_general_dilated_local(imgs, lw, [1, 1], "VALID", [3, 3], { dimension_numbers: NHWC }), lb);
  const pooled = np.mean(nn.relu(h), [1, 2]);
  return np.negative(np.mean(np.sum(np.multiply(nn.log_softmax(np.matmul(pooled, hw)), labels), -1)));
}

const cases: OpCase[] = [
  jaxOpCase("local_nchw", (x, w) => lax.conv_general_dilated_local(f(x), f(w), [1, 1], "VALID", [3, 2]), tol),
  jaxOpCase("local_nhwc_same", (x, w) => nhwc(f(x), f(w)), tol),
  ...jaxParts(
    "local_nhwc_grad",
    2,
    (x, w, y) =>
      grad((a: Tracer, b: Tracer) => np.sum(np.multiply(np.tanh(nhwc(a, b)), f(y))), [0, 1])(f(x), f(w)) as Tracer[],
  ).map((c) => ({ ...c, ...tol })),
  jaxOpCase(
    "local_1d_lhs_dilation",
    (x, w) =>
      lax.conv_general_dilated_local(f(x), f(w), [1], [[1, 1]], [3], {
        lhs_dilation: [2],
        dimension_numbers: ["NWC", "WIO", "NWC"],
      }),
    tol,
  ),
  jaxOpCase(
    "local_mixed_specs",
    (x, w) =>
      lax.conv_general_dilated_local(f(x), f(w), [1, 2], "VALID", [2, 2], {
        dimension_numbers: ["NCHW", "OIWH", "NCWH"],
      }),
    tol,
  ),
  jaxOpCase(
    "lc_layer_forward",
    (imgs, lw) => lax.conv_general_dilated_local(f(imgs), f(lw), [1, 1], "VALID", [3, 3], { dimension_numbers: NHWC }),
    { ...tol, title: "a locally connected layer on an NHWC image batch (4×6×6×2, 3×3 windows, 4 channels)" },
  ),
  jaxOpCase("lc_layer_loss", (imgs, lw, lb, hw, y) => lcNet(f(lw), f(lb), f(hw), f(imgs), f(y)), tol),
  ...jaxParts(
    "lc_layer_grad",
    3,
    (imgs, lw, lb, hw, y) =>
      grad((a: Tracer, b: Tracer, c: Tracer) => lcNet(a, b, c, f(imgs), f(y)), [0, 1, 2])(
        f(lw),
        f(lb),
        f(hw),
      ) as Tracer[],
  ).map((c) => ({ ...c, ...tol })),
  jaxOpCase(
    "conv_general_padding",
    (x, w) =>
      lax.conv_with_general_padding(
        f(x),
        f(w),
        [1, 1],
        [
          [1, 0],
          [0, 2],
        ],
        [2, 1],
        [1, 2],
        { precision: lax.Precision.HIGHEST },
      ),
    tol,
  ),
];
opCases("lax.conv_general_dilated_local", cases);

test("lax.conv_general_dilated_local takes conv_dimension_numbers' indices as it takes letter specs", async () => {
  await onBackend("cpu", async () => {
    const { inputs, expect } = jaxCase("local_nhwc_same");
    const dn = lax.conv_dimension_numbers([2, 7, 6, 2], [1, 1, 3, 3], NHWC);
    const out = lax.conv_general_dilated_local(f(inputs[0]!), f(inputs[1]!), [2, 1], "SAME", [3, 3], {
      rhs_dilation: [1, 2],
      dimension_numbers: dn,
    });
    assert.deepEqual(out.shape, [2, 4, 6, 3]);
    assertClose(Array.from(await out.data()), (expect as Nested[]).flat(3) as Nested, "float32", 1e-4, 1e-5);
  });
});

test("the shape helpers give JAX's numbers: conv_shape_tuple, conv_general_shape_tuple, conv_transpose_shape_tuple, conv_dimension_numbers, conv_general_permutations, padtype_to_pads, reduce_window_shape_tuple", () => {
  const want = (id: string) => jaxCase(id).expect;
  const dn = ["NHWC", "HWIO", "NHWC"] as const;
  assert.deepEqual(lax.conv_shape_tuple([2, 3, 9, 8], [4, 3, 3, 2], [2, 3], "SAME"), want("shape_conv"));
  const pads: [number, number][] = [
    [1, 2],
    [0, -1],
  ];
  assert.deepEqual(lax.conv_shape_tuple([6, 3, 9, 8], [4, 3, 3, 2], [1, 2], pads, 3), want("shape_conv_pads"));
  assert.deepEqual(
    lax.conv_general_shape_tuple([2, 9, 8, 3], [3, 2, 3, 4], [2, 1], "VALID", dn),
    want("shape_conv_general"),
  );
  assert.deepEqual(
    lax.conv_transpose_shape_tuple([2, 5, 4, 3], [3, 3, 3, 7], [2, 2], "SAME", dn),
    want("shape_conv_transpose_same"),
  );
  assert.deepEqual(
    lax.conv_transpose_shape_tuple([2, 5, 4, 3], [3, 1, 3, 7], [2, 3], "VALID", dn),
    want("shape_conv_transpose_valid"),
  );
  const tpads: [number, number][] = [
    [1, 2],
    [0, 0],
  ];
  assert.deepEqual(
    lax.conv_transpose_shape_tuple([2, 5, 4, 3], [3, 1, 3, 7], [1, 2], tpads, dn),
    want("shape_conv_transpose_pads"),
  );
  const cdn = lax.conv_dimension_numbers([2, 9, 8, 3], [3, 2, 3, 4], dn);
  assert.deepEqual([cdn.lhs_spec, cdn.rhs_spec, cdn.out_spec], want("shape_conv_dn"));
  const idn = lax.conv_dimension_numbers([2, 3, 9, 8], [4, 3, 3, 2], null);
  assert.deepEqual([idn.lhs_spec, idn.rhs_spec, idn.out_spec], want("shape_conv_dn_none"));
  assert.deepEqual(lax.conv_general_permutations(["NCWH", "WHIO", "NHWC"]), want("shape_perms"));
  assert.deepEqual(lax.padtype_to_pads([9, 8, 1], [3, 4, 2], [2, 3, 1], "SAME"), want("pads_same"));
  assert.deepEqual(lax.padtype_to_pads([9, 8, 1], [3, 4, 2], [2, 3, 1], "SAME_LOWER"), want("pads_same_lower"));
  assert.deepEqual(lax.padtype_to_pads([9, 8], [3, 4], [2, 3], "VALID"), want("pads_valid"));
  const wpads: [number, number][] = [
    [0, 0],
    [1, 1],
    [0, 1],
  ];
  assert.deepEqual(lax.reduce_window_shape_tuple([2, 9, 8], [1, 3, 2], [1, 2, 2], wpads), want("shape_reduce_window"));
  assert.deepEqual(
    lax.reduce_window_shape_tuple([2, 9, 8], [1, 3, 2], [1, 2, 2], wpads, [1, 2, 1], [1, 1, 3]),
    want("shape_reduce_window_dilated"),
  );
  assert.deepEqual(lax.ConvDimensionNumbers([0, 3, 1, 2], [3, 2, 0, 1], [0, 3, 1, 2]).rhs_spec, [3, 2, 0, 1]);
});

test("lax.conv_general_dilated_local and the shape helpers refuse bad input, naming it: kernel shape, rank, precision preset, specs, padding names, pads count", () => {
  onBackend("cpu", () => {
    const x = np.ones([1, 2, 5, 5]);
    refuses(
      () => lax.conv_general_dilated_local(x, np.ones([3, 18, 2, 3]), [1, 1], "VALID", [3, 3]),
      /conv_general_dilated_local: rhs float32\[3,18,2,3\] needs its spatial axes equal to the output's \[3, 3\]/,
    );
    refuses(
      () => lax.conv_general_dilated_local(x, np.ones([3, 17, 3, 3]), [1, 1], "VALID", [3, 3]),
      /spatial axes equal to the output's \[3, 3\] and its I axis equal to C · prod\(filter_shape\) = 18/,
    );
    refuses(() => lax.conv_general_dilated_local(x, np.ones([3, 18, 3]), [1, 1], "VALID", [3, 3]), /need one rank/);
    refuses(
      () =>
        lax.conv_general_dilated_local(x, np.ones([3, 18, 3, 3]), [1, 1], "VALID", [3, 3], {
          precision: lax.DotAlgorithmPreset.F32_F32_F32,
        }),
      /precision must be null, a lax.Precision or a pair of them, got "F32_F32_F32"/,
    );
    refuses(
      () =>
        lax.conv_with_general_padding(x, np.ones([3, 2, 3, 3]), [1, 1], "VALID", null, null, {
          precision: "FAST" as never,
        }),
      /conv_with_general_padding: precision must be null, a lax.Precision/,
    );
  });
  assert.throws(
    () => lax.conv_general_permutations(["NHWC", "HWIO", "NHW"]),
    /dimension_numbers\[2\] must contain "N" and "C"/,
  );
  assert.throws(() => lax.conv_general_permutations(["NHWC", "HDIO", "NHWC"]), /must name the same spatial letters/);
  assert.throws(
    () => lax.padtype_to_pads([4], [2], [1], "FULL" as never),
    /padding must be "VALID", "SAME" or "SAME_LOWER", got "FULL"/,
  );
  assert.throws(
    () => lax.conv_shape_tuple([1, 1, 4, 4], [1, 1, 2, 2], [1, 1], [[0, 0]]),
    /expected 2 explicit \[low, high\] pads/,
  );
  assert.throws(() => lax.conv_dimension_numbers([1, 1, 4], [1, 1, 4, 4], null), /lhs and rhs need one rank/);
});
