// What fuse writes to memory whatever the grouping: program outputs, anchor results, the operands
// anchors read from memory (matmul, sort, loops), and computed values whose shape a broadcast,
// reshape or data movement changes. Each mark carries its reason.

import { formatShape as shapeText } from "@jitscope/contract";
import { getConfig } from "../config.js";
import { transposedOperandInPlace } from "../codegen/matmulConfig.js";
import { isViewOp, operandReading, readingOf, viewThrough, type StridedView } from "../codegen/stridedView.js";
import { payloadIsPositions } from "../codegen/lowerSort.js";
import { sizeOf, type Eqn, type Params, type Var } from "../ir/types.js";
import type { Cones } from "./fuseCones.js";
import { category, MOVED, type ProgramFacts, type Why } from "./fuseFacts.js";
import { isFill } from "../codegen/recurrence.js";

/** Whether matmul kernels read any moved operand (reshape, broadcast, any transpose) in place
 *  instead of after a copy kernel. Off: such reads cost the matmul its vec4 fast path (the MLP
 *  training step ran 61-70 ms/step in place vs 28-30 ms with copies on lavapipe). The one
 *  exception, decided per shape: a swap of the last two axes of a value in memory (x.T, w.T),
 *  which the vec4 path reads in place (matmulConfig.ts transposedOperandInPlace). */
export const MATMUL_READS_MOVED_OPERANDS = false;

/** Marks (first reason wins) every value that must be materialized regardless of grouping. */
export function markRequired(facts: ProgramFacts, cones: Cones, mark: (id: number, why: Why) => void): void {
  const { eqns, producer, cat, outputIds } = facts;
  for (const id of outputIds)
    if (producer.has(id)) mark(id, { rule: "output", reason: "program output: written to memory" });
  eqns.forEach((e, i) => {
    const c = cat[i];
    if (c === "reduce" || c === "matmul" || c === "sort" || c === "linalg" || c === "loop")
      for (const o of e.outputs) {
        // A recurrence kernel writes only the outputs something reads (a loop writes them all).
        const unread = !facts.consumers.has(o.id) && !outputIds.has(o.id);
        if (!(facts.recurrent.has(i) && unread)) mark(o.id, anchorOutputWhy(e));
      }
    for (const a of e.inputs) {
      if (a.kind !== "var" || !cones.computed(a.id)) continue;
      const p = producer.get(a.id)!;
      if (c === "matmul") continue; // decided below, once every other mark is known
      // An argsort's positions (an iota) are computed by the sort kernel itself.
      if (c === "sort" && !payloadIsPositions(e, eqns[p]))
        mark(a.id, { rule: "sort-operand", reason: "sort operand: the sort kernel reads whole rows from memory" });
      if (c === "linalg")
        mark(a.id, {
          rule: "linalg-operand",
          reason: `${e.prim} operand: the factorisation reads whole matrices from memory`,
        });
      if (c === "loop") {
        // A recurrence kernel computes a fill (zeros as a carry's start) itself (isFill).
        if (facts.recurrent.has(i) && isFill(eqns[p]!)) continue;
        mark(a.id, {
          rule: "loop-operand",
          reason: !facts.recurrent.has(i)
            ? `${e.prim} operand: the loop reads it from memory on every iteration`
            : `${e.prim} operand: the scan's recurrence kernel reads it from memory`,
        });
        continue;
      }
      // A computed single value (shape [] or [1,1]) is cheap to recompute per element, so only
      // larger computed values are written out before a broadcast/reshape changes their shape.
      else if (
        (c === "view" || c === "move") &&
        cat[p] === "ew" &&
        sizeOf(a.aval.shape) > 1 &&
        !readsInPlace(e, a, facts) &&
        !isIndexMath(a.id, facts)
      ) {
        const out = e.outputs[0]!;
        mark(a.id, {
          rule: "shape",
          reason: `value of shape ${shapeText(a.aval.shape)} is ${MOVED[e.prim] ?? e.prim} to ${shapeText(out.aval.shape)}: computed once in its own kernel`,
        });
      }
    }
  });

  // Matmul operands: anything computed is written out first, since every output tile would
  // recompute it; data movement over values in memory (w.T) could be read in place (see
  // MATMUL_READS_MOVED_OPERANDS).
  const movementOnly = (id: number): boolean => {
    const stack = [id];
    while (stack.length) {
      const v = stack.pop()!;
      if (cones.materialized.has(v) || !cones.computed(v)) continue;
      const p = producer.get(v)!;
      if (cat[p] === "ew") return false;
      for (const a of eqns[p]!.inputs) if (a.kind === "var") stack.push(a.id);
    }
    return true;
  };
  // Movement ops (reshape, transpose, slice) between an operand and a value in memory, as one
  // strided view of that value's buffer (codegen/stridedView.ts): w of [d] as [d, 1], x.T, a
  // head split [B, T, H·d] → [B, H, T, d]. The matmul binds the source buffer and indexes it
  // through the view, where a copy kernel would only move bytes (lowerMatmul.ts analyzeMatmul).
  const viewedSource = (a: Var): { source: Var; view: StridedView } | null => {
    if (!cones.computed(a.id) || cones.materialized.has(a.id)) return null;
    const chain: Eqn[] = [];
    for (let v = a; ;) {
      const p = producer.get(v.id);
      const e = p === undefined ? undefined : eqns[p]!;
      const src = e?.inputs[0];
      if (!e || !isViewOp(e) || src?.kind !== "var") return null;
      chain.unshift(e);
      if (!cones.computed(src.id) || cones.materialized.has(src.id)) {
        const view = viewThrough(chain);
        return view && { source: src, view };
      }
      v = src;
    }
  };
  const inPlace = (e: Eqn): [boolean, boolean] => {
    const [a, b] = e.inputs;
    if (a?.kind !== "var" || b?.kind !== "var") return [false, false];
    const [va, vb] = [viewedSource(a), viewedSource(b)];
    // The conv kernel loads one element at a time, each operand through its own strides
    // (codegen/convOperands.ts): any view of a value in memory reads in place, as NHWC images
    // and HWIO weights do under the transposes that give the conv its NCHW/OIHW operands.
    if (e.prim === "conv") return [va !== null, vb !== null];
    const reading = (v: { source: Var; view: StridedView } | null) =>
      v && operandReading(v.view, sizeOf(v.source.aval.shape));
    const [x, y] = [a.aval.shape, b.aval.shape];
    const shape = { dtype: e.outputs[0]!.aval.dtype, m: x[x.length - 2]!, k: x[x.length - 1]!, n: y[y.length - 1]! };
    const mode = getConfig().matmulTransposed;
    // Views in row order are read in place; a swap of the last two axes where the vec4 path
    // reads it faster than a copy (matmulConfig.ts transposedOperandInPlace). Where the shape
    // rules out the vec4 path anyway (K or N not a multiple of 4), rows and swapped views are read
    // in place even when not in whole vec4s: the scalar path reads any strides, and a copy would
    // only add a kernel (a CNN's pooledᵀ @ dlogits with 10 classes).
    const scalarAnyway = shape.k % 4 !== 0 || shape.n % 4 !== 0;
    const readable = (v: { source: Var; view: StridedView } | null, side: "a" | "b", bIn: boolean) => {
      const r = reading(v);
      if (r === "contiguous" || r === "rows") return true;
      if (r === "swapped" && transposedOperandInPlace(shape, side, bIn, mode)) return true;
      if (!scalarAnyway || v === null) return false;
      const any = readingOf(v.view);
      return any === "rows" || (any === "swapped" && mode !== "copy");
    };
    const bIn = readable(vb, "b", false);
    const aIn = readable(va, "a", bIn);
    return [aIn, bIn];
  };
  eqns.forEach((e, i) => {
    if (cat[i] !== "matmul") return;
    const readInPlace = inPlace(e);
    e.inputs.forEach((a, side) => {
      if (a.kind !== "var" || !cones.computed(a.id)) return;
      if (MATMUL_READS_MOVED_OPERANDS && movementOnly(a.id)) return;
      if (readInPlace[side]) return;
      mark(a.id, {
        rule: "matmul-operand",
        reason: `${e.prim} operand: the ${e.prim} kernel reads its operands from memory`,
      });
    });
  });
}

/** Ops of index math: integer arithmetic, compares, selects and layout over iotas and literals. */
const INDEX_OPS: ReadonlySet<string> = new Set([
  "iota",
  "cast",
  "add",
  "sub",
  "mul",
  "neg",
  "max",
  "min",
  "gt",
  "ge",
  "lt",
  "le",
  "eq",
  "ne",
  "where",
  "broadcast",
  "reshape",
  "transpose",
]);
/** At most this many ops: recomputed at every element that reads them, they stay a few
 *  instructions (a position, an identity, a causal mask, np.arange's values). */
const INDEX_MATH_OPS = 12;

/** Whether `id` is computed from iotas and literals alone by a few index ops (np.arange, np.eye,
 *  np.tri inside jit): reading no memory, it is cheaper recomputed where a broadcast or reshape
 *  reads it than written to memory by a kernel of its own and read back. */
function isIndexMath(id: number, facts: ProgramFacts): boolean {
  const { producer, eqns } = facts;
  const seen = new Set<number>();
  const stack = [id];
  while (stack.length) {
    const v = stack.pop()!;
    if (seen.has(v)) continue;
    seen.add(v);
    const p = producer.get(v);
    if (p === undefined || seen.size > INDEX_MATH_OPS) return false;
    const e = eqns[p]!;
    if (!INDEX_OPS.has(e.prim)) return false;
    for (const a of e.inputs) if (a.kind === "var") stack.push(a.id);
  }
  return true;
}

/** Operands a move op reads at most once per output element, so a computed value there can
 *  stay in registers (computed where it is read, never twice): the input of a pad or a
 *  concatenate that only elementwise ops read (the box `x.at("1:-1", "1:-1").set(stencil)` puts
 *  back, an LSTM's gates joined; a pad read by overlapping slices, as pooling makes, would
 *  recompute it per window), a value read only by
 *  slices that share no element (max pooling with stride ≥ window: each element is computed
 *  once, in the pooling kernel, instead of written and read back), a gather's indices,
 *  everything a scatter reads (the array at the output's own coordinates, the indices and
 *  updates once per candidate; a sorted scatter's indices once per probe of its search). */
function readsInPlace(e: Eqn, a: Var, facts: ProgramFacts): boolean {
  const { consumers, cat, eqns } = facts;
  if (e.prim === "scatter" || e.prim === "scatter_sorted") return true;
  // A pad or concatenate read by elementwise ops computes each element of its operands in that
  // element's own branch (codegen/valueWriter.ts, choose); one read by a matmul is its operand,
  // written out anyway (a zero-padded K, padMatmulK.ts): the kernel computing it writes it whole.
  if (e.prim === "pad" || e.prim === "concatenate")
    return (consumers.get(e.outputs[0]!.id) ?? []).every((c) => cat[c] === "ew" || cat[c] === "matmul");
  if (e.prim === "slice") {
    const readers = (consumers.get(a.id) ?? []).map((c) => eqns[c]!);
    if (!readers.every((r) => r.prim === "slice")) return false;
    const ps = readers.map((r) => r.params as Params<"slice">);
    return ps.every((p, i) => ps.slice(i + 1).every((q) => slicesDisjoint(p, q)));
  }
  return e.prim === "gather" && e.inputs[1] === a;
}

/** Whether two slices of one array share no element: on some axis their strided index sets
 *  {start + m·stride} cannot meet (same stride, starts apart by a non-multiple of it, or one
 *  range ends before the other starts). */
function slicesDisjoint(p: Params<"slice">, q: Params<"slice">): boolean {
  return p.starts.some((ps, k) => {
    const [qs, pl, ql] = [q.starts[k]!, p.limits[k]!, q.limits[k]!];
    if (pl <= qs || ql <= ps) return true;
    const [sp, sq] = [p.strides[k] ?? 1, q.strides[k] ?? 1];
    return sp === sq && (ps - qs) % sp !== 0;
  });
}

function anchorOutputWhy(e: Eqn): Why {
  return { rule: `${category(e.prim)}-output`, reason: `${e.prim} result is written to memory` };
}
