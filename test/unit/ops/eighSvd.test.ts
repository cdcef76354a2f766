// np.linalg.eigh / eigvalsh, svd / svdvals, pinv, lstsq and matrix_rank against JAX
// (scripts/jax/run_jax_eigh_svd.py wrote test/fixtures/jax/eigh_svd.json): eigenvalues of 4×4,
// 16×16, 64×64, odd and batched symmetric matrices, a repeated eigenvalue, UPLO without
// symmetrising, eigenvectors with each column's sign fixed (largest entry positive), vmap (of grad too), the
// gradients of eigenvalues, eigenvectors, singular values / vectors and pinv, singular values and vectors of tall,
// wide, square and batched matrices, pinv / lstsq / matrix_rank including a rank-deficient matrix,
// and ZCA whitening of a [128, 16] data matrix; each on the CPU reference, on WebGPU and under jit
// on WebGPU (harness.ts opCases). Then the reconstructions JAX's values cannot pin down (repeated
// eigenvalue, full_matrices' extra columns), empty input, and the argument errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, vmap } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";

// The public names, as a user reaches them.
const { eigh, eigvalsh, svd, svdvals, lstsq, matrix_rank, pinv } = np.linalg;
import { assertClose, onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxCase, jaxOpCase } = fixtureCases("eigh_svd");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });

/** ±1 per column of v [..., m, k]: the sign of its largest-magnitude entry, as [..., 1, k]. */
function columnSigns(v: Tracer): Tracer {
  const at = np.expand_dims(np.argmax(np.abs(v), -2), -2);
  return np.where(np.greater_equal(np.take_along_axis(v, at, -2), 0), 1, -1);
}
const fixed = (v: Tracer): Tracer => np.multiply(v, columnSigns(v));

const loose = { rtol: 1e-4, atol: 2e-5 };
const vectors = { rtol: 1e-3, atol: 3e-4 };
const lstsqParts = (name: string) => [
  jaxOpCase(`lstsq_${name}_0`, (a, b) => lstsq(f(a), f(b), name === "rcond" ? { rcond: 0.5 } : {})[0], vectors),
  jaxOpCase(`lstsq_${name}_1`, (a, b) => lstsq(f(a), f(b), name === "rcond" ? { rcond: 0.5 } : {})[1], {
    rtol: 1e-3,
    atol: 1e-4,
  }),
  jaxOpCase(`lstsq_${name}_2`, (a, b) => lstsq(f(a), f(b), name === "rcond" ? { rcond: 0.5 } : {})[2], {
    dtype: "int32",
  }),
  jaxOpCase(`lstsq_${name}_3`, (a, b) => lstsq(f(a), f(b), name === "rcond" ? { rcond: 0.5 } : {})[3], loose),
];

function zca(x: Tracer): Tracer {
  const xc = np.subtract(x, np.mean(x, 0));
  const [w, v] = eigh(np.divide(np.matmul(np.swapaxes(xc, 0, 1), xc), x.shape[0]!));
  return np.matmul(np.divide(np.matmul(xc, v), np.sqrt(w)), np.swapaxes(v, 0, 1));
}

const cases: OpCase[] = [
  ...["4", "16", "64", "batch"].flatMap((n) => [
    jaxOpCase(`eigh_w_${n}`, (a) => eigh(f(a))[0], loose),
    jaxOpCase(`eigh_v_${n}`, (a) => fixed(eigh(f(a))[1]), n === "64" ? { rtol: 1e-3, atol: 2e-3 } : vectors),
  ]),
  jaxOpCase("eigh_w_repeated", (a) => eigh(f(a))[0], loose),
  jaxOpCase("eigh_w_upper", (a) => eigh(f(a), { UPLO: "U", symmetrize_input: false })[0], loose),
  jaxOpCase("eigh_v_upper", (a) => fixed(eigh(f(a), { UPLO: "U", symmetrize_input: false })[1]), vectors),
  jaxOpCase("eigh_w_lower_raw", (a) => eigvalsh(f(a), { symmetrize_input: false }), loose),
  jaxOpCase("eigh_w_symmetrized", (a) => eigvalsh(f(a)), loose),
  jaxOpCase("eigvalsh_batch", (a) => eigvalsh(f(a)), loose),
  jaxOpCase("eigvalsh_vmap", (a) => vmap((x: Tracer) => eigvalsh(x))(f(a)) as Tracer, loose),
  jaxOpCase("eigvalsh_3", (a) => eigvalsh(f(a)), loose),
  jaxOpCase(
    "grad_eigh_values",
    (a, c) => grad((x: Tracer) => np.sum(np.multiply(eigh(x)[0], f(c))))(f(a)) as Tracer,
    loose,
  ),
  jaxOpCase(
    "grad_eigh_vectors",
    (a, c) => grad((x: Tracer) => np.sum(np.multiply(f(c), np.square(eigh(x)[1]))))(f(a)) as Tracer,
    vectors,
  ),
  jaxOpCase(
    "vmap_grad_eigvalsh",
    (a) =>
      vmap(grad((x: Tracer) => np.sum(np.multiply(eigvalsh(x), np.arange(1, 6, { dtype: "float32" })))))(
        f(a),
      ) as Tracer,
    loose,
  ),
  jaxOpCase(
    "grad_eigh_values_nonsym",
    (a, c) => grad((x: Tracer) => np.sum(np.multiply(eigvalsh(x), f(c))))(f(a)) as Tracer,
    loose,
  ),
  ...["tall", "wide", "square", "batch"].flatMap((n) => [
    jaxOpCase(`svd_s_${n}`, (a) => svd(f(a), { full_matrices: false })[1], loose),
    jaxOpCase(`svd_u_${n}`, (a) => fixed(svd(f(a), { full_matrices: false })[0]), vectors),
    jaxOpCase(
      `svd_vh_${n}`,
      (a) => {
        const [u, , vh] = svd(f(a), { full_matrices: false });
        return np.multiply(vh, np.swapaxes(columnSigns(u), -1, -2));
      },
      vectors,
    ),
  ]),
  jaxOpCase("svd_s_full_tall", (a) => svd(f(a))[1], loose),
  jaxOpCase("svdvals_rank2", (a) => svdvals(f(a)), { rtol: 1e-4, atol: 2e-6 }),
  jaxOpCase("svdvals_vmap", (a) => vmap((x: Tracer) => svdvals(x))(f(a)) as Tracer, loose),
  jaxOpCase("svd_compute_uv_false", (a) => svd(f(a), { compute_uv: false }), loose),
  jaxOpCase("grad_svd_sum_s", (a) => grad((x: Tracer) => np.sum(svdvals(x)))(f(a)) as Tracer, vectors),
  jaxOpCase(
    "grad_svd_weighted_s",
    (a, c) => grad((x: Tracer) => np.sum(np.multiply(svd(x, { compute_uv: false }), f(c))))(f(a)) as Tracer,
    vectors,
  ),
  jaxOpCase(
    "grad_svd_vectors",
    (a, c) =>
      grad((x: Tracer) => np.sum(np.multiply(f(c), np.square(svd(x, { full_matrices: false })[0]))))(f(a)) as Tracer,
    vectors,
  ),
  jaxOpCase("pinv_tall", (a) => pinv(f(a)), vectors),
  jaxOpCase("pinv_rank2", (a) => pinv(f(a)), vectors),
  jaxOpCase("pinv_batch", (a) => pinv(f(a)), vectors),
  jaxOpCase("pinv_rtol", (a) => pinv(f(a), { rtol: 0.3 }), vectors),
  jaxOpCase("grad_pinv", (a, c) => grad((x: Tracer) => np.sum(np.multiply(f(c), pinv(x))))(f(a)) as Tracer, vectors),
  jaxOpCase("matrix_rank_full", (a) => matrix_rank(f(a)), { dtype: "int32" }),
  jaxOpCase("matrix_rank_rank2", (a) => matrix_rank(f(a)), { dtype: "int32" }),
  jaxOpCase("matrix_rank_batch", (a) => matrix_rank(f(a)), { dtype: "int32" }),
  jaxOpCase("matrix_rank_rtol", (a) => matrix_rank(f(a), { rtol: 1 }), { dtype: "int32" }),
  jaxOpCase("matrix_rank_vector", (a) => matrix_rank(f(a)), { dtype: "int32" }),
  ...["vector", "matrix", "rank2", "rcond"].flatMap(lstsqParts),
  jaxOpCase("norm_2", (a) => np.linalg.norm(f(a), 2), loose),
  jaxOpCase("norm_nuc", (a) => np.linalg.norm(f(a), "nuc"), loose),
  jaxOpCase("norm_neg2_axes_keep", (a) => np.linalg.norm(f(a), -2, [2, 0], { keepdims: true }), loose),
  jaxOpCase("matrix_norm_nuc_batch", (a) => np.linalg.matrix_norm(f(a), { ord: "nuc" }), loose),
  jaxOpCase("matrix_norm_2_keep", (a) => np.linalg.matrix_norm(f(a), { ord: 2, keepdims: true }), loose),
  jaxOpCase("grad_norm_nuc", (a) => grad((x: Tracer) => np.linalg.norm(x, "nuc"))(f(a)) as Tracer, vectors),
  jaxOpCase("zca_whitening", (x) => zca(f(x)), vectors),
];
opCases("eigh_svd", cases);

async function close(got: Tracer, want: Tracer, what: string, tol = 2e-5): Promise<void> {
  assertClose(Array.from(await got.data()), Array.from(await want.data()), "float32", tol, tol, what);
}

test("eigh of a matrix with a thrice-repeated eigenvalue rebuilds it: V·diag(w)·Vᵀ = A and VᵀV = I", async () => {
  const a = jaxCase("eigh_w_repeated").inputs[0]!;
  const [rebuilt, gram, want] = onBackend("cpu", () => {
    const [w, v] = eigh(f(a));
    const vt = np.swapaxes(v, 0, 1);
    return [np.matmul(np.multiply(v, np.expand_dims(w, 0)), vt), np.matmul(vt, v), f(a)];
  });
  await close(rebuilt, want, "V diag(w) Vᵀ");
  await close(
    gram,
    onBackend("cpu", () => np.eye(5)),
    "VᵀV",
  );
});

test("svd with full_matrices gives orthogonal U [m, m] and Vh [n, n] whose first k columns / rows rebuild A, tall and wide", async () => {
  for (const id of ["svd_s_tall", "svd_s_wide"]) {
    const input = jaxCase(id).inputs[0]!;
    const out = onBackend("cpu", () => {
      const a = f(input);
      const [m, n] = a.shape as [number, number];
      const k = Math.min(m, n);
      const [u, s, vh] = svd(a);
      assert.deepEqual([u.shape, s.shape, vh.shape], [[m, m], [k], [n, n]]);
      const uk = np.slice(u, [0, 0], [m, k]);
      const vk = np.slice(vh, [0, 0], [k, n]);
      return [
        [np.matmul(np.swapaxes(u, 0, 1), u), np.eye(m), "UᵀU"],
        [np.matmul(vh, np.swapaxes(vh, 0, 1)), np.eye(n), "Vh·Vhᵀ"],
        [np.matmul(np.multiply(uk, np.expand_dims(s, 0)), vk), a, "U S Vh"],
      ] as const;
    });
    for (const [got, want, what] of out) await close(got, want, `${id} ${what}`);
  }
});

test("eigh of an empty [0, 0] matrix gives w [0] and V [0, 0]; eigvalsh of a NaN matrix is all NaN", async () => {
  const [w, v] = onBackend("cpu", () => eigh(np.zeros([0, 0])));
  assert.deepEqual([w.shape, v.shape], [[0], [0, 0]]);
  const nan = await onBackend("cpu", () => eigvalsh(np.full([3, 3], NaN))).data();
  assert.ok(Array.from(nan).every(Number.isNaN), `got ${Array.from(nan)}`);
});

test("the functions refuse what they cannot do, naming it: int32 or non-square eigh, a bad UPLO or option, svd of a vector, lstsq of mismatched b, the derivative of a full svd", () => {
  onBackend("cpu", () => {
    refuses(
      () =>
        eigh(
          np.array(
            [
              [1, 2],
              [2, 1],
            ],
            { dtype: "int32" },
          ),
        ),
      /eigh: a has dtype int32/,
    );
    refuses(() => eigh(np.ones([2, 3])), /eigh: a must be a square matrix or a batch of them/);
    refuses(() => eigh(np.eye(2), { UPLO: "X" as "L" }), /eigh: UPLO must be "L" or "U", got X/);
    refuses(() => eigvalsh(np.eye(2), { lower: true } as never), /eigvalsh: unknown option "lower"/);
    refuses(() => svd(np.ones([3])), /svd: a must be a matrix or a batch of them \[\.\.\., m, n\], got float32\[3\]/);
    refuses(() => lstsq(np.ones([3, 2]), np.ones([4])), /lstsq: b must be \[m\] or \[m, k\] with a's m = 3 rows/);
    refuses(() => lstsq(np.ones([2, 3, 2]), np.ones([3])), /lstsq: a must be a matrix \[m, n\], got float32\[2,3,2\]/);
    refuses(() => svd(np.zeros([0, 3])), /svd: a has no rows or no columns/);
    refuses(() => pinv(np.eye(2), { rcond: 1 } as never), /pinv: unknown option "rcond"/);
    refuses(() => grad((x: Tracer) => np.sum(svd(x)[1]))(np.eye(3)), /svd: the derivative with full_matrices=true/);
  });
});
