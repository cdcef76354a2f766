// lax.linalg.tridiagonal_solve: the Thomas algorithm, one forward scan (eliminating the lower
// diagonal) and one reverse scan (substituting back) along the system's rows, each row a few
// elementwise ops over the batch and the right-hand sides. Without pivoting, as JAX's GPU kernel
// (cuSPARSE gtsv2_nopivot): stable for diagonally dominant or symmetric positive definite
// systems, the ones splines, implicit diffusion steps and Crank–Nicolson schemes build.
// Differentiable: the scans are.

import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { scan } from "./control.js";
import * as ew from "../np/elementwise.js";
import { asTracer, type ArrayLike } from "../np/promote.js";
import { expand_dims } from "../np/shape.js";
import { moveaxis } from "../np/stacking.js";
import { zeros } from "../np/creation.js";
import { avalText } from "../np/validate.js";

const OP = "lax.linalg.tridiagonal_solve";

function floatOperand(what: string, v: ArrayLike): Tracer {
  const x = asTracer(OP, v);
  if (x.dtype !== "float32")
    throw new JitScopeError("dtype", `${OP}: ${what} must be float32, got ${avalText(x.aval)}`);
  return x;
}

/**
 * x [..., m, n] with A·x = b, where A [..., m, m] has lower diagonal dl (dl[..., 0] unused),
 * diagonal d and upper diagonal du (du[..., m − 1] unused), each [..., m].
 */
export function tridiagonal_solve(dl: ArrayLike, d: ArrayLike, du: ArrayLike, b: ArrayLike): Tracer {
  const [lo, mid, up] = [floatOperand("dl", dl), floatOperand("d", d), floatOperand("du", du)];
  const rhs = floatOperand("b", b);
  const shape = mid.shape;
  const same = (x: Tracer): boolean => x.shape.length === shape.length && x.shape.every((s, i) => s === shape[i]);
  if (mid.ndim < 1 || !same(lo) || !same(up))
    throw new JitScopeError(
      "shape",
      `${OP}: dl, d and du must have one shape [..., m], got ${avalText(lo.aval)}, ${avalText(mid.aval)} and ${avalText(up.aval)}`,
    );
  const m = shape[shape.length - 1]!;
  if (rhs.ndim !== shape.length + 1 || !shape.every((s, i) => rhs.shape[i] === s))
    throw new JitScopeError(
      "shape",
      `${OP}: b must be [${[...shape, "n"].join(", ")}] (the diagonals' shape and a column axis), got ${avalText(rhs.aval)}`,
    );
  if (m === 0) return rhs;
  const batch = shape.slice(0, -1);
  const n = rhs.shape[rhs.ndim - 1]!;
  // Rows first, so that each scan step reads one row of every batch member.
  const rows = [moveaxis(lo, -1, 0), moveaxis(mid, -1, 0), moveaxis(up, -1, 0), moveaxis(rhs, -2, 0)] as [
    Tracer,
    Tracer,
    Tracer,
    Tracer,
  ];
  const [, [c, y]] = scan(
    ([cPrev, yPrev]: [Tracer, Tracer], [l, dd, u, bb]: [Tracer, Tracer, Tracer, Tracer]) => {
      const denom = ew.subtract(dd, ew.multiply(l, cPrev));
      const ci = ew.divide(u, denom);
      const yi = ew.divide(ew.subtract(bb, ew.multiply(expand_dims(l, -1), yPrev)), expand_dims(denom, -1));
      return [
        [ci, yi],
        [ci, yi],
      ] as [[Tracer, Tracer], [Tracer, Tracer]];
    },
    [zeros(batch), zeros([...batch, n])] as [Tracer, Tracer],
    rows,
  );
  const [, x] = scan(
    (next: Tracer, [ci, yi]: [Tracer, Tracer]) => {
      const xi = ew.subtract(yi, ew.multiply(expand_dims(ci, -1), next));
      return [xi, xi] as [Tracer, Tracer];
    },
    zeros([...batch, n]),
    [c, y] as [Tracer, Tracer],
    { reverse: true },
  );
  return moveaxis(x, 0, -2);
}
