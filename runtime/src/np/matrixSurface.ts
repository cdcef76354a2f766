// Matrix-shaped NumPy functions: diag, diagonal, trace, meshgrid, inner, cross, kron. All are
// reshapes, strided slices, pads and products of existing primitives, so they fuse, differentiate
// and batch like the rest. The diagonal trick: in a row-major [n, m] matrix flattened to n·m,
// diagonal k is the strided run start, start + m + 1, … (start = k, or -k·m below the main one).

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import { bind1, Tracer } from "../trace/core.js";
import * as ew from "./elementwise.js";
import { matmul } from "./linalg.js";
import { asTracer, type ArrayLike } from "./promote.js";
import { sum } from "./reductions.js";
import { broadcast_to, reshape, stack, transpose } from "./shape.js";
import { avalText, normalizeAxis, product } from "./validate.js";

/** Diagonal `offset` of the 2-D slices over `axis1`, `axis2`: those axes are removed and the
 *  diagonal becomes the last axis, as jnp.diagonal. */
export function diagonal(a: ArrayLike, offset = 0, axis1 = 0, axis2 = 1): Tracer {
  const x = asTracer("diagonal", a);
  if (x.ndim < 2) throw new JitScopeError("shape", `diagonal: needs at least 2 dims, got ${avalText(x.aval)}`);
  if (!Number.isInteger(offset)) throw new JitScopeError("value", `diagonal: offset must be an integer, got ${offset}`);
  const a1 = normalizeAxis("diagonal", axis1, x.ndim, x.shape);
  const a2 = normalizeAxis("diagonal", axis2, x.ndim, x.shape);
  if (a1 === a2) throw new JitScopeError("axis", `diagonal: axis1 and axis2 are both ${a1}; they must differ`);
  const rest = x.shape.map((_, i) => i).filter((i) => i !== a1 && i !== a2);
  const moved = transpose(x, [...rest, a1, a2]);
  const [n, m] = [x.shape[a1]!, x.shape[a2]!];
  const batch = rest.map((i) => x.shape[i]!);
  const len = Math.max(0, offset >= 0 ? Math.min(n, m - offset) : Math.min(n + offset, m));
  const flat = reshape(moved, [...batch, n * m]);
  const start = len === 0 ? 0 : offset >= 0 ? offset : -offset * m;
  const limit = len === 0 ? 0 : start + (len - 1) * (m + 1) + 1;
  return bind1(
    "slice",
    {
      starts: [...batch.map(() => 0), start],
      limits: [...batch, limit],
      strides: [...batch.map(() => 1), m + 1],
    },
    [flat],
  );
}

/** A 1-D array's square matrix with it on diagonal k, or a 2-D array's diagonal k, as jnp.diag. */
export function diag(v: ArrayLike, k = 0): Tracer {
  const x = asTracer("diag", v);
  if (!Number.isInteger(k)) throw new JitScopeError("value", `diag: k must be an integer, got ${k}`);
  if (x.ndim === 2) return diagonal(x, k);
  if (x.ndim !== 1) throw new JitScopeError("shape", `diag: input must be 1-D or 2-D, got ${avalText(x.aval)}`);
  const len = x.shape[0]!;
  const n = len + Math.abs(k);
  const start = k >= 0 ? k : -k * n;
  // Each entry followed by n zeros, laid out flat: entry i lands at i·(n+1); then shifted to
  // `start` and padded out to n·n.
  const spaced = bind1("pad", { low: [0, 0], high: [0, n], value: 0 }, [reshape(x, [len, 1])]);
  const run = len === 0 ? 0 : (len - 1) * (n + 1) + 1;
  const head = bind1("slice", { starts: [0], limits: [run], strides: [1] }, [reshape(spaced, [len * (n + 1)])]);
  const placed = bind1("pad", { low: [start], high: [n * n - start - run], value: 0 }, [head]);
  return reshape(placed, [n, n]);
}

/** Sum of diagonal `offset` over `axis1`, `axis2` (those axes removed), as jnp.trace. */
export function trace(a: ArrayLike, offset = 0, axis1 = 0, axis2 = 1): Tracer {
  return sum(diagonal(a, offset, axis1, axis2), -1);
}

export interface MeshgridOptions {
  /** "xy" (the default, Cartesian: the first two output axes swapped) or "ij" (matrix). */
  indexing?: "xy" | "ij";
}

/** Coordinate arrays from 1-D coordinate vectors, as jnp.meshgrid (inputs are flattened):
 *  `np.meshgrid(x, y)` or `np.meshgrid(x, y, { indexing: "ij" })`. */
export function meshgrid(...args: (ArrayLike | MeshgridOptions)[]): Tracer[] {
  const last = args[args.length - 1];
  const hasOptions = typeof last === "object" && last !== null && !(last instanceof Tracer);
  const options = (hasOptions ? args.pop() : {}) as MeshgridOptions;
  checkOptions("meshgrid", options, ["indexing"]);
  const indexing = options.indexing ?? "xy";
  if (indexing !== "xy" && indexing !== "ij")
    throw new JitScopeError("value", `meshgrid: indexing must be "xy" or "ij", got "${String(indexing)}"`);
  const xs = (args as ArrayLike[]).map((a) => reshape(asTracer("meshgrid", a), [-1]));
  const swap = indexing === "xy" && xs.length >= 2;
  const place = (i: number) => (swap && i < 2 ? 1 - i : i);
  const shape = xs.map((_, j) => xs[place(j)]!.shape[0]!);
  return xs.map((x, i) => {
    const ones = shape.map((_, j) => (j === place(i) ? x.shape[0]! : 1));
    return broadcast_to(reshape(x, ones), shape);
  });
}

/** Sum over the last axes of a and b: a.shape[:-1] + b.shape[:-1] (a scalar scales), as jnp.inner. */
export function inner(a: ArrayLike, b: ArrayLike): Tracer {
  const x = asTracer("inner", a);
  const y = asTracer("inner", b);
  if (x.ndim === 0 || y.ndim === 0) return ew.multiply(x, y);
  const k = x.shape[x.ndim - 1]!;
  if (y.shape[y.ndim - 1] !== k)
    throw new JitScopeError(
      "shape",
      `inner: the last axes must match, got ${avalText(x.aval)} and ${avalText(y.aval)} (${k} vs ${y.shape[y.ndim - 1]})`,
    );
  const outShape = [...x.shape.slice(0, -1), ...y.shape.slice(0, -1)];
  const rows = (t: Tracer) => reshape(t, [product(t.shape.slice(0, -1)), k]);
  const prod = matmul(rows(x), transpose(rows(y)));
  return reshape(prod, outShape);
}

/** Cross product along the last axis of 3-vectors (2-vectors give the z component), broadcasting
 *  the other axes, as jnp.cross with its default axes. */
export function cross(a: ArrayLike, b: ArrayLike): Tracer {
  const x = asTracer("cross", a);
  const y = asTracer("cross", b);
  const [dx, dy] = [x.shape[x.ndim - 1], y.shape[y.ndim - 1]];
  if (x.ndim === 0 || y.ndim === 0 || dx !== dy || (dx !== 2 && dx !== 3))
    throw new JitScopeError(
      "shape",
      `cross: the last axes must both have length 3 (or both 2), got ${avalText(x.aval)} and ${avalText(y.aval)}`,
    );
  const c = (t: Tracer, i: number) =>
    reshape(
      bind1(
        "slice",
        {
          starts: t.shape.map((_, j) => (j === t.ndim - 1 ? i : 0)),
          limits: t.shape.map((d, j) => (j === t.ndim - 1 ? i + 1 : d)),
          strides: t.shape.map(() => 1),
        },
        [t],
      ),
      t.shape.slice(0, -1),
    );
  const term = (i: number, j: number) => ew.subtract(ew.multiply(c(x, i), c(y, j)), ew.multiply(c(x, j), c(y, i)));
  if (dx === 2) return term(0, 1);
  return stack([term(1, 2), term(2, 0), term(0, 1)], -1);
}

/** Kronecker product, as jnp.kron: the shorter shape gets leading 1s; each axis multiplies. */
export function kron(a: ArrayLike, b: ArrayLike): Tracer {
  let x = asTracer("kron", a);
  let y = asTracer("kron", b);
  const nd = Math.max(x.ndim, y.ndim);
  x = reshape(x, [...Array<number>(nd - x.ndim).fill(1), ...x.shape]);
  y = reshape(y, [...Array<number>(nd - y.ndim).fill(1), ...y.shape]);
  // x as [x0, 1, x1, 1, …] times y as [1, y0, 1, y1, …], then each pair of axes merged.
  const xs = reshape(
    x,
    x.shape.flatMap((d) => [d, 1]),
  );
  const ys = reshape(
    y,
    y.shape.flatMap((d) => [1, d]),
  );
  return reshape(
    ew.multiply(xs, ys),
    x.shape.map((d, i) => d * y.shape[i]!),
  );
}

/** Sums over the last `axes` axes of a and the first of b (or over the listed pairs of axes),
 *  as one matmul: a's free axes, then b's. */
export function tensordot(
  a: ArrayLike,
  b: ArrayLike,
  axes: number | readonly [readonly number[], readonly number[]] = 2,
): Tracer {
  const x = asTracer("tensordot", a);
  const y = asTracer("tensordot", b);
  let [ax, bx]: [number[], number[]] =
    typeof axes === "number"
      ? [Array.from({ length: axes }, (_, i) => x.ndim - axes + i), Array.from({ length: axes }, (_, i) => i)]
      : [[...axes[0]], [...axes[1]]];
  if (typeof axes === "number" && (!Number.isInteger(axes) || axes < 0 || axes > Math.min(x.ndim, y.ndim)))
    throw new JitScopeError("axis", `tensordot: axes ${axes} is out of range for shapes [${x.shape}] and [${y.shape}]`);
  if (ax.length !== bx.length)
    throw new JitScopeError("axis", `tensordot: the two axis lists differ in length (${ax.length} and ${bx.length})`);
  ax = ax.map((i) => normalizeAxis("tensordot", i, x.ndim, x.shape));
  bx = bx.map((i) => normalizeAxis("tensordot", i, y.ndim, y.shape));
  ax.forEach((i, k) => {
    if (x.shape[i] !== y.shape[bx[k]!])
      throw new JitScopeError(
        "shape",
        `tensordot: axis ${i} of [${x.shape}] (${x.shape[i]}) does not match axis ${bx[k]} of [${y.shape}] (${y.shape[bx[k]!]})`,
      );
  });
  const freeA = x.shape.map((_, i) => i).filter((i) => !ax.includes(i));
  const freeB = y.shape.map((_, i) => i).filter((i) => !bx.includes(i));
  const k = product(ax.map((i) => x.shape[i]!));
  const lhs = reshape(transpose(x, [...freeA, ...ax]), [product(freeA.map((i) => x.shape[i]!)), k]);
  const rhs = reshape(transpose(y, [...bx, ...freeB]), [k, product(freeB.map((i) => y.shape[i]!))]);
  return reshape(matmul(lhs, rhs), [...freeA.map((i) => x.shape[i]!), ...freeB.map((i) => y.shape[i]!)]);
}

/** The dot product of a and b flattened (real arrays: no conjugate to take). */
export function vdot(a: ArrayLike, b: ArrayLike): Tracer {
  const x = reshape(asTracer("vdot", a), [-1]);
  const y = reshape(asTracer("vdot", b), [-1]);
  if (x.shape[0] !== y.shape[0])
    throw new JitScopeError("shape", `vdot: a and b must have as many elements, got ${x.shape[0]} and ${y.shape[0]}`);
  return sum(ew.multiply(x, y));
}
