// scipy.signal against JAX (scripts/jax/run_jax_scipy_signal.py wrote
// test/fixtures/jax/scipy_signal.json): convolve and correlate in 1-D, 2-D and 3-D in every mode,
// the larger input first or second; convolve2d and correlate2d (JAX's orientation when in2 is the
// larger, equal shapes in "valid"); a gradient through convolve2d in both inputs. Each on the CPU
// reference, on WebGPU and under jit on WebGPU (harness.ts opCases). Then bad input.
import { test } from "node:test";
import { grad, scipy } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxOpCase, jaxParts } = fixtureCases("scipy_signal");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const sg = scipy.signal;
const tol = { rtol: 1e-5, atol: 1e-5 };
const MODES = ["full", "same", "valid"] as const;

const cases: OpCase[] = [
  ...MODES.flatMap((m) => [
    jaxOpCase(`convolve_1d_${m}`, (a, b) => sg.convolve(f(a), f(b), m), tol),
    jaxOpCase(`convolve_1d_${m}_small_first`, (a, b) => sg.convolve(f(a), f(b), m), tol),
    jaxOpCase(`correlate_1d_${m}`, (a, b) => sg.correlate(f(a), f(b), m), tol),
    jaxOpCase(`convolve_2d_${m}`, (a, b) => sg.convolve(f(a), f(b), m), tol),
    jaxOpCase(`convolve_3d_${m}`, (a, b) => sg.convolve(f(a), f(b), m), tol),
    jaxOpCase(`correlate_3d_${m}`, (a, b) => sg.correlate(f(a), f(b), m), tol),
    jaxOpCase(`convolve2d_${m}`, (a, b) => sg.convolve2d(f(a), f(b), m), tol),
    jaxOpCase(`correlate2d_${m}`, (a, b) => sg.correlate2d(f(a), f(b), m), tol),
    jaxOpCase(`correlate2d_${m}_small_first`, (a, b) => sg.correlate2d(f(a), f(b), m), tol),
  ]),
  jaxOpCase("correlate2d_valid_same_shape", (a, b) => sg.correlate2d(f(a), f(b), "valid"), tol),
  ...jaxParts(
    "grad_convolve2d",
    2,
    (a, b, w) =>
      grad((x: Tracer, k: Tracer) => np.sum(np.multiply(sg.convolve2d(x, k), f(w))), [0, 1])(f(a), f(b)) as Tracer[],
  ).map((c) => ({ ...c, ...tol })),
];
opCases("scipy.signal", cases);

test("scipy.signal refuses bad input, naming it: a mode, an unknown method, different ranks, inputs neither larger than the other, a 2-D form's boundary and rank", () => {
  onBackend("cpu", () => {
    refuses(
      () => sg.convolve(f([1, 2]), f([1]), "circular" as never),
      /scipy\.signal\.convolve: mode must be "full", "same" or "valid"/,
    );
    refuses(
      () => sg.convolve(f([1, 2]), f([1]), "full", { method: "overlap" as never }),
      /method must be "auto", "direct" or "fft", got "overlap"/,
    );
    refuses(() => sg.convolve(f([1, 2]), f([[1]])), /in1 and in2 must have the same number of axes/);
    refuses(
      () => sg.convolve(np.ones([3, 1]), np.ones([1, 3])),
      /one input must be at least as large as the other along every axis/,
    );
    refuses(
      () => sg.convolve2d(np.ones([3, 3]), np.ones([2, 2]), "full", { boundary: "wrap" as never }),
      /only boundary "fill"/,
    );
    refuses(() => sg.correlate2d(f([1, 2]), f([1])), /scipy\.signal\.correlate2d: needs 2-D inputs/);
  });
});
