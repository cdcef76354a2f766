// scipy.linalg against JAX (scripts/jax/run_jax_scipy_linalg.py wrote
// test/fixtures/jax/scipy_linalg.json): cholesky (upper by default) and cho_factor with cho_solve,
// lu and permute_l, solve with assume_a ("pos" from one triangle, "sym" on the whole matrix),
// eigh (symmetrised), svd, qr's "r" mode, solve_triangular, inv, det, expm (each Padé degree, squarings,
// batched, upper triangular, its gradient), block_diag, toeplitz. Each on the CPU reference, on
// WebGPU and under jit on WebGPU (harness.ts opCases). Then a batched lu by reconstruction, and
// bad input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, scipy } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxOpCase, jaxParts } = fixtureCases("scipy_linalg");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const sl = scipy.linalg;
const tol = { rtol: 2e-5, atol: 2e-5 };
const loose = { rtol: 2e-4, atol: 2e-4 }; // through a solve and squarings in float32
const withTol = (cs: OpCase[], t: { rtol: number; atol: number }) => cs.map((c) => ({ ...c, ...t }));

const cases: OpCase[] = [
  jaxOpCase("cholesky_upper", (a) => sl.cholesky(f(a)), tol),
  jaxOpCase("cholesky_lower", (a) => sl.cholesky(f(a), { lower: true }), tol),
  jaxOpCase("cho_factor_solve", (a, b) => sl.cho_solve(sl.cho_factor(f(a)), f(b)), tol),
  ...withTol(
    jaxParts("lu", 3, (a) => sl.lu(f(a))),
    tol,
  ),
  ...withTol(
    jaxParts("lu_permute_l", 2, (a) => sl.lu(f(a), { permute_l: true })),
    tol,
  ),
  jaxOpCase("solve_gen", (a, b) => sl.solve(f(a), f(b)), loose),
  jaxOpCase("solve_pos", (a, b) => sl.solve(f(a), f(b), { assume_a: "pos" }), tol),
  jaxOpCase("solve_sym_upper", (a, b) => sl.solve(f(a), f(b), { assume_a: "sym" }), tol),
  jaxOpCase("solve_sym_lower", (a, b) => sl.solve(f(a), f(b), { assume_a: "sym", lower: true }), tol),
  jaxOpCase("eigh_lower_values", (a) => sl.eigh(f(a), { eigvals_only: true }) as Tracer, tol),
  jaxOpCase("eigh_upper_values", (a) => sl.eigh(f(a), { lower: false, eigvals_only: true }) as Tracer, tol),
  jaxOpCase("svd_values", (a) => sl.svd(f(a), { compute_uv: false }) as Tracer, tol),
  jaxOpCase("qr_r", (a) => np.abs(sl.qr(f(a), { mode: "r" })[0]!), tol),
  jaxOpCase("solve_triangular_upper", (a, b) => sl.solve_triangular(f(a), f(b)), tol),
  jaxOpCase("inv", (a) => sl.inv(f(a)), loose),
  jaxOpCase("det", (a) => sl.det(f(a)), tol),
  ...["pade3", "pade5", "pade7", "squarings"].map((n) => jaxOpCase(`expm_${n}`, (a) => sl.expm(f(a)), loose)),
  jaxOpCase("expm_rotation", (a) => sl.expm(f(a)), loose),
  jaxOpCase("expm_batched", (a) => sl.expm(f(a)), loose),
  jaxOpCase("expm_upper_triangular", (a) => sl.expm(f(a), { upper_triangular: true }), loose),
  jaxOpCase("grad_expm", (a, w) => grad((v: Tracer) => np.sum(np.multiply(sl.expm(v), f(w))))(f(a)) as Tracer, loose),
  jaxOpCase("block_diag", () =>
    sl.block_diag(
      f([
        [1, 2],
        [3, 4],
      ]),
      5,
      f([6, 7, 8]),
    ),
  ),
  jaxOpCase("toeplitz", () => sl.toeplitz(f([1, 2, 3]), f([9, 4, 5, 6]))),
  jaxOpCase("toeplitz_symmetric", () => sl.toeplitz(f([1, -2, 3]))),
];
opCases("scipy.linalg", cases);

test("scipy.linalg.lu of a batch [2, 3, 3]: p·l·u rebuilds each matrix, l unit lower and u upper triangular", async () => {
  const a = onBackend("cpu", () =>
    f([
      [
        [2, -1, 0.5],
        [4, 3, -2],
        [-1, 0.5, 6],
      ],
      [
        [0.1, 2, 3],
        [5, -1, 1],
        [2, 2, -4],
      ],
    ]),
  );
  const [p, l, u] = onBackend("cpu", () => sl.lu(a));
  const back = (await onBackend("cpu", () => np.matmul(p!, np.matmul(l!, u!))).toArray()) as number[][][];
  const want = (await a.toArray()) as number[][][];
  back.flat(2).forEach((v, i) => assert.ok(Math.abs(v - want.flat(2)[i]!) < 1e-5, `entry ${i}: ${v}`));
  const lv = (await l!.toArray()) as number[][][];
  const uv = (await u!.toArray()) as number[][][];
  for (const [b, i, j] of [0, 1].flatMap((b) => [0, 1, 2].flatMap((i) => [0, 1, 2].map((j) => [b, i, j] as const)))) {
    if (i === j) assert.equal(lv[b]![i]![j], 1);
    if (j > i) assert.equal(lv[b]![i]![j], 0);
    if (j < i) assert.equal(uv[b]![i]![j], 0);
  }
});

test("scipy.linalg refuses bad input, naming it: eigh's b, qr's pivoting and mode, solve's assume_a, expm of a non-square matrix, block_diag of a 3-D array", () => {
  onBackend("cpu", () => {
    refuses(
      () => sl.eigh(f([[1]]), { b: f([[1]]) as never }),
      /scipy\.linalg\.eigh: the generalised problem \(b\) is not supported/,
    );
    refuses(() => sl.qr(f([[1]]), { pivoting: true }), /scipy\.linalg\.qr: pivoting is not supported/);
    refuses(
      () => sl.qr(f([[1]]), { mode: "raw" as never }),
      /scipy\.linalg\.qr: mode must be "full", "economic" or "r"/,
    );
    refuses(() => sl.solve(f([[1]]), f([1]), { assume_a: "diag" as never }), /scipy\.linalg\.solve: assume_a must be/);
    refuses(
      () => sl.expm(f([[1, 2, 3]])),
      /scipy\.linalg\.expm: expected a \(batch of\) square matrices, got float32\[1,3\]/,
    );
    refuses(() => sl.block_diag(np.zeros([1, 1, 1])), /scipy\.linalg\.block_diag: argument 0 has 3 axes/);
  });
});
