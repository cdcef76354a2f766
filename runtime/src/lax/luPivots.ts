// LU's two spellings of the row order, as LAPACK and JAX keep them: the permutation (row i of
// P·a is row perm[i] of a) and the pivot sequence (at step i, row i was swapped with row piv[i]),
// which SciPy's lu_factor returns. Each is a loop of swaps, one per row, over int32 arrays with a
// leading batch; a swap is two selects against a one-hot of its rows, so no index leaves the
// device and the loop runs as one scan under jit.

import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { fori_loop } from "./control.js";
import { arange } from "../np/creation.js";
import * as ew from "../np/elementwise.js";
import { asTracer, type ArrayLike } from "../np/promote.js";
import { sum } from "../np/reductions.js";
import { broadcast_to, expand_dims } from "../np/shape.js";
import { avalText } from "../np/validate.js";

/** x[..., k] for k an int32 scalar or one index per batch [...]: a masked sum, exact for ints. */
function entry(x: Tracer, k: Tracer, lanes: Tracer): Tracer {
  const at = k.ndim === 0 ? ew.equal(lanes, k) : ew.equal(lanes, expand_dims(k, -1));
  return sum(ew.where(at, x, 0), -1);
}

/** x with x[..., i] and x[..., p] exchanged (i a scalar, p one index per batch). */
function swap(x: Tracer, i: Tracer, p: Tracer, lanes: Tracer): Tracer {
  const xi = expand_dims(entry(x, i, lanes), -1);
  const xp = expand_dims(entry(x, p, lanes), -1);
  const pe = expand_dims(p, -1);
  return ew.where(ew.equal(lanes, i), xp, ew.where(ew.equal(lanes, pe), xi, x));
}

// The permutation each pivot sequence was made from: lu_solve(lu_factor(a), b) converts the
// pivots straight back, so it reads the permutation instead of running the swaps twice (under
// jit the unused pivots are then dead code). Exact: the two conversions are inverses.
const madeFrom = new WeakMap<Tracer, Tracer>();

function int32Operand(op: string, what: string, v: ArrayLike): Tracer {
  const x = asTracer(op, v);
  if (x.dtype !== "int32") throw new JitScopeError("dtype", `${op}: ${what} must be int32, got ${avalText(x.aval)}`);
  if (x.ndim < 1) throw new JitScopeError("shape", `${op}: ${what} must have at least one axis, got a scalar`);
  return x;
}

/**
 * `lax.linalg.lu_pivots_to_permutation(pivots, permutation_size)`: the permutation [..., size]
 * made by swapping entries i and pivots[..., i] of 0, 1, …, size − 1 in turn.
 */
export function lu_pivots_to_permutation(pivots: ArrayLike, permutation_size: number): Tracer {
  const op = "lax.linalg.lu_pivots_to_permutation";
  const piv = int32Operand(op, "pivots", pivots);
  const k = piv.shape[piv.ndim - 1]!;
  if (!Number.isInteger(permutation_size) || permutation_size < k)
    throw new JitScopeError(
      "value",
      `${op}: permutation_size must be an integer at least the number of pivots (${k}), got ${permutation_size}`,
    );
  const known = madeFrom.get(piv);
  if (known && known.shape[known.ndim - 1] === permutation_size) return known;
  const lanes = arange(permutation_size);
  const start = broadcast_to(lanes, [...piv.shape.slice(0, -1), permutation_size]);
  const pivLanes = arange(k);
  return fori_loop(0, k, (i, perm: Tracer) => swap(perm, i, entry(piv, i, pivLanes), lanes), start);
}

/** The pivot sequence [..., n] that makes the permutation `perm` [..., n] (int32): at step i, the
 *  row perm[i] is found where the swaps so far left it, and swapped into place. */
export function pivotsOfPermutation(perm: Tracer): Tracer {
  const n = perm.shape[perm.ndim - 1]!;
  const lanes = arange(n);
  const start: [Tracer, Tracer] = [broadcast_to(lanes, perm.shape), ew.multiply(perm, 0)];
  const [, piv] = fori_loop(
    0,
    n,
    (i, [rows, piv]: [Tracer, Tracer]) => {
      const r = entry(perm, i, lanes);
      // Where row r sits now.
      const p = sum(ew.where(ew.equal(rows, expand_dims(r, -1)), lanes, 0), -1);
      const at = ew.equal(lanes, i);
      return [swap(rows, i, p, lanes), ew.where(at, expand_dims(p, -1), piv)] as [Tracer, Tracer];
    },
    start,
  );
  madeFrom.set(piv, perm);
  return piv;
}
