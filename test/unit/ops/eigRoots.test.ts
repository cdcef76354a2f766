// np.roots, np.poly of a matrix and np.linalg.eigvals of int32 input against JAX
// (scripts/jax/run_jax_eig.py wrote test/fixtures/jax/eig.json), roots matched as a multiset as
// in eigGeneral.test.ts; each on the CPU reference, on WebGPU and under jit on WebGPU. Then bad input.
import { test } from "node:test";
import { grad, jit } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Complex } from "../../../runtime/src/trace/complexValue.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";
import { matched } from "./eigMatch.js";

const { jaxOpCase } = fixtureCases("eig");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const tol = { rtol: 1e-4, atol: 3e-5 };

const cases: OpCase[] = [
  jaxOpCase(
    "eigvals_int",
    (a, re, im) => matched(np.linalg.eigvals(np.array(a as never, { dtype: "int32" })), f(re), f(im)),
    {
      title: "eigvals of int32 input (promoted, as JAX): JAX's eigenvalues",
      ...tol,
    },
  ),
  ...["real", "complex", "mixed", "quintic", "trailing_zeros", "leading_zeros", "linear"].map((r) =>
    jaxOpCase(`roots_${r}`, (p, re, im) => matched(np.roots(p as number[]), f(re), f(im)), {
      title: `roots ${r}: JAX's roots as a multiset`,
      ...tol,
    }),
  ),
  // A double root moves by √(ulp) ≈ 3e-4 under float32 rounding of the coefficients.
  jaxOpCase("roots_repeated", (p, re, im) => matched(np.roots(p as number[]), f(re), f(im)), {
    title: "roots with a double root: JAX's roots within √ulp",
    rtol: 1e-3,
    atol: 2e-3,
  }),
  jaxOpCase("roots_no_strip", (p, re, im) => matched(np.roots(f(p), { strip_zeros: false }), f(re), f(im)), {
    title: "roots strip_zeros false: a leading zero gives a NaN root, the rest JAX's",
    ...tol,
  }),
  jaxOpCase(
    "poly_matrix",
    (a) => {
      const c = np.poly(f(a)) as Complex;
      return np.stack([c.re, c.im], 0);
    },
    { title: "poly of a square matrix: JAX's characteristic polynomial", ...tol },
  ),
];
opCases("np.roots", cases);

test("eig, eigvals, roots refuse bad input, naming it: non-square, rank 1, 2-D coefficients, grad, strip_zeros under jit", () => {
  onBackend("cpu", () => {
    refuses(
      () => np.linalg.eig(np.ones([2, 3])),
      /eig: a must be a square matrix or a batch of them \[\.\.\., n, n\], got float32\[2,3\]/,
    );
    refuses(() => np.linalg.eigvals(np.ones([3])), /eigvals: a must have rank at least 2/);
    refuses(() => np.roots(np.ones([2, 3])), /roots: p must be a rank-1 array of coefficients, got shape \[2,3\]/);
    refuses(
      () => grad((a: Tracer) => np.sum(np.linalg.eigvals(a).re))(np.eye(2)),
      /eigvals: gradients .* are not supported/,
    );
    refuses(
      () => jit((p: Tracer) => np.roots(p).re)(f([1, -3, 2])),
      /roots: strip_zeros \(the default\) needs p's values/,
    );
    refuses(() => np.roots([1, 2], { strip: true } as never), /unknown option/);
  });
});
