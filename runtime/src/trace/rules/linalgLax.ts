// Shape-exact building blocks over the factorisation primitives, shared by their derivative
// rules (linalgRules.ts) and the np.linalg functions: the primitives themselves, triangle masks,
// and the permutation matrix of an LU result. Every operand is [...batch, n, m], float32.

import { bind1 } from "../core.js";
import type { PrimParams } from "../../ir/types.js";
import * as L from "./lax.js";
import type { Val } from "./lax.js";

export type TriParams = PrimParams["triangular_solve"];

export const cholesky = (a: Val): Val => bind1("cholesky", {}, [a]);
export const lu = (a: Val): Val => bind1("lu", {}, [a]);

/** x with op(a)·x = b (op(a) = aᵀ when transA), a read only in its `lower` / upper triangle. */
export function triSolve(a: Val, b: Val, p: Partial<TriParams> & { lower: boolean }): Val {
  return bind1(
    "triangular_solve",
    { lower: p.lower, transA: p.transA ?? false, unitDiagonal: p.unitDiagonal ?? false },
    [a, b],
  );
}

/** x with x·op(a) = b: the right-side solve, as a left-side one on the transposes. */
export function triSolveRight(a: Val, b: Val, p: Partial<TriParams> & { lower: boolean }): Val {
  return L.swapLast2(triSolve(a, L.swapLast2(b), { ...p, transA: !(p.transA ?? false) }));
}

const iotaF = (shape: readonly number[], axis: number): Val =>
  bind1("iota", { shape: [...shape], axis, dtype: "float32" }, []);

/** 1 where column - row `cmp` k (float mask of the matrices' shape): tril is col - row ≤ k. */
function diagonalMask(shape: readonly number[], cmp: "le" | "ge" | "eq", k: number): Val {
  const r = shape.length;
  const diff = L.sub(iotaF(shape, r - 1), iotaF(shape, r - 2));
  return L.mask(cmp, diff, { kind: "lit", value: k, aval: { shape: [], dtype: "float32" } });
}

/** The lower triangle (col ≤ row + k), zeros elsewhere. */
export const tril = (x: Val, k = 0): Val => L.mul(x, diagonalMask(x.aval.shape, "le", k));
/** The upper triangle (col ≥ row + k), zeros elsewhere. */
export const triu = (x: Val, k = 0): Val => L.mul(x, diagonalMask(x.aval.shape, "ge", k));
/** Identity matrices of `shape` ([...batch, n, n]). */
export const eye = (shape: readonly number[]): Val => diagonalMask(shape, "eq", 0);

/** The packed factors of an LU result [..., n, n + 1]. */
export function luParts(y: Val): { packed: Val; perm: Val } {
  const s = y.aval.shape;
  const r = s.length;
  const n = s[r - 2]!;
  const zeros = s.map(() => 0);
  const packed = L.slice(
    y,
    zeros,
    s.map((d, i) => (i === r - 1 ? n : d)),
  );
  const perm = L.slice(
    y,
    s.map((_, i) => (i === r - 1 ? n : 0)),
    [...s],
  );
  return { packed, perm };
}

/** P with P[i, j] = 1 where perm[i] = j, so P·a is a's rows in the factorisation's order. */
export function permutationMatrix(perm: Val): Val {
  const s = perm.aval.shape; // [..., n, 1]
  const r = s.length;
  const shape = [...s.slice(0, -1), s[r - 2]!];
  const rows = L.broadcast(
    L.reshape(perm, s.slice(0, -1)),
    shape,
    s.slice(0, -1).map((_, i) => i),
  );
  return L.mask("eq", rows, iotaF(shape, r - 1));
}
