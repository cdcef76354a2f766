// Derivative and batching rules of cholesky, triangular_solve and lu, by the matrix identities
// (every one built from the primitives themselves, so they nest: grad of grad, jvp of grad):
// - triangular_solve, x = op(A)⁻¹B: dx = op(A)⁻¹(dB - op(dA)·x); B̄ = op(A)⁻ᵀX̄, Ā = -B̄xᵀ (or
//   -xB̄ᵀ when transposed), kept to the triangle A is read from.
// - cholesky (Murray 2016, arXiv:1602.07527, as JAX): dL = L·Φ(L⁻¹ dA L⁻ᵀ), Φ = the lower
//   triangle with the diagonal halved; its transpose Ā = L⁻ᵀΦ(LᵀL̄)L⁻¹, folded onto the lower
//   triangle the primitive reads (np.linalg.cholesky symmetrises its input, as JAX).
// - lu (as JAX's lu_jvp_rule): X = L⁻¹·P·dA·U⁻¹, d(LU) = L·tril₋₁(X) + triu(X)·U; transposed,
//   X̄ = tril₋₁(LᵀC) + triu(CUᵀ) and Ā = Pᵀ·L⁻ᵀX̄U⁻ᵀ. The permutation column has no derivative.

import type { Params } from "../../ir/types.js";
import type { Tracer } from "../core.js";
import { bind1 } from "../core.js";
import * as L from "./lax.js";
import type { Val } from "./lax.js";
import type { BatchDim } from "./laxIndexConv.js";
import type { Tangent } from "./laxIndexConv.js";
import { eye, luParts, permutationMatrix, tril, triSolve, triSolveRight, triu, type TriParams } from "./linalgLax.js";

type LinalgPrim = "cholesky" | "triangular_solve" | "lu";
type Cotangent = Val | null;

const half = { kind: "lit", value: 0.5, aval: { shape: [], dtype: "float32" } } as const;

/** The part of a matrix a triangular solve reads from A: its triangle (strict when unit). */
function readTriangle(x: Val, p: TriParams): Val {
  const k = p.unitDiagonal ? 1 : 0;
  return p.lower ? tril(x, -k) : triu(x, k);
}

/** Φ: the lower triangle with the diagonal halved. */
const phi = (x: Val): Val => L.sub(tril(x), L.mul(L.mul(x, eye(x.aval.shape)), half));

/** The symmetric matrix the primitive sees in `x`: its lower triangle mirrored. */
const symmetricFromLower = (x: Val): Val => L.add(tril(x), L.swapLast2(tril(x, -1)));

function opMatmul(a: Val, x: Val, transA: boolean): Val {
  return L.matmul(transA ? L.swapLast2(a) : a, x);
}

export function linalgJvp(
  prim: LinalgPrim,
  params: Params<LinalgPrim>,
  x: readonly Val[],
  t: readonly Tangent[],
  y: Tracer,
): Tangent[] {
  switch (prim) {
    case "triangular_solve": {
      const p = params as TriParams;
      const [a, ta, tb] = [x[0]!, t[0] ?? null, t[1] ?? null];
      let rhs: Val | null = tb;
      if (ta !== null) {
        const term = opMatmul(readTriangle(ta, p), y, p.transA);
        rhs = rhs === null ? L.neg(term) : L.sub(rhs, term);
      }
      return [rhs === null ? null : triSolve(a, rhs, p)];
    }
    case "cholesky": {
      const ta = t[0] ?? null;
      if (ta === null) return [null];
      const left = triSolve(y, symmetricFromLower(ta), { lower: true }); // L⁻¹ dA
      const inner = triSolveRight(y, left, { lower: true, transA: true }); // · L⁻ᵀ
      return [L.matmul(y, phi(inner))];
    }
    case "lu": {
      const ta = t[0] ?? null;
      if (ta === null) return [null];
      const { packed, perm } = luParts(y);
      const shape = packed.aval.shape;
      const lower = L.add(tril(packed, -1), eye(shape));
      const upper = triu(packed);
      const pa = L.matmul(permutationMatrix(perm), ta);
      const la = triSolve(packed, pa, { lower: true, unitDiagonal: true });
      const xx = triSolveRight(packed, la, { lower: false });
      const dlu = L.add(L.matmul(lower, tril(xx, -1)), L.matmul(triu(xx), upper));
      const r = shape.length;
      return [
        L.pad(
          dlu,
          shape.map(() => 0),
          shape.map((_, i) => (i === r - 1 ? 1 : 0)),
        ),
      ];
    }
    default:
      return prim satisfies never;
  }
}

export function linalgVjp(
  prim: LinalgPrim,
  params: Params<LinalgPrim>,
  x: readonly Val[],
  y: Tracer,
  ct: Val,
  needs: readonly boolean[],
): Cotangent[] {
  switch (prim) {
    case "triangular_solve": {
      const p = params as TriParams;
      const a = x[0]!;
      const bbar = triSolve(a, ct, { ...p, transA: !p.transA });
      const abar = needs[0]
        ? readTriangle(L.neg(p.transA ? L.matmul(y, L.swapLast2(bbar)) : L.matmul(bbar, L.swapLast2(y))), p)
        : null;
      return [abar, needs[1] ? bbar : null];
    }
    case "cholesky": {
      const pm = phi(L.matmul(L.swapLast2(y), ct)); // Φ(LᵀL̄)
      const left = triSolve(y, pm, { lower: true, transA: true }); // L⁻ᵀ ·
      const g = triSolveRight(y, left, { lower: true }); // · L⁻¹
      // The primitive reads the lower triangle as a symmetric matrix: fold Gᵀ's onto it.
      return [L.add(tril(g), tril(L.swapLast2(g), -1))];
    }
    case "lu": {
      const { packed, perm } = luParts(y);
      const shape = packed.aval.shape;
      const c = luParts(ct).packed;
      const lower = L.add(tril(packed, -1), eye(shape));
      const upper = triu(packed);
      const xbar = L.add(tril(L.matmul(L.swapLast2(lower), c), -1), triu(L.matmul(c, L.swapLast2(upper))));
      const z = triSolve(packed, xbar, { lower: true, unitDiagonal: true, transA: true }); // L⁻ᵀX̄
      const w = triSolveRight(packed, z, { lower: false, transA: true }); // · U⁻ᵀ
      return [L.matmul(L.swapLast2(permutationMatrix(perm)), w)];
    }
    default:
      return prim satisfies never;
  }
}

/** Batch axes go first; the primitives map over leading axes. An unbatched operand of a
 *  triangular solve is broadcast to the batch. */
export function linalgBatch(
  prim: LinalgPrim,
  params: Params<LinalgPrim>,
  xs: readonly Val[],
  front: (i: number) => Val,
): [Val, BatchDim] {
  return [
    bind1(
      prim,
      params,
      xs.map((_, i) => front(i)),
    ),
    0,
  ];
}
