// More of jnp's creation functions: full_like, empty / empty_like (zeros, as JAX's: there is no
// uninitialized memory to hand out), identity, tri, and the index pairs of a triangle
// (tril_indices / triu_indices), computed on the host since they depend only on shapes.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { array, eye, full, zeros, type DTypeOption } from "./creation.js";
import { asTracer, type ArrayLike } from "./promote.js";
import { stagedTri, stagesCreation } from "./stagedCreation.js";
import { checkDType, checkShape } from "./validate.js";

/** x's shape filled with `value` (x's dtype unless given). */
export function full_like(x: ArrayLike, value: number | boolean, options: DTypeOption = {}): Tracer {
  checkOptions("full_like", options, ["dtype"]);
  const t = asTracer("full_like", x);
  return full(t.shape, value, { dtype: options.dtype ?? t.dtype });
}

/** Zeros, as jnp.empty gives (XLA has no uninitialized arrays). */
export const empty = (shape: number | readonly number[], options: DTypeOption = {}): Tracer => zeros(shape, options);
/** Zeros of x's shape and dtype, as jnp.empty_like. */
export function empty_like(x: ArrayLike, options: DTypeOption = {}): Tracer {
  checkOptions("empty_like", options, ["dtype"]);
  const t = asTracer("empty_like", x);
  return zeros(t.shape, { dtype: options.dtype ?? t.dtype });
}

/** The n×n identity. */
export const identity = (n: number, options: DTypeOption = {}): Tracer => eye(n, n, 0, options);

function checkK(op: string, k: number): void {
  if (!Number.isInteger(k)) throw new JitScopeError("value", `${op}: diagonal offset k must be an integer, got ${k}`);
}

/** n×m (m = n) with ones at and below diagonal k. */
export function tri(n: number, m?: number, k = 0, options: DTypeOption = {}): Tracer {
  checkOptions("tri", options, ["dtype"]);
  checkK("tri", k);
  const cols = m ?? n;
  if (stagesCreation(checkShape("tri", [n, cols])))
    return stagedTri(n, cols, k, options.dtype === undefined ? "float32" : checkDType("tri", options.dtype));
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from({ length: cols }, (_, j) => (j <= i + k ? 1 : 0)));
  if (n === 0 || cols === 0) return zeros([n, cols], options);
  return array(rows, { dtype: options.dtype ?? "float32" });
}

function triangleIndices(op: string, n: number, k: number, m: number, keep: (i: number, j: number) => boolean) {
  checkK(op, k);
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(m) || m < 0)
    throw new JitScopeError("value", `${op}: sizes must be non-negative integers, got n=${n}, m=${m}`);
  const is: number[] = [];
  const js: number[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++)
      if (keep(i, j)) {
        is.push(i);
        js.push(j);
      }
  const asInt = (v: number[]) => (v.length ? array(v, { dtype: "int32" }) : zeros([0], { dtype: "int32" }));
  return [asInt(is), asInt(js)] as [Tracer, Tracer];
}

/** [rows, cols] of the n×m (m = n) matrix's entries at and below diagonal k, row by row. */
export const tril_indices = (n: number, k = 0, m?: number): [Tracer, Tracer] =>
  triangleIndices("tril_indices", n, k, m ?? n, (i, j) => j <= i + k);
/** [rows, cols] of the entries at and above diagonal k, row by row. */
export const triu_indices = (n: number, k = 0, m?: number): [Tracer, Tracer] =>
  triangleIndices("triu_indices", n, k, m ?? n, (i, j) => j >= i + k);
