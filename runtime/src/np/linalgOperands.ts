// The operand checks every np.linalg factorisation shares: float32 square matrices (with any
// leading batch axes) and right-hand sides that match them, broadcast to one batch shape. The
// errors name the function and the shapes, before any primitive sees them.

import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { asTracer, broadcastShapes, broadcastTo, type ArrayLike } from "./promote.js";
import { reshape } from "./shape.js";
import { avalText } from "./validate.js";

const FLOAT_HINT = "linear algebra here is float32: pass float32 values (np.astype(a, 'float32'))";

function float32(op: string, what: string, x: Tracer): Tracer {
  if (x.dtype !== "float32")
    throw new JitScopeError("dtype", `${op}: ${what} has dtype ${x.dtype} (${avalText(x.aval)}); ${FLOAT_HINT}`);
  return x;
}

/** `a` as a float32 [...batch, n, n]. */
export function squareOperand(op: string, a: ArrayLike): Tracer {
  const x = float32(op, "a", asTracer(op, a));
  const s = x.shape;
  if (x.ndim < 2 || s[x.ndim - 1] !== s[x.ndim - 2])
    throw new JitScopeError(
      "shape",
      `${op}: a must be a square matrix or a batch of them [..., n, n], got ${avalText(x.aval)}`,
    );
  return x;
}

export interface Rhs {
  /** a broadcast to the common batch: [...batch, n, n]. */
  readonly a: Tracer;
  /** b as [...batch, n, k] (a vector b is one column). */
  readonly b: Tracer;
  /** Whether b was a vector [n]: the result drops its column axis again. */
  readonly vector: boolean;
}

/** a [..., n, n] and b [n] or [..., n, k], their batch axes broadcast together (as jnp.linalg.solve:
 *  only a 1-D b is a vector; a batch of vectors is b[..., None]). */
export function rhsOperands(op: string, a0: ArrayLike, b0: ArrayLike): Rhs {
  const a = squareOperand(op, a0);
  const b = float32(op, "b", asTracer(op, b0));
  const n = a.shape[a.ndim - 1]!;
  const vector = b.ndim === 1;
  const rows = vector ? b.shape[0] : b.ndim >= 2 ? b.shape[b.ndim - 2] : undefined;
  if (rows !== n) {
    const hint =
      b.ndim >= 2 && b.shape[b.ndim - 1] === n ? ` (a batch of vectors is b[..., None]: shape [..., ${n}, 1])` : "";
    throw new JitScopeError(
      "shape",
      `${op}: b must be [${n}] or [..., ${n}, k] to match a ${avalText(a.aval)}, got ${avalText(b.aval)}${hint}`,
    );
  }
  const bm = vector ? reshape(b, [n, 1]) : b;
  const batch = broadcastShapes(op, [a.shape.slice(0, -2), bm.shape.slice(0, -2)], () => [
    avalText(a.aval),
    avalText(b.aval),
  ]);
  return {
    a: broadcastTo(a, [...batch, n, n]),
    b: broadcastTo(bm, [...batch, n, bm.shape[bm.ndim - 1]!]),
    vector,
  };
}

/** Undoes the vector b's column axis. */
export function dropColumn(x: Tracer, vector: boolean): Tracer {
  return vector ? reshape(x, x.shape.slice(0, -1)) : x;
}
