// Max / min window reduction with JAX's gradient (reduce_window_max's vjp, select_and_scatter_add):
// each window's cotangent goes to the FIRST element, in row-major window order, that attains
// the window's extremum. Under grad it is recorded with a hand-written backward (vjp.ts
// recordCustomVjp): the forward pass keeps, besides the extremum, each window's selected
// offset (int32); the backward pass is a gather in the operand's own layout: each input element
// visits the ceil(w/s) windows per axis that contain it and takes a window's cotangent when
// that window selected it. Its reads are views (pad / reshape / broadcast / slice) of the
// cotangent and the offsets in memory, so it fuses with the elementwise ops around it (relu's
// backward), instead of the padded strided scatter chains the slices' own vjp would build.

import { bind1, lit, Tracer } from "../trace/core.js";
import { recordCustomVjp } from "../trace/vjp.js";
import * as L from "../trace/rules/lax.js";
import type { Val } from "../trace/rules/lax.js";
import { isnan, logical_or } from "../np/mathSurface.js";

export interface WindowGeometry {
  readonly win: readonly number[];
  readonly strides: readonly number[];
  readonly pads: readonly (readonly [number, number])[];
  /** Output length per axis (all > 0). */
  readonly out: readonly number[];
}

/** The window extremum of a float32 `x` differentiated by the innermost grad, with JAX's
 *  first-winner gradient; null when `x` is not (the caller binds the slice chain instead). */
export function selectWindow(x: Tracer, init: number, prim: "max" | "min", g: WindowGeometry): Tracer | null {
  return recordCustomVjp(x, (p) => {
    const { value, offset } = reduceSlices(p, init, prim, g);
    return { out: value, backward: (ct) => gatherCotangent(L.full(ct, g.out), offset, p.shape, g) };
  });
}

/** Whether the window's next element `part` replaces the running extremum `best`: when strictly
 *  better, or when it is NaN (so a NaN anywhere in a window makes its max NaN, as JAX's). */
export function windowWins(prim: "max" | "min", part: Tracer, best: Tracer): Tracer {
  const better = bind1(prim === "max" ? "gt" : "lt", {}, [part, best]);
  return part.dtype === "float32" ? logical_or(better, isnan(part)) : better;
}

/** reduce_window's slice chain (the same values as without grad) and each window's selected
 *  element as its flat offset in the window (row-major): a later element replaces the selection
 *  only when strictly better, so ties keep the first. */
export function reduceSlices(
  x: Tracer,
  init: number,
  prim: "max" | "min",
  g: WindowGeometry,
): { value: Tracer; offset: Tracer } {
  const { win, strides, pads, out } = g;
  const padded = pads.some(([lo, hi]) => lo || hi)
    ? bind1("pad", { low: pads.map((p) => p[0]), high: pads.map((p) => p[1]), value: init }, [x])
    : x;
  let best: Tracer | null = null;
  let offset: Tracer | null = null;
  const o = win.map(() => 0);
  const total = win.reduce((a, b) => a * b, 1);
  for (let t = 0; t < total; t++) {
    const limits = o.map((s, i) => s + (out[i]! - 1) * strides[i]! + 1);
    const part = bind1("slice", { starts: [...o], limits, strides: [...strides] }, [padded]);
    if (best === null) {
      best = part;
      offset = bind1("broadcast", { shape: [...out], dims: [] }, [lit(0, "int32")]);
    } else {
      const better = windowWins(prim, part, best);
      offset = bind1("where", {}, [better, lit(t, "int32"), offset!]);
      // A select, not max / min (whose derivative splits a tie): an outer grad's tangent goes
      // to the earlier best at a tie, as JAX's select_and_scatter picks the first.
      best = bind1("where", {}, [better, part, best]);
    }
    for (let i = win.length - 1; i >= 0; i--) {
      if (++o[i]! < win[i]!) break;
      o[i] = 0;
    }
  }
  return { value: best!, offset: offset! };
}

/**
 * The operand's cotangent: Σ over window rows j of where(offset[o] == k, ct[o], 0), where on
 * each axis an input position p (padded: p + lo) sits in row q = (p + lo) / s at r = (p + lo) % s,
 * window o = q − j holds it at offset k = j·s + r (when k < w), for j < ceil(w / s).
 */
function gatherCotangent(ct: Val, offset: Tracer, xShape: readonly number[], g: WindowGeometry): Val {
  const { win, strides, pads, out } = g;
  const r = xShape.length;
  const J = win.map((w, i) => Math.ceil(w / strides[i]!));
  // Rows per axis: every window, and every input position (those past the last window get 0).
  const Q = out.map((o, i) => Math.max(o + J[i]! - 1, Math.ceil((pads[i]![0] + xShape[i]!) / strides[i]!)));
  const mult = win.map((_, i) => win.slice(i + 1).reduce((a, b) => a * b, 1));

  /** `v` ([out…]) read at window o = q − j of every input position, as views of `v`. */
  const spread = (v: Val, j: readonly number[], fill: number): Val => {
    const rows = L.pad(
      v,
      j,
      Q.map((q, i) => q - out[i]! - j[i]!),
      fill,
    );
    const split = L.reshape(
      rows,
      Q.flatMap((q, i) => (strides[i]! > 1 ? [q, 1] : [q])),
    );
    const wide = Q.flatMap((q, i) => (strides[i]! > 1 ? [q, strides[i]!] : [q]));
    const spreadOut = L.broadcast(
      split,
      wide,
      wide.map((_, a) => a),
    );
    const flat = L.reshape(
      spreadOut,
      Q.map((q, i) => q * strides[i]!),
    );
    const lo = pads.map((p) => p[0]);
    if (lo.every((l, i) => l === 0 && Q[i]! * strides[i]! === xShape[i])) return flat;
    return L.slice(
      flat,
      lo,
      lo.map((l, i) => l + xShape[i]!),
    );
  };

  /** Each input position's offset k in window q − j (int32), or −2 (no match) where k ≥ w. */
  const offsets = (j: readonly number[]): Val => {
    let k: Val = L.fill(
      j.reduce((a, ji, i) => a + ji * strides[i]! * mult[i]!, 0),
      xShape,
      "int32",
    );
    let inside: Val | null = null;
    for (let i = 0; i < r; i++) {
      const s = strides[i]!;
      if (s === 1) continue;
      const pos = L.add(bind1("iota", { shape: [...xShape], axis: i, dtype: "int32" }, []), lit(pads[i]![0], "int32"));
      const rI = L.sub(pos, L.mul(L.div(pos, lit(s, "int32")), lit(s, "int32")));
      k = L.add(k, mult[i] === 1 ? rI : L.mul(rI, lit(mult[i]!, "int32")));
      const room = win[i]! - j[i]! * s; // positions r < room of this row lie in the window
      if (room < s) {
        const ok = L.compare("lt", rI, lit(room, "int32"));
        inside = inside === null ? ok : L.where(inside, ok, inside);
      }
    }
    return inside === null ? k : L.where(inside, k, lit(-2, "int32"));
  };

  let acc: Val | null = null;
  const j = win.map(() => 0);
  const total = J.reduce((a, b) => a * b, 1);
  for (let t = 0; t < total; t++) {
    const hit = L.compare("eq", spread(offset, j, -1), offsets(j));
    const term = L.where(hit, spread(ct, j, 0), lit(0, "float32"));
    acc = acc === null ? term : L.add(acc, term);
    for (let i = r - 1; i >= 0; i--) {
      if (++j[i]! < J[i]!) break;
      j[i] = 0;
    }
  }
  return acc!;
}
