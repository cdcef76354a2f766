// cov and corrcoef as jax.numpy computes them: variables in rows (rowvar, the default) or in
// columns, the observations centred and multiplied as one matmul, divided by n - 1 (n with
// bias, or n - ddof).

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import * as ew from "./elementwise.js";
import { diagonal } from "./matrixSurface.js";
import { matmul } from "./linalg.js";
import { clip } from "./mathSurface.js";
import { asTracer, cast, type ArrayLike } from "./promote.js";
import { mean } from "./reductions.js";
import { concatenate, reshape, squeeze, transpose } from "./shape.js";

export interface CovOptions {
  /** Each row a variable, each column an observation (default true); false: the other way. */
  rowvar?: boolean;
  /** Divide by n instead of n - 1. */
  bias?: boolean;
  /** Divide by n - ddof (overrides bias). */
  ddof?: number;
}

function variables(op: string, m: ArrayLike, y: ArrayLike | undefined, rowvar: boolean): Tracer {
  const asRows = (v: ArrayLike, what: string): Tracer => {
    const t = cast(asTracer(op, v), "float32");
    if (t.ndim > 2) throw new JitScopeError("shape", `${op}: ${what} must be 1-D or 2-D, got shape [${t.shape}]`);
    if (t.ndim < 2) return reshape(t, [1, -1]);
    return rowvar ? t : transpose(t);
  };
  const x = asRows(m, "m");
  if (y === undefined) return x;
  const yy = asRows(y, "y");
  if (yy.shape[1] !== x.shape[1])
    throw new JitScopeError(
      "shape",
      `${op}: m and y must have as many observations, got ${x.shape[1]} and ${yy.shape[1]}`,
    );
  return concatenate([x, yy], 0);
}

/** The covariance matrix of the variables (a 0-d array for a single variable). */
export function cov(m: ArrayLike, y?: ArrayLike | null, options: CovOptions = {}): Tracer {
  checkOptions("cov", options, ["rowvar", "bias", "ddof"]);
  const x = variables("cov", m, y ?? undefined, options.rowvar ?? true);
  const n = x.shape[1]!;
  const ddof = options.ddof ?? (options.bias ? 0 : 1);
  const centred = ew.subtract(x, mean(x, 1, { keepdims: true }));
  const c = ew.divide(matmul(centred, transpose(centred)), n - ddof);
  return x.shape[0] === 1 ? squeeze(c) : c;
}

/** Pearson correlation coefficients, clipped to [-1, 1]. */
export function corrcoef(x: ArrayLike, y?: ArrayLike | null, options: { rowvar?: boolean } = {}): Tracer {
  checkOptions("corrcoef", options, ["rowvar"]);
  const c = cov(x, y, { rowvar: options.rowvar ?? true });
  if (c.ndim === 0) return ew.divide(c, c);
  const sd = ew.sqrt(diagonal(c));
  const r = ew.divide(ew.divide(c, reshape(sd, [-1, 1])), reshape(sd, [1, -1]));
  return clip(r, -1, 1);
}
