// What fuse writes to memory whatever the grouping: program outputs, anchor results, the operands
// anchors read from memory (matmul, sort, loops), and computed values whose shape a broadcast,
// reshape or data movement changes. Each mark carries its reason.

import { formatShape as shapeText } from "@jitscope/contract";
import { sizeOf, type Eqn, type Params, type Var } from "../ir/types.js";
import type { Cones } from "./fuseCones.js";
import { category, MOVED, type ProgramFacts, type Why } from "./fuseFacts.js";

/** Whether matmul kernels read transposed/reshaped operands in place instead of after a copy
 *  kernel. Off: in place costs the matmul its vec4 fast path; measured on lavapipe, the MLP
 *  training step (784-256-10, batch 128) ran 61-70 ms/step in place vs 28-30 ms with copies. */
export const MATMUL_READS_MOVED_OPERANDS = false;

/** Marks (first reason wins) every value that must be materialized regardless of grouping. */
export function markRequired(facts: ProgramFacts, cones: Cones, mark: (id: number, why: Why) => void): void {
  const { eqns, producer, cat, outputIds } = facts;
  for (const id of outputIds)
    if (producer.has(id)) mark(id, { rule: "output", reason: "program output: written to memory" });
  eqns.forEach((e, i) => {
    const c = cat[i];
    if (c === "reduce" || c === "matmul" || c === "sort" || c === "loop")
      for (const o of e.outputs) mark(o.id, anchorOutputWhy(e));
    for (const a of e.inputs) {
      if (a.kind !== "var" || !cones.computed(a.id)) continue;
      const p = producer.get(a.id)!;
      if (c === "matmul") continue; // decided below, once every other mark is known
      if (c === "sort")
        mark(a.id, { rule: "sort-operand", reason: "sort operand: the sort kernel reads whole rows from memory" });
      if (c === "loop") {
        mark(a.id, {
          rule: "loop-operand",
          reason: `${e.prim} operand: the loop reads it from memory on every iteration`,
        });
        continue;
      }
      // A computed single value (shape [] or [1,1]) is cheap to recompute per element, so only
      // larger computed values are written out before a broadcast/reshape changes their shape.
      else if (
        (c === "view" || c === "move") &&
        cat[p] === "ew" &&
        sizeOf(a.aval.shape) > 1 &&
        !readsInPlace(e, a, facts)
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
  eqns.forEach((e, i) => {
    if (cat[i] !== "matmul") return;
    for (const a of e.inputs) {
      if (a.kind !== "var" || !cones.computed(a.id)) continue;
      if (MATMUL_READS_MOVED_OPERANDS && movementOnly(a.id)) continue;
      mark(a.id, {
        rule: "matmul-operand",
        reason: `${e.prim} operand: the ${e.prim} kernel reads its operands from memory`,
      });
    }
  });
}

/** Operands a move op reads at most once per output element, so a computed value there can
 *  stay in registers (computed where it is read, never twice): the input of a pad that only
 *  elementwise ops read (the box `x.at("1:-1", "1:-1").set(stencil)` puts back; a pad read by
 *  overlapping slices, as pooling makes, would recompute it per window), a value read only by
 *  slices that share no element (max pooling with stride ≥ window: each element is computed
 *  once, in the pooling kernel, instead of written and read back), a gather's indices,
 *  everything a scatter reads (the array at the output's own coordinates, the indices and
 *  updates once per candidate). */
function readsInPlace(e: Eqn, a: Var, facts: ProgramFacts): boolean {
  const { consumers, cat, eqns } = facts;
  if (e.prim === "scatter") return true;
  if (e.prim === "pad") return (consumers.get(e.outputs[0]!.id) ?? []).every((c) => cat[c] === "ew");
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
