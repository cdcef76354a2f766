// The last step of fuse: a reduction of a large array to one value (a loss, a whole-array sum or
// max) becomes two kernels, so that the whole device works on it: the first runs P workgroups,
// each reducing one slice (with the group's prologue) to a partial result; the second reduces the
// P partials with the group's epilogue. As one kernel it ran on one workgroup, so on one core of
// a CPU adapter and one SM of a GPU. sum/max/min; argmax/argmin keep one kernel (the second stage
// would need the partials' indices as well).

import type { FusionGroup, ScheduledProgram } from "../codegen/kernelPlan.js";
import { formatShape } from "@jitscope/contract";
import type { Eqn, Var } from "../ir/types.js";
import { sizeOf } from "../ir/types.js";
import { isSoftwareAdapter } from "../codegen/subgroupSupport.js";
import { getConfig } from "../config.js";

/** Split a whole-array reduction of at least this many elements (on a hardware adapter). */
export const SPLIT_MIN_ELEMENTS = 32768;
/** Elements per partial at least (a slice per workgroup), and at most this many partials. */
const SLICE_MIN = 8192;
const MAX_PARTIALS = 256;
let splitMinOverride: number | null = null;

/** Tests and measurements: the split threshold regardless of the adapter (Infinity: never;
 *  null: the default). Returns the previous override. */
export function setSplitMinElements(n: number | null): number | null {
  const was = splitMinOverride;
  splitMinOverride = n;
  return was;
}

/** On a CPU adapter one workgroup already streams at the memory's speed: measured on lavapipe
 *  (loaded, interleaved, minima of 11 runs) a sum of 2^22 f32 took 4.6 ms as one workgroup and
 *  8.4 ms split over 256, a max 4.1 vs 5.1 ms. So the split is made on hardware adapters (where
 *  one workgroup is one of many cores) unless JITSCOPE_SPLIT_REDUCTIONS=1 asks for it. */
function splitMin(): number {
  if (splitMinOverride !== null) return splitMinOverride;
  return isSoftwareAdapter() && !getConfig().splitReductionsOnCpuAdapters ? Infinity : SPLIT_MIN_ELEMENTS;
}

const SPLITTABLE = new Set(["reduce_sum", "reduce_max", "reduce_min"]);

/** How many partials a whole-array reduction of `n` elements is split into (0: not split). */
export function partialCount(n: number): number {
  if (n < splitMin()) return 0;
  return Math.min(MAX_PARTIALS, Math.ceil(n / SLICE_MIN));
}

export function splitWholeArrayReductions(s: ScheduledProgram): ScheduledProgram {
  const { program } = s;
  let nextId =
    1 + Math.max(0, ...program.inputs.map((v) => v.id), ...program.eqns.flatMap((e) => e.outputs.map((v) => v.id)));
  const groups: FusionGroup[] = [];
  const extra: ScheduledProgram["boundaries"][number][] = [];
  const renamed = new Map<string, string>();
  for (const g of s.groups) {
    const split = g.kind === "reduction" ? splitGroup(g) : null;
    if (!split) {
      renamed.set(g.id, `k${groups.length}`);
      groups.push({ ...g, id: `k${groups.length}` });
      continue;
    }
    const [a, b, red] = split;
    const idA = `k${groups.length}`;
    const idB = `k${groups.length + 1}`;
    groups.push({ ...a, id: idA }, { ...b, id: idB });
    renamed.set(g.id, idB);
    const count = a.outputs[0]!.aval.shape[0]!;
    extra.push({
      from: `op${red.id}`,
      to: `op${red.id}`,
      fromKernel: idA,
      toKernel: idB,
      rule: "partial-reduction",
      reason:
        `${red.prim} of ${sizeOf(red.inputs[0]!.aval.shape)} elements to one value: ${count} workgroups each reduce ` +
        `a slice, a second kernel reduces their ${count} partial results`,
      bytes: 2 * count * 4,
    });
  }
  if (groups.length === s.groups.length) return s;
  const boundaries = [
    ...s.boundaries.map((b) => ({
      ...b,
      fromKernel: renamed.get(b.fromKernel) ?? b.fromKernel,
      toKernel: renamed.get(b.toKernel) ?? b.toKernel,
    })),
    ...extra,
  ];
  return { program, groups, boundaries };

  /** The two stages of `g`, or null when it is not a large whole-array sum/max/min. */
  function splitGroup(g: FusionGroup): [FusionGroup, FusionGroup, Eqn] | null {
    const reds = g.eqns.filter((e) => SPLITTABLE.has(e.prim) || e.prim === "argmax" || e.prim === "argmin");
    if (reds.length !== 1 || !SPLITTABLE.has(reds[0]!.prim)) return null;
    const red = reds[0]!;
    const x = red.inputs[0]!;
    const out = red.outputs[0]!;
    const n = sizeOf(x.aval.shape);
    const count = partialCount(n);
    if (sizeOf(out.aval.shape) !== 1 || count === 0 || x.aval.dtype === "bool") return null;
    // Only the reduction's result (and what the epilogue makes of it) may leave the group.
    if (g.outputs.some((o) => sizeOf(o.aval.shape) !== 1)) return null;
    const at = g.eqns.indexOf(red);
    const prologue = g.eqns.slice(0, at);
    const epilogue = g.eqns.slice(at + 1);
    // The epilogue may read only the result, the group's inputs and its own values.
    const known = new Set([
      out.id,
      ...g.inputs.map((v) => v.id),
      ...epilogue.flatMap((e) => e.outputs.map((v) => v.id)),
    ]);
    if (epilogue.some((e) => e.inputs.some((i) => i.kind === "var" && !known.has(i.id)))) return null;
    const partials: Var = { kind: "var", id: nextId++, aval: { shape: [count], dtype: x.aval.dtype } };
    const inputsA = g.inputs.filter((v) => usedBy(prologue, v) || (x.kind === "var" && x.id === v.id));
    const a: FusionGroup = {
      id: g.id,
      kind: "reduction",
      eqns: [...prologue, red],
      inputs: inputsA,
      outputs: [partials],
      reason:
        `reduction (${red.prim}) of ${formatShape(x.aval.shape)}, first stage: ${count} workgroups each reduce ` +
        `a slice to a partial result` +
        (prologue.length ? `, with prologue (${prologue.length} op${prologue.length === 1 ? "" : "s"})` : ""),
      partials: count,
    };
    // The second stage reduces the partials: the same op (its result and id), over them.
    const combine: Eqn = { ...red, inputs: [partials], params: { axes: [0] } as Eqn["params"] };
    const inputsB = [partials, ...g.inputs.filter((v) => usedBy(epilogue, v))];
    const b: FusionGroup = {
      id: g.id,
      kind: "reduction",
      eqns: [combine, ...epilogue],
      inputs: inputsB,
      outputs: g.outputs,
      reason:
        `reduction (${red.prim}), second stage: the ${count} partial results to one value` +
        (epilogue.length ? `, with epilogue (${epilogue.length} op${epilogue.length === 1 ? "" : "s"})` : ""),
    };
    return [a, b, red];
  }
}

function usedBy(eqns: readonly Eqn[], v: Var): boolean {
  return eqns.some((e) => e.inputs.some((a) => a.kind === "var" && a.id === v.id));
}
