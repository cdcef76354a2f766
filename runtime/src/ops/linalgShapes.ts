// Shape rules and FLOP counts of the factorisation primitives (cholesky, triangular_solve, lu):
// float32 square matrices over the last two axes, any leading batch axes. ops/shapeRules.ts
// delegates here; the np.linalg functions check the user's shapes first with friendlier words.

import { JitScopeError } from "../ir/errors.js";
import { avalToString, sizeOf, type Aval, type PrimParams } from "../ir/types.js";

export type LinalgPrim = "cholesky" | "triangular_solve" | "lu";

const err = (kind: "shape" | "dtype", message: string) => new JitScopeError(kind, message);

function square(prim: LinalgPrim, a: Aval, what: string): number {
  if (a.dtype !== "float32") throw err("dtype", `${prim}: ${what} must be float32, got ${avalToString(a)}`);
  const r = a.shape.length;
  if (r < 2 || a.shape[r - 1] !== a.shape[r - 2])
    throw err("shape", `${prim}: ${what} must be a square matrix (or a batch of them), got ${avalToString(a)}`);
  return a.shape[r - 1]!;
}

export function linalgAvals(prim: LinalgPrim, _params: PrimParams[LinalgPrim], ins: readonly Aval[]): Aval[] {
  const want = prim === "triangular_solve" ? 2 : 1;
  if (ins.length !== want) throw err("shape", `${prim}: expected ${want} operand(s), got ${ins.length}`);
  const a = ins[0]!;
  const n = square(prim, a, "a");
  switch (prim) {
    case "cholesky":
      return [a];
    case "lu":
      return [{ shape: [...a.shape.slice(0, -1), n + 1], dtype: "float32" }];
    case "triangular_solve": {
      const b = ins[1]!;
      if (b.dtype !== "float32") throw err("dtype", `${prim}: b must be float32, got ${avalToString(b)}`);
      const batch = a.shape.slice(0, -2);
      const ok =
        b.shape.length === a.shape.length && batch.every((d, i) => d === b.shape[i]) && b.shape[batch.length] === n;
      if (!ok)
        throw err(
          "shape",
          `${prim}: b must be [...batch, ${n}, k] to match a ${avalToString(a)}, got ${avalToString(b)}`,
        );
      return [b];
    }
    default:
      return prim satisfies never;
  }
}

/** Multiply-adds counted as 2 FLOPs: n³/3 for Cholesky, 2n³/3 for LU, n²·k for a triangular solve. */
export function linalgFlops(prim: LinalgPrim, ins: readonly Aval[]): number {
  const a = ins[0]!;
  const n = a.shape[a.shape.length - 1]!;
  const batch = sizeOf(a.shape.slice(0, -2));
  switch (prim) {
    case "cholesky":
      return (batch * n ** 3) / 3;
    case "lu":
      return (batch * 2 * n ** 3) / 3;
    case "triangular_solve": {
      const b = ins[1]!;
      return batch * n * n * b.shape[b.shape.length - 1]!;
    }
    default:
      return prim satisfies never;
  }
}

export function isLinalgPrim(p: string): p is LinalgPrim {
  return p === "cholesky" || p === "triangular_solve" || p === "lu";
}
