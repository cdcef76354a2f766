// lax.linalg and scipy.linalg's LU pair against JAX (scripts/jax/run_jax_lax_linalg.py wrote
// test/fixtures/jax/lax_linalg.json): lu's [lu, pivots, permutation] (pivots that repeat a row,
// none at all, a batch); lu_pivots_to_permutation; lu_factor / lu_solve for a vector, several
// columns, the transpose, a batch and the gradient; triangular_solve on either side; cholesky
// with and without symmetrising; qr, eigh's [v, w], svd; tridiagonal_solve and its gradient in
// every diagonal. Each on the CPU reference, on WebGPU and under jit on WebGPU (harness.ts
// opCases). Then bad input, named.
import { test } from "node:test";
import { grad, lax, make_jaxpr, scipy } from "../../../runtime/src/index.js";
import assert from "node:assert/strict";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxCase, jaxOpCase, jaxParts } = fixtureCases("lax_linalg");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const i32 = (v: Nested): Tracer => np.array(v as never, { dtype: "int32" });
const tol = { rtol: 1e-4, atol: 1e-5 };
const { lu_factor, lu_solve } = scipy.linalg;
const L = lax.linalg;

const close = (c: OpCase): OpCase => ({ ...c, rtol: 1e-4, atol: 1e-5 });
const cases: OpCase[] = [
  ...["lu_5", "lu_batch", "lu_no_swap", "lu_repeat"].flatMap((id) =>
    jaxParts(id, ["float32", "int32", "int32"], (m) => L.lu(f(m))).map(close),
  ),
  jaxOpCase("pivots_to_perm", (p) => L.lu_pivots_to_permutation(i32(p), 5), { dtype: "int32" }),
  ...jaxParts("lu_factor", ["float32", "int32"], (m) => lu_factor(f(m))).map(close),
  jaxOpCase("lu_solve_vector", (m, b) => lu_solve(lu_factor(f(m)), f(b)), tol),
  jaxOpCase("lu_solve_matrix", (m, b) => lu_solve(lu_factor(f(m)), f(b)), tol),
  // JAX's own factors, so that the pivots are converted back by the loop rather than known.
  jaxOpCase(
    "lu_solve_matrix",
    (_m, b) => lu_solve([f(jaxCase("lu_factor_0").expect), i32(jaxCase("lu_factor_1").expect)], f(b)),
    { ...tol, title: "lu_solve_matrix from JAX's [lu, piv]" },
  ),
  jaxOpCase("lu_solve_trans", (m, b) => lu_solve(lu_factor(f(m)), f(b), 1), tol),
  jaxOpCase("lu_solve_batch", (m, b) => lu_solve(lu_factor(f(m)), f(b)), tol),
  ...jaxParts("grad_lu_solve", 2, (m, b, w) =>
    grad((mm: Tracer, bb: Tracer) => np.sum(np.multiply(lu_solve(lu_factor(mm), bb), f(w))), [0, 1])(f(m), f(b)),
  ).map(close),
  jaxOpCase("tri_left_lower", (a, b) => L.triangular_solve(f(a), f(b), { left_side: true, lower: true }), tol),
  jaxOpCase("tri_right_upper", (a, b) => L.triangular_solve(f(a), f(b)), tol),
  jaxOpCase("tri_right_lower_trans", (a, b) => L.triangular_solve(f(a), f(b), { lower: true, transpose_a: true }), tol),
  jaxOpCase(
    "tri_left_unit",
    (a, b) => L.triangular_solve(f(a), f(b), { left_side: true, lower: true, unit_diagonal: true }),
    tol,
  ),
  jaxOpCase("cholesky", (a) => L.cholesky(f(a)), tol),
  jaxOpCase("cholesky_lower_only", (a) => L.cholesky(f(a), { symmetrize_input: false }), tol),
  jaxOpCase("qr_complete_r_abs", (a) => np.abs(L.qr(f(a))[1]), tol),
  jaxOpCase("qr_complete_q_abs", (a) => np.abs(L.qr(f(a))[0]), tol),
  jaxOpCase(
    "qr_reduced_product",
    (a) => {
      const [q, r] = L.qr(f(a), { full_matrices: false });
      return np.matmul(q, r);
    },
    tol,
  ),
  jaxOpCase("eigh_w", (a) => L.eigh(f(a))[1], tol),
  jaxOpCase("eigh_v_abs", (a) => np.abs(L.eigh(f(a))[0]), tol),
  jaxOpCase("svd_s", (a) => L.svd(f(a), { compute_uv: false }) as Tracer, tol),
  jaxOpCase("tridiagonal", (l, d, u, b) => L.tridiagonal_solve(f(l), f(d), f(u), f(b)), tol),
  jaxOpCase("tridiagonal_batch", (l, d, u, b) => L.tridiagonal_solve(f(l), f(d), f(u), f(b)), tol),
  jaxOpCase("poisson_1d", (l, d, u, b) => L.tridiagonal_solve(f(l), f(d), f(u), f(b)), tol),
  ...jaxParts("grad_tridiagonal", 4, (l, d, u, b, w) =>
    grad(
      (ll: Tracer, dd: Tracer, uu: Tracer, bb: Tracer) =>
        np.sum(np.multiply(L.tridiagonal_solve(ll, dd, uu, bb), f(w))),
      [0, 1, 2, 3],
    )(f(l), f(d), f(u), f(b)),
  ).map(close),
];
opCases("lax.linalg and scipy.linalg.lu_factor / lu_solve", cases);

test("lu_solve, triangular_solve and tridiagonal_solve refuse mismatched shapes and dtypes, naming them", () => {
  onBackend("cpu", () => {
    const a = np.eye(3);
    refuses(
      () => lu_solve([a, np.array([0, 1, 2], { dtype: "float32" })], np.ones([3])),
      /scipy\.linalg\.lu_solve: piv must be int32 \[\.\.\., 3\] to match lu float32\[3,3\], got float32\[3\]/,
    );
    refuses(
      () => lu_solve(lu_factor(a), np.ones([4, 2])),
      /scipy\.linalg\.lu_solve: b must be float32 \[\.\.\., 3\] or \[\.\.\., 3, k\] to match lu float32\[3,3\], got float32\[4,2\]/,
    );
    refuses(() => lu_solve(lu_factor(a), np.ones([3]), 3 as never), /lu_solve: trans must be 0, 1 or 2, got 3/);
    refuses(
      () => L.triangular_solve(a, np.ones([3, 2])),
      /lax\.linalg\.triangular_solve: b must be float32 \[\.\.\., n, 3\] with a's batch axes \(left_side: false\) to match a float32\[3,3\], got float32\[3,2\]/,
    );
    refuses(
      () => L.tridiagonal_solve(np.ones([4]), np.ones([4]), np.ones([3]), np.ones([4, 1])),
      /lax\.linalg\.tridiagonal_solve: dl, d and du must have one shape \[\.\.\., m\], got float32\[4\], float32\[4\] and float32\[3\]/,
    );
    refuses(
      () => L.tridiagonal_solve(np.ones([4]), np.ones([4]), np.ones([4]), np.ones([4])),
      /tridiagonal_solve: b must be \[4, n\] \(the diagonals' shape and a column axis\), got float32\[4\]/,
    );
    refuses(
      () => L.lu_pivots_to_permutation(np.array([0, 1, 2], { dtype: "int32" }), 2),
      /lu_pivots_to_permutation: permutation_size must be an integer at least the number of pivots \(3\), got 2/,
    );
  });
});

test("lu_solve(lu_factor(a), b) reads the factorisation's permutation: one pivot loop (lu_factor's), not a second to undo it", () => {
  onBackend("cpu", () => {
    const text = String(make_jaxpr((a: Tracer, b: Tracer) => lu_solve(lu_factor(a), b))(np.eye(3), np.ones([3])));
    assert.equal(text.match(/= scan\[/g)?.length, 1, text);
    assert.equal(text.match(/= triangular_solve\[/g)?.length, 2, text);
  });
});
