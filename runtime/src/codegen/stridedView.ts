// A value read from another value's buffer without a copy: element (i0, i1, …) of the view is
// element offset + Σ ik·strides[k] of the buffer, in elements. Reshapes, transposes and slices
// of a value in memory compose into one such view when the bytes allow it (a transpose followed
// by a reshape that merges the swapped axes does not), so a kernel that reads them (a matmul's
// operands) binds the source buffer and indexes it, where a copy kernel would only move bytes.

import { stridesOf, type Eqn, type PrimParams } from "../ir/types.js";

export interface StridedView {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}

/** The row-major layout of `shape`: the view a buffer holds its own value in. */
export function contiguousView(shape: readonly number[]): StridedView {
  return { shape: [...shape], strides: stridesOf(shape), offset: 0 };
}

/** Whether the view reads its buffer in row-major order from its offset (a plain reshape). */
export function isContiguous(v: StridedView): boolean {
  const c = contiguousView(v.shape);
  return v.shape.every((n, k) => n === 1 || v.strides[k] === c.strides[k]);
}

export function transposeView(v: StridedView, perm: readonly number[]): StridedView {
  return { shape: perm.map((p) => v.shape[p]!), strides: perm.map((p) => v.strides[p]!), offset: v.offset };
}

export function sliceView(v: StridedView, p: PrimParams["slice"]): StridedView {
  const steps = v.shape.map((_, k) => p.strides[k] ?? 1);
  return {
    shape: v.shape.map((_, k) => Math.max(0, Math.ceil((p.limits[k]! - p.starts[k]!) / steps[k]!))),
    strides: v.strides.map((s, k) => s * steps[k]!),
    offset: v.offset + p.starts.reduce((o, st, k) => o + st * v.strides[k]!, 0),
  };
}

/** The view at `shape` of the same elements in the same order, or null where the strides do not
 *  allow it: every run of axes merged or split must be one stride apart (axes of size 1 aside). */
export function reshapeView(v: StridedView, shape: readonly number[]): StridedView | null {
  if (v.shape.includes(0) || shape.includes(0)) return null;
  const old = v.shape.flatMap((n, k) => (n === 1 ? [] : [{ n, s: v.strides[k]! }]));
  const axes = shape.flatMap((n, k) => (n === 1 ? [] : [k]));
  const strides = shape.map(() => 0);
  let [o, a] = [0, 0];
  while (o < old.length && a < axes.length) {
    let [oEnd, aEnd] = [o + 1, a + 1];
    let [po, pa] = [old[o]!.n, shape[axes[a]!]!];
    while (po !== pa) {
      if (po < pa && oEnd < old.length) po *= old[oEnd++]!.n;
      else if (pa < po && aEnd < axes.length) pa *= shape[axes[aEnd++]!]!;
      else return null;
    }
    for (let k = o; k < oEnd - 1; k++) if (old[k]!.s !== old[k + 1]!.s * old[k + 1]!.n) return null;
    let s = old[oEnd - 1]!.s;
    for (let k = aEnd - 1; k >= a; k--) {
      strides[axes[k]!] = s;
      s *= shape[axes[k]!]!;
    }
    [o, a] = [oEnd, aEnd];
  }
  if (o !== old.length || a !== axes.length) return null;
  return { shape: [...shape], strides, offset: v.offset };
}

/** The movement ops a view composes: reshape, transpose, slice. */
export function isViewOp(e: Eqn): boolean {
  return e.prim === "reshape" || e.prim === "transpose" || e.prim === "slice";
}

/** `chain` applied in order to the contiguous layout of its first input, or null where one step
 *  needs a copy. Each equation's input is the previous one's output. */
export function viewThrough(chain: readonly Eqn[]): StridedView | null {
  const first = chain[0]?.inputs[0];
  if (!first) return null;
  let v: StridedView | null = contiguousView(first.aval.shape);
  for (const e of chain) {
    if (!v) return null;
    const out = e.outputs[0]!.aval.shape;
    if (e.prim === "reshape") v = reshapeView(v, out);
    else if (e.prim === "transpose") v = transposeView(v, (e.params as PrimParams["transpose"]).perm);
    else if (e.prim === "slice") v = sliceView(v, e.params as PrimParams["slice"]);
    else return null;
  }
  return v;
}

/** The view of a buffer at `shape` that a value stored through `chain` (applied to a value of
 *  `shape`, its result laid out row-major) puts each element at: element c of the value lands at
 *  offset + Σ c·strides of the result's buffer. Reshapes and transposes only (a slice drops
 *  elements); null where a reshape cannot be followed back. */
export function storedThrough(shape: readonly number[], chain: readonly Eqn[]): StridedView | null {
  const last = chain[chain.length - 1];
  let v: StridedView | null = contiguousView(last ? last.outputs[0]!.aval.shape : shape);
  for (let i = chain.length - 1; i >= 0 && v; i--) {
    const e = chain[i]!;
    const before = e.inputs[0]!.aval.shape;
    if (e.prim === "reshape") v = reshapeView(v, before);
    else if (e.prim === "transpose") {
      const perm = (e.params as PrimParams["transpose"]).perm;
      const inverse = perm.map((_, k) => perm.indexOf(k));
      v = transposeView(v, inverse);
    } else return null;
  }
  return v;
}

/** How a matmul kernel reads a view as an operand [...batch, rows, cols]: `contiguous`, the
 *  source's own order (a reshape); `rows`, each row's elements one apart (a head split);
 *  `swapped`, each column's elements one apart (x.T). Rows and swapped views are only read where
 *  the vec4 loads can be (the offset and every other stride a multiple of 4, the source a whole
 *  number of vec4s); null: a copy reads it better. */
export type Reading = "contiguous" | "rows" | "swapped";

export function operandReading(v: StridedView, sourceElements: number): Reading | null {
  const reading = readingOf(v);
  if (reading === null || reading === "contiguous") return reading;
  const unitAxis = v.shape.length - (reading === "rows" ? 1 : 2);
  return sourceElements % 4 === 0 && inVec4Units(v, unitAxis) ? reading : null;
}

/** How a view reads as an operand, whatever its alignment. */
export function readingOf(v: StridedView): Reading | null {
  const r = v.shape.length;
  if (r < 2) return null;
  if (v.offset === 0 && isContiguous(v)) return "contiguous";
  const unit = (k: number) => v.shape[k] === 1 || v.strides[k] === 1;
  return unit(r - 1) ? "rows" : unit(r - 2) ? "swapped" : null;
}

/** Whether the view's offset and every stride but `unitAxis`'s are whole vec4s. */
export function inVec4Units(v: StridedView, unitAxis: number): boolean {
  return v.offset % 4 === 0 && v.strides.every((s, k) => k === unitAxis || v.shape[k] === 1 || s % 4 === 0);
}
