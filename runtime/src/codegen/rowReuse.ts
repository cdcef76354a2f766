// What a row kernel (codegen/lowerRowLocal.ts) keeps in registers between its loops over a row.
// Each reduction is a loop over the lane's share of the row, and the outputs one more. A value
// the output loop needs that costs a transcendental to recompute (softmax's exp(x - max)) is
// kept from the last reduction's loop; an input that two or more loops read (layer norm's row,
// read by its mean, variance and output loops) is read once, before the first loop, where the
// lane's share fits. Where both happen and the output loop needs only the kept value (softmax),
// the value overwrites the input's registers: one read of the row, no extra registers.

import type { Atom, Eqn, Var } from "../ir/types.js";
import { isFullShape, type RowGeometry } from "./rowLocal.js";
import type { FusionGroup } from "./kernelPlan.js";

/** Full-shape values both the last reduction's loop and the outputs read: walking back from
 *  the outputs, the first values met that the last reduction's input is computed from. */
export function cachedValues(group: FusionGroup, geo: RowGeometry): Var[] {
  const producer = producers(group.eqns);
  const reductionOuts = new Set(geo.reductions.map((r) => r.outputs[0]!.id));
  const last = geo.reductions[geo.reductions.length - 1]!;
  const cone = new Set<number>();
  const mark = (a: Atom): void => {
    if (a.kind === "lit" || cone.has(a.id) || reductionOuts.has(a.id)) return;
    cone.add(a.id);
    producer.get(a.id)?.inputs.forEach(mark);
  };
  mark(last.inputs[0]!);
  const out: Var[] = [];
  const seen = new Set<number>();
  const walk = (a: Atom): void => {
    if (a.kind === "lit" || seen.has(a.id) || reductionOuts.has(a.id)) return;
    seen.add(a.id);
    if (cone.has(a.id) && isFullShape(a.aval.shape, geo.full)) {
      out.push(a);
      return;
    }
    producer.get(a.id)?.inputs.forEach(walk);
  };
  group.outputs.filter((o) => isFullShape(o.aval.shape, geo.full)).forEach(walk);
  return out;
}

/**
 * The group's float32 full-shape inputs that two or more of the kernel's loops read: one loop per
 * reduction (what its input is computed from) and the output loop (what the full-shape outputs
 * are computed from).
 */
export function rereadInputs(group: FusionGroup, geo: RowGeometry): Var[] {
  const loops = [
    ...geo.reductions.map((r) => inputsRead(group, geo, [r.inputs[0]!], [])),
    outputLoopReads(group, geo, []),
  ];
  return group.inputs.filter(
    (v) =>
      v.aval.dtype === "float32" &&
      isFullShape(v.aval.shape, geo.full) &&
      loops.filter((reads) => reads.has(v.id)).length >= 2,
  );
}

/** The ids of the inputs the output loop reads, given the values `kept` in registers for it. */
export function outputLoopReads(group: FusionGroup, geo: RowGeometry, kept: readonly Var[]): Set<number> {
  return inputsRead(
    group,
    geo,
    group.outputs.filter((o) => isFullShape(o.aval.shape, geo.full)),
    kept,
  );
}

/** The ids of the inputs a loop computing `roots` reads (reduction results and `kept` values are
 *  at hand). */
function inputsRead(group: FusionGroup, geo: RowGeometry, roots: readonly Atom[], kept: readonly Var[]): Set<number> {
  const producer = producers(group.eqns);
  const stops = new Set([...geo.reductions.map((r) => r.outputs[0]!.id), ...kept.map((v) => v.id)]);
  const inputIds = new Set(group.inputs.map((v) => v.id));
  const seen = new Set<number>();
  const reads = new Set<number>();
  const walk = (a: Atom): void => {
    if (a.kind === "lit" || seen.has(a.id)) return;
    seen.add(a.id);
    if (inputIds.has(a.id)) reads.add(a.id);
    if (stops.has(a.id)) return;
    producer.get(a.id)?.inputs.forEach(walk);
  };
  roots.forEach(walk);
  return reads;
}

function producers(eqns: readonly Eqn[]): Map<number, Eqn> {
  return new Map(eqns.map((e) => [e.outputs[0]!.id, e] as const));
}
