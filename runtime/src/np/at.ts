// JAX's functional updates, `x.at(index).get() / .set(v) / .add(v) / .multiply(v) / .min(v) /
// .max(v)`, written `x.at(i, j, …)` for JAX's x.at[i, j, …] (JS has no indexing syntax to hook).
// Each index entry is
//   a number            picks one entry (the axis goes away), negative counts from the end;
//   a slice             "1:-1", "::2", "::-1", ":" (or null), or { start, stop, step }; a negative
//                       step walks backwards, as in Python (read as the forward slice, reversed);
//   "..."               the remaining axes, whole;
//   "i, 1:-1, ..."      several entries in one string, as NumPy writes x[i, 1:-1, ...] (each
//                       piece a number, a slice, "..." or "None");
//   np.newaxis          ("newaxis", or "None" in a string) a new axis of size 1, as JAX's None
//                       (not with index arrays; np/indexExpression.ts);
//   np.s_[…]            an index tuple, spliced in as its entries;
//   an int32 Array / a list of numbers: advanced indexing, as NumPy's (index arrays broadcast
//                       together; their result axes replace theirs where they are adjacent, else
//                       go first; numbers count as index arrays when an array is present).
// Slices and numbers become a static slice; index arrays a single `gather` (get) or `scatter`
// (updates) over their axes merged into one. Updates of a slice are elementwise (`where` over a
// padded value), so a stencil's `u.at("1:-1", "1:-1").set(…)` fuses into one kernel. Duplicate
// indices: add / multiply / min / max combine every update; set keeps the last (row-major order
// of the index arrays). An index array's negative entries count from the end once; entries still
// outside the axis are clamped by `get` (JAX's default, or { mode: "clip" }) or read fill_value
// with { mode: "fill" }, and drop their update (JAX's default) unless { mode: "clip" } clamps them.

import { JitScopeError } from "../ir/errors.js";
import type { ScatterMode } from "../ir/types.js";
import { bind1, lit, Tracer } from "../trace/core.js";
import { array } from "./creation.js";
import { wrapNegative } from "./indexing.js";
import { asTracer, broadcastShapes, broadcastTo, cast, type ArrayLike } from "./promote.js";
import { avalText } from "./validate.js";
import { splitIndex, withoutNewaxis, withUnitAxes, type IndexTuple } from "./indexExpression.js";
import { checkOptions } from "../apiOptions.js";
import {
  checkMode,
  clampInto,
  fillValue,
  filled,
  indexInside,
  READ_OPTIONS,
  WRITE_OPTIONS,
  type OutOfBoundsMode,
  type ReadOptions,
  type WriteOptions,
} from "./outOfBounds.js";

/** JAX's keywords of .at[…].get and of the updates (np/outOfBounds.ts). */
export type AtGetOptions = ReadOptions;
export type AtUpdateOptions = WriteOptions;
const MODES: readonly OutOfBoundsMode[] = ["promise_in_bounds", "clip", "fill", "drop"];

export interface SliceSpec {
  readonly start?: number | null;
  readonly stop?: number | null;
  readonly step?: number | null;
}
export type IndexEntry =
  number | string | null | SliceSpec | Tracer | readonly number[] | readonly (readonly number[])[] | IndexTuple;

type Entry =
  | { kind: "slice"; start: number; stop: number; step: number; reversed: boolean }
  | { kind: "int"; i: number }
  | { kind: "array"; idx: Tracer; given: Tracer }; // idx: `given` with negatives wrapped once

/** The object `x.at(…)` returns. */
export class AtIndex {
  constructor(
    private readonly x: Tracer,
    private readonly index: readonly IndexEntry[],
  ) {}
  get(options: AtGetOptions = {}): Tracer {
    return atGet(this.x, this.index, options);
  }
  set(v: ArrayLike, options: AtUpdateOptions = {}): Tracer {
    return atUpdate(this.x, this.index, v, "set", options);
  }
  add(v: ArrayLike, options: AtUpdateOptions = {}): Tracer {
    return atUpdate(this.x, this.index, v, "add", options);
  }
  multiply(v: ArrayLike, options: AtUpdateOptions = {}): Tracer {
    return atUpdate(this.x, this.index, v, "mul", options);
  }
  mul(v: ArrayLike, options: AtUpdateOptions = {}): Tracer {
    return atUpdate(this.x, this.index, v, "mul", options);
  }
  min(v: ArrayLike, options: AtUpdateOptions = {}): Tracer {
    return atUpdate(this.x, this.index, v, "min", options);
  }
  max(v: ArrayLike, options: AtUpdateOptions = {}): Tracer {
    return atUpdate(this.x, this.index, v, "max", options);
  }
}

function describe(index: readonly IndexEntry[]): string {
  return index
    .map((e) =>
      e instanceof Tracer
        ? avalText(e.aval)
        : typeof e === "string"
          ? JSON.stringify(e)
          : (JSON.stringify(e) ?? String(e)),
    )
    .join(", ");
}

function parse(x: Tracer, given: readonly IndexEntry[]): Entry[] {
  const bad = (why: string) => new JitScopeError("value", `at(${describe(given)}) on ${avalText(x.aval)}: ${why}`);
  const index = splitIndex(given) as IndexEntry[];
  const ellipses = index.filter((e) => e === "...").length;
  if (ellipses > 1) throw bad(`at most one "..."`);
  const used = index.length - ellipses;
  if (used > x.ndim) throw bad(`${used} indices for ${x.ndim} axes`);
  const expanded: IndexEntry[] = [];
  for (const e of index) {
    if (e === "...") for (let k = 0; k < x.ndim - used; k++) expanded.push(null);
    else expanded.push(e);
  }
  while (expanded.length < x.ndim) expanded.push(null);
  return expanded.map((e, axis): Entry => {
    const n = x.shape[axis]!;
    if (typeof e === "number") {
      if (!Number.isInteger(e) || e < -n || e >= n)
        throw bad(`index ${e} is out of bounds for axis ${axis} (size ${n})`);
      return { kind: "int", i: e < 0 ? e + n : e };
    }
    if (e instanceof Tracer) {
      if (e.dtype === "bool")
        throw bad("boolean masks give a shape known only from the values; use np.where(mask, …) instead");
      if (e.dtype !== "int32") throw bad(`index arrays must be int32, got ${avalText(e.aval)}`);
      return { kind: "array", idx: wrapNegative(e, n), given: e };
    }
    if (Array.isArray(e)) {
      const given = array(e as number[], { dtype: "int32" });
      return { kind: "array", idx: wrapNegative(given, n), given };
    }
    const spec = e === null ? {} : typeof e === "string" ? parseSlice(e, bad) : (e as SliceSpec);
    const step = spec.step ?? 1;
    if (!Number.isInteger(step) || step === 0)
      throw bad(`slice step ${String(step)} on axis ${axis} must be a nonzero integer`);
    const bound = (v: number | null | undefined): number | null => {
      if (v === null || v === undefined) return null;
      if (!Number.isInteger(v)) throw bad(`slice bound ${String(v)} on axis ${axis} must be an integer`);
      return v < 0 ? v + n : v;
    };
    const [start, stop] = [bound(spec.start), bound(spec.stop)];
    if (step > 0) {
      const lo = Math.min(Math.max(start ?? 0, 0), n);
      return {
        kind: "slice",
        start: lo,
        stop: Math.max(lo, Math.min(Math.max(stop ?? n, 0), n)),
        step,
        reversed: false,
      };
    }
    return backwards(start, stop, -step, n);
  });
}

/** Python's x[start:stop:-s] (bounds already offset by n when negative): start, start − s, … while
 *  above stop, read as the forward slice over the same entries, then reversed. */
function backwards(start: number | null, stop: number | null, s: number, n: number): Entry {
  const first = start === null ? n - 1 : Math.min(Math.max(start, -1), n - 1);
  const end = stop === null ? -1 : Math.min(Math.max(stop, -1), n - 1);
  const count = first > end ? Math.floor((first - end - 1) / s) + 1 : 0;
  const last = first - (count - 1) * s;
  return count === 0
    ? { kind: "slice", start: 0, stop: 0, step: 1, reversed: false }
    : { kind: "slice", start: last, stop: first + 1, step: s, reversed: true };
}

function parseSlice(s: string, bad: (why: string) => Error): SliceSpec {
  const parts = s.split(":").map((p) => p.trim());
  if (parts.length < 2 || parts.length > 3)
    throw bad(`"${s}" is not a slice (write "start:stop" or "start:stop:step")`);
  const num = (p: string | undefined) => {
    if (p === undefined || p === "") return null;
    const v = Number(p);
    if (!Number.isInteger(v)) throw bad(`"${s}": ${p} is not an integer`);
    return v;
  };
  return { start: num(parts[0]), stop: num(parts[1]), step: num(parts[2]) };
}

/** The static part: slices, and numbers when no index array is present. */
interface Plan {
  readonly entries: Entry[];
  readonly hasArray: boolean;
  readonly starts: number[];
  readonly limits: number[];
  readonly strides: number[];
  /** Axes of the sliced array that a number removes (no index arrays). */
  readonly dropped: number[];
  /** Axes whose slice has a negative step: the forward slice, then reversed. */
  readonly reversed: number[];
}

function plan(x: Tracer, index: readonly IndexEntry[]): Plan {
  const entries = parse(x, index);
  const hasArray = entries.some((e) => e.kind === "array");
  const starts: number[] = [],
    limits: number[] = [],
    strides: number[] = [],
    dropped: number[] = [];
  entries.forEach((e, axis) => {
    if (e.kind === "slice") {
      starts.push(e.start);
      limits.push(e.stop);
      strides.push(e.step);
    } else if (e.kind === "int" && !hasArray) {
      starts.push(e.i);
      limits.push(e.i + 1);
      strides.push(1);
      dropped.push(axis);
    } else {
      starts.push(0);
      limits.push(x.shape[axis]!);
      strides.push(1);
    }
  });
  const reversed = entries.flatMap((e, axis) => (e.kind === "slice" && e.reversed ? [axis] : []));
  return { entries, hasArray, starts, limits, strides, dropped, reversed };
}

/** Whether the forward slices cover x (a reversed axis may still reorder it). */
const isWhole = (x: Tracer, p: Plan) =>
  p.starts.every((s, i) => s === 0 && p.limits[i] === x.shape[i] && p.strides[i] === 1);

function sliced(x: Tracer, p: Plan): Tracer {
  return isWhole(x, p) ? x : bind1("slice", { starts: p.starts, limits: p.limits, strides: p.strides }, [x]);
}

/** y with its negative-step axes reversed (its own inverse). */
const flipped = (y: Tracer, p: Plan): Tracer => (p.reversed.length === 0 ? y : bind1("rev", { axes: p.reversed }, [y]));

/** The advanced part: the sliced array with the index arrays' axes moved together and merged
 *  into one, the flat index into that axis, and how to undo the move. */
interface Merged {
  readonly y: Tracer; // [...before, prod(n_k), ...after]
  readonly flat: Tracer; // int32[S]
  readonly indexShape: number[]; // S, the index arrays' broadcast shape
  readonly pos: number;
  readonly perm: number[]; // sliced -> moved
  readonly movedShape: number[];
}

/** "clamp" brings each index into its axis; "mask" makes the flat index −1 (the gather reads
 *  0 there and the scatter drops the update) where any is outside. */
function merge(y: Tracer, p: Plan, how: "clamp" | "mask"): Merged {
  const axes = p.entries.flatMap((e, k) => (e.kind !== "slice" ? [k] : []));
  const idxs = p.entries.flatMap((e): Tracer[] =>
    e.kind === "array" ? [e.idx] : e.kind === "int" ? [asTracer("at", e.i, "int32")] : [],
  );
  const shape = broadcastShapes(
    "at",
    idxs.map((t) => t.shape),
  );
  const adjacent = axes.every((a, k) => a === axes[0]! + k);
  const pos = adjacent ? axes[0]! : 0;
  const rest = y.shape.map((_, k) => k).filter((k) => !axes.includes(k));
  const perm = [...rest.slice(0, pos), ...axes, ...rest.slice(pos)];
  const moved = perm.every((q, k) => q === k) ? y : bind1("transpose", { perm }, [y]);
  const movedShape = moved.shape;
  const sizes = axes.map((a) => y.shape[a]!);
  const total = sizes.reduce((a, b) => a * b, 1);
  const mergedShape = [...movedShape.slice(0, pos), total, ...movedShape.slice(pos + axes.length)];
  const merged = bind1("reshape", { shape: mergedShape }, [moved]);
  // flat = Σ i_k · stride_k.
  let flat: Tracer | null = null;
  let inside: Tracer | null = null;
  let stride = 1;
  for (let k = axes.length - 1; k >= 0; k--) {
    const raw = broadcastTo(idxs[k]!, shape);
    const i = how === "clamp" ? clampInto(raw, sizes[k]!) : raw;
    const term = stride === 1 ? i : bind1("mul", {}, [i, lit(stride, "int32")]);
    flat = flat ? bind1("add", {}, [flat, term]) : term;
    if (how === "mask") {
      const ok = indexInside(i, sizes[k]!);
      inside = inside ? bind1("where", {}, [inside, ok, lit(0, "bool")]) : ok;
    }
    stride *= sizes[k]!;
  }
  if (inside) flat = bind1("where", {}, [inside, flat!, lit(-1, "int32")]);
  return { y: merged, flat: flat!, indexShape: shape, pos, perm, movedShape };
}

export function atGet(x: Tracer, given: readonly IndexEntry[], options: AtGetOptions = {}): Tracer {
  checkOptions("at().get", options, READ_OPTIONS);
  // np.newaxis entries: index without them, then put their size-1 axes in.
  const { rest: index, positions } = withoutNewaxis(`at(${describe(given)})`, given, x.ndim);
  if (positions.length > 0) {
    const r = atGet(x, index as IndexEntry[], options);
    return bind1("reshape", { shape: withUnitAxes(r.shape, positions) }, [r]);
  }
  const mode = checkMode("at().get", options.mode, MODES, "promise_in_bounds");
  const p = plan(x, index);
  const y = flipped(sliced(x, p), p);
  if (!p.hasArray) {
    return p.dropped.length === 0
      ? y
      : bind1("reshape", { shape: y.shape.filter((_, k) => !p.dropped.includes(k)) }, [y]);
  }
  const m = merge(y, p, "clamp");
  const read = bind1("gather", { axis: m.pos }, [m.y, m.flat]);
  if (mode !== "fill" && mode !== "drop") return read;
  // Inside after wrapping ⇔ −n ≤ index < n, tested on the indices as given, spread to the
  // result's shape, so the test fuses into the gather's kernel.
  let inside: Tracer | null = null;
  p.entries.forEach((e, axis) => {
    if (e.kind !== "array") return;
    const n = x.shape[axis]!;
    const given = broadcastTo(e.given, m.indexShape);
    const spread = bind1("broadcast", { shape: read.shape, dims: given.shape.map((_, k) => m.pos + k) }, [given]);
    const ok = indexInside(bind1("add", {}, [spread, lit(n, "int32")]), 2 * n);
    inside = inside === null ? ok : bind1("where", {}, [inside, ok, lit(0, "bool")]);
  });
  return filled(read, inside!, m.pos, fillValue("at().get", x.dtype, options.fill_value));
}

export function atUpdate(
  x: Tracer,
  index: readonly IndexEntry[],
  v: ArrayLike,
  mode: ScatterMode,
  options: AtUpdateOptions = {},
): Tracer {
  const op = `at().${mode === "mul" ? "multiply" : mode}`;
  checkOptions(op, options, WRITE_OPTIONS);
  const { rest, positions } = withoutNewaxis(`at(${describe(index)})`, index, x.ndim);
  if (positions.length > 0) {
    // The values broadcast against the indexed shape with its size-1 axes, which then go.
    const within = atGet(x, index).shape;
    const vt = cast(asTracer(op, v, x.dtype), x.dtype);
    if (vt.ndim > within.length || vt.shape.some((d, k) => d !== 1 && d !== within[within.length - vt.ndim + k]))
      throw new JitScopeError(
        "shape",
        `at(${describe(index)}).${mode === "mul" ? "multiply" : mode}: values ${avalText(vt.aval)} do not broadcast to the indexed shape [${within.join(",")}] of ${avalText(x.aval)}`,
      );
    const flat = bind1("reshape", { shape: within.filter((_, k) => !positions.includes(k)) }, [
      broadcastTo(vt, within),
    ]);
    return atUpdate(x, rest as IndexEntry[], flat, mode, options);
  }
  const bounds = checkMode(op, options.mode, MODES, "drop");
  const p = plan(x, index);
  // The box as `get` sees it (negative-step axes reversed), updated, then turned back.
  const y = flipped(sliced(x, p), p);
  const target = atGet(x, index).shape; // where the values go, as `get` would return them
  const raw = cast(asTracer(`at().${mode}`, v, x.dtype), x.dtype);
  const fits =
    raw.ndim <= target.length && raw.shape.every((d, k) => d === 1 || d === target[target.length - raw.ndim + k]);
  if (!fits) {
    throw new JitScopeError(
      "shape",
      `at(${describe(index)}).${mode === "mul" ? "multiply" : mode}: values ${avalText(raw.aval)} do not broadcast to the indexed shape [${target.join(",")}] of ${avalText(x.aval)}`,
    );
  }
  const val = broadcastTo(raw, target);
  let newY: Tracer;
  if (!p.hasArray) {
    newY = combine(y, bind1("reshape", { shape: y.shape }, [val]), mode);
  } else {
    const m = merge(y, p, bounds === "clip" ? "clamp" : "mask");
    const out = bind1("scatter", { axis: m.pos, mode }, [m.y, m.flat, val]);
    const back = bind1("reshape", { shape: m.movedShape }, [out]);
    const inv = m.perm.map((_, k) => m.perm.indexOf(k));
    newY = inv.every((q, k) => q === k) ? back : bind1("transpose", { perm: inv }, [back]);
  }
  newY = flipped(newY, p);
  if (isWhole(x, p)) return newY;
  // Put the updated box back: where(inside the box, the box's new values, x).
  const mask = embed(bind1("broadcast", { shape: y.shape, dims: [] }, [lit(1, "bool")]), x.shape, p, 0);
  return bind1("where", {}, [mask, embed(newY, x.shape, p, 0), x]);
}

function combine(a: Tracer, b: Tracer, mode: ScatterMode): Tracer {
  switch (mode) {
    case "set":
      return b;
    case "add":
    case "mul":
    case "min":
    case "max":
      if (a.dtype === "bool")
        throw new JitScopeError("dtype", `at().${mode}: not defined for bool arrays (${avalText(a.aval)}); cast first`);
      return bind1(mode, {}, [a, b]);
    default:
      return mode satisfies never;
  }
}

/** `v` (the box's shape) placed at the box's positions of an array of `shape`, `fill` elsewhere:
 *  strided axes are spread with a padded unit axis, then the box is padded into place. */
function embed(v: Tracer, shape: readonly number[], p: Plan, fill: number): Tracer {
  let r = v;
  for (let axis = 0; axis < shape.length; axis++) {
    const s = p.strides[axis]!;
    const n = r.shape[axis]!;
    if (s === 1 || n === 0) continue;
    const widened = [...r.shape.slice(0, axis + 1), 1, ...r.shape.slice(axis + 1)];
    r = bind1("reshape", { shape: widened }, [r]);
    r = bind1(
      "pad",
      { low: widened.map(() => 0), high: widened.map((_, k) => (k === axis + 1 ? s - 1 : 0)), value: fill },
      [r],
    );
    const spread = [...r.shape];
    spread.splice(axis, 2, n * s);
    r = bind1("reshape", { shape: spread }, [r]);
    const keep = Math.min(n * s, shape[axis]! - p.starts[axis]!);
    if (keep < n * s)
      r = bind1(
        "slice",
        {
          starts: spread.map(() => 0),
          limits: spread.map((d, k) => (k === axis ? keep : d)),
          strides: spread.map(() => 1),
        },
        [r],
      );
  }
  const low = p.starts;
  const high = shape.map((d, k) => d - low[k]! - r.shape[k]!);
  return bind1("pad", { low: [...low], high, value: fill }, [r]);
}
