// The image namespace against JAX (scripts/jax/run_jax_image.py wrote test/fixtures/jax/image.json):
// image.resize with every method (nearest, linear, cubic, cubic-pytorch, lanczos3, lanczos5, area),
// up and down, with and without antialias, on an NHWC batch and a 1-D signal, an int32 signal by
// nearest; scale_and_translate with a shift; the gradient of a bilinear upsampling. Each on the
// CPU reference, on WebGPU and under jit on WebGPU (harness.ts opCases). Then the shape of the
// work (one matmul per resized axis) and bad input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, image, jit } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxOpCase } = fixtureCases("image");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const tol = { rtol: 1e-5, atol: 2e-6 }; // weights in double here, float32 in JAX
const METHODS = ["nearest", "linear", "cubic", "lanczos3", "lanczos5", "area", "cubic-pytorch"] as const;

const cases: OpCase[] = [
  ...METHODS.flatMap((m) => [
    jaxOpCase(`up_${m}`, (x) => image.resize(f(x), [2, 8, 9, 3], m), tol),
    jaxOpCase(`down_${m}`, (x) => image.resize(f(x), [2, 3, 4, 3], m), tol),
  ]),
  ...(["linear", "cubic", "lanczos3", "cubic-pytorch"] as const).map((m) =>
    jaxOpCase(`down_${m}_no_antialias`, (x) => image.resize(f(x), [2, 3, 4, 3], m, { antialias: false }), tol),
  ),
  jaxOpCase("mixed_linear", (x) => image.resize(f(x), [2, 10, 3, 3], "bilinear"), tol),
  jaxOpCase("signal_linear_up", (x) => image.resize(f(x), [12], "linear"), tol),
  jaxOpCase("signal_nearest_down", (x) => image.resize(f(x), [3], "nearest")),
  jaxOpCase("signal_int_nearest", (x) => image.resize(np.array(x as never, { dtype: "int32" }), [10], "nearest"), {
    dtype: "int32",
  }),
  jaxOpCase(
    "scale_and_translate",
    (x) => image.scale_and_translate(f(x), [2, 7, 6, 3], [1, 2], [1.5, 1.0], [0.5, -1.0], "linear"),
    tol,
  ),
  jaxOpCase(
    "scale_and_translate_cubic_down",
    (x) => image.scale_and_translate(f(x), [2, 4, 4, 3], [1, 2], [0.6, 0.7], [0.2, 0], "cubic"),
    tol,
  ),
  jaxOpCase(
    "grad_bilinear",
    (x, w) => grad((v: Tracer) => np.sum(np.multiply(image.resize(v, [2, 8, 9, 3], "bilinear"), f(w))))(f(x)) as Tracer,
    tol,
  ),
];
opCases("image", cases);

test("a jitted bilinear resize is one matmul kernel per resized axis of a 2-D image, and at most two of an NHWC batch's middle axes", async () => {
  const kernelsOf = async (shape: number[], to: number[]) =>
    (
      await onBackend("cpu", () => jit((x: Tracer) => image.resize(x, to, "bilinear")).lower(np.ones(shape)))
    ).kernels.map((k) => k.ops.join("+"));
  const plane = await kernelsOf([8, 8], [16, 12]);
  assert.equal(plane.length, 2, plane.join(", "));
  assert.ok(
    plane.every((k) => k.includes("matmul") && !k.includes("transpose")),
    plane.join(", "),
  );
  const batch = await kernelsOf([2, 8, 8, 3], [2, 16, 16, 3]);
  assert.equal(batch.filter((k) => k.includes("matmul")).length, 2, batch.join(", "));
  assert.ok(batch.length <= 4 && !batch.some((k) => k.includes("transpose")), batch.join(", "));
});

test("image refuses bad input, naming it: an unknown method, a shape of the wrong rank, scale_and_translate's counts and a changed axis outside spatial_dims", () => {
  onBackend("cpu", () => {
    refuses(() => image.resize(f([1, 2]), [4], "gaussian" as never), /image: unknown resize method "gaussian"/);
    refuses(
      () => image.resize(f([[1, 2]]), [4], "linear"),
      /image\.resize: shape must give a size ≥ 0 for each of the image's 2 axes/,
    );
    refuses(
      () => image.scale_and_translate(f([[1, 2]]), [1, 4], [1], [2, 3], [0], "linear"),
      /image\.scale_and_translate: give one scale and one translation per spatial dim \(1\), got 2 and 1/,
    );
    refuses(
      () => image.scale_and_translate(f([[1, 2]]), [3, 4], [1], [2], [0], "linear"),
      /image\.scale_and_translate: axis 0 is not in spatial_dims, so its size must stay 1, got 3/,
    );
  });
});
