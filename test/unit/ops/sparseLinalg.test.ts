// scipy.sparse.linalg against JAX (scripts/jax/run_jax_sparse_linalg.py wrote
// test/fixtures/jax/sparse_linalg.json): cg, gmres (batched and incremental) and bicgstab on a
// 16×16 Poisson problem with a matrix-free stencil, a dense SPD matrix (Jacobi-preconditioned,
// with x0, with atol), a nonsymmetric diagonally dominant matrix (restart 5 < n, preconditioned,
// x0), a dict right-hand side, maxiter stopping early (JAX's partial iterates), gradients in b, in
// the matrix and in a shift the stencil closes over, and vmap over right-hand sides. Each on the
// CPU reference, on WebGPU and under jit on WebGPU (harness.ts opCases). Then: the solutions
// satisfy A x ≈ b, computed here in float64, and bad input is refused by name.
//
// Tolerances: our iterations are JAX's, step for step, in float32; they differ only by the order
// of float32 sums (~1e-6 relative on the CPU reference). 1e-4 relative (atol 1e-5 on entries of
// order 1) leaves room for WebGPU's reduction order; early-stopped cases use systems with
// eigenvalues in [1, 2], whose few iterates do not amplify rounding. BiCGSTAB on the Poisson
// problem is looser (see its case).
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, jvp, make_jaxpr, scipy, vmap } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

type T = Tracer;
const { jaxCase, jaxOpCase, jaxParts } = fixtureCases("sparse_linalg");
const f = (v: Nested): T => np.array(v as never, { dtype: "float32" });
const sl = scipy.sparse.linalg;
const tol = { rtol: 1e-4, atol: 1e-5 };
const withTol = (cs: OpCase[]) => cs.map((c) => ({ ...c, ...tol }));

/** The 5-point Laplacian on a 16×16 grid with zero boundary, plus shift·u: a function A. */
function stencil(u: T, shift: T | number = 0): T {
  const p = np.pad(u, 1);
  const at = (r: number, c: number) => np.slice(p, [r, c], [r + 16, c + 16]);
  const centre = np.multiply(np.add(4, shift), u);
  return np.subtract(np.subtract(np.subtract(np.subtract(centre, at(0, 1)), at(2, 1)), at(1, 0)), at(1, 2));
}
const jacobiOf = (A: T) => (v: T) => np.divide(v, np.diagonal(A));
const loss = (w: Nested, x: T) => np.sum(np.multiply(f(w), x));

/** The coupled block operator of the dict case: {a: A1 a + C b, b: Cᵀ a + A2 b}. */
const block = (A1: T, A2: T, C: T) => (t: { a: T; b: T }) => ({
  a: np.add(np.matmul(A1, t.a), np.matmul(C, t.b)),
  b: np.add(np.matmul(np.transpose(C), t.a), np.matmul(A2, t.b)),
});
const treeCase = (name: string, solve: typeof sl.cg) =>
  withTol(
    jaxParts(`tree_${name}`, 2, (A1, A2, C, a, b) => {
      const [x] = solve(block(f(A1), f(A2), f(C)), { a: f(a), b: f(b) });
      return [x.a, x.b];
    }),
  );

const cases: OpCase[] = [
  jaxOpCase("poisson_cg", (b) => sl.cg(stencil, f(b))[0], tol),
  jaxOpCase("poisson_gmres", (b) => sl.gmres(stencil, f(b), { restart: 30 })[0], tol),
  // BiCGSTAB's residuals on this symmetric problem are erratic, so rounding moves where it stops:
  // two runs that both meet ‖r‖ ≤ 1e-5‖b‖ may differ by up to ‖A⁻¹‖·2e-5‖b‖ ≈ 15·2e-5·16 ≈ 5e-3
  // (2-norm); they differ by ~1e-4 per entry.
  jaxOpCase("poisson_bicgstab", (b) => sl.bicgstab(stencil, f(b))[0], { rtol: 0, atol: 1e-3 }),
  ...withTol(
    jaxParts("poisson_cg_grad", 2, (b, w, s) => {
      const g = grad((bb: T, sh: T) => loss(w, sl.cg((u: T) => stencil(u, sh), bb)[0]), [0, 1]);
      return g(f(b), f(s)) as T[];
    }),
  ),
  jaxOpCase("spd_cg", (A, b) => sl.cg(f(A), f(b))[0], tol),
  jaxOpCase("spd_cg_jacobi", (A, b, M) => sl.cg(f(A), f(b), { M: f(M) })[0], tol),
  jaxOpCase("spd_cg_x0", (A, b, x0) => sl.cg(f(A), f(b), f(x0), { tol: 1e-6 })[0], tol),
  jaxOpCase("spd_cg_atol", (A, b) => sl.cg(f(A), f(b), null, { tol: 0, atol: 1e-3 })[0], tol),
  ...withTol(
    jaxParts("spd_cg_grad", 2, (A, b, w) => grad((a: T, bb: T) => loss(w, sl.cg(a, bb)[0]), [0, 1])(f(A), f(b)) as T[]),
  ),
  jaxOpCase("ns_gmres_batched", (A, b) => sl.gmres(f(A), f(b), { restart: 5, solve_method: "batched" })[0], tol),
  jaxOpCase(
    "ns_gmres_incremental",
    (A, b) => sl.gmres(f(A), f(b), { restart: 5, solve_method: "incremental" })[0],
    tol,
  ),
  jaxOpCase("ns_gmres_jacobi", (A, b) => sl.gmres(f(A), f(b), { restart: 5, M: jacobiOf(f(A)) })[0], tol),
  jaxOpCase(
    "ns_gmres_x0",
    (A, b, x0) => sl.gmres(f(A), f(b), f(x0), { restart: 4, solve_method: "incremental" })[0],
    tol,
  ),
  jaxOpCase("ns_gmres_info", (A, b) => sl.gmres(f(A), f(b), { restart: 5 })[1], { dtype: "int32" }),
  jaxOpCase("ns_bicgstab", (A, b) => sl.bicgstab(f(A), f(b))[0], tol),
  jaxOpCase("ns_bicgstab_jacobi", (A, b) => sl.bicgstab(f(A), f(b), { M: jacobiOf(f(A)) })[0], tol),
  jaxOpCase("ns_bicgstab_x0", (A, b, x0) => sl.bicgstab(f(A), f(b), f(x0))[0], tol),
  ...(["batched", "incremental"] as const).flatMap((method) =>
    withTol(
      jaxParts(`ns_gmres_${method}_grad`, 2, (A, b, w) => {
        const solve = (a: T, bb: T) => sl.gmres(a, bb, { restart: 5, solve_method: method })[0];
        return grad((a: T, bb: T) => loss(w, solve(a, bb)), [0, 1])(f(A), f(b)) as T[];
      }),
    ),
  ),
  ...withTol(
    jaxParts(
      "ns_bicgstab_grad",
      2,
      (A, b, w) => grad((a: T, bb: T) => loss(w, sl.bicgstab(a, bb)[0]), [0, 1])(f(A), f(b)) as T[],
    ),
  ),
  ...treeCase("cg", sl.cg),
  ...treeCase("gmres", sl.gmres as unknown as typeof sl.cg),
  ...treeCase("bicgstab", sl.bicgstab),
  jaxOpCase("early_cg", (A, b) => sl.cg(f(A), f(b), { maxiter: 3 })[0], tol),
  jaxOpCase("early_bicgstab", (A, b) => sl.bicgstab(f(A), f(b), { maxiter: 2 })[0], tol),
  ...(["incremental", "batched"] as const).map((m) =>
    jaxOpCase(`early_gmres_${m}`, (A, b) => sl.gmres(f(A), f(b), { restart: 3, maxiter: 1, solve_method: m })[0], tol),
  ),
  jaxOpCase("vmap_cg", (A, bs) => vmap((b: T) => sl.cg(f(A), b)[0])(f(bs)) as T, tol),
  jaxOpCase("vmap_gmres", (A, bs) => vmap((b: T) => sl.gmres(f(A), b, { restart: 5 })[0])(f(bs)) as T, tol),
  jaxOpCase("vmap_bicgstab", (A, bs) => vmap((b: T) => sl.bicgstab(f(A), b)[0])(f(bs)) as T, tol),
];
opCases("scipy.sparse.linalg", cases);

/** ‖A x − b‖ / ‖b‖ in float64, A a dense matrix or the stencil (as nested lists). */
function relativeResidual(apply: (x: number[]) => number[], x: number[], b: number[]): number {
  const r = apply(x).map((v, i) => v - b[i]!);
  const norm = (v: number[]) => Math.sqrt(v.reduce((s, e) => s + e * e, 0));
  return norm(r) / norm(b);
}
const matvec64 = (A: number[][]) => (x: number[]) => A.map((row) => row.reduce((s, a, j) => s + a * x[j]!, 0));
function stencil64(x: number[]): number[] {
  const at = (i: number, j: number) => (i < 0 || j < 0 || i > 15 || j > 15 ? 0 : x[i * 16 + j]!);
  return x.map((v, k) => {
    const [i, j] = [Math.floor(k / 16), k % 16];
    return 4 * v - at(i - 1, j) - at(i + 1, j) - at(i, j - 1) - at(i, j + 1);
  });
}

test("each solver's x satisfies ‖A x − b‖ ≤ 2e-5 ‖b‖ (tol 1e-5), computed in float64: cg, gmres and bicgstab on the Poisson stencil; gmres (both methods) and bicgstab on the nonsymmetric matrix", async () => {
  const poisson = jaxCase("poisson_cg").inputs[0] as number[][];
  const { inputs } = jaxCase("ns_bicgstab");
  const [A, b] = inputs as [number[][], number[]];
  const results = onBackend("cpu", () => ({
    "poisson cg": sl.cg(stencil, f(poisson))[0],
    "poisson gmres": sl.gmres(stencil, f(poisson), { restart: 30 })[0],
    "poisson bicgstab": sl.bicgstab(stencil, f(poisson))[0],
    "gmres batched": sl.gmres(f(A), f(b), { restart: 5 })[0],
    "gmres incremental": sl.gmres(f(A), f(b), { restart: 5, solve_method: "incremental" })[0],
    bicgstab: sl.bicgstab(f(A), f(b))[0],
  }));
  for (const [name, x] of Object.entries(results)) {
    const xs = Array.from(await x.data());
    const res = name.startsWith("poisson")
      ? relativeResidual(stencil64, xs, poisson.flat())
      : relativeResidual(matvec64(A), xs, b);
    assert.ok(res <= 2e-5, `${name}: relative residual ${res}`);
  }
});

test("a gradient through cg, bicgstab or gmres runs two solves, as JAX's (the forward and the transpose solve), and its value matches a dense solve's gradient", async () => {
  await onBackend("cpu", async () => {
    const A = np.array([
      [4, 1, 0],
      [1, 3, 1],
      [0, 1, 2],
    ]);
    const w = np.array([1, -2, 0.5]);
    const b = np.array([1, 2, 3]);
    const solvers = {
      cg: (r: Tracer) => scipy.sparse.linalg.cg(A, r)[0] as Tracer,
      bicgstab: (r: Tracer) => scipy.sparse.linalg.bicgstab(A, r)[0] as Tracer,
      gmres: (r: Tracer) => scipy.sparse.linalg.gmres(A, r)[0] as Tracer,
    };
    // cg's and bicgstab's loops stop on a tolerance (while); gmres's Arnoldi and Givens loops
    // have a fixed length (scan). A gradient adds the transpose solve's loops, no more.
    const loopsIn = (program: unknown) => (String(program).match(/\b(while|scan)\[/g) ?? []).length;
    // d(wᵀA⁻¹b)/db = A⁻ᵀw.
    const want = await np.linalg.solve(np.transpose(A), w).data();
    for (const [name, solve] of Object.entries(solvers)) {
      const loss = (r: Tracer) => np.sum(np.multiply(solve(r), w));
      const alone = loopsIn(make_jaxpr(loss)(b));
      assert.equal(loopsIn(make_jaxpr(grad(loss))(b)), 2 * alone, `${name}: twice the solve's ${alone} loop(s)`);
      const got = await grad(loss)(b).data();
      Array.from(got).forEach((g, i) => assert.ok(Math.abs(g - want[i]!) < 1e-4, `${name}[${i}]: ${g} vs ${want[i]}`));
    }
  });
});

test("scipy.sparse.linalg refuses bad input, naming the function and the problem: a non-square matrix, A and b of mismatched shapes, a function A returning another shape, x0 unlike b, an unknown solve_method, restart 0 or −1, an unknown option", () => {
  onBackend("cpu", () => {
    const b = np.ones([3]);
    refuses(
      () => sl.cg(np.ones([3, 4]), b),
      /scipy\.sparse\.linalg\.cg: A must be a square matrix or a function, got float32\[3,\s?4\]/,
    );
    refuses(
      () => sl.bicgstab(np.eye(4), b),
      /scipy\.sparse\.linalg\.bicgstab: A is float32\[4,\s?4\] but b is float32\[3\]; a matrix needs b to be one array with 4 rows/,
    );
    refuses(
      () => sl.gmres((x: T) => np.concatenate([x, x]), b),
      /scipy\.sparse\.linalg\.gmres: A must return arrays shaped like b \(\[3\]\), got \[6\]/,
    );
    refuses(
      () => sl.cg(np.eye(3), b, np.ones([4])),
      /scipy\.sparse\.linalg\.cg: x0 and b must have the same shapes, got float32\[4\] for float32\[3\]/,
    );
    refuses(
      () => sl.gmres(np.eye(3), b, { solve_method: "qr" as never }),
      /scipy\.sparse\.linalg\.gmres: solve_method must be "batched" or "incremental", got "qr"/,
    );
    for (const restart of [0, -1])
      refuses(
        () => sl.gmres(np.eye(3), b, { restart }),
        new RegExp(`scipy\\.sparse\\.linalg\\.gmres: restart must be a positive integer, got ${restart}`),
      );
    refuses(
      () => sl.cg(np.eye(3), b, null, { maxIter: 5 } as never),
      /scipy\.sparse\.linalg\.cg: unknown option "maxIter": did you mean "maxiter"\?/,
    );
    refuses(() => sl.cg(np.eye(3), b, { restart: 5 } as never), /scipy\.sparse\.linalg\.cg: unknown option "restart"/);
  });
});

test("scipy.sparse.linalg refuses the derivatives it has no rule for, naming them: forward mode (jvp) and a second derivative (grad of grad)", () => {
  onBackend("cpu", () => {
    const A = np.array(
      [
        [4, 1],
        [1, 3],
      ],
      { dtype: "float32" },
    );
    const b = np.array([1, 2], { dtype: "float32" });
    refuses(
      () => jvp((bb: T) => sl.cg(A, bb)[0], [b], [b]),
      /scipy\.sparse\.linalg\.cg: forward-mode differentiation \(jvp, jacfwd\) is not supported/,
    );
    refuses(
      () => grad(grad((bb: T) => np.sum(np.square(sl.gmres(A, bb)[0]))))(b),
      /scipy\.sparse\.linalg\.gmres: second and higher derivatives are not supported/,
    );
  });
});
