// scipy.ndimage.map_coordinates against JAX (scripts/jax/run_jax_ndimage.py wrote
// test/fixtures/jax/ndimage.json): orders 0 and 1 with every mode (constant with a cval, nearest,
// wrap, mirror, reflect) at coordinates inside, between and outside the pixels, halves included;
// 1-D and 3-D inputs; an int32 image; gradients in the input and the coordinates. Each on the CPU
// reference, on WebGPU and under jit on WebGPU (harness.ts opCases). Then bad input.
import { test } from "node:test";
import { grad, scipy } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxOpCase, jaxParts } = fixtureCases("ndimage");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const nd = scipy.ndimage;
const tol = { rtol: 1e-5, atol: 1e-5 };
const MODES = ["constant", "nearest", "wrap", "mirror", "reflect"] as const;

const cases: OpCase[] = [
  ...([0, 1] as const).flatMap((order) =>
    MODES.map((mode) =>
      jaxOpCase(`order${order}_${mode}`, (x, r, c) => nd.map_coordinates(f(x), [f(r), f(c)], order, mode, -1), tol),
    ),
  ),
  jaxOpCase("signal_linear_reflect", (x, a) => nd.map_coordinates(f(x), [f(a)], 1, "reflect"), tol),
  jaxOpCase("volume_linear", (x, a, b, c) => nd.map_coordinates(f(x), [f(a), f(b), f(c)], 1), tol),
  jaxOpCase(
    "int_linear",
    (x, r, c) => nd.map_coordinates(np.array(x as never, { dtype: "int32" }), [f(r), f(c)], 1, "nearest"),
    { dtype: "int32" },
  ),
  jaxOpCase(
    "grad_input",
    (x, r, c) => grad((v: Tracer) => np.sum(nd.map_coordinates(v, [f(r), f(c)], 1, "mirror")))(f(x)) as Tracer,
    tol,
  ),
  ...jaxParts(
    "grad_coords",
    2,
    (x, r, c) =>
      grad((a: Tracer, b: Tracer) => np.sum(nd.map_coordinates(f(x), [a, b], 1, "nearest")), [0, 1])(
        f(r),
        f(c),
      ) as Tracer[],
  ).map((c) => ({ ...c, ...tol })),
];
opCases("scipy.ndimage", cases);

test("map_coordinates refuses bad input, naming it: a coordinate list of the wrong length, order 3, an unknown mode", () => {
  onBackend("cpu", () => {
    refuses(
      () => nd.map_coordinates(np.ones([2, 2]), [f([0])], 1),
      /scipy\.ndimage\.map_coordinates: coordinates must be a list of 2 arrays/,
    );
    refuses(() => nd.map_coordinates(np.ones([2]), [f([0])], 3 as never), /order must be 0 or 1/);
    refuses(() => nd.map_coordinates(np.ones([2]), [f([0])], 1, "grid-wrap" as never), /mode must be "constant"/);
  });
});
