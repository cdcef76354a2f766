// NumPy's index tricks, as jax.numpy has them: mgrid, ogrid, r_, c_, s_, index_exp. Python builds
// them from slice syntax (`jnp.mgrid[0:5, 0:3]`); JS has none, so each is a Proxy that reads the
// same with the slice written as a string key: `np.mgrid["0:5, 0:3"]`, `np.r_["1:4, 0, 0"]`,
// `np.s_["1:3, ::2"]`. A string key cannot carry arrays, so mgrid, ogrid, r_ and c_ are also
// functions, `np.r_(x, "1:4", 0)`: each argument an array, a number or a slice string (several
// entries in one string as in the key), and for r_ / c_ a first string without ":" is NumPy's
// directive ("0,2,-1", "r", "c"). Everything here is static (Python's slices are too): the grids
// are built on the host, and only concatenation of traced arrays is traced.

import { JitScopeError } from "../ir/errors.js";
import type { DType } from "../ir/types.js";
import { Tracer } from "../trace/core.js";
import { arange, array, linspace, type NestedList } from "./creation.js";
import { indexTuple, newaxis, type IndexPiece, type IndexTuple, type SliceBounds } from "./indexExpression.js";
import { asTracer, cast, promoteTypes } from "./promote.js";
import { broadcast_to, concatenate, expand_dims, reshape, stack, transpose } from "./shape.js";

/** One piece of an index-trick string: a number, a slice (its step a count when written `5j`),
 *  "..." or newaxis. `float`: written with a point or exponent (Python's 1. is a float). */
type Piece =
  | { kind: "number"; value: number; float: boolean }
  | { kind: "slice"; start: number | null; stop: number | null; step: number | null; count: boolean; float: boolean }
  | { kind: "ellipsis" }
  | { kind: "newaxis" };

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** The pieces of "0:5, -1:1:5j, 2" (commas between entries, as Python's tuple of slices). */
function pieces(op: string, text: string): Piece[] {
  const bad = (why: string) => new JitScopeError("value", `${op}[${JSON.stringify(text)}]: ${why}`);
  const num = (p: string, what: string): { value: number; float: boolean } => {
    if (!NUMBER.test(p)) throw bad(`${what} ${JSON.stringify(p)} is not a number`);
    return { value: Number(p), float: /[.e]/i.test(p) };
  };
  const parts = text.split(",").map((p) => p.trim());
  if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop(); // "1:3," is a tuple of one
  return parts.map((p): Piece => {
    if (p === "...") return { kind: "ellipsis" };
    if (p === "None" || p === "newaxis") return { kind: "newaxis" };
    if (!p.includes(":")) return { kind: "number", ...num(p, "entry") };
    const bounds = p.split(":").map((b) => b.trim());
    if (bounds.length > 3) throw bad(`"${p}" is not a slice (write start:stop or start:stop:step)`);
    const [a, b, c = ""] = bounds;
    const step = c.toLowerCase().endsWith("j") ? { ...num(c.slice(0, -1) || "1", "count"), count: true } : null;
    const got = [a!, b!].map((s, k) => (s === "" ? null : num(s, k === 0 ? "start" : "stop")));
    const plain = step === null && c !== "" ? num(c, "step") : null;
    return {
      kind: "slice",
      start: got[0]?.value ?? null,
      stop: got[1]?.value ?? null,
      step: step?.value ?? plain?.value ?? null,
      count: step !== null,
      float: got.some((g) => g?.float === true) || plain?.float === true,
    };
  });
}

/** A slice of a grid or r_ / c_ as JAX's _make_1d_grid_from_slice: arange(start, stop, step),
 *  or linspace(start, stop, |n|) for a count step `nj` (the stop included). */
function gridOf(op: string, s: Extract<Piece, { kind: "slice" }>): Tracer {
  if (s.stop === null) throw new JitScopeError("value", `${op}: a grid's slice needs a stop, as in "0:5"`);
  const start = s.start ?? 0;
  // Python's `step or 1`: a step of 0 (0j too) reads as 1, as in JAX.
  if (s.count && s.step) return linspace(start, s.stop, Math.trunc(Math.abs(s.step)));
  const step = s.step || 1;
  return arange(start, s.stop, step, { dtype: s.float || !Number.isInteger(step) ? "float32" : "int32" });
}

/** A grid's slices, from the key string or the call's strings and { start, stop, step } objects. */
type GridSlice = string | SliceBounds;
function gridSlices(op: string, given: readonly GridSlice[]): Tracer[] {
  const ps = given.flatMap((g): Piece[] =>
    typeof g === "string"
      ? pieces(op, g)
      : [
          {
            kind: "slice",
            start: g.start ?? null,
            stop: g.stop ?? null,
            step: g.step ?? null,
            count: false,
            float: false,
          },
        ],
  );
  if (ps.length === 0) throw new JitScopeError("value", `${op}: needs at least one slice`);
  const grids = ps.map((p) => {
    if (p.kind !== "slice") throw new JitScopeError("value", `${op}: takes slices such as "0:5" or "0:1:5j"`);
    return gridOf(op, p);
  });
  const dtype = grids.map((g) => g.dtype).reduce(promoteTypes);
  return grids.map((g) => cast(g, dtype));
}

/** Dense grids: one slice gives its range; n slices an [n, …sizes] array of coordinates. */
function mgridOf(given: readonly GridSlice[]): Tracer {
  const grids = gridSlices("mgrid", given);
  if (grids.length === 1 && !(typeof given[0] === "string" && given[0].includes(","))) return grids[0]!;
  const shape = grids.map((g) => g.shape[0]!);
  return stack(
    grids.map((g, i) =>
      broadcast_to(
        reshape(
          g,
          shape.map((d, j) => (j === i ? d : 1)),
        ),
        shape,
      ),
    ),
  );
}

/** Open grids: one slice gives its range; n slices n arrays, the i-th along axis i only. */
function ogridOf(given: readonly GridSlice[]): Tracer | Tracer[] {
  const grids = gridSlices("ogrid", given);
  if (grids.length === 1 && !(typeof given[0] === "string" && given[0].includes(","))) return grids[0]!;
  return grids.map((g, i) =>
    reshape(
      g,
      grids.map((_, j) => (j === i ? g.shape[0]! : 1)),
    ),
  );
}

/** What r_ / c_ take: arrays (or nested lists), numbers and slice strings. */
export type ConcatItem = Tracer | NestedList | number | string;

interface ConcatDefaults {
  op: string;
  axis: number;
  ndmin: number;
  trans1d: number;
}

/** NumPy's directive "axis,ndmin,trans1d" (missing ones from the defaults) or "r" / "c". */
function directive(d: ConcatDefaults, text: string): [number, number, number, number] {
  if (text.trim() === "r") return [d.axis, d.ndmin, d.trans1d, 0];
  if (text.trim() === "c") return [d.axis, d.ndmin, d.trans1d, 1];
  const given = text.split(",").map((p) => p.trim());
  const params = [d.axis, d.ndmin, d.trans1d];
  given.slice(0, 3).forEach((p, k) => {
    if (!/^[+-]?\d+$/.test(p))
      throw new JitScopeError("value", `${d.op}: could not understand directive ${JSON.stringify(text)}`);
    params[k] = Number(p);
  });
  return [params[0]!, params[1]!, params[2]!, -1];
}

/** JAX's _AxisConcat: each item made an array of at least ndmin axes (a 1-D one's axis moved
 *  by trans1d), then all concatenated along axis; "r" / "c" make a 1-D result a row / column. */
function axisConcat(d: ConcatDefaults, items: readonly ConcatItem[], fromKey: boolean): Tracer {
  let [axis, ndmin, trans1d, matrix] = [d.axis, d.ndmin, d.trans1d, -1];
  let rest = items;
  if (
    !fromKey &&
    typeof items[0] === "string" &&
    !items[0].includes(":") &&
    !/^\s*(None|newaxis|\.\.\.)\s*$/.test(items[0])
  ) {
    [axis, ndmin, trans1d, matrix] = directive(d, items[0]);
    rest = items.slice(1);
  }
  const parts: [Tracer, number][] = rest.flatMap((item): [Tracer, number][] => {
    if (typeof item === "string")
      return pieces(d.op, item).map((p): [Tracer, number] => {
        if (p.kind === "slice") return [gridOf(d.op, p), 0];
        if (p.kind === "number")
          return [array(p.value, { dtype: p.float || !Number.isInteger(p.value) ? "float32" : "int32" }), 0];
        throw new JitScopeError(
          "value",
          `${d.op}: takes arrays, numbers and slices, not "${p.kind === "ellipsis" ? "..." : "None"}"`,
        );
      });
    if (typeof item === "number") return [[array(item, { dtype: Number.isInteger(item) ? "int32" : "float32" }), 0]];
    const t = Array.isArray(item) ? array(item) : asTracer(d.op, item);
    return [[t, t.ndim]];
  });
  if (parts.length === 0)
    throw new JitScopeError("value", `${d.op}: needs at least one array, number or slice to join`);
  const out = parts.map(([t, itemNdim]) => {
    let a = t.ndim < ndmin ? reshape(t, [...Array<number>(ndmin - t.ndim).fill(1), ...t.shape]) : t;
    if (trans1d !== -1 && ndmin - itemNdim > 0) {
      const shifts = ndmin - (Math.abs(ndmin + trans1d + 1) % ndmin);
      const order = Array.from({ length: ndmin }, (_, k) => k);
      a = transpose(a, [...order.slice(shifts), ...order.slice(0, shifts)]);
    }
    return a;
  });
  const dtype: DType = out.map((a) => a.dtype).reduce(promoteTypes);
  const res = concatenate(
    out.map((a) => cast(a, dtype)),
    axis,
  );
  return matrix !== -1 && res.ndim === 1 ? expand_dims(res, matrix) : res;
}

/** The entries of an s_ / index_exp key as x.at takes them. */
function indexEntries(text: string): IndexPiece[] {
  return pieces("s_", text).map((p): IndexPiece => {
    if (p.kind === "ellipsis") return "...";
    if (p.kind === "newaxis") return newaxis;
    if (p.float || (p.kind === "slice" && p.count))
      throw new JitScopeError(
        "value",
        `s_[${JSON.stringify(text)}]: an index takes integers, got a float or a count step`,
      );
    if (p.kind === "number") return p.value;
    return Object.freeze({ start: p.start, stop: p.stop, step: p.step });
  });
}

/** An object read by string keys (`obj["0:5, 0:3"]`) and, when `call` is given, called. Keys the
 *  target has (a function's name, length, call, …), symbols and "then" (so that awaiting it
 *  does not parse "then") are left alone. */
function keyed<T extends object>(target: T, onKey: (key: string) => unknown): T {
  return new Proxy(target, {
    get(t, key, receiver) {
      if (typeof key === "symbol" || key in t) return Reflect.get(t, key, receiver) as unknown;
      if (key === "then") return undefined;
      return onKey(key);
    },
  });
}

/** np.mgrid["0:5, 0:3"] or np.mgrid("0:5", "0:3"): dense coordinate grids (jnp.mgrid). */
export interface Mgrid {
  (...slices: GridSlice[]): Tracer;
  readonly [slices: string]: Tracer;
}
/** np.ogrid["0:5, 0:3"]: open grids, one array per slice (jnp.ogrid); one slice, its range. */
export interface Ogrid {
  (...slices: GridSlice[]): Tracer | Tracer[];
  readonly [slices: string]: Tracer | Tracer[];
}
/** np.r_["1:4, 0"] or np.r_(x, "1:4", 0): arrays, numbers and ranges joined (jnp.r_, jnp.c_). */
export interface AxisConcat {
  (...items: ConcatItem[]): Tracer;
  readonly [items: string]: Tracer;
}
/** np.s_["1:3, ::2"]: the index as x.at takes it (jnp.s_ / index_exp). */
export interface IndexMaker<R> {
  readonly [index: string]: R;
}

export const mgrid = keyed(
  (...slices: GridSlice[]) => mgridOf(slices),
  (k) => mgridOf([k]),
) as Mgrid;
export const ogrid = keyed(
  (...slices: GridSlice[]) => ogridOf(slices),
  (k) => ogridOf([k]),
) as Ogrid;

const R: ConcatDefaults = { op: "r_", axis: 0, ndmin: 1, trans1d: -1 };
const C: ConcatDefaults = { op: "c_", axis: -1, ndmin: 2, trans1d: 0 };
export const r_ = keyed(
  (...items: ConcatItem[]) => axisConcat(R, items, false),
  (k) => axisConcat(R, [k], true),
) as AxisConcat;
export const c_ = keyed(
  (...items: ConcatItem[]) => axisConcat(C, items, false),
  (k) => axisConcat(C, [k], true),
) as AxisConcat;

/** s_: one entry is itself (a { start, stop, step } slice, a number, "..." or newaxis), more are
 *  an index tuple: x.at(np.s_["1:3, ::2"]) = x.at("1:3", "::2"). index_exp: always a tuple. */
export const s_ = keyed({}, (k) => {
  const e = indexEntries(k);
  return e.length === 1 && !k.trim().endsWith(",") ? e[0] : indexTuple(e);
}) as IndexMaker<IndexPiece | IndexTuple>;
export const index_exp = keyed({}, (k) => indexTuple(indexEntries(k))) as IndexMaker<IndexTuple>;
